"""The whole-process record of one case as a graph (pure; no database).

Normally a case's events form one chain: each event's parent is the event whose hash is its
``prev_hash`` and its ``seq`` is the parent's plus one. When two devices of the township write the
same case offline, two events share one parent: a *fork*. Both branches are kept; the case is
blocked for new procedure steps until a named person records a resolution (``case.fork_resolved``)
whose ``prev_hash`` is one head and whose payload ``parents`` names both heads (the payload is in
the hash, so both parents are bound in).

- **tips**: events no other event builds on (no child by ``prev_hash``, not named as a parent of a
  resolution). One tip: a chain (possibly with a resolved fork). Two or more: forked.
- **live_tips**: the tips without a redundant copy (a county opinion recorded twice, a fork
  resolved the same way twice; see ``live_tips``): the heads that decide whether a case is
  forked and where the next event goes. Two resolutions of one fork that adopted different
  branches are two heads: the case is forked again, and one more resolution decides.
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


def copy_key(ev: EventRecord) -> tuple[str, ...] | None:
    """What makes two events copies of one fact, or None: a county opinion by its ``hub_ref``; a
    fork resolution by its adopted head, its two parents and ``adopt`` (two people who resolved one
    fork the same way at the same time)."""
    if ev.type == EV_COUNTY_OPINION:
        ref = ev.payload.get("hub_ref")
        return ("opinion", ref) if isinstance(ref, str) and ref else None
    if ev.type == EV_FORK_RESOLVED:
        return ("resolution", ev.prev_hash, *sorted(set(resolution_parents(ev))), str(ev.payload.get("adopt")))
    return None


def live_tips(events: Iterable[EventRecord]) -> list[EventRecord]:
    """The heads that count: ``tips`` without a *redundant branch* — a branch (from where it leaves
    every other head's line) made only of copies (``copy_key``) of events on a line that counts.
    Two laptops that recorded one county opinion at two places of the chain, or resolved one fork
    the same way offline, hold two copies; one line counts (the one with other events, else the
    earliest recorded), the other copy stays in the record (verified, sealed, never deleted) but
    is no head and is never folded. Every device and the hub compute the same."""
    events = list(events)
    raw = tips(events)
    if len(raw) < 2 or all(copy_key(ev) is None for ev in raw):
        return raw
    by_hash = {ev.hash: ev for ev in events}
    lines = {t.hash: _reach(by_hash, t.hash) for t in raw}
    own: dict[str, list[EventRecord]] = {}
    candidates: list[EventRecord] = []
    for t in raw:
        others = {e.hash for h, line in lines.items() if h != t.hash for e in line}
        own[t.hash] = [e for e in lines[t.hash] if e.hash not in others]
        elsewhere = {copy_key(by_hash[h]) for h in others} - {None}
        if own[t.hash] and all(copy_key(e) is not None and copy_key(e) in elsewhere for e in own[t.hash]):
            candidates.append(t)
    kept = [t for t in raw if t not in candidates]
    for t in sorted(candidates, key=lambda t: min(_order(e) for e in own[t.hash])):
        counted = {copy_key(e) for k in kept for e in lines[k.hash]}
        if not all(copy_key(e) in counted for e in own[t.hash]):
            kept.append(t)
    return sorted(kept, key=lambda e: (e.seq, e.hash))


def counted_as(events: Sequence[EventRecord], hashes: Iterable[str]) -> list[str]:
    """Each of ``hashes`` as the head that counts for it: itself when it is a live tip; for a
    redundant copy's tip, the live tip whose line holds its copy (so a resolution made by someone
    who saw the other copy first still names the right heads); "" when neither."""
    live = live_tips(events)
    by_hash = {ev.hash: ev for ev in events}
    keys = {t.hash: {copy_key(e) for e in _reach(by_hash, t.hash)} - {None} for t in live}
    out = []
    for h in hashes:
        ev = by_hash.get(h)
        if ev is None or any(h == t.hash for t in live):
            out.append(h if ev is not None else "")
            continue
        key = copy_key(ev)
        out.append(next((t.hash for t in live if key is not None and key in keys[t.hash]
                         and not any(c.prev_hash == h for c in events)), ""))
    return out


def concurrent_resolutions(events: Sequence[EventRecord]) -> list[EventRecord]:
    """Resolutions of one fork (the same two parents) that adopted differently and sit on
    different lines of a case that is forked again (two people resolved it at the same time, even
    when steps were recorded after one of them since): one per adoption, earliest recorded first.
    [] otherwise (one more resolution joins the lines)."""
    live = live_tips(events)
    if len(live) < 2:
        return []
    by_hash = {ev.hash: ev for ev in events}
    lines = [{e.hash for e in _reach(by_hash, t.hash)} for t in live]
    groups: dict[frozenset[str], dict[tuple[str, ...] | None, EventRecord]] = {}
    for ev in sorted(events, key=_order):
        if ev.type == EV_FORK_RESOLVED:
            groups.setdefault(frozenset(resolution_parents(ev)), {}).setdefault(copy_key(ev), ev)
    for group in groups.values():
        found = list(group.values())
        if len(found) > 1 and not any(all(r.hash in line for r in found) for line in lines):
            return found
    return []


def same_fork_resolved(events: Iterable[EventRecord], resolution: EventRecord) -> bool:
    """Another resolution held names the same two parents (it resolved the same fork)."""
    mine = set(resolution_parents(resolution))
    return any(ev.type == EV_FORK_RESOLVED and ev.hash != resolution.hash and set(resolution_parents(ev)) == mine
               for ev in events)


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


def _reach(by_hash: dict[str, EventRecord], start: str) -> list[EventRecord]:
    """``start`` and every event it builds on, by ``prev_hash`` and a resolution's other parent."""
    out: list[EventRecord] = []
    todo, seen = [start], set()
    while todo:
        cur = by_hash.get(todo.pop())
        if cur is None or cur.hash in seen:
            continue
        seen.add(cur.hash)
        out.append(cur)
        todo.append(cur.prev_hash)
        todo.extend(resolution_parents(cur)[1:])
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
