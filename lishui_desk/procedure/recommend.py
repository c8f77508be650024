"""Which of a case's next steps moves it on: the milestone steps of each stage, in the order an
ordinary case takes them (《行政处罚法》第五十四条 to 第六十一条, 第六十七条, 第四十七条 for the file).

Pure data over the engine's ``next_steps`` result; the GUI shows these first."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from lishui_desk.procedure import vocabulary as V
from lishui_desk.procedure.actions import ACTIONS, EVENT_ACTION
from lishui_desk.procedure.types import NextStep

_PRE = ("issue_notice", "serve_notice", "record_statement", "review_statement", "record_waiver",
        "request_legal_review", "record_legal_review", "decide")

MILESTONES: dict[str, tuple[str, ...]] = {
    V.LEAD: ("file_case",),
    V.FILED: ("record_inspection", "record_inquiry", "add_evidence", "conclude_investigation"),
    V.INVESTIGATION: ("conclude_investigation", "issue_notice"),
    V.NOTIFIED: _PRE[1:],
    V.STATEMENT: _PRE[3:],
    V.LEGAL_REVIEW: ("record_legal_review", "record_collective_discussion", "decide"),
    V.COLLECTIVE: ("record_collective_discussion", "decide"),
    V.DECIDED: ("serve_decision",),
    V.SERVED: ("record_payment", "record_disclosure", "close_case"),
    V.EXECUTION: ("record_payment", "apply_enforcement", "close_case"),
    V.NO_PENALTY: ("serve_decision", "close_case"),
    V.SUMMARY_DECIDED: ("record_payment", "close_case"),
    V.REVOKED: ("serve_decision", "close_case"),
    V.CLOSED: ("archive_case",),
    V.NOT_FILED: ("archive_case",),
    V.TRANSFERRED: ("archive_case",),
}

# rules a step's own form satisfies: the officers are chosen in it (preview judges the case's officers)
FORM_FILLED_RULES = ("officers.",)


def possible(step: NextStep) -> bool:
    """The step can be taken now: nothing blocks it, or only what its form itself fills in."""
    if step.allowed:
        return True
    spec = ACTIONS.get(step.action)
    chooses_officers = spec is not None and any(f.kind == "officers" for f in spec.fields)
    return chooses_officers and all(
        not v.blocks or v.rule_id.startswith(FORM_FILLED_RULES) for v in step.violations)


def recommended(stage: str, steps: Sequence[NextStep], done: Collection[str] = ()) -> list[str]:
    """Action keys of the possible milestone steps of ``stage`` not yet in the record (``done``:
    action keys already recorded), in procedure order; the first is what the case waits for."""
    by_key = {s.action: s for s in steps}
    return [k for k in MILESTONES.get(stage, ()) if k in by_key and k not in done and possible(by_key[k])]


def blocked_milestone(stage: str, steps: Sequence[NextStep], done: Collection[str] = ()) -> NextStep | None:
    """The stage's goal when it is not possible yet — the last milestone step still blocked (e.g.
    作出决定 while the statement period runs) — so its reason shows next to the recommended steps."""
    by_key = {s.action: s for s in steps}
    return next((by_key[k] for k in reversed(MILESTONES.get(stage, ()))
                 if k in by_key and k not in done and not possible(by_key[k])), None)


def done_actions(event_types: Iterable[str]) -> frozenset[str]:
    """Action keys of the steps the record already holds."""
    return frozenset(EVENT_ACTION[t] for t in event_types if t in EVENT_ACTION)
