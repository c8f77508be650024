"""Child process for tests/test_crash_safety.py: writes cases in a loop until it is killed.

Each iteration commits one case row with three chained events in one unit of work, then prints
``committed <case_id>`` (flushed). Whatever was printed must survive a SIGKILL at any moment.
"""

from __future__ import annotations

import sys
from pathlib import Path

from lishui_desk.models import Case
from lishui_desk.procedure.state import fold
from lishui_desk.storage import event_store, seal
from lishui_desk.storage.profile import open_with_key
from lishui_desk.timeutil import now_local


def _append(s, case_id, actor_id, events):
    """The storage primitives under ``record.append`` (build, write, seal; the row is set below)."""
    seq, prev = event_store.head(s, case_id)
    records = event_store.build_records(case_id, actor_id, seq, prev, events)
    event_store.write(s, records)
    seal.on_append(s, case_id, seq, prev, records)
    return records


def main(root: str, key_hex: str, tag: str) -> None:
    prof = open_with_key("crash", bytes.fromhex(key_hex), root=Path(root))
    i = 0
    while True:
        i += 1
        case_id = f"{tag}-{i:06d}"
        with prof.session() as s:
            now = now_local().isoformat()
            s.add(Case(id=case_id, township_code="331181100", stage="lead", stage_label="线索",
                       head_hash="0" * 64, created_at=now, updated_at=now, party_name="张三" * 20))
            s.flush()
            recs = _append(s, case_id, "o1", [
                event_store.NewEvent("lead.registered", {"facts": "占道经营" * 50, "i": i,
                                                         "party": {"kind": "individual", "name": "张三" * 20}}),
                event_store.NewEvent("case.filed", {"i": i}),
                event_store.NewEvent("inspection.recorded", {"notes": "现场检查" * 100}),
            ])
            case = s.get(Case, case_id)
            summ = fold(recs).summary()  # the row is a projection of its events
            for col in ("stage", "procedure", "case_number", "party_name", "party_kind", "party_id", "item_code"):
                setattr(case, col, summ.get(col))
            case.is_open = summ["is_open"]
            case.event_count, case.head_hash = len(recs), recs[-1].hash
        print(f"committed {case_id}", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:4])
