"""Attacks on the whole-process record by someone who can open the database (real SQLCipher
files edited with the data key, real processes): each one is now reported by ``check``, by case
number and seq, and exits 1 — where before every one of them passed as "✓ 全部通过"."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
import sqlcipher3

from lishui_desk.cli import main
from lishui_desk.crypto.keyring import unlock
from lishui_desk.events import EventRecord, compute_hash
from lishui_desk.paths import profile_paths
from tests.conftest import DEMO_PW, REPO


@pytest.fixture(autouse=True)
def _pw(monkeypatch):
    monkeypatch.setenv("LISHUI_DESK_PASSPHRASE", DEMO_PW)


def _raw(root: Path) -> sqlcipher3.Connection:
    paths = profile_paths("demo", root)
    con = sqlcipher3.connect(str(paths.db))
    con.execute(f"PRAGMA key = \"x'{unlock(paths.keyring, DEMO_PW).hex()}'\"")
    for t in ("case_events_no_update", "case_events_no_delete", "record_seals_no_update", "record_seals_no_delete"):
        con.execute(f"DROP TRIGGER IF EXISTS {t}")
    return con


def _check(root: Path, capsys) -> tuple[int, dict]:
    capsys.readouterr()
    code = main(["check", "--json", "--data-dir", str(root)])
    return code, json.loads(capsys.readouterr().out)


def _kinds(report: dict) -> set[str]:
    return {p["kind"] for p in report["problems"]}


def _case_with_events(con, minimum: int = 3) -> tuple[str, str, int]:
    return con.execute("SELECT c.id, c.case_number, c.event_count FROM cases c WHERE c.case_number IS NOT NULL "
                       "AND c.event_count >= ? ORDER BY c.case_number LIMIT 1", (minimum,)).fetchone()


def test_untouched_profile_passes(clone_profile, capsys):
    code, report = _check(clone_profile(), capsys)
    assert code == 0 and report["ok"], report


def test_deleting_the_last_event_of_a_case(clone_profile, capsys):
    root = clone_profile()
    con = _raw(root)
    case_id, number, n = _case_with_events(con)
    ev_id, prev = con.execute("SELECT id, prev_hash FROM case_events WHERE case_id = ? AND seq = ?", (case_id, n)).fetchone()
    con.execute("DELETE FROM record_seals WHERE event_id = ?", (ev_id,))
    con.execute("DELETE FROM outbox WHERE ref_id = ?", (ev_id,))
    con.execute("DELETE FROM case_events WHERE id = ?", (ev_id,))
    con.execute("UPDATE cases SET event_count = ?, head_hash = ? WHERE id = ?", (n - 1, prev, case_id))
    con.commit()
    con.close()
    code, report = _check(root, capsys)
    assert code == 1 and "head" in _kinds(report)
    assert any("被删除" in p["message"] for p in report["problems"])


def test_editing_an_event_and_recomputing_every_hash_after_it(clone_profile, capsys):
    root = clone_profile()
    con = _raw(root)
    case_id, number, n = _case_with_events(con)
    cols = "id, case_id, seq, type, actor_id, occurred_at, recorded_at, place, payload, corrects, prev_hash, hash"
    rows = con.execute(f"SELECT {cols} FROM case_events WHERE case_id = ? ORDER BY seq", (case_id,)).fetchall()
    prev = rows[0][10]
    for i, r in enumerate(rows):
        rec = EventRecord(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], json.loads(r[8]), r[9], prev, "")
        if i == 0:
            rec = replace(rec, payload={**rec.payload, "summary": "改过的线索内容"})
        rec = replace(rec, hash=compute_hash(prev, rec))
        con.execute("UPDATE case_events SET payload = ?, prev_hash = ?, hash = ? WHERE id = ?",
                    (json.dumps(rec.payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")),
                     rec.prev_hash, rec.hash, rec.id))
        prev = rec.hash
    con.execute("UPDATE cases SET head_hash = ? WHERE id = ?", (prev, case_id))
    con.commit()
    con.close()
    code, report = _check(root, capsys)
    assert code == 1
    seals = [p for p in report["problems"] if p["kind"] == "seal"]
    assert seals and seals[0]["case_number"] == number and seals[0]["seq"] == 1
    assert "chain" not in _kinds(report)  # the chain itself is consistent: only the seals show it


@pytest.mark.parametrize(("column", "value"), [("party_name", "张三"), ("amount", "1.00"), ("stage", "closed")])
def test_editing_the_case_row(clone_profile, capsys, column, value):
    root = clone_profile()
    con = _raw(root)
    case_id, number, _n = con.execute("SELECT id, case_number, event_count FROM cases WHERE amount IS NOT NULL "
                                      "AND case_number IS NOT NULL LIMIT 1").fetchone()
    con.execute(f"UPDATE cases SET {column} = ? WHERE id = ?", (value, case_id))
    con.commit()
    con.close()
    code, report = _check(root, capsys)
    assert code == 1
    p = next(p for p in report["problems"] if p["kind"] == "projection")
    assert p["case_number"] == number and number in p["message"]


def test_deleting_a_whole_case_with_its_events(clone_profile, capsys):
    root = clone_profile()
    con = _raw(root)
    case_id, _number, _n = _case_with_events(con)
    ids = [r[0] for r in con.execute("SELECT id FROM case_events WHERE case_id = ?", (case_id,))]
    for ev in ids:
        con.execute("DELETE FROM record_seals WHERE event_id = ?", (ev,))
        con.execute("DELETE FROM outbox WHERE ref_id = ?", (ev,))
    for table in ("evidence_items", "issued_documents", "case_events"):
        con.execute(f"DELETE FROM {table} WHERE case_id = ?", (case_id,))
    con.execute("DELETE FROM cases WHERE id = ?", (case_id,))
    con.commit()
    con.close()
    code, report = _check(root, capsys)
    assert code == 1 and "head" in _kinds(report)


def _evidence(con):
    return con.execute("SELECT id, case_id, blob_id FROM evidence_items LIMIT 1").fetchone()


def test_pointing_an_evidence_row_at_another_file(clone_profile, capsys, tmp_path):
    root = clone_profile()
    from lishui_desk.storage.profile import open_profile

    prof = open_profile("demo", DEMO_PW, root=root)
    other = tmp_path / "other.bin"
    other.write_bytes(b"a different picture" * 100)
    blob = prof.evidence.put_file(other)
    prof.close()
    con = _raw(root)
    ev_id, _case, _blob = _evidence(con)
    con.execute("UPDATE evidence_items SET blob_id = ?, sha256 = ?, size = ? WHERE id = ?",
                (blob.blob_id, blob.sha256, blob.size, ev_id))
    con.commit()
    con.close()
    code, report = _check(root, capsys)
    assert code == 1
    p = next(p for p in report["problems"] if p["kind"] == "evidence_row")
    assert p["seq"] and "文件" in p["message"] and "哈希" in p["message"]


def test_deleting_an_evidence_row(clone_profile, capsys):
    root = clone_profile()
    con = _raw(root)
    ev_id, _case, _blob = _evidence(con)
    con.execute("DELETE FROM evidence_items WHERE id = ?", (ev_id,))
    con.commit()
    con.close()
    code, report = _check(root, capsys)
    assert code == 1
    assert any(p["kind"] == "evidence_row" and "不见了" in p["message"] for p in report["problems"])


def test_rolling_the_database_back_to_an_older_copy(clone_profile, capsys, tmp_path):
    root = clone_profile()
    paths = profile_paths("demo", root)
    old = tmp_path / "old-desk.db"
    shutil.copy2(paths.db, old)
    lead = tmp_path / "lead.json"
    lead.write_text(json.dumps({"lead_on": "2026-11-20", "source": "巡查发现", "summary": "主街堆放木料",
                                "item_code": "331101003000", "violation_date": "2026-11-20"}), "utf-8")
    capsys.readouterr()
    assert main(["case", "create", "--payload", str(lead), "--data-dir", str(root)]) == 0
    shutil.copy2(old, paths.db)  # the attacker puts yesterday's copy back
    code, report = _check(root, capsys)
    assert code == 1
    assert any(p["kind"] == "anchor" and "比封存的档案头旧" in p["message"] for p in report["problems"])
    capsys.readouterr()
    assert main(["case", "create", "--payload", str(lead), "--data-dir", str(root)]) == 1  # writing refused
    assert "旧" in capsys.readouterr().err
    # a person who decided the old copy is the record reseals it explicitly; then check passes
    assert main(["check", "--reseal", "--data-dir", str(root)]) == 0


def test_a_flipped_byte_in_the_wal_no_longer_loses_data_silently(clone_profile, capsys):
    root = clone_profile()
    paths = profile_paths("demo", root)
    key = unlock(paths.keyring, DEMO_PW)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen([sys.executable, "-m", "tests.wal_child", str(root), key.hex(), "6"], cwd=REPO,
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for n in range(6):
        line = child.stdout.readline()
        assert line.strip() == f"committed {n}", child.stderr.read()
    child.send_signal(signal.SIGKILL)
    child.wait()
    wal = paths.db.with_name("desk.db-wal")
    data = bytearray(wal.read_bytes())
    assert len(data) > 40_000
    data[len(data) // 3] ^= 0x01  # one flipped bit in a frame of an early transaction
    wal.write_bytes(bytes(data))
    code, report = _check(root, capsys)
    assert code == 1, report
    p = next(p for p in report["problems"] if p["kind"] == "anchor")
    assert "已保存的数据丢失" in p["message"], p
