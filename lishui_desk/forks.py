"""Two laptops, one case: seeing a fork of the whole-process record and resolving it.

When two devices of the township write the same case offline, the record holds two branches from
one event (``lishui_desk.graph``); the case is flagged ``fork`` and takes no new procedure step
(``engine.fork_violation``: the record must be one chain, 《行政处罚法》第四十七条). A named person
then records which branch stands, as the event ``case.fork_resolved``: it hangs on the adopted
branch's head and names both heads in ``parents``, so the hub and every device verify it.

Who may resolve: the acting officer (``uow.actor_id``) must be an active officer of this
township who is the township's 负责人 (role ``leader``) or one of the case's officers (on either
branch); a 辅助人员 or a 法制审核 reviewer who is neither may not (《行政处罚法》第四十二条: the
case is handled by its officers, decisions are the leader's). A reason is required.

``adopt="both"`` keeps the other branch's events too: allowed only when that branch holds record
events alone (``vocabulary.RECORD_ONLY_EVENTS``: inspection, inquiry, summons, evidence and
education records) and folding them in leaves the stage where the adopted branch has it; the
resolution then hangs on the branch with the steps. Otherwise one branch is adopted and the
other's events stay in the record (never deleted) but no longer count for the procedure.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import select

from lishui_desk import graph, record, validation
from lishui_desk.errors import DeskError, InvalidInput, NotFound
from lishui_desk.events import EventRecord
from lishui_desk.models import Case, Officer, OutboxEntry
from lishui_desk.procedure import vocabulary as V
from lishui_desk.procedure.state import fold
from lishui_desk.storage import event_store
from lishui_desk.storage.event_store import NewEvent
from lishui_desk.unit_of_work import UnitOfWork

__all__ = ["BranchView", "ForkView", "NotAllowed", "Resolved", "describe", "differing_resolutions", "resolve"]

ADOPT_BOTH = graph.ADOPT_BOTH
RESOLVER_ROLES = frozenset({"leader"})  # besides the case's own officers
RULE_ARTICLE = "《行政处罚法》第四十七条"
REASON_LIMIT = 500


class NotAllowed(DeskError):
    """The acting person may not resolve this fork."""

    code = "not_allowed"


@dataclass(frozen=True)
class BranchView:
    head_hash: str
    head_seq: int
    events: list[EventRecord]  # from the fork point (exclusive) to the head, by seq
    actor_names: list[str]  # who recorded them (officer names; county-side actors as recorded)
    mine: bool  # recorded on this device (its own events, pushed from here)
    has_steps: bool  # holds procedure steps beyond record events (RECORD_ONLY_EVENTS)
    stage_label: str  # the case's stage if this branch stands
    followed: bool  # the folded state (case list, stage) follows this branch until resolution
    issued_numbers: list[str]  # 文号 this branch used (case number, issued documents)


@dataclass(frozen=True)
class ForkView:
    case_id: str
    case_number: str | None
    fork_seq: int  # seq of the last event both branches share (0: they share none)
    fork_hash: str | None
    branches: list[BranchView]  # the followed branch first
    both_allowed: bool  # adopt="both" is possible (see the module docstring)
    both_refusal: str | None  # why not, in Chinese


@dataclass(frozen=True)
class Resolved:
    record: EventRecord  # the resolution event
    adopted: str  # head hash, or "both"
    set_aside: list[str]  # ids of the events that no longer count (the branch not adopted)


def _names(uow: UnitOfWork, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    return {o.id: o.name for o in uow.session.scalars(select(Officer).where(Officer.id.in_(ids)))}


def _numbers(events: list[EventRecord]) -> list[str]:
    out = []
    for ev in events:
        for key in ("case_number", "number", "decision_number"):
            v = ev.payload.get(key)
            if isinstance(v, str) and v and v not in out:
                out.append(v)
    return out


def _prefix(everything: list[EventRecord], fork: graph.Fork) -> list[EventRecord]:
    """The folded record up to the fork point (what both branches build on)."""
    if fork.point is None:
        return []
    line = graph.linearise(everything)
    at = next((i for i, e in enumerate(line) if e.hash == fork.point.hash), -1)
    return line[:at + 1]


def _both(prefix: list[EventRecord], branches: list[graph.Branch]) -> tuple[graph.Branch | None, str | None]:
    """(the branch a "both" resolution hangs on, None) or (None, why "both" is not possible)."""
    if len(branches) != 2:
        return None, "三台及以上设备分别记录时，只能逐一采用其中一条分支"
    steps = [b for b in branches if any(e.type not in V.RECORD_ONLY_EVENTS for e in b.events)]
    if len(steps) == 2:
        return None, "两条分支都有办案步骤（不只是检查、询问、证据等记录），只能采用其中一条"
    main = steps[0] if steps else branches[0]
    other = branches[1] if main is branches[0] else branches[0]
    alone = fold(prefix + main.events).stage
    if fold(prefix + main.events + other.events).stage != alone:
        return None, "另一条分支的记录会改变案件所处环节，只能采用其中一条"
    return main, None


def _load(uow: UnitOfWork, case_id: str) -> tuple[Case, list[EventRecord], graph.Fork | None]:
    case = uow.session.get(Case, case_id)
    if case is None:
        raise NotFound(f"找不到案件 {case_id}")
    everything = event_store.load_all(uow.session, case_id)
    return case, everything, graph.fork_of(everything)


def describe(uow: UnitOfWork, case_id: str) -> ForkView | None:
    """The open fork of the case (both branches, who recorded what), or None when it has none."""
    case, everything, fork = _load(uow, case_id)
    if fork is None:
        return None
    prefix = _prefix(everything, fork)
    ids = {e.id for b in fork.branches for e in b.events}
    mine = set(uow.session.scalars(select(OutboxEntry.ref_id).where(OutboxEntry.ref_id.in_(ids)))) if ids else set()
    names = _names(uow, {e.actor_id for b in fork.branches for e in b.events})
    views = []
    for i, b in enumerate(fork.branches):
        actors = []
        for e in b.events:
            who = names.get(e.actor_id) or (e.actor_id.partition(":")[2] if e.actor_id.startswith("county:")
                                            else "（不在本机名册中的人员）")
            if who not in actors:
                actors.append(who)
        state = fold(prefix + b.events)
        views.append(BranchView(
            head_hash=b.head.hash, head_seq=b.head.seq, events=b.events, actor_names=actors,
            mine=any(e.id in mine for e in b.events),
            has_steps=any(e.type not in V.RECORD_ONLY_EVENTS for e in b.events),
            stage_label=V.STAGE_LABELS.get(state.stage, state.stage), followed=i == 0,
            issued_numbers=_numbers(b.events)))
    _main, why = _both(prefix, fork.branches)
    return ForkView(case_id, case.case_number, fork.point.seq if fork.point else 0,
                    fork.point.hash if fork.point else None, views, why is None, why)


def _check_resolver(uow: UnitOfWork, fork: graph.Fork, prefix: list[EventRecord]) -> None:
    me = uow.session.get(Officer, uow.actor_id) if uow.actor_id else None
    if me is None or not me.active or me.township_code != uow.township_code:
        raise NotAllowed(f"处理分叉须由具名的本乡镇负责人或本案执法人员作出（{RULE_ARTICLE}），"
                         "当前操作人不在本机的执法人员名册中或已停用，未写入")
    officers: set[str] = set()
    for b in fork.branches:
        officers.update(fold(prefix + b.events).officers)
    if me.role in RESOLVER_ROLES or me.id in officers:
        return
    raise NotAllowed(f"处理分叉须由本乡镇负责人或本案执法人员作出（全过程记录须为单一链条，{RULE_ARTICLE}）："
                     f"{me.name}既不是负责人，也不是本案的执法人员，未写入")


def _head(fork: graph.Fork, adopt: str) -> graph.Branch:
    text = adopt.strip().lower()
    if len(text) < 6:
        raise InvalidInput("请给出要采用的分支末端编号（至少 6 位），或选择两条都保留")
    found = [b for b in fork.branches if b.head.hash.startswith(text)]
    if len(found) != 1:
        raise InvalidInput("所选的分支已不是该案件当前的分支末端（记录已变化或编号有误），未写入；请重新查看分叉后再处理"
                           if not found else "分支末端编号不唯一，请给出更长的编号")
    return found[0]


def resolve(uow: UnitOfWork, case_id: str, *, adopt: str, reason: str, against: str | None = None) -> Resolved:
    """Record which branch of the case's fork stands (``adopt``: a head hash or a unique prefix of
    at least 6 characters, or ``"both"``), by ``uow.actor_id``, with a reason. ``against`` names
    the other head when more than two devices forked the case (one pair at a time)."""
    uow.require_write()
    text = validation.check_text(reason or "", "处理分叉的理由", limit=REASON_LIMIT).strip()
    if not text:
        raise InvalidInput(f"请填写处理分叉的理由（采用哪条记录、为什么；{RULE_ARTICLE}要求全过程记录可回溯）")
    case, everything, fork = _load(uow, case_id)
    if fork is None:
        label = f"案件 {case.case_number}" if case.case_number else "该案件"
        raise InvalidInput(f"{label}的全过程记录没有分叉（可能已由其他设备处理），无需处理")
    prefix = _prefix(everything, fork)
    _check_resolver(uow, fork, prefix)
    if adopt == ADOPT_BOTH:
        main, why = _both(prefix, fork.branches)
        if main is None:
            raise InvalidInput(f"不能两条都保留：{why}")
        other = next(b for b in fork.branches if b is not main)
        set_aside: list[str] = []
    else:
        main = _head(fork, adopt)
        others = [b for b in fork.branches if b is not main]
        other = _head(graph.Fork(fork.point, others), against) if against else others[0]
        if len(others) > 1 and not against:
            raise InvalidInput("有三条及以上分支：请同时指明与哪一条分支一并处理（逐对处理）")
        set_aside = [e.id for e in other.events]
    payload = {"parents": [main.head.hash, other.head.hash], "adopt": adopt if adopt == ADOPT_BOTH else main.head.hash,
               "reason": text, "fork_seq": fork.point.seq if fork.point else 0, "set_aside": set_aside}
    appended = record.append(uow, case_id, [NewEvent(V.EV_FORK_RESOLVED, payload)], onto=main.head)
    return Resolved(appended.records[0], payload["adopt"], set_aside)  # type: ignore[arg-type]


def differing_resolutions(events: Sequence[EventRecord], name_of: Callable[[str], str]) -> str | None:
    """When two people resolved one fork differently at the same time (``graph.concurrent_resolutions``),
    a Chinese sentence naming who adopted what and what to do; None otherwise. Pure (the hub and
    the desk each pass their own officer names)."""
    both = graph.concurrent_resolutions(events)
    if not both:
        return None
    by_hash = {e.hash: e for e in events}
    parts = []
    for r in both:
        if r.payload.get("adopt") == ADOPT_BOTH:
            what = "两条分支都保留"
        else:
            adopted = by_hash.get(r.prev_hash)
            who = name_of(adopted.actor_id) if adopted is not None else "另一设备"
            what = f"采用{who}记录的分支（末端为第 {r.seq - 1} 条）"
        parts.append(f"{name_of(r.actor_id)}于{r.recorded_at[:10]}{what}")
    return ("该案件的分叉被分别处理且结论不同：" + "；".join(parts)
            + "。案件重新暂停办案步骤，须由负责人（或案件承办人）采用其中一次处理，再处理一次分叉"
            + f"（全过程记录须为单一链条，{RULE_ARTICLE}）")


def differing_note(uow: UnitOfWork, case_id: str) -> str | None:
    """``differing_resolutions`` for a case of this profile, with this township's officer names."""
    everything = event_store.load_all(uow.session, case_id)
    names = _names(uow, {e.actor_id for e in everything})
    return differing_resolutions(everything, lambda oid: names.get(oid, "其他人员"))
