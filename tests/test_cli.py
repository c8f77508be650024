"""The ``lishui-desk`` command line, run unattended the way scripts and the county use it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lishui_desk.cli import main

REPO = Path(__file__).resolve().parents[1]
PW = "lishui-demo-2026"


def run(*args: str, env: dict | None = None, input_text: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lishui_desk.cli", *args], cwd=REPO, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, input=input_text, timeout=120)


@pytest.fixture(scope="module")
def demo_root(tmp_path_factory):
    from lishui_desk.crypto.keyring import KdfParams
    from lishui_desk.edge import build_demo

    root = tmp_path_factory.mktemp("cli")
    build_demo("demo", PW, root=root, kdf_params=KdfParams(8192, 1, 1))
    return root


def test_info_json_reports_schema_and_counts(demo_root):
    r = run("info", "--json", "--data-dir", str(demo_root), env={"LISHUI_DESK_PASSPHRASE": PW})
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["schema"] == data["schema_head"]
    assert data["cases"] == 20 and data["items"] >= 120 and data["township"] == "龙泉市八都镇"


def test_wrong_passphrase_is_a_clear_error_without_traceback(demo_root, tmp_path):
    pwfile = tmp_path / "pw"
    pwfile.write_text("definitely wrong\n", encoding="utf-8")
    r = run("info", "--data-dir", str(demo_root), "--passphrase-file", str(pwfile))
    assert r.returncode == 2
    assert "口令错误" in r.stderr and "Traceback" not in r.stderr


def test_no_passphrase_source_and_no_terminal(demo_root):
    env = {k: v for k, v in os.environ.items() if k != "LISHUI_DESK_PASSPHRASE"}
    r = subprocess.run([sys.executable, "-m", "lishui_desk.cli", "info", "--data-dir", str(demo_root)], cwd=REPO,
                       capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=60)
    assert r.returncode == 2 and "--passphrase-file" in r.stderr


def test_check_passes_then_names_a_tampered_case(demo_root, tmp_path):
    import shutil

    import sqlcipher3

    from lishui_desk.crypto import keyring

    root = tmp_path / "copy"
    shutil.copytree(demo_root, root)
    env = {"LISHUI_DESK_PASSPHRASE": PW}
    ok = run("check", "--json", "--data-dir", str(root), env=env)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["ok"] is True
    key = keyring.unlock(root / "profiles" / "demo" / "keyring.json", PW)
    con = sqlcipher3.connect(str(root / "profiles" / "demo" / "desk.db"))
    con.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    con.execute("DROP TRIGGER case_events_no_update")
    case_id, seq = con.execute("SELECT case_id, seq FROM case_events WHERE type = 'case.filed' LIMIT 1").fetchone()
    number = con.execute("SELECT case_number FROM cases WHERE id = ?", (case_id,)).fetchone()[0]
    con.execute("UPDATE case_events SET actor_id = 'someone-else' WHERE case_id = ? AND seq = ?", (case_id, seq))
    con.commit()
    con.close()
    bad = run("check", "--data-dir", str(root), env=env)
    assert bad.returncode == 1
    assert number in bad.stdout and f"第 {seq} 号事件" in bad.stdout


def test_case_step_refusal_exits_3_with_rule_and_article(demo_root, tmp_path):
    env = {"LISHUI_DESK_PASSPHRASE": PW}
    listing = json.loads(run("case", "list", "--json", "--data-dir", str(demo_root), env=env).stdout)
    lead = next(c for c in listing["cases"] if c["stage_label"] == "线索")
    payload = tmp_path / "p.json"
    payload.write_text(json.dumps({"filed_on": "2026-11-20", "facts": "x", "officer_ids": []}), encoding="utf-8")
    r = run("case", "step", lead["id"][:8], "file_case", "--payload", str(payload), "--json",
            "--data-dir", str(demo_root), env=env)
    assert r.returncode == 3, r.stderr
    data = json.loads(r.stdout)
    assert data["refused"] and all(v["article"] for v in data["violations"])
    show = json.loads(run("case", "show", lead["id"], "--json", "--data-dir", str(demo_root), env=env).stdout)
    assert show["chain_ok"] and any(n["action"] == "file_case" for n in show["next_steps"])
    assert all({"label_zh", "due", "article"} <= set(d) for d in show["deadlines"])


def test_init_passwd_recover_cycle(tmp_path, monkeypatch):
    from lishui_desk.crypto.recovery import generate_recovery_keypair, save_private_key, save_public_key

    priv, pub = generate_recovery_keypair()
    save_private_key(tmp_path / "county.pem", priv)
    save_public_key(tmp_path / "county.pub", pub)
    root = str(tmp_path / "data")
    monkeypatch.setenv("LISHUI_DESK_PASSPHRASE", "first passphrase")
    assert main(["init", "--data-dir", root, "--profile", "me", "--township", "331123204", "--officer-name",
                 "蓝海", "--cert-no", "ZJ-3311-7777", "--recovery-key", str(tmp_path / "county.pub")]) == 0
    monkeypatch.setenv("LISHUI_DESK_NEW_PASSPHRASE", "second passphrase")
    assert main(["passwd", "--data-dir", root]) == 0
    monkeypatch.setenv("LISHUI_DESK_PASSPHRASE", "first passphrase")
    assert main(["info", "--data-dir", root]) == 2  # the old passphrase no longer opens it
    monkeypatch.setenv("LISHUI_DESK_NEW_PASSPHRASE", "county reset passphrase")
    assert main(["recover", "--data-dir", root, "--county-key", str(tmp_path / "county.pem")]) == 0
    monkeypatch.setenv("LISHUI_DESK_PASSPHRASE", "county reset passphrase")
    assert main(["info", "--data-dir", root]) == 0


def test_demo_if_missing_is_idempotent(demo_root, capsys):
    assert main(["demo", "--if-missing", "--data-dir", str(demo_root)]) == 0
    assert "已存在" in capsys.readouterr().out


def test_gui_without_a_display_says_how_to_run_it(demo_root):
    env = {k: v for k, v in os.environ.items() if k not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}}
    r = subprocess.run([sys.executable, "-m", "lishui_desk.cli", "gui", "--data-dir", str(demo_root)], cwd=REPO,
                       capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 2 and "xvfb-run" in r.stderr and "Traceback" not in r.stderr


def test_case_fork_commands_find_a_case_by_number_or_prefix_and_refuse_an_unknown_one(demo_root, capsys, monkeypatch):
    monkeypatch.setenv("LISHUI_DESK_PASSPHRASE", PW)
    root = str(demo_root)
    assert main(["case", "list", "--json", "--data-dir", root]) == 0
    filed = next(c for c in json.loads(capsys.readouterr().out)["cases"] if c.get("case_number"))
    assert main(["case", "fork", filed["case_number"], "--json", "--data-dir", root]) == 0
    assert json.loads(capsys.readouterr().out) == {"case_id": filed["id"], "fork": None}
    assert main(["case", "fork", filed["id"][:10], "--data-dir", root]) == 0
    assert "没有分叉" in capsys.readouterr().out
    assert main(["case", "fork", "不存在的案件", "--data-dir", root]) == 2
    assert "不存在" in capsys.readouterr().err
    assert main(["case", "resolve-fork", "", "--both", "--reason", "试", "--data-dir", root]) == 2
    assert "不唯一" in capsys.readouterr().err
