"""keyring.json: data key wraps by passphrase (Argon2id) and by the county recovery key (X25519)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from lishui_desk.crypto import keyring, recovery
from lishui_desk.errors import CorruptFile, InvalidInput, NotFound, SchemaTooNew, WrongPassphrase

FAST = keyring.KdfParams(memory_cost=1024, iterations=1, lanes=1)
PASS = "丽水执法2026-secret"


@pytest.fixture(scope="module")
def county() -> tuple[bytes, bytes]:
    return recovery.generate_recovery_keypair()


@pytest.fixture
def kr(tmp_path: Path, county: tuple[bytes, bytes]) -> tuple[Path, bytes]:
    path = tmp_path / "officer1" / "keyring.json"
    key = keyring.create_keyring(path, PASS, county[1], kdf_params=FAST)
    return path, key


def test_roundtrip_returns_same_random_key_and_never_stores_it_in_clear(kr: tuple[Path, bytes]) -> None:
    path, key = kr
    assert len(key) == 32
    assert keyring.unlock(path, PASS) == key
    text = path.read_text("utf-8")
    assert base64.b64encode(key).decode() not in text
    assert key.hex() not in text
    assert json.loads(text)["profile"] == "officer1"


def test_two_keyrings_get_different_data_keys(tmp_path: Path) -> None:
    a = keyring.create_keyring(tmp_path / "a.json", PASS, None, kdf_params=FAST)
    b = keyring.create_keyring(tmp_path / "b.json", PASS, None, kdf_params=FAST)
    assert a != b


def test_wrong_passphrase_is_refused_and_file_untouched(kr: tuple[Path, bytes]) -> None:
    path, _ = kr
    before = path.read_bytes()
    with pytest.raises(WrongPassphrase) as err:
        keyring.unlock(path, "丽水执法2026-secreT")
    assert "口令错误" in err.value.message
    assert path.read_bytes() == before


def test_unicode_passphrase_normalised(tmp_path: Path) -> None:
    path = tmp_path / "k.json"
    composed = "café-口令-12345"
    decomposed = "cafe\u0301-口令-12345"
    key = keyring.create_keyring(path, composed, None, kdf_params=FAST)
    assert keyring.unlock(path, decomposed) == key


@pytest.mark.parametrize("bad", ["", "short7!", "1234567"])
def test_short_or_empty_passphrase_refused_on_create(tmp_path: Path, bad: str) -> None:
    path = tmp_path / "k.json"
    with pytest.raises(InvalidInput):
        keyring.create_keyring(path, bad, None, kdf_params=FAST)
    assert not path.exists()


def test_empty_passphrase_refused_on_unlock(kr: tuple[Path, bytes]) -> None:
    with pytest.raises(InvalidInput):
        keyring.unlock(kr[0], "")


def test_create_refuses_to_overwrite_existing_keyring(kr: tuple[Path, bytes]) -> None:
    path, key = kr
    with pytest.raises(InvalidInput, match="已存在"):
        keyring.create_keyring(path, "another-passphrase", None, kdf_params=FAST)
    assert keyring.unlock(path, PASS) == key


def test_change_passphrase_rewraps_same_key(kr: tuple[Path, bytes], county: tuple[bytes, bytes]) -> None:
    path, key = kr
    keyring.change_passphrase(path, PASS, "新口令-new-passphrase")
    with pytest.raises(WrongPassphrase):
        keyring.unlock(path, PASS)
    assert keyring.unlock(path, "新口令-new-passphrase") == key
    # the county can still recover after the officer changed the passphrase
    assert keyring.recover_data_key(path, county[0]) == key
    assert keyring.kdf_params(path) == FAST
    assert [p.name for p in path.parent.iterdir()] == ["keyring.json"]  # no temp files left


def test_change_passphrase_with_wrong_old_or_short_new_leaves_file(kr: tuple[Path, bytes]) -> None:
    path, _ = kr
    before = path.read_bytes()
    with pytest.raises(WrongPassphrase):
        keyring.change_passphrase(path, "not-the-passphrase", "brand-new-passphrase")
    with pytest.raises(InvalidInput):
        keyring.change_passphrase(path, PASS, "short")
    assert path.read_bytes() == before


def test_county_recovery_gives_same_key(kr: tuple[Path, bytes], county: tuple[bytes, bytes]) -> None:
    path, key = kr
    assert keyring.recover_data_key(path, county[0]) == key
    assert keyring.recovery_fingerprint(path) == recovery.fingerprint(county[1])


def test_wrong_county_key_fails_clearly(kr: tuple[Path, bytes], county: tuple[bytes, bytes]) -> None:
    path, _ = kr
    other_private, other_public = recovery.generate_recovery_keypair()
    with pytest.raises(InvalidInput) as err:
        keyring.recover_data_key(path, other_private)
    msg = err.value.message
    assert "不匹配" in msg
    assert recovery.format_fingerprint(recovery.fingerprint(county[1])) in msg
    assert recovery.format_fingerprint(recovery.fingerprint(other_public)) in msg
    with pytest.raises(InvalidInput):
        keyring.recover_data_key(path, b"-----BEGIN PRIVATE KEY-----\ngarbage\n-----END PRIVATE KEY-----\n")


def test_keyring_without_recovery_key(tmp_path: Path, county: tuple[bytes, bytes]) -> None:
    path = tmp_path / "k.json"
    keyring.create_keyring(path, PASS, None, kdf_params=FAST)
    assert keyring.recovery_fingerprint(path) is None
    with pytest.raises(NotFound, match="未登记县级恢复公钥"):
        keyring.recover_data_key(path, county[0])


def test_county_reset_of_forgotten_passphrase(kr: tuple[Path, bytes], county: tuple[bytes, bytes]) -> None:
    path, key = kr
    keyring.reset_passphrase(path, county[0], "重新设置的口令abc")
    assert keyring.unlock(path, "重新设置的口令abc") == key
    with pytest.raises(WrongPassphrase):
        keyring.unlock(path, PASS)


def _rewrite(path: Path, doc: dict) -> None:
    """A deliberate edit: whoever writes the file can recompute its (unkeyed) checksum."""
    doc["checksum"] = keyring._checksum(doc)
    path.write_text(json.dumps(doc), "utf-8")


def test_wrap_copied_from_another_keyring_does_not_open(tmp_path: Path) -> None:
    a = tmp_path / "a" / "keyring.json"
    b = tmp_path / "b" / "keyring.json"
    keyring.create_keyring(a, PASS, None, kdf_params=FAST)
    keyring.create_keyring(b, PASS, None, kdf_params=FAST)
    doc_a = json.loads(a.read_text("utf-8"))
    doc_b = json.loads(b.read_text("utf-8"))
    doc_a["passphrase_wrap"] = doc_b["passphrase_wrap"]
    _rewrite(a, doc_a)
    with pytest.raises(WrongPassphrase):
        keyring.unlock(a, PASS)


def test_tampered_recovery_wrap_is_corrupt(kr: tuple[Path, bytes], county: tuple[bytes, bytes]) -> None:
    path, _ = kr
    doc = json.loads(path.read_text("utf-8"))
    ct = bytearray(base64.b64decode(doc["recovery_wrap"]["ciphertext"]))
    ct[0] ^= 1
    doc["recovery_wrap"]["ciphertext"] = base64.b64encode(bytes(ct)).decode()
    _rewrite(path, doc)
    with pytest.raises(CorruptFile) as err:
        keyring.recover_data_key(path, county[0])
    assert err.value.path == path


def _assert_corrupt_names_file(path: Path) -> None:
    with pytest.raises(CorruptFile) as err:
        keyring.unlock(path, PASS)
    assert err.value.path == path
    assert str(path) in err.value.message


def test_truncated_keyring_is_corrupt(kr: tuple[Path, bytes]) -> None:
    path, _ = kr
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    _assert_corrupt_names_file(path)


def test_non_json_and_empty_keyring_are_corrupt(kr: tuple[Path, bytes]) -> None:
    path, _ = kr
    path.write_bytes(b"\x00\xffnot json at all")
    _assert_corrupt_names_file(path)
    path.write_bytes(b"")
    _assert_corrupt_names_file(path)
    path.write_text("[1, 2, 3]", "utf-8")
    _assert_corrupt_names_file(path)


@pytest.mark.parametrize(
    ("mutate", "detail"),
    [
        (lambda d: d.pop("passphrase_wrap"), "passphrase_wrap"),
        (lambda d: d["passphrase_wrap"].pop("salt"), "salt"),
        (lambda d: d["passphrase_wrap"].__setitem__("nonce", base64.b64encode(b"x" * 11).decode()), "nonce"),
        (lambda d: d["passphrase_wrap"].__setitem__("ciphertext", "@@not-base64@@"), "ciphertext"),
        (lambda d: d["passphrase_wrap"].__setitem__("memory_cost", 2**40), "1 GiB"),
        (lambda d: d["passphrase_wrap"].__setitem__("iterations", "3"), "iterations"),
        (lambda d: d.__setitem__("lockout_secret", base64.b64encode(b"short").decode()), "lockout_secret"),
        (lambda d: d["recovery_wrap"].__setitem__("ephemeral_public", base64.b64encode(b"k" * 31).decode()), "ephemeral_public"),
        (lambda d: d.__setitem__("format", "something-else"), "密钥文件"),
    ],
)
def test_missing_or_malformed_fields_are_corrupt(kr: tuple[Path, bytes], mutate, detail: str) -> None:
    path, _ = kr
    doc = json.loads(path.read_text("utf-8"))
    mutate(doc)
    _rewrite(path, doc)
    with pytest.raises(CorruptFile) as err:
        keyring.unlock(path, PASS)
    assert err.value.path == path
    assert detail in err.value.message


def test_keyring_from_newer_program_is_refused(kr: tuple[Path, bytes]) -> None:
    path, _ = kr
    doc = json.loads(path.read_text("utf-8"))
    doc["version"] = keyring.VERSION + 1
    path.write_text(json.dumps(doc), "utf-8")
    with pytest.raises(SchemaTooNew, match="更新版本"):
        keyring.unlock(path, PASS)


def test_missing_keyring_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        keyring.unlock(tmp_path / "nope.json", PASS)


def test_lockout_mac_key_needs_no_passphrase_and_is_per_profile(tmp_path: Path) -> None:
    a = tmp_path / "a.json"
    b = tmp_path / "b.json"
    keyring.create_keyring(a, PASS, None, kdf_params=FAST)
    keyring.create_keyring(b, PASS, None, kdf_params=FAST)
    ka = keyring.lockout_mac_key(a)
    assert len(ka) == 32
    assert keyring.lockout_mac_key(a) == ka
    assert keyring.lockout_mac_key(b) != ka
    # changing the passphrase does not change the lockout key
    keyring.change_passphrase(a, PASS, "another-long-passphrase")
    assert keyring.lockout_mac_key(a) == ka


def test_default_kdf_parameters_meet_the_floor(tmp_path: Path) -> None:
    assert keyring.DEFAULT_KDF_PARAMS.memory_cost >= 65536
    assert keyring.DEFAULT_KDF_PARAMS.meets_floor
    path = tmp_path / "k.json"
    key = keyring.create_keyring(path, PASS, None)  # default parameters: the real cost
    stored = keyring.kdf_params(path)
    assert stored == keyring.DEFAULT_KDF_PARAMS
    assert stored.memory_cost >= keyring.MIN_MEMORY_COST_KIB
    assert len(key) == 32


def test_bad_recovery_public_key_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="32字节"):
        keyring.create_keyring(tmp_path / "k.json", PASS, b"too short", kdf_params=FAST)
    with pytest.raises(InvalidInput, match="低阶点"):
        keyring.create_keyring(tmp_path / "k.json", PASS, bytes(32), kdf_params=FAST)
    assert not (tmp_path / "k.json").exists()


# -- recovery key files ------------------------------------------------------------------------


def test_recovery_key_files_roundtrip(tmp_path: Path, county: tuple[bytes, bytes]) -> None:
    private_pem, public_raw = county
    recovery.save_private_key(tmp_path / "county.pem", private_pem)
    recovery.save_public_key(tmp_path / "county.pub", public_raw)
    assert recovery.load_private_key(tmp_path / "county.pem") == private_pem
    assert recovery.load_public_key(tmp_path / "county.pub") == public_raw
    assert recovery.public_key_from_private(private_pem) == public_raw
    (tmp_path / "county.hex").write_text(public_raw.hex() + "\n")
    assert recovery.load_public_key(tmp_path / "county.hex") == public_raw
    fp = recovery.fingerprint(public_raw)
    assert len(fp) == 16 and int(fp, 16) >= 0
    assert recovery.format_fingerprint(fp).count(" ") == 3


def test_password_protected_county_key(tmp_path: Path) -> None:
    private_pem, public_raw = recovery.generate_recovery_keypair(password=b"county-vault-pw")
    path = tmp_path / "k.json"
    key = keyring.create_keyring(path, PASS, public_raw, kdf_params=FAST)
    assert keyring.recover_data_key(path, private_pem, password=b"county-vault-pw") == key
    with pytest.raises(InvalidInput):
        keyring.recover_data_key(path, private_pem, password=b"wrong")
    with pytest.raises(InvalidInput):
        keyring.recover_data_key(path, private_pem)


def test_bad_recovery_key_files(tmp_path: Path) -> None:
    (tmp_path / "junk.pub").write_text("hello")
    with pytest.raises(InvalidInput):
        recovery.load_public_key(tmp_path / "junk.pub")
    with pytest.raises(NotFound):
        recovery.load_private_key(tmp_path / "missing.pem")
    with pytest.raises(InvalidInput):
        recovery.save_private_key(tmp_path / "x.pem", b"not a key")
    assert not (tmp_path / "x.pem").exists()
