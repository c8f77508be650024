"""A process killed (SIGKILL) in the middle of a write loop loses no committed case, and every
case's hash chain still verifies. 50 kills at random moments against one encrypted database."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import select

from lishui_desk.edge import read
from lishui_desk.models import Case, Township
from lishui_desk.services.integrity import check_profile
from lishui_desk.storage.profile import create_empty_profile, open_with_key

KILLS = 50
REPO = Path(__file__).resolve().parents[1]


def test_sigkill_during_writes_loses_no_committed_case(tmp_path, fast_kdf):
    prof = create_empty_profile("crash", "correct horse battery", root=tmp_path, kdf_params=fast_kdf)
    key = prof.data_key
    with prof.session() as s:
        s.add(Township(code="331181100", name="八都镇", county_code="331181", county_name="龙泉市",
                       agency_name="龙泉市八都镇人民政府", agency_code="龙八综执",
                       review_government="龙泉市人民政府", court="龙泉市人民法院"))
    prof.close()
    rng = random.Random(20261126)
    committed: set[str] = set()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for k in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.crash_writer", str(tmp_path), key.hex(), f"k{k:02d}"],
            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        # wait for the first commit, then kill at a random moment inside the write loop
        first = child.stdout.readline()
        assert first.startswith("committed"), child.stderr.read()
        committed.add(first.split()[1])
        time.sleep(rng.uniform(0.0, 0.05))
        child.send_signal(signal.SIGKILL)
        out, _err = child.communicate()
        committed.update(line.split()[1] for line in out.splitlines() if line.startswith("committed"))

    prof = open_with_key("crash", key, root=tmp_path)
    try:
        with prof.read_session() as s:
            present = set(s.scalars(select(Case.id)))
        assert committed <= present, f"lost committed cases: {sorted(committed - present)[:5]}"
        report = read(prof, check_profile)
        assert report.problems == []
        assert report.cases_checked == len(present) >= KILLS
        assert report.events_checked == 3 * len(present)
    finally:
        prof.close()
