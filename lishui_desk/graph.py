"""The whole-process record of one case as a graph (pure; no database).

Normally a case's events form one chain: each event's parent is the event whose hash is its
``prev_hash`` and its ``seq`` is the parent's plus one. When two devices of the township write the
same case offline, two events share one parent: a *fork*. Both branches are kept; the case is
blocked for new procedure steps until a named person records a resolution (``case.fork_resolved``)
whose ``prev_hash`` is one head and whose payload ``parents`` names both heads (the payload is in
the hash, so both parents are bound in).

- **tips**: events no other event builds on (no child by ``prev_hash``, not named as a parent of a
  resolution). One tip: a chain (possibly with a resolved fork). Two or more: forked.
- **live_tips**: the tips without a redundant copy of a county opinion (see ``live_tips``): the
  heads that decide whether a case is forked and where the next event goes.
- **linearise**: the order the procedure folds. From the first event, follow the children that
  lead to a tip; at a fork take the branch whose first event has the earliest
  ``(recorded_at, hash)`` (deterministic: every device and the hub compute the same). A resolution
  that adopted one branch hangs on that branch's head, so the other branch is simply not on the
  path; one that kept ``both`` brings the other branch's events (record-only, see
  ``RECORD_ONLY_EVENTS``) in just before itself, in seq order.
- **verify**: the hash of every event recomputes, every parent is in the record with
  ``seq = parent.seq + 1``, one first event, and a resolution's parents are events of the case.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lishui_desk.events import GENESIS_HASH, ChainBreak, EventRecord, compute_hash
from lishui_desk.procedure import vocabulary as V

EV_FORK_RESOLVED = V.EV_FORK_RESOLVED
EV_COUNTY_OPINION = V.EV_COUNTY_REVIEW_OPINION
ADOPT_BOTH = "both"


def _order(ev: EventRecord) -> tuple[str, str]:
    return (ev.recorded_at, ev.hash)


def resolution_parents(ev: EventRecord) -> list[str]:
    """The heads a resolution names (its ``prev_hash`` first); [] for any other event."""
    if ev.type != EV_FORK_RESOLVED:
        return []
    raw = ev.payload.get("parents")
    named = [p for p in raw if isinstance(p, str)] if isinstance(raw, list) else []
    return [ev.prev_hash] + [p for p in named if p != ev.prev_hash]


def tips(events: Iterable[EventRecord]) -> list[EventRecord]:
    """The heads of the case: events nothing builds on, ordered by (seq, hash)."""
    events = list(events)
    built_on = {ev.prev_hash for ev in events}
    for ev in events:
        built_on.update(resolution_parents(ev))
    return sorted((ev for ev in events if ev.hash not in built_on), key=lambda e: (e.seq, e.hash))


def _hub_ref(ev: EventRecord) -> str:
    ref = ev.payload.get("hub_ref") if ev.type == EV_COUNTY_OPINION else None
    return ref if isinstance(ref, str) and ref else ""


def live_tips(events: Iterable[EventRecord]) -> list[EventRecord]:
    """The heads that count: ``tips`` without a *redundant opinion branch* — a branch (from where it
    leaves every other head's line) made only of county review opinions whose every opinion
    (``hub_ref``) is also on another head's line. Two laptops that recorded one opinion at two
    places of the chain hold two copies; the one on the line with the officers' steps counts, the
    other stays in the record (verified, sealed, never deleted) but is no head and never folded.
    Every device and the hub compute the same."""
    events = list(events)
    raw = tips(events)
    if len(raw) < 2 or not any(ev.type == EV_COUNTY_OPINION for ev in raw):
        return raw
    by_hash = {ev.hash: ev for ev in events}
    lines = {t.hash: _ancestry(by_hash, t.hash) for t in raw}
    keep: list[EventRecord] = []
    for t in raw:
        others = {e.hash for h, line in lines.items() if h != t.hash for e in line}
        own = [e for e in lines[t.hash] if e.hash not in others]
        refs_elsewhere = {_hub_ref(by_hash[h]) for h in others} - {""}
        redundant = bool(own) and all(_hub_ref(e) and _hub_ref(e) in refs_elsewhere for e in own)
        if not redundant:
            keep.append(t)
    return keep or raw


def is_forked(events: Iterable[EventRecord]) -> bool:
    return len(live_tips(events)) > 1


def _ancestry(by_hash: dict[str, EventRecord], start: str) -> list[EventRecord]:
    """``start`` and every event before it along ``prev_hash``, newest first."""
    out: list[EventRecord] = []
    cur = by_hash.get(start)
    seen: set[str] = set()
    while cur is not None and cur.hash not in seen:
        seen.add(cur.hash)
        out.append(cur)
        cur = by_hash.get(cur.prev_hash)
    return out


def _is_plain_chain(events: Sequence[EventRecord]) -> bool:
    prev = GENESIS_HASH
    for ev in events:
        if ev.prev_hash != prev or ev.type == EV_FORK_RESOLVED:
            return False
        prev = ev.hash
    return True


def linearise(events: Sequence[EventRecord]) -> list[EventRecord]:
    """The deterministic order in which the case is folded (see the module's docstring)."""
    if not events:
        return []
    by_hash = {ev.hash: ev for ev in events}
    children: dict[str, list[EventRecord]] = {}
    for ev in events:
        children.setdefault(ev.prev_hash, []).append(ev)
    if _is_plain_chain(events):
        return list(events)
    live: set[str] = set()
    for tip in live_tips(events):
        live.update(e.hash for e in _ancestry(by_hash, tip.hash))
    path: list[EventRecord] = []
    cur = GENESIS_HASH
    while True:
        kids = [c for c in children.get(cur, []) if c.hash in live]
        if not kids:
            break
        nxt = min(kids, key=_order)
        path.append(nxt)
        cur = nxt.hash
    out: list[EventRecord] = []
    for ev in path:
        if ev.type == EV_FORK_RESOLVED and ev.payload.get("adopt") == ADOPT_BOTH:
            out.extend(other_branch(by_hash, ev))
        out.append(ev)
    return out


def other_branch(by_hash: dict[str, EventRecord], resolution: EventRecord) -> list[EventRecord]:
    """The events of the branch a resolution did not hang on (from the fork point), by seq."""
    main = {e.hash for e in _ancestry(by_hash, resolution.prev_hash)}
    extra: dict[str, EventRecord] = {}
    for head in resolution_parents(resolution)[1:]:
        for e in _ancestry(by_hash, head):
            if e.hash in main:
                break
            extra[e.hash] = e
    return sorted(extra.values(), key=lambda e: (e.seq, e.hash))


@dataclass(frozen=True)
class Branch:
    head: EventRecord
    events: list[EventRecord]  # from the fork point (exclusive) to the head, by seq


@dataclass(frozen=True)
class Fork:
    point: EventRecord | None  # the last event every branch shares (None: they share nothing)
    branches: list[Branch]  # the first branch is the one the folded state follows


def fork_of(events: Sequence[EventRecord]) -> Fork | None:
    """The open fork of a case (its branches from the last shared event), or None when it has one head."""
    heads = live_tips(events)
    if len(heads) < 2:
        return None
    by_hash = {ev.hash: ev for ev in events}
    lines = {h.hash: _ancestry(by_hash, h.hash) for h in heads}
    shared = set.intersection(*({e.hash for e in line} for line in lines.values()))
    point = max((by_hash[h] for h in shared), key=lambda e: e.seq, default=None)
    branches = []
    for h in heads:
        own = [e for e in lines[h.hash] if e.hash not in shared]
        branches.append(Branch(h, sorted(own, key=lambda e: (e.seq, e.hash))))
    followed = linearise(events)
    last = followed[-1].hash if followed else ""
    branches.sort(key=lambda b: (b.head.hash != last, _order(b.events[0]) if b.events else ("", "")))
    return Fork(point, branches)


def verify(events: Sequence[EventRecord]) -> list[ChainBreak]:
    """Check every event of one case (ordered by seq) over the graph."""
    breaks: list[ChainBreak] = []
    by_hash = {ev.hash: ev for ev in events}
    firsts = 0
    for ev in events:
        if ev.prev_hash == GENESIS_HASH:
            firsts += 1
            if ev.seq != 1:
                breaks.append(ChainBreak(ev.case_id, ev.seq, ev.id, f"序号不连续：应为 1，实为 {ev.seq}"))
            elif firsts > 1:
                breaks.append(ChainBreak(ev.case_id, ev.seq, ev.id, "记录链有两个起点，记录被改动"))
        else:
            parent = by_hash.get(ev.prev_hash)
            if parent is None:
                breaks.append(ChainBreak(ev.case_id, ev.seq, ev.id, "前一事件哈希不符，记录链被改动或缺失"))
            elif ev.seq != parent.seq + 1:
                breaks.append(ChainBreak(ev.case_id, ev.seq, ev.id,
                                         f"序号不连续：应为 {parent.seq + 1}，实为 {ev.seq}"))
        if compute_hash(ev.prev_hash, ev) != ev.hash:
            breaks.append(ChainBreak(ev.case_id, ev.seq, ev.id, "事件内容与其哈希不符，记录被篡改"))
        if ev.type == EV_FORK_RESOLVED:
            parents = resolution_parents(ev)
            if len(parents) != 2 or any(p not in by_hash for p in parents):
                breaks.append(ChainBreak(ev.case_id, ev.seq, ev.id, "分叉处理记录所指的两条分支不在记录中"))
    return breaks
