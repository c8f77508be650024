"""Attack probes (SECURITY.md): each row says how many attacks were tried, how many the program
detected or refused, how many lost committed data silently, and how many ended in a traceback.
Goal: 0 silent losses, 0 undetected edits, 0 tracebacks.

- SIGKILL during case steps (a writer process killed at random moments);
- flipped bytes in ``desk.db``, in ``desk.db-wal`` (after a killed writer), in evidence files and
  in ``keyring.json``;
- raw edits with the data key (event edited and re-hashed, last event deleted, case row edited,
  whole case deleted, evidence row re-pointed or deleted, database rolled back to an older copy);
- parallel wrong passphrases (lost updates of the lockout counter);
- hostile inputs through the command line.

Run: ``python -m bench attack`` (or ``python -m bench.bench_attack``).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PW = "lishui-demo-2026"
ENV = {**os.environ, "PYTHONPATH": str(REPO), "LISHUI_DESK_PASSPHRASE": PW,
       "LISHUI_DESK_TODAY": os.environ.get("LISHUI_DESK_TODAY", "2026-11-26")}


def _row(name: str, tried: int, detected: int, lost: int = 0, tracebacks: int = 0) -> dict:
    return {"name": name, "value": detected, "unit": f"detected of {tried}", "baseline": None, "ratio": None,
            "tried": tried, "detected": detected, "lost": lost, "tracebacks": tracebacks,
            "goal": "all detected, 0 lost, 0 tracebacks"}


def _cli(root: Path, *args: str) -> tuple[int, dict | None, str]:
    """``lishui-desk`` in this process; an exception escaping is a traceback."""
    from lishui_desk.cli import main

    out, err = io.StringIO(), io.StringIO()
    os.environ["LISHUI_DESK_PASSPHRASE"] = PW
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main([*args, "--data-dir", str(root)])
    except Exception as exc:
        return -1, None, repr(exc)
    try:
        data = json.loads(out.getvalue()) if "--json" in args else None
    except ValueError:
        data = None
    return code, data, err.getvalue()


def _template(base: Path) -> Path:
    from PIL import Image

    from lishui_desk.crypto.keyring import KdfParams
    from lishui_desk.edge import CaseDesk, build_demo
    from lishui_desk.storage.profile import open_profile

    root = base / "template"
    build_demo("demo", PW, root=root, kdf_params=KdfParams(8192, 1, 1))
    photo = base / "scene.png"
    Image.new("RGB", (640, 480), (120, 30, 30)).save(photo)
    prof = open_profile("demo", PW, root=root)
    try:
        from sqlalchemy import select

        from lishui_desk.models import Case

        with prof.read_session() as s:
            ids = list(s.scalars(select(Case.id).where(Case.is_open.is_(True))))
        svc = CaseDesk(prof)
        added = 0
        for cid in ids:
            with contextlib.suppress(Exception):
                svc.add_evidence_file(cid, photo, "视听资料", "现场照片")
                added += 1
            if added >= 3:
                break
    finally:
        prof.close()
    return root


def _clone(template: Path, base: Path, name: str) -> Path:
    dst = base / name
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(template, dst)
    return dst


def _paths(root: Path):
    from lishui_desk.paths import profile_paths

    return profile_paths("demo", root)


def _key(root: Path) -> bytes:
    from lishui_desk.crypto.keyring import unlock

    return unlock(_paths(root).keyring, PW)


def _flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def _counts(root: Path) -> tuple[int, int]:
    from lishui_desk.storage.profile import counts, open_profile

    prof = open_profile("demo", PW, root=root)
    try:
        c = counts(prof)
        return c["cases"], c["events"]
    finally:
        prof.close()


def _writer(root: Path, n: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.wal_child", str(root), _key(root).hex(), str(n)],
                            cwd=REPO, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)


def kills(template: Path, base: Path, n: int, rng: random.Random) -> dict:
    root = _clone(template, base, "kills")
    lost = tracebacks = 0
    for _ in range(n):
        before = _counts(root)[0]
        child = _writer(root, 1000)
        committed = 0
        target = rng.randint(1, 4)
        while committed < target:
            if not child.stdout.readline().startswith("committed"):
                break
            committed += 1
        child.send_signal(signal.SIGKILL)
        child.wait()
        code, _data, _err = _cli(root, "check")
        tracebacks += code == -1
        lost += max(0, before + committed - _counts(root)[0])
        if code != 0:
            lost += 1  # a kill must never leave a profile that fails its check
    return _row("SIGKILL during case steps (cases lost / profiles failing check)", n, n - lost, lost, tracebacks)


def db_flips(template: Path, base: Path, n: int, rng: random.Random) -> dict:
    detected = tracebacks = 0
    for i in range(n):
        root = _clone(template, base, f"dbflip{i % 3}")
        db = _paths(root).db
        _flip(db, rng.randrange(0, db.stat().st_size))
        code, data, _ = _cli(root, "check", "--json")
        tracebacks += code == -1
        detected += code in (1, 4)
    return _row("flipped byte in desk.db (check exits 4 damaged / 1 tampered)", n, detected, 0, tracebacks)


def wal_flips(template: Path, base: Path, n: int, rng: random.Random) -> dict:
    detected = silent = tracebacks = 0
    for i in range(n):
        root = _clone(template, base, f"walflip{i % 3}")
        before = _counts(root)
        child = _writer(root, 5)
        for _ in range(5):
            child.stdout.readline()
        child.send_signal(signal.SIGKILL)
        child.wait()
        wal = _paths(root).db.with_name("desk.db-wal")
        size = wal.stat().st_size
        _flip(wal, rng.randrange(32, size))
        code, _data, _ = _cli(root, "check")
        tracebacks += code == -1
        after = _counts(root)
        lost_data = after[1] < before[1] + 5
        if code in (1, 4):
            detected += 1
        elif lost_data:
            silent += 1
        else:
            detected += 1  # the flip hit a frame SQLite never needed: nothing lost, nothing to report
    return _row("flipped byte in desk.db-wal after a killed writer (silent losses)", n, detected, silent, tracebacks)


def evidence_flips(template: Path, base: Path, n: int, rng: random.Random) -> dict:
    detected = tracebacks = 0
    for i in range(n):
        root = _clone(template, base, f"evflip{i % 3}")
        blobs = sorted(_paths(root).evidence.glob("*.lsev"))
        blob = rng.choice(blobs)
        _flip(blob, rng.randrange(0, blob.stat().st_size))
        code, _data, _ = _cli(root, "check")
        tracebacks += code == -1
        detected += code in (1, 4)
    return _row("flipped byte in an evidence file", n, detected, 0, tracebacks)


def keyring_flips(template: Path, base: Path, n: int, rng: random.Random) -> dict:
    from lishui_desk.errors import CorruptFile, DeskError
    from lishui_desk.storage.profile import unlock_data_key

    root = _clone(template, base, "keyring")
    path = _paths(root).keyring
    original = path.read_bytes()
    detected = tracebacks = 0
    for _ in range(n):
        data = bytearray(original)
        data[rng.randrange(0, len(data))] ^= 1 << rng.randrange(8)
        path.write_bytes(bytes(data))
        try:
            unlock_data_key("demo", PW, root=root)
        except CorruptFile:
            detected += 1  # named as a damaged keyring, not counted as a wrong passphrase
        except DeskError:
            pass
        except Exception:
            tracebacks += 1
    path.write_bytes(original)
    return _row("flipped bit in keyring.json (reported as damage, not 口令错误)", n, detected, 0, tracebacks)


def _raw(root: Path):
    import sqlcipher3

    con = sqlcipher3.connect(str(_paths(root).db))
    con.execute(f"PRAGMA key = \"x'{_key(root).hex()}'\"")
    for t in ("case_events_no_update", "case_events_no_delete", "record_seals_no_update", "record_seals_no_delete"):
        con.execute(f"DROP TRIGGER IF EXISTS {t}")
    return con


def _edit_event_rehash(con) -> None:
    from dataclasses import replace

    from lishui_desk.events import EventRecord, compute_hash

    (case_id,) = con.execute("SELECT case_id FROM case_events GROUP BY case_id HAVING count(*) > 2 LIMIT 1").fetchone()
    rows = con.execute("SELECT id, case_id, seq, type, actor_id, occurred_at, recorded_at, place, payload, corrects,"
                       " prev_hash FROM case_events WHERE case_id = ? ORDER BY seq", (case_id,)).fetchall()
    prev = rows[0][10]
    for i, r in enumerate(rows):
        rec = EventRecord(*r[:8], json.loads(r[8]), r[9], prev, "")
        if i == 0:
            rec = replace(rec, payload={**rec.payload, "summary": "改"})
        rec = replace(rec, hash=compute_hash(prev, rec))
        con.execute("UPDATE case_events SET payload = ?, prev_hash = ?, hash = ? WHERE id = ?",
                    (json.dumps(rec.payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")),
                     rec.prev_hash, rec.hash, rec.id))
        prev = rec.hash
    con.execute("UPDATE cases SET head_hash = ? WHERE id = ?", (prev, case_id))


def _delete_last_event(con) -> None:
    case_id, n = con.execute("SELECT id, event_count FROM cases WHERE event_count > 2 LIMIT 1").fetchone()
    ev_id, prev = con.execute("SELECT id, prev_hash FROM case_events WHERE case_id = ? AND seq = ?", (case_id, n)).fetchone()
    con.execute("DELETE FROM record_seals WHERE event_id = ?", (ev_id,))
    con.execute("DELETE FROM case_events WHERE id = ?", (ev_id,))
    con.execute("UPDATE cases SET event_count = ?, head_hash = ? WHERE id = ?", (n - 1, prev, case_id))


def _delete_case(con) -> None:
    (case_id,) = con.execute("SELECT id FROM cases LIMIT 1 OFFSET 3").fetchone()
    for (ev,) in con.execute("SELECT id FROM case_events WHERE case_id = ?", (case_id,)).fetchall():
        con.execute("DELETE FROM record_seals WHERE event_id = ?", (ev,))
        con.execute("DELETE FROM outbox WHERE ref_id = ?", (ev,))
    for table in ("evidence_items", "issued_documents", "case_events", "cases"):
        con.execute(f"DELETE FROM {table} WHERE {'id' if table == 'cases' else 'case_id'} = ?", (case_id,))


RAW_EDITS = {
    "event edited, hashes recomputed": _edit_event_rehash,
    "last event of a case deleted": _delete_last_event,
    "case row: party edited": lambda con: con.execute("UPDATE cases SET party_name = '张三' WHERE party_name IS NOT NULL"),
    "case row: amount edited": lambda con: con.execute("UPDATE cases SET amount = '1.00' WHERE amount IS NOT NULL"),
    "case row: stage edited": lambda con: con.execute("UPDATE cases SET stage = 'closed' WHERE stage != 'closed'"),
    "whole case with its events deleted": _delete_case,
    "evidence row pointed at another file": lambda con: con.execute(
        "UPDATE evidence_items SET blob_id = (SELECT blob_id FROM evidence_items ORDER BY id DESC LIMIT 1), "
        "sha256 = (SELECT sha256 FROM evidence_items ORDER BY id DESC LIMIT 1) "
        "WHERE id = (SELECT id FROM evidence_items ORDER BY id LIMIT 1)"),
    "evidence row deleted": lambda con: con.execute(
        "DELETE FROM evidence_items WHERE id = (SELECT id FROM evidence_items LIMIT 1)"),
}


def raw_edits(template: Path, base: Path) -> list[dict]:
    rows = []
    for name, edit in RAW_EDITS.items():
        root = _clone(template, base, "raw")
        con = _raw(root)
        edit(con)
        con.commit()
        con.close()
        code, _data, _ = _cli(root, "check")
        rows.append(_row(f"raw edit with the data key: {name}", 1, int(code == 1), 0, int(code == -1)))
    root = _clone(template, base, "rollback")
    old = base / "old-desk.db"
    shutil.copy2(_paths(root).db, old)
    lead = base / "lead.json"
    lead.write_text(json.dumps({"lead_on": "2026-11-20", "source": "巡查发现", "summary": "新线索",
                                "item_code": "331101003000", "violation_date": "2026-11-20"}), "utf-8")
    _cli(root, "case", "create", "--payload", str(lead))
    shutil.copy2(old, _paths(root).db)
    code, _data, _ = _cli(root, "check")
    rows.append(_row("desk.db rolled back to an older copy", 1, int(code == 1), 0, int(code == -1)))
    return rows


def lockout_race(template: Path, base: Path, parallel: int = 8) -> dict:
    from lishui_desk.crypto import keyring
    from lishui_desk.crypto.lockout import Lockout

    root = _clone(template, base, "lockout")
    paths = _paths(root)
    start = base / "go"
    start.unlink(missing_ok=True)
    kids = [subprocess.Popen([sys.executable, "-m", "tests.passphrase_child", str(root), "demo", f"wrong {i}",
                              str(start), "unlock"], cwd=REPO, env=ENV, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for i in range(parallel)]
    import time

    time.sleep(1.0)
    start.touch()
    outcomes = [k.communicate(timeout=120)[0].strip() for k in kids]
    tried = outcomes.count("wrong")
    stored = Lockout(paths.lockout, keyring.lockout_mac_key(paths.keyring)).failures
    return _row(f"{parallel} parallel wrong passphrases (failures lost by the counter)", parallel,
                parallel - abs(stored - tried), abs(stored - tried), 0)


BAD_INPUTS = [
    b"[" * 100_000 + b"]" * 100_000,
    json.dumps({"lead_on": "2026-11-20", "source": "巡查发现", "summary": "x"}, ensure_ascii=False).encode("gbk"),
    b'{"lead_on": "2026-11-20", "lead_on": "2026-11-21"}',
    b'{"lead_on": "0001-01-01", "source": "\\u5de1\\u67e5\\u53d1\\u73b0", "summary": "x"}',
    b'{"lead_on": "9999-12-31", "source": "\\u5de1\\u67e5\\u53d1\\u73b0", "summary": "x"}',
    b'{"lead_on": "2026-11-20", "source": "\\u5de1\\u67e5\\u53d1\\u73b0", "summary": "x",'
    b' "party": {"kind": "individual", "name": "\\ud800"}}',
    b'{"lead_on": "2026-11-20", "source": "\\u5de1\\u67e5\\u53d1\\u73b0", "summary": "\\u001b[2J"}',
    b'{"lead_on": "2026-11-20", "source": "\\u5de1\\u67e5\\u53d1\\u73b0", "summary": "\\u202e\\u200b"}',
    b'{"lead_on": NaN}',
    b'{"amount": "1e30"}',
]


def bad_inputs(template: Path, base: Path) -> dict:
    root = _clone(template, base, "inputs")
    before = _counts(root)[1]
    refused = tracebacks = 0
    for i, raw in enumerate(BAD_INPUTS):
        f = base / f"bad{i}.json"
        f.write_bytes(raw)
        code, _d, _e = _cli(root, "case", "create", "--payload", str(f))
        tracebacks += code == -1
        refused += code == 2
    code, _d, _e = _cli(root, "case", "list", "--search", "\x1b[31m")
    refused += code == 2
    written = _counts(root)[1] - before
    return _row("hostile inputs through the CLI (events written on refusal)", len(BAD_INPUTS) + 1, refused,
                written, tracebacks)


def run(scale: int = 1) -> list[dict]:
    rng = random.Random(20261201)
    with tempfile.TemporaryDirectory(prefix="lishui-bench-attack-") as tmp:
        base = Path(tmp)
        template = _template(base)
        rows = [
            kills(template, base, 10 * scale, rng),
            db_flips(template, base, 20 * scale, rng),
            wal_flips(template, base, 8 * scale, rng),
            evidence_flips(template, base, 10 * scale, rng),
            keyring_flips(template, base, 60 * scale, rng),
            *raw_edits(template, base),
            lockout_race(template, base),
            bad_inputs(template, base),
        ]
    return rows


if __name__ == "__main__":
    total = {"tried": 0, "detected": 0, "lost": 0, "tracebacks": 0}
    for r in run(int(sys.argv[1]) if len(sys.argv) > 1 else 1):
        print(f"{r['name']}: tried {r['tried']}, detected {r['detected']}, lost {r['lost']}, "
              f"tracebacks {r['tracebacks']}")
        for k in total:
            total[k] += r[k]
    print(f"total: {total}")
