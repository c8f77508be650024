"""The command-line contract of sync: shared options before or after the subcommand for both
programs, clear Chinese errors, the published OpenAPI and /v1/meta."""

from __future__ import annotations

import json

import httpx
import pytest

from lishui_desk import cli as desk_cli
from sync import county_cli
from sync.hub import service
from sync.hub.server import ThreadedHub


def _county(capsys, argv):
    capsys.readouterr()
    rc = county_cli.main(argv)
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_county_options_before_or_after_the_subcommand(tmp_path, capsys):
    root = str(tmp_path / "hub")
    assert _county(capsys, ["init", "--data-dir", root])[0] == 0
    rc, out, _ = _county(capsys, ["--json", "--data-dir", root, "township", "add", "--code", "331123002"])
    assert rc == 0 and json.loads(out)["name"] == "云峰街道"
    rc, out, _ = _county(capsys, ["officer", "add", "--township", "331123002", "--cert-no", "ZJ-1", "--name", "甲",
                                  "--json", "--data-dir", root])
    assert rc == 0 and json.loads(out)["cert_no"] == "ZJ-1"
    rc, out, _ = _county(capsys, ["enroll", "--data-dir", root, "--township", "331123002", "--cert-no", "ZJ-1"])
    assert rc == 0 and out.strip().splitlines()[-1].startswith("LSE1-")
    rc, out, _ = _county(capsys, ["--data-dir", root, "device", "list", "--json"])
    assert rc == 0 and json.loads(out) == {"devices": []}
    rc, out, _ = _county(capsys, ["cases", "--data-dir", root, "--json"])
    assert rc == 0 and json.loads(out) == {"cases": []}


@pytest.mark.parametrize("argv,fragment", [
    (["township", "add", "--code", "110101001"], "不是丽水市的乡镇"),
    (["officer", "add", "--township", "331181100", "--cert-no", "X", "--name", "甲"], "尚未登记"),
    (["enroll", "--township", "331181100", "--cert-no", "X"], "没有执法证号为 X 的人员"),
    (["device", "revoke", "nope"], "没有编号为 nope 的设备"),
    (["quarantine", "reprocess", "nope"], "没有编号为 nope"),
    (["review", "record", "abc", "--result", "同意", "--opinion", "好"], "没有与“abc”对应的案件"),
])
def test_county_mistakes_get_a_clear_sentence_and_change_nothing(tmp_path, capsys, argv, fragment):
    root = str(tmp_path / "hub")
    _county(capsys, ["init", "--data-dir", root])
    rc, _out, err = _county(capsys, [*argv, "--data-dir", root])
    assert rc == 2 and fragment in err and "Traceback" not in err
    hub = service.open_hub(tmp_path / "hub")
    try:
        assert service.list_devices(hub) == [] and service.list_cases(hub) == []
    finally:
        hub.close()


def test_county_commands_without_init_say_what_to_do(tmp_path, capsys):
    rc, _out, err = _county(capsys, ["cases", "--data-dir", str(tmp_path / "none")])
    assert rc == 2 and "lishui-county init" in err


def test_desktop_sync_commands_take_the_options_anywhere(tmp_path, capsys, monkeypatch, fast_kdf):
    from lishui_desk.edge import create_profile
    from lishui_desk.services.setup import OfficerSpec

    create_profile("p", "pw for the test", root=tmp_path / "d", township_code="331181100",
                   officer=OfficerSpec("王建", "ZJ-3311-0001"), kdf_params=fast_kdf).close()
    monkeypatch.setenv("LISHUI_DESK_PASSPHRASE", "pw for the test")
    for argv in (["--data-dir", str(tmp_path / "d"), "--json", "sync", "status"],
                 ["sync", "--json", "status", "--data-dir", str(tmp_path / "d")],
                 ["sync", "status", "--json", "--data-dir", str(tmp_path / "d")]):
        capsys.readouterr()
        assert desk_cli.main(argv) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["enrolled"] is False and data["pending"] == 0
    capsys.readouterr()
    assert desk_cli.main(["sync", "now", "--data-dir", str(tmp_path / "d")]) == 2
    assert "尚未登记到县级平台" in capsys.readouterr().err
    assert desk_cli.main(["sync", "enroll", "not-a-code", "--data-dir", str(tmp_path / "d")]) == 2
    assert "登记码格式不对" in capsys.readouterr().err


def test_meta_and_openapi_are_published(tmp_path):
    hub = service.init_hub(tmp_path / "hub")
    try:
        with ThreadedHub(hub) as server:
            meta = httpx.get(server.url + "/v1/meta", trust_env=False).json()
            api = httpx.get(server.url + "/v1/openapi.json", trust_env=False).json()
    finally:
        hub.close()
    assert meta["protocol"] == {"min": 1, "max": 1}
    assert meta["limits"]["max_batch_items"] == 500 and meta["limits"]["max_decompressed_bytes"] == 16 * 1024 * 1024
    assert meta["hub_epoch"] and meta["hub_key_fingerprint"] == hub.fingerprint and meta["server_time_unix"] > 0
    assert {"/v1/meta", "/v1/enroll", "/v1/state", "/v1/push", "/v1/pull"} <= set(api["paths"])


def test_init_with_a_recovery_key_reads_its_password_from_a_file(tmp_path, capsys):
    from lishui_desk.crypto import recovery

    pw = tmp_path / "pw.txt"
    pw.write_text("县级密码 2026\n", encoding="utf-8")
    root = tmp_path / "hub"
    rc, out, err = _county(capsys, ["init", "--recovery-key", "--password-file", str(pw), "--data-dir", str(root)])
    assert rc == 0, err
    pem = (root / "county.pem").read_bytes()
    assert b"ENCRYPTED" in pem.split(b"\n", 1)[0]
    recovery.private_key_object(pem, "县级密码 2026".encode())  # opens with that password only
    assert (root / "county.pem").stat().st_mode & 0o077 == 0
    rc, _out, err = _county(capsys, ["init", "--data-dir", str(root)])
    assert rc == 2 and "不会覆盖" in err
