"""Child process for tests/test_record_tamper.py: registers leads, one per unit of work, prints
``committed <n>`` after each, then waits to be killed (so the WAL is never checkpointed)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from lishui_desk.edge import CaseDesk
from lishui_desk.storage.profile import open_with_key

LEAD = {"lead_on": "2026-11-20", "source": "巡查发现", "summary": "主街堆放木料" * 40, "item_code": "331101003000",
        "violation_date": "2026-11-20"}


def main(root: str, key_hex: str, count: str) -> None:
    prof = open_with_key("demo", bytes.fromhex(key_hex), root=Path(root))
    svc = CaseDesk(prof)
    for n in range(int(count)):
        svc.register_lead(LEAD)
        print(f"committed {n}", flush=True)
    while True:
        time.sleep(1)  # killed here: no checkpoint, the committed steps live only in the WAL


if __name__ == "__main__":
    main(*sys.argv[1:4])
