"""County-side recovery: the county key unwraps a departed officer's data key, which opens the DB.
The private-key password never travels on the command line, the data key is never printed unless
asked for, and the key file is created owner-only in one step."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest
from sqlalchemy import select

from lishui_desk.crypto.recovery import load_public_key
from lishui_desk.edge import create_profile
from lishui_desk.models import Township
from lishui_desk.services.setup import OfficerSpec
from lishui_desk.storage.profile import open_with_key
from sync.county_cli import main
from tests.conftest import REPO


def _profile(tmp_path, fast_kdf, pub):
    prof = create_profile("gone", "officer passphrase", root=tmp_path / "data", township_code="331123002",
                          officer=OfficerSpec("离职人员", "ZJ-1"), kdf_params=fast_kdf,
                          recovery_public_key=load_public_key(pub))
    prof.close()
    return tmp_path / "data" / "profiles" / "gone" / "keyring.json"


def test_keygen_then_recover_key_opens_the_profile(tmp_path, fast_kdf, capsys):
    assert main(["keygen", "--out", str(tmp_path / "county"), "--no-password"]) == 0
    assert main(["keygen", "--out", str(tmp_path / "county"), "--no-password"]) == 2  # never overwrites
    assert stat.S_IMODE((tmp_path / "county.pem").stat().st_mode) == 0o600
    keyring_path = _profile(tmp_path, fast_kdf, tmp_path / "county.pub")
    capsys.readouterr()
    assert main(["recover-key", str(keyring_path), "--key", str(tmp_path / "county.pem"), "--print-key"]) == 0
    key = bytes.fromhex(capsys.readouterr().out.strip())
    reopened = open_with_key("gone", key, root=tmp_path / "data")
    with reopened.read_session() as s:
        assert s.scalar(select(Township.agency_name)) == "遂昌县云峰街道办事处"
    reopened.close()


def test_data_key_goes_only_to_an_owner_only_file_unless_explicitly_printed(tmp_path, fast_kdf, capsys):
    main(["keygen", "--out", str(tmp_path / "county"), "--no-password"])
    keyring_path = _profile(tmp_path, fast_kdf, tmp_path / "county.pub")
    capsys.readouterr()
    assert main(["recover-key", str(keyring_path), "--key", str(tmp_path / "county.pem")]) == 2
    assert "--print-key" in capsys.readouterr().err
    out = tmp_path / "data.key"
    assert main(["recover-key", str(keyring_path), "--key", str(tmp_path / "county.pem"), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    key_hex = out.read_text("ascii").strip()
    assert len(key_hex) == 64 and key_hex not in printed
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert main(["recover-key", str(keyring_path), "--key", str(tmp_path / "county.pem"), "--out", str(out)]) == 2


def test_private_key_password_from_file_or_descriptor_never_the_command_line(tmp_path, fast_kdf):
    with pytest.raises(SystemExit):  # the old --password option is gone
        main(["keygen", "--out", str(tmp_path / "x"), "--password", "visible-in-ps"])
    pw_file = tmp_path / "pw.txt"
    pw_file.write_bytes("\ufeff县局私钥密码-2026\r\n".encode())  # BOM + CRLF from a Windows editor
    assert main(["keygen", "--out", str(tmp_path / "county"), "--password-file", str(pw_file)]) == 0
    assert b"ENCRYPTED" in (tmp_path / "county.pem").read_bytes()
    keyring_path = _profile(tmp_path, fast_kdf, tmp_path / "county.pub")
    # a script hands the password over a pipe: nothing secret in argv of the real process
    read_end, write_end = os.pipe()
    os.write(write_end, "县局私钥密码-2026".encode())
    os.close(write_end)
    out = tmp_path / "k.hex"
    r = subprocess.run([sys.executable, "-m", "sync.county_cli", "recover-key", str(keyring_path), "--key",
                        str(tmp_path / "county.pem"), "--password-fd", str(read_end), "--out", str(out)],
                       cwd=REPO, capture_output=True, text=True, pass_fds=(read_end,), timeout=120)
    os.close(read_end)
    assert r.returncode == 0, r.stderr
    assert len(out.read_text().strip()) == 64
    # without a password source and without a terminal: a clear error, not a hang or a traceback
    r = subprocess.run([sys.executable, "-m", "sync.county_cli", "recover-key", str(keyring_path), "--key",
                        str(tmp_path / "county.pem"), "--print-key"], cwd=REPO, capture_output=True, text=True,
                       stdin=subprocess.DEVNULL, timeout=120)
    assert r.returncode == 2 and "--password-file" in r.stderr and "Traceback" not in r.stderr


def test_recover_with_another_county_key_fails_clearly(tmp_path, fast_kdf, capsys):
    main(["keygen", "--out", str(tmp_path / "a"), "--no-password"])
    main(["keygen", "--out", str(tmp_path / "b"), "--no-password"])
    prof = create_profile("p", "officer passphrase", root=tmp_path / "d", township_code="331123204",
                          officer=OfficerSpec("某", "ZJ-2"), kdf_params=fast_kdf,
                          recovery_public_key=load_public_key(tmp_path / "a.pub"))
    prof.close()
    capsys.readouterr()
    rc = main(["recover-key", str(tmp_path / "d" / "profiles" / "p" / "keyring.json"), "--key",
               str(tmp_path / "b.pem"), "--print-key"])
    assert rc == 2
    assert "错误" in capsys.readouterr().err
