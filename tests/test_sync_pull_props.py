"""Hypothesis over the desktop's pull handler (``sync.client.pull.apply_page``) on a real profile:
pages of signed roster items in any order, with older versions, changed bodies, items for a newer
client and forged signatures. The profile's versions only move forward, the newest acceptable
version of each key is held, what cannot be applied is set aside, and a forged page changes nothing."""

from __future__ import annotations

import uuid

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as stb
from sqlalchemy import func, select

from lishui_desk.edge import read, run
from lishui_desk.models import ReferenceVersion
from sync import protocol
from sync.client import pull
from sync.client import state as st
from sync.client.transport import SyncError

TOWN = "331181100"
HUB_KEY = Ed25519PrivateKey.generate()
OTHER_KEY = Ed25519PrivateKey.generate()


@pytest.fixture(scope="module")
def prof(tmp_path_factory):
    from lishui_desk.crypto.keyring import KdfParams
    from lishui_desk.edge import create_profile
    from lishui_desk.services.setup import OfficerSpec

    p = create_profile("props", "props passphrase", root=tmp_path_factory.mktemp("p"), township_code=TOWN,
                       officer=OfficerSpec("王建", "ZJ-3311-0001"), kdf_params=KdfParams(8192, 1, 1))
    yield p
    p.close()


def _raw(key: str, version: int, name: str, *, min_client: str = "0.1.0", signer=HUB_KEY) -> dict:
    body = {"name": name, "role": "officer", "township_code": TOWN}
    env = {"stream": "roster", "key": key, "version": version, "township_code": TOWN, "effective_from": None,
           "min_client_version": min_client, "published_at": "2026-11-26T00:00:00+00:00", "body": body,
           "body_signature": protocol.b64(signer.sign(protocol.body_string(protocol.canonical(body))))}
    text = protocol.canonical(env)
    return {"cursor": 0, "body": text.decode(), "signature": protocol.b64(signer.sign(protocol.reference_string(text)))}


def _held(uow, prefix: str) -> dict[str, int]:
    return dict(uow.session.execute(
        select(ReferenceVersion.key, func.max(ReferenceVersion.version))
        .where(ReferenceVersion.stream == "roster", ReferenceVersion.key.startswith(prefix))
        .group_by(ReferenceVersion.key)).all())


item = stb.tuples(stb.integers(0, 2), stb.integers(2, 6), stb.sampled_from(["甲", "乙", "丙"]),
                  stb.sampled_from(["ok", "ok", "ok", "newer_client"]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pages=stb.lists(stb.lists(item, min_size=0, max_size=5), min_size=1, max_size=5),
       forged_at=stb.one_of(stb.none(), stb.integers(0, 4)))
def test_pages_in_any_order_never_move_a_version_back(prof, pages, forged_at):
    prefix = f"T{uuid.uuid4().hex[:8]}-"
    epoch = uuid.uuid4().hex
    hub_pub = protocol.public_raw(HUB_KEY)
    offered: dict[str, int] = {}
    newer: set[tuple[str, int]] = set()
    cursor = 0
    for n, page_items in enumerate(pages):
        raws, page_ok, page_newer = [], [], []
        for k, version, name, kind in page_items:
            key = f"{prefix}{k}"
            raws.append(_raw(key, version, name, min_client="9.0" if kind == "newer_client" else "0.1.0"))
            (page_ok if kind == "ok" else page_newer).append((key, version))
        before = read(prof, _held, prefix)
        if forged_at == n:  # one item not signed by the pinned hub key spoils the page
            page = {"items": [*raws, _raw(f"{prefix}9", 2, "伪", signer=OTHER_KEY)], "next": cursor + 99}
            with pytest.raises(SyncError, match="签名无效"):
                run(prof, pull.apply_page, "roster", page, hub_pub, epoch)
            assert read(prof, _held, prefix) == before  # nothing from a forged page, cursor unchanged
            assert read(prof, pull.cursor_after, "roster", epoch) == cursor
            continue
        cursor += len(raws) + 1
        run(prof, pull.apply_page, "roster", {"items": raws, "next": cursor}, hub_pub, epoch)
        for key, version in page_ok:
            offered[key] = max(offered.get(key, 0), version)
        newer.update(page_newer)
        after = read(prof, _held, prefix)
        assert all(after.get(k, 0) >= v for k, v in before.items())  # never backwards
        assert read(prof, pull.cursor_after, "roster", epoch) == cursor
    assert read(prof, _held, prefix) == offered
    aside = read(prof, st.get_json, "ref_quarantine", [])
    for_newer_client = {(i["key"], i["version"]) for i in aside if "更新软件" in i["reason"]}
    assert newer <= for_newer_client  # each item for a newer program is set aside saying so
