"""CaseState: the projection of a case's events (the case row can always be rebuilt from them).

``fold(events)`` is pure and cheap: one pass to collect corrections (a correction event replaces
the payload of the event it points at; the original stays in the log), one pass to apply events.
Payloads are shared, never deep-copied.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from lishui_desk.events import EventRecord
from lishui_desk.procedure import vocabulary as V
from lishui_desk.procedure.records import Party, Rec, to_date, to_money

__all__ = ["CaseState", "Party", "Rec", "fold", "to_date", "to_money"]

_PRE_RANK = {V.FILED: 1, V.INVESTIGATION: 2, V.NOTIFIED: 3, V.STATEMENT: 4, V.LEGAL_REVIEW: 5, V.COLLECTIVE: 6}


@dataclass
class CaseState:
    case_id: str = ""
    township_code: str | None = None
    stage: str = V.NEW
    procedure: str | None = None
    source: str | None = None
    lead: Rec | None = None
    lead_on: date | None = None
    discovered_date: date | None = None
    party: Party | None = None
    item_code: str | None = None
    item_name: str | None = None
    domain: str | None = None
    violation_date: date | None = None
    violation_end_date: date | None = None  # 连续或者继续状态的终了之日
    facts: str | None = None
    place: str | None = None
    officers: tuple[str, ...] = ()
    leader_approval: str | None = None
    filed_on: date | None = None
    case_number: str | None = None
    inspections: list[Rec] = field(default_factory=list)
    inquiries: list[Rec] = field(default_factory=list)
    summonses: list[Rec] = field(default_factory=list)  # 调查通知
    conclusions: list[Rec] = field(default_factory=list)  # 调查终结 (latest counts)
    service_address: Rec | None = None  # 送达地址确认 (latest)
    evidence: list[Rec] = field(default_factory=list)
    preservations: list[Rec] = field(default_factory=list)
    preservation_handling: dict[str, Rec] = field(default_factory=dict)  # preservation event id → handling
    correction_orders: list[Rec] = field(default_factory=list)
    recusals: list[Rec] = field(default_factory=list)
    recused: set[str] = field(default_factory=set)
    flags: set[str] = field(default_factory=set)
    notices: list[Rec] = field(default_factory=list)
    notice_served: Rec | None = None  # service of the current (latest) notice
    statements: list[Rec] = field(default_factory=list)
    statement_reviews: list[Rec] = field(default_factory=list)
    waivers: list[Rec] = field(default_factory=list)
    hearing_request: Rec | None = None
    hearing_schedule: Rec | None = None
    hearing: Rec | None = None
    review_requests: list[Rec] = field(default_factory=list)
    review_opinions: list[Rec] = field(default_factory=list)
    collective: list[Rec] = field(default_factory=list)
    decision: Rec | None = None
    decisions: list[Rec] = field(default_factory=list)  # every decision / 当场处罚, in order
    decision_service: Rec | None = None
    payments: list[Rec] = field(default_factory=list)
    remedies: list[Rec] = field(default_factory=list)
    enforcement: Rec | None = None
    deferrals: list[Rec] = field(default_factory=list)  # 暂缓或者分期缴纳 (《行政处罚法》第六十六条第二款)
    demands: list[Rec] = field(default_factory=list)  # 催告书送达 (《行政强制法》第五十四条)
    receipts: list[Rec] = field(default_factory=list)  # 邮寄回执 / 电子送达到达 recorded later
    # served document's event id (each 事先告知, the 听证通知, each decision, each 催告) → its service
    # record, completed by a later 回执 — every document served keeps its own (a new notice does not
    # erase how the old one was served)
    services: dict[str, Rec] = field(default_factory=dict)
    education: list[Rec] = field(default_factory=list)
    transfer: Rec | None = None
    declined: Rec | None = None
    disclosures: list[Rec] = field(default_factory=list)
    documents_issued: list[Rec] = field(default_factory=list)  # 出具文书 records, in order
    withdrawals: list[Rec] = field(default_factory=list)
    extensions: list[Rec] = field(default_factory=list)
    exclusions: list[Rec] = field(default_factory=list)
    closure: Rec | None = None
    archive: Rec | None = None
    corrections: list[Rec] = field(default_factory=list)
    corrected_ids: dict[str, str] = field(default_factory=dict)  # original event id → correcting id
    event_ids: dict[str, str] = field(default_factory=dict)  # event id → type
    last_seq: int = 0
    last_change_seq: int = 0  # latest substantive event (a 法制审核 opinion must be newer)

    # --- derived ---------------------------------------------------------------------------
    @property
    def notice(self) -> Rec | None:
        return self.notices[-1] if self.notices else None

    @property
    def conclusion(self) -> Rec | None:
        """The latest 调查终结 record (《行政处罚法》第五十七条)."""
        return self.conclusions[-1] if self.conclusions else None

    @property
    def is_summary(self) -> bool:
        return self.procedure == V.SUMMARY

    @property
    def decided_on(self) -> date | None:
        return self.decision.day("decided_on") if self.decision else None

    @property
    def amount(self) -> Decimal | None:
        if self.decision and V.FINE in self.decision.kinds():
            return self.decision.money("amount")
        return None

    @property
    def paid_total(self) -> Decimal:
        total = Decimal(0)
        for p in self.payments:
            total += p.money("amount") or Decimal(0)
        return total

    @property
    def act_end_date(self) -> date | None:
        return self.violation_end_date or self.violation_date

    def summary(self) -> dict[str, Any]:
        party = self.party
        amount = self.amount
        return {
            "case_id": self.case_id,
            "township_code": self.township_code,
            "stage": self.stage,
            "stage_label": V.STAGE_LABELS.get(self.stage, self.stage),
            "procedure": self.procedure,
            "case_number": self.case_number,
            "party_name": party.name if party else None,
            "party_kind": party.kind if party else None,
            "party_id": party.party_id if party else None,
            "item_code": self.item_code,
            "item_name": self.item_name,
            "domain": self.domain,
            "officer_ids": list(self.officers),
            "lead_on": self.lead_on.isoformat() if self.lead_on else None,
            "filed_on": self.filed_on.isoformat() if self.filed_on else None,
            "decided_on": self.decided_on.isoformat() if self.decided_on else None,
            "outcome": self.decision.get("outcome") if self.decision else None,
            "amount": f"{amount:.2f}" if amount is not None else None,
            "violation_date": self.violation_date.isoformat() if self.violation_date else None,
            "flags": sorted(self.flags),
            "source": self.source,
            "is_open": self.stage not in V.TERMINAL,
        }


# --- fold ---------------------------------------------------------------------------------


def fold(events: list[EventRecord]) -> CaseState:
    """Rebuild the case state from its events (ordered by seq)."""
    replaced: dict[str, dict[str, Any]] = {}
    for ev in events:
        if ev.type == V.EV_CORRECTED and ev.corrects:
            replacement = ev.payload.get("replacement")
            if isinstance(replacement, dict):
                replaced[ev.corrects] = replacement
    state = CaseState()
    for ev in events:
        payload = replaced.get(ev.id, ev.payload)
        rec = Rec(ev.seq, ev.id, ev.type, ev.actor_id, payload)
        if not state.case_id:
            state.case_id = ev.case_id
        state.event_ids[ev.id] = ev.type
        state.last_seq = ev.seq
        if ev.type in V.SUBSTANTIVE_EVENTS:
            state.last_change_seq = ev.seq
        handler = _HANDLERS.get(ev.type)
        if handler is not None:
            handler(state, rec)
        if ev.type == V.EV_CORRECTED and ev.corrects:
            state.corrected_ids[ev.corrects] = ev.id
    return state


def _advance(state: CaseState, stage: str) -> None:
    """Move forward among the pre-decision stages, never backwards."""
    current = _PRE_RANK.get(state.stage)
    if current is not None and _PRE_RANK[stage] > current:
        state.stage = stage


def _case_facts(state: CaseState, rec: Rec) -> None:
    p = rec.payload
    if p.get("township_code"):
        state.township_code = p["township_code"]
    if isinstance(p.get("party"), dict):
        state.party = Party.from_payload(p["party"])
    for key in ("item_code", "item_name", "domain", "facts", "place", "source", "case_number"):
        if p.get(key):
            setattr(state, key, p[key])
    for key in ("violation_date", "violation_end_date", "discovered_date"):
        if p.get(key):
            setattr(state, key, to_date(p[key]))
    if p.get("officer_ids"):
        state.officers = tuple(p["officer_ids"])


def _on_lead(state: CaseState, rec: Rec) -> None:
    state.lead = rec
    state.lead_on = rec.day("lead_on")
    _case_facts(state, rec)
    if state.discovered_date is None:
        state.discovered_date = state.lead_on
    state.stage = V.LEAD


def _on_declined(state: CaseState, rec: Rec) -> None:
    state.declined = rec
    if rec.get("officer_ids"):
        state.officers = tuple(rec.get("officer_ids"))
    state.stage = V.NOT_FILED


def _on_procedure(state: CaseState, rec: Rec) -> None:
    state.procedure = rec.get("procedure")


def _on_filed(state: CaseState, rec: Rec) -> None:
    _case_facts(state, rec)
    state.filed_on = rec.day("filed_on")
    state.leader_approval = rec.get("approved_by")
    state.procedure = V.ORDINARY
    state.stage = V.FILED


def _on_flagged(state: CaseState, rec: Rec) -> None:
    state.flags.update(rec.get("flags") or ())
    for flag in rec.get("cleared") or ():
        state.flags.discard(flag)


def _investigation(attr: str) -> Any:
    def handler(state: CaseState, rec: Rec) -> None:
        getattr(state, attr).append(rec)
        _advance(state, V.INVESTIGATION)

    return handler


def _on_preservation_handled(state: CaseState, rec: Rec) -> None:
    state.preservation_handling[str(rec.get("preservation_event_id"))] = rec


def _on_recusal(state: CaseState, rec: Rec) -> None:
    state.recusals.append(rec)
    if rec.get("granted", True):
        state.recused.add(str(rec.get("officer_id")))


def _on_notice(state: CaseState, rec: Rec) -> None:
    state.notices.append(rec)
    state.notice_served = None  # a new notice must be served again
    _advance(state, V.NOTIFIED)


def _on_notice_served(state: CaseState, rec: Rec) -> None:
    state.notice_served = rec
    if state.notice is not None:
        state.services[state.notice.event_id] = rec
    _advance(state, V.NOTIFIED)


def _statement_phase(attr: str | None) -> Any:
    def handler(state: CaseState, rec: Rec) -> None:
        if attr is not None:
            target = getattr(state, attr)
            if isinstance(target, list):
                target.append(rec)
            else:
                setattr(state, attr, rec)
        _advance(state, V.STATEMENT)

    return handler


def _on_review(attr: str) -> Any:
    def handler(state: CaseState, rec: Rec) -> None:
        getattr(state, attr).append(rec)
        _advance(state, V.LEGAL_REVIEW)

    return handler


def _on_county_review(state: CaseState, rec: Rec) -> None:
    """A county opinion counts once, by the opinion's id (``hub_ref``), however many copies reached
    the record (two laptops of the case that each recorded it on diverged records)."""
    ref = rec.get("hub_ref")
    if ref and any(r.get("hub_ref") == ref for r in state.review_opinions):
        return
    _on_review("review_opinions")(state, rec)


def _on_collective(state: CaseState, rec: Rec) -> None:
    state.collective.append(rec)
    _advance(state, V.COLLECTIVE)


def _on_decided(state: CaseState, rec: Rec) -> None:
    state.decision = rec
    state.decisions.append(rec)
    state.decision_service = None
    outcome = rec.get("outcome")
    state.stage = {
        V.OUTCOME_PENALTY: V.DECIDED,
        V.OUTCOME_NO_PENALTY: V.NO_PENALTY,
        V.OUTCOME_TRANSFER: V.TRANSFERRED,
        V.OUTCOME_REVOKE: V.REVOKED,
    }.get(outcome, V.DECIDED)
    if outcome == V.OUTCOME_TRANSFER:
        state.transfer = rec


def _on_summary(state: CaseState, rec: Rec) -> None:
    _case_facts(state, rec)
    state.procedure = V.SUMMARY
    state.decision = rec
    state.decisions.append(rec)
    state.decision_service = rec  # 当场交付 (《行政处罚法》第五十二条)
    state.stage = V.SUMMARY_DECIDED


def _on_decision_served(state: CaseState, rec: Rec) -> None:
    state.decision_service = rec
    if state.decision is not None:
        state.services[state.decision.event_id] = rec
    if state.stage == V.DECIDED:
        state.stage = V.EXECUTION if state.decision and _has_money(state.decision) else V.SERVED


def _has_money(rec: Rec) -> bool:
    return bool({V.FINE, V.CONFISCATE_GAINS} & set(rec.kinds()))


def _on_payment(state: CaseState, rec: Rec) -> None:
    state.payments.append(rec)
    if state.stage in (V.SUMMARY_DECIDED, V.SERVED, V.DECIDED):
        state.stage = V.EXECUTION
    if state.stage == V.EXECUTION and _performed(state):
        state.stage = V.PERFORMED  # nothing left to enforce (《行政强制法》第五十三条)


def _performed(state: CaseState) -> bool:
    """The fine and the 加处罚款 owed at each payment (engine-derived ``late_fee_due``) are paid in full."""
    amount = state.amount
    if amount is None or state.paid_total < amount:
        return False
    fee_paid = sum((p.money("late_fee") or Decimal(0) for p in state.payments), Decimal(0))
    fee_due = max((p.money("late_fee_due") or Decimal(0) for p in state.payments), default=Decimal(0))
    return fee_paid >= fee_due


# attributes that hold a service record a later receipt may complete
_SERVICE_ATTRS = ("notice_served", "decision_service", "hearing_schedule")


def _on_receipt(state: CaseState, rec: Rec) -> None:
    """邮寄回执 / 电子送达到达: complete the service record it names (its date then counts)."""
    state.receipts.append(rec)
    target = str(rec.get("service_event_id") or "")
    extra = {k: rec.get(k) for k in ("receipt_on", "reached_on") if rec.get(k)}
    for attr in _SERVICE_ATTRS:
        old = getattr(state, attr)
        if old is not None and old.event_id == target:
            setattr(state, attr, Rec(old.seq, old.event_id, old.type, old.actor_id, {**old.payload, **extra}))
    for i, old in enumerate(state.demands):
        if old.event_id == target:
            state.demands[i] = Rec(old.seq, old.event_id, old.type, old.actor_id, {**old.payload, **extra})
    for doc_id, old in list(state.services.items()):
        if old.event_id == target:
            state.services[doc_id] = Rec(old.seq, old.event_id, old.type, old.actor_id, {**old.payload, **extra})


def _on_hearing_scheduled(state: CaseState, rec: Rec) -> None:
    """听证通知: the notice is served with the scheduling record when its method is given."""
    state.hearing_schedule = rec
    if rec.get("method"):
        state.services[rec.event_id] = rec
    _advance(state, V.STATEMENT)


def _on_demand(state: CaseState, rec: Rec) -> None:
    state.demands.append(rec)
    state.services[rec.event_id] = rec  # the 催告书 is its own served document


def _on_enforcement(state: CaseState, rec: Rec) -> None:
    state.enforcement = rec
    state.stage = V.EXECUTION


def _on_transferred(state: CaseState, rec: Rec) -> None:
    state.transfer = rec
    state.stage = V.TRANSFERRED


def _setter(attr: str, stage: str | None = None) -> Any:
    def handler(state: CaseState, rec: Rec) -> None:
        setattr(state, attr, rec)
        if stage is not None:
            state.stage = stage

    return handler


def _appender(attr: str) -> Any:
    def handler(state: CaseState, rec: Rec) -> None:
        getattr(state, attr).append(rec)

    return handler


def _on_fork(state: CaseState, rec: Rec) -> None:
    state.flags.add("fork")


_HANDLERS: dict[str, Any] = {
    V.EV_LEAD: _on_lead,
    V.EV_NOT_FILED: _on_declined,
    V.EV_PROCEDURE: _on_procedure,
    V.EV_FILED: _on_filed,
    V.EV_FLAGGED: _on_flagged,
    V.EV_INSPECTION: _investigation("inspections"),
    V.EV_INQUIRY: _investigation("inquiries"),
    V.EV_SUMMONS: _investigation("summonses"),
    V.EV_CONCLUDED: _investigation("conclusions"),
    V.EV_SERVICE_ADDRESS: _setter("service_address"),
    V.EV_EVIDENCE: _investigation("evidence"),
    V.EV_PRESERVED: _investigation("preservations"),
    V.EV_PRESERVED_HANDLED: _on_preservation_handled,
    V.EV_CORRECTION_ORDER: _investigation("correction_orders"),
    V.EV_RECUSAL: _on_recusal,
    V.EV_NOTICE: _on_notice,
    V.EV_NOTICE_SERVED: _on_notice_served,
    V.EV_STATEMENT: _statement_phase("statements"),
    V.EV_STATEMENT_REVIEWED: _statement_phase("statement_reviews"),
    V.EV_WAIVER: _statement_phase("waivers"),
    V.EV_HEARING_REQUESTED: _statement_phase("hearing_request"),
    V.EV_HEARING_SCHEDULED: _on_hearing_scheduled,
    V.EV_HEARING_HELD: _statement_phase("hearing"),
    V.EV_REVIEW_REQUESTED: _on_review("review_requests"),
    V.EV_REVIEW_OPINION: _on_review("review_opinions"),
    V.EV_COUNTY_REVIEW_OPINION: _on_county_review,
    V.EV_COLLECTIVE: _on_collective,
    V.EV_DECIDED: _on_decided,
    V.EV_SUMMARY: _on_summary,
    V.EV_DECISION_SERVED: _on_decision_served,
    V.EV_PAYMENT: _on_payment,
    V.EV_REMEDY: _appender("remedies"),
    V.EV_ENFORCEMENT: _on_enforcement,
    V.EV_DEMAND_SERVED: _on_demand,
    V.EV_DEFERRED: _appender("deferrals"),
    V.EV_SERVICE_RECEIPT: _on_receipt,
    V.EV_EDUCATION: _appender("education"),
    V.EV_TRANSFERRED: _on_transferred,
    V.EV_DISCLOSED: _appender("disclosures"),
    V.EV_DISCLOSURE_WITHDRAWN: _appender("withdrawals"),
    V.EV_EXTENDED: _appender("extensions"),
    V.EV_EXCLUDED: _appender("exclusions"),
    V.EV_CLOSED: _setter("closure", V.CLOSED),
    V.EV_ARCHIVED: _setter("archive", V.ARCHIVED),
    V.EV_CORRECTED: _appender("corrections"),
    V.EV_FORK: _on_fork,
    V.EV_FORK_RESOLVED: lambda state, rec: None,  # the graph's business (lishui_desk.graph), not the fold's
    V.EV_DOCUMENT_ISSUED: _appender("documents_issued"),
}

# every event type the record may hold: ``record.append`` refuses any other
KNOWN_EVENT_TYPES = frozenset(_HANDLERS)
