"""记录分叉: a forked case's branches as rows the fork dialog shows, and the resolution.

The core (``lishui_desk.forks``) describes the graph; this module turns it into Chinese rows
(step names, officers' names, minute times) and writes the resolution on the worker.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from lishui_desk import forks
from lishui_desk.events import EventRecord
from lishui_desk.models import Officer
from lishui_desk.storage.profile import Profile
from ui.gateway.changes import Changed, OpChanges
from ui.gateway.uow import reading, writing


@dataclass(frozen=True)
class EventRow:
    seq: int
    when: str
    event: EventRecord  # named by the fork dialog as the 全过程记录 tab names it
    actor: str


@dataclass(frozen=True)
class BranchRow:
    head: str  # the branch head's hash (what ``resolve`` adopts)
    local: bool  # recorded on this laptop
    recorded_by: str
    stage_changing: bool
    stage_label: str  # the case's stage if this branch stands
    numbers: list[str]  # 文号 this branch used
    events: list[EventRow]


@dataclass(frozen=True)
class ForkRows:
    fork_seq: int  # the number of the first event after the common record
    branches: list[BranchRow]
    both_allowed: bool
    both_refusal: str | None


def fork_rows(profile: Profile, case_id: str) -> ForkRows | None:
    """The open fork of a case, or None."""
    with reading(profile) as uow:
        view = forks.describe(uow, case_id)
        if view is None:
            return None
        names = {o.id: o.name for o in uow.session.scalars(select(Officer))}
    branches = [BranchRow(head=b.head_hash, local=b.mine, recorded_by="、".join(b.actor_names),
                          stage_changing=b.has_steps, stage_label=b.stage_label, numbers=list(b.issued_numbers),
                          events=[EventRow(e.seq, str(e.occurred_at)[:16].replace("T", " "), e,
                                           names.get(e.actor_id, e.actor_id or "")) for e in b.events])
                for b in view.branches]
    # this laptop's branch first (the side an officer recognises), then the other device's
    branches.sort(key=lambda b: not b.local)
    return ForkRows(fork_seq=view.fork_seq + 1, branches=branches, both_allowed=view.both_allowed,
                    both_refusal=view.both_refusal)


def resolve(profile: Profile, case_id: str, adopt: str, reason: str) -> Changed[None]:
    with writing(profile) as uow:
        forks.resolve(uow, case_id, adopt=adopt, reason=reason)
    return Changed(None, OpChanges.for_cases([case_id]))


__all__ = ["BranchRow", "EventRow", "ForkRows", "fork_rows", "resolve"]
