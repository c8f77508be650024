"""The guard table (compatibility facade): rules live in :mod:`lishui_desk.procedure.rules`.

A rule receives a :class:`Check` (state, payload, context, action, preview flag, the act's date) and
returns violations. In preview mode (``next_steps``/``missing``) the payload is empty and a rule
judges only what the case itself already shows.
"""

from __future__ import annotations

from lishui_desk.procedure.rules import RULES, Check, Rule
from lishui_desk.procedure.rules.closing import hm, needs_disclosure

__all__ = ["RULES", "Check", "Rule", "hm", "needs_disclosure"]
