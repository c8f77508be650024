"""County-side recovery: the county key unwraps a departed officer's data key, which opens the DB."""

from __future__ import annotations

from sqlalchemy import select

from lishui_desk.crypto.recovery import load_public_key
from lishui_desk.edge import create_profile
from lishui_desk.models import Township
from lishui_desk.services.setup import OfficerSpec
from lishui_desk.storage.profile import open_with_key
from sync.county_cli import main


def test_keygen_then_recover_key_opens_the_profile(tmp_path, fast_kdf, capsys):
    assert main(["keygen", "--out", str(tmp_path / "county")]) == 0
    assert main(["keygen", "--out", str(tmp_path / "county")]) == 2  # never overwrites a key
    prof = create_profile("gone", "officer passphrase", root=tmp_path / "data", township_code="331123002",
                          officer=OfficerSpec("离职人员", "ZJ-1"), kdf_params=fast_kdf,
                          recovery_public_key=load_public_key(tmp_path / "county.pub"))
    prof.close()
    capsys.readouterr()
    keyring_path = tmp_path / "data" / "profiles" / "gone" / "keyring.json"
    assert main(["recover-key", str(keyring_path), "--key", str(tmp_path / "county.pem")]) == 0
    key = bytes.fromhex(capsys.readouterr().out.strip())
    reopened = open_with_key("gone", key, root=tmp_path / "data")
    with reopened.read_session() as s:
        assert s.scalar(select(Township.agency_name)) == "遂昌县云峰街道办事处"
    reopened.close()


def test_recover_with_another_county_key_fails_clearly(tmp_path, fast_kdf, capsys):
    main(["keygen", "--out", str(tmp_path / "a")])
    main(["keygen", "--out", str(tmp_path / "b")])
    prof = create_profile("p", "officer passphrase", root=tmp_path / "d", township_code="331123204",
                          officer=OfficerSpec("某", "ZJ-2"), kdf_params=fast_kdf,
                          recovery_public_key=load_public_key(tmp_path / "a.pub"))
    prof.close()
    capsys.readouterr()
    rc = main(["recover-key", str(tmp_path / "d" / "profiles" / "p" / "keyring.json"), "--key", str(tmp_path / "b.pem")])
    assert rc == 2
    assert "错误" in capsys.readouterr().err
