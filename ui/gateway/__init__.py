"""The GUI's typed path to the core: one small module per area, plain functions the ops worker
runs (see :mod:`ui.ops`).

Each function that touches the profile is one GUI op = one unit of work, opened here at the edge
(:mod:`ui.gateway.uow`); the services never open one themselves. A write returns a
:class:`~ui.gateway.changes.Changed` — its value plus the :class:`~ui.gateway.changes.OpChanges`
saying what moved — so the pages reload only when their data did. No module here imports a
widget: the pages import the gateway, never the other way round.
"""
