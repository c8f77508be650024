"""What a generated step form offers as choices (officers, the case's evidence and events, the
catalogue's items), read on the worker in the same GUI op as the case view."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from lishui_desk.catalog_data import ItemSeed
from lishui_desk.errors import DeskError
from lishui_desk.services import cases as case_services
from lishui_desk.services import catalog, officers
from lishui_desk.services.cases import CaseView
from lishui_desk.storage.profile import Profile
from lishui_desk.timeutil import today_local
from lishui_desk.unit_of_work import UnitOfWork
from ui.gateway.cases import event_label
from ui.gateway.officers import Officer, as_officer
from ui.gateway.uow import reading


@dataclass
class FormContext:
    """What a form needs to offer choices: officers, the case's evidence and events, its item."""

    officers: list[Officer] = field(default_factory=list)
    evidence: list[tuple[str, str]] = field(default_factory=list)  # (sha256, label)
    events: list[tuple[str, str]] = field(default_factory=list)  # (event id, label)
    items: list[tuple[str, str]] = field(default_factory=list)  # (code, name)
    seeds: dict[str, ItemSeed] = field(default_factory=dict)  # code -> the item with its 裁量基准
    item_seed: ItemSeed | None = None  # the case's item
    party_kind: str | None = None
    today: date = field(default_factory=today_local)


def form_context(profile: Profile, case_id: str | None, view: CaseView | None = None) -> FormContext:
    """The choices for a form on ``case_id`` (None: a new lead), read in one unit of work."""
    with reading(profile) as uow:
        return _form_context(uow, case_id, view)


def load_workspace(profile: Profile, case_id: str) -> tuple[CaseView, FormContext]:
    """The case view and the form context in one worker call (one read per action)."""
    with reading(profile) as uow:
        view = case_services.view(uow, case_id)
        return view, _form_context(uow, case_id, view)


def _form_context(uow: UnitOfWork, case_id: str | None, view: CaseView | None) -> FormContext:
    ctx = FormContext(officers=[as_officer(o) for o in officers.list_officers(uow)])
    ctx.items = catalog.item_names(uow)
    if case_id is not None:
        view = view or case_services.view(uow, case_id)
        ctx.evidence = [(e.sha256, f"{e.kind}：{e.description}（{(e.original_name or '')}）")
                        for e in view.evidence if e.sha256]
        ctx.events = [(e.id, f"#{e.seq} {event_label(e.type)} {str(e.occurred_at)[:16]}") for e in view.events]
        code = view.summary.get("item_code")
        if code:
            try:
                ctx.item_seed = catalog.item(uow, code)
                ctx.seeds[code] = ctx.item_seed
            except DeskError:  # e.g. an item of another township's catalogue (移送 cases)
                ctx.item_seed = None
        ctx.party_kind = view.summary.get("party_kind")
    return ctx
