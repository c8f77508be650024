"""Every "today" and "now" comes from ``lishui_desk.timeutil``.

A widget or service that reads the real clock directly ignores the pinned working date
(``LISHUI_DESK_TODAY``) and makes the suite pass or fail by the calendar day it runs on.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIRS = ("lishui_desk", "ui", "forms", "sync", "bench", "tests", "db")
CLOCK_CALLS = re.compile(
    r"\b(?:date\.today|datetime\.(?:now|today|utcnow)|QDate\.currentDate|"
    r"QDateTime\.current(?:Date|Date)?Time(?:Utc)?|QTime\.currentTime)\("
)
# The one module allowed to read the clock, and this file (which names the calls).
ALLOWED = {
    Path("lishui_desk/timeutil.py"),
    Path("tests/test_clock_sources.py"),
}


def _clock_reads() -> list[str]:
    found = []
    for top in SOURCE_DIRS:
        for path in sorted((ROOT / top).rglob("*.py")):
            rel = path.relative_to(ROOT)
            if rel in ALLOWED or ".venv" in rel.parts:
                continue
            for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                code = line.split("#", 1)[0]
                if CLOCK_CALLS.search(code):
                    found.append(f"{rel}:{lineno}: {line.strip()}")
    return found


def test_no_source_reads_the_clock_outside_timeutil() -> None:
    assert _clock_reads() == []


def test_the_check_sees_a_direct_clock_read() -> None:
    # The pattern must match every spelling it is meant to forbid.
    for call in ("date.today()", "datetime.now(UTC)", "QDate.currentDate()",
                 "QDateTime.currentDateTime()", "datetime.utcnow()"):
        assert CLOCK_CALLS.search(f"x = {call}"), call
