"""Refused requests against a real hub: tampered, wrong key, replayed, skewed clock, oversized,
compression bomb, malformed; revoked devices; enrollment mistakes. Each refusal is clear and
changes nothing at the hub."""

from __future__ import annotations

import json
import secrets
import uuid

import httpx
import pytest
import zstandard
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from lishui_desk.edge import read
from lishui_desk.errors import DeskError, InvalidInput
from lishui_desk.timeutil import now_utc
from sync import protocol
from sync.client import state as st
from sync.client.transport import DeviceRevoked, SyncError, Transport
from sync.client.worker import enroll as client_enroll
from sync.client.worker import status, sync_now
from sync.hub import service
from tests.sync_support import (
    BACKENDS,
    copy_profile,
    enroll,
    hub_event_count,
    local_events,
    meta,
    open_demo,
    outbox_states,
    running_hub,
    set_meta,
)


@pytest.fixture(params=BACKENDS)
def hub_and_desk(request, desk, tmp_path):
    with running_hub(request.param, tmp_path) as server:
        enroll(desk, server)
        yield server, desk


def _batch(prof, n=3) -> bytes:
    with prof.read_session() as s:
        from sqlalchemy import select

        from lishui_desk.models import OutboxEntry

        rows = s.scalars(select(OutboxEntry).order_by(OutboxEntry.created_at).limit(n)).all()
        items = [{"outbox_id": r.id, "kind": r.kind, "event": json.loads(r.payload)} for r in rows]
    return json.dumps({"items": items}, ensure_ascii=False).encode()


def _signed_headers(prof, body: bytes, *, path="/v1/push", ts=None, nonce=None, key=None, digest=None,
                    encoding="zstd"):
    s = read(prof, st.load)
    ts = int(now_utc().timestamp()) if ts is None else ts
    nonce = nonce or secrets.token_hex(16)
    digest = digest or protocol.sha256_hex(body)
    sig = (key or s.device_key).sign(protocol.signing_string("POST", path, ts, nonce, digest, s.device_id))
    h = {protocol.H_DEVICE: s.device_id, protocol.H_TIME: str(ts), protocol.H_NONCE: nonce,
         protocol.H_DIGEST: digest, protocol.H_SIGNATURE: protocol.b64(sig)}
    if encoding:
        h["Content-Encoding"] = encoding
    return h


def _post(server, body: bytes, headers, path="/v1/push") -> httpx.Response:
    return httpx.post(server.url + path, content=body, headers=headers, timeout=30, trust_env=False)


def _answer(r: httpx.Response) -> dict:
    raw = protocol.decompress_capped(r.content) if r.headers.get(protocol.H_ENCODING) == "zstd" else r.content
    return json.loads(raw)


def test_a_good_raw_request_is_accepted(hub_and_desk):
    server, prof = hub_and_desk
    body = protocol.compress(_batch(prof))
    r = _post(server, body, _signed_headers(prof, body))
    assert r.status_code == 200 and [x["status"] for x in _answer(r)["results"]] == ["accepted"] * 3
    # the answer is signed by the hub over its bytes and the request's nonce
    assert protocol.H_HUB_SIGNATURE in r.headers


@pytest.mark.parametrize("case", ["changed_byte", "wrong_key", "unsigned", "wrong_path"])
def test_tampered_or_wrongly_signed_requests_are_refused(hub_and_desk, case):
    server, prof = hub_and_desk
    body = protocol.compress(_batch(prof))
    if case == "changed_byte":
        headers = _signed_headers(prof, body)
        raw = bytearray(_batch(prof))
        raw[raw.index(b'"seq": 1') + 7] = ord("2")
        body = protocol.compress(bytes(raw))
        headers[protocol.H_DIGEST] = protocol.sha256_hex(body)  # digest fixed up, signature not
        expect = (401, "bad_signature")
    elif case == "wrong_key":
        headers = _signed_headers(prof, body, key=Ed25519PrivateKey.generate())
        expect = (401, "bad_signature")
    elif case == "unsigned":
        headers = {"Content-Encoding": "zstd"}
        expect = (401, "unsigned")
    else:
        headers = _signed_headers(prof, body, path="/v1/state")
        expect = (401, "bad_signature")
    r = _post(server, body, headers)
    assert (r.status_code, r.json()["error"]) == expect
    assert r.json()["message"]  # a sentence for the log, in Chinese
    assert hub_event_count(server) == 0


def test_a_changed_body_with_the_old_digest_is_refused(hub_and_desk):
    server, prof = hub_and_desk
    body = protocol.compress(_batch(prof))
    headers = _signed_headers(prof, body)
    r = _post(server, protocol.compress(_batch(prof, 2)), headers)
    assert (r.status_code, r.json()["error"]) == (400, "digest_mismatch")
    assert hub_event_count(server) == 0


def test_a_replayed_request_is_refused(hub_and_desk):
    server, prof = hub_and_desk
    body = protocol.compress(_batch(prof))
    headers = _signed_headers(prof, body)
    assert _post(server, body, headers).status_code == 200
    n = hub_event_count(server)
    r = _post(server, body, headers)
    assert (r.status_code, r.json()["error"]) == (401, "replay")
    assert "重放" in r.json()["message"]
    assert hub_event_count(server) == n


def test_skewed_clock_is_refused_with_the_hub_time_and_the_client_corrects_itself(hub_and_desk):
    server, prof = hub_and_desk
    body = protocol.compress(_batch(prof))
    r = _post(server, body, _signed_headers(prof, body, ts=int(now_utc().timestamp()) - 3600))
    assert (r.status_code, r.json()["error"]) == (401, "clock_skew")
    assert abs(r.json()["server_time_unix"] - now_utc().timestamp()) < 120
    assert hub_event_count(server) == 0
    set_meta(prof, clock_offset_s="-7200")  # the township PC is two hours slow
    rep = sync_now(prof)
    assert rep.accepted == len(local_events(prof))
    assert abs(int(meta(prof, "clock_offset_s"))) < 120  # corrected from the hub's time, kept
    devices = service.list_devices(server.hub)
    assert abs(devices[0]["clock_drift_s"]) < 120


def test_oversized_body_and_compression_bomb_are_refused(hub_and_desk):
    server, prof = hub_and_desk
    big = secrets.token_bytes(protocol.MAX_BODY_BYTES + 10)
    r = _post(server, big, _signed_headers(prof, big))
    assert (r.status_code, r.json()["error"]) == (413, "too_large")
    # 40 MB of JSON-ish blanks (over the 16 MiB cap) in a few kB, with and without the declared content size
    payload = b'{"items":[' + b" " * (40 * 1024 * 1024) + b"]}"
    for declared in (True, False):
        bomb = zstandard.ZstdCompressor(level=3, write_content_size=declared).compress(payload)
        assert len(bomb) < protocol.MAX_BODY_BYTES
        r = _post(server, bomb, _signed_headers(prof, bomb))
        assert (r.status_code, r.json()["error"]) == (413, "too_large"), declared
        assert "压缩炸弹" in r.json()["message"]
    assert hub_event_count(server) == 0


@pytest.mark.parametrize("body,encoding,code", [
    (b"\x28\xb5\x2f\xfd garbage", "zstd", "bad_encoding"),
    (protocol.compress(b"{not json"), "zstd", "bad_json"),
    (protocol.compress(b'{"items": 5}'), "zstd", "bad_request"),
    (b'{"items": [1, "x", {"outbox_id": "a", "kind": "case_event", "event": null}]}', None, None),
])
def test_malformed_requests_are_refused_or_rejected_item_by_item(hub_and_desk, body, encoding, code):
    server, prof = hub_and_desk
    r = _post(server, body, _signed_headers(prof, body, encoding=encoding))
    if code is None:
        assert r.status_code == 200
        assert [x["status"] for x in _answer(r)["results"]] == ["rejected"] * 3
    else:
        assert (r.status_code, r.json()["error"]) == (400, code)
    assert hub_event_count(server) == 0


def test_a_revoked_device_is_told_so_its_push_is_kept_for_review_and_local_data_stay(hub_and_desk):
    server, prof = hub_and_desk
    device_id = read(prof, st.get, "device_id")
    service.revoke_device(server.hub, device_id)
    with pytest.raises(DeviceRevoked, match="停用"):
        sync_now(prof)
    assert status(prof)["revoked"] is True
    assert hub_event_count(server) == 0
    # a push that reaches the hub all the same (an older client, a batch already in flight)
    s = read(prof, st.load)
    with Transport(server.url, s.device_id, s.device_key, s.hub_public_key) as t, pytest.raises(DeviceRevoked):
        t.call("/v1/push", json.loads(_batch(prof)), compress=True)
    assert hub_event_count(server) == 0
    # nothing dropped: the hub quarantined the batch for county review, the desktop still has it all
    assert {q["reason_code"] for q in service.list_quarantine(server.hub)} == {"revoked"}
    assert outbox_states(prof) == {"pending": len(local_events(prof))}


def test_an_answer_not_signed_by_the_pinned_hub_key_is_not_trusted(hub_and_desk):
    server, prof = hub_and_desk
    set_meta(prof, hub_public_key=protocol.public_raw(Ed25519PrivateKey.generate()).hex())
    with pytest.raises(SyncError, match="签名无效"):
        sync_now(prof)
    assert outbox_states(prof) == {"pending": len(local_events(prof))}  # nothing marked acknowledged


def test_enrollment_codes_are_single_use_and_bound_to_the_hub_key(template, tmp_path):
    with running_hub("sqlite", tmp_path, towns=(("331181100", "ZJ-3311-0001", "王建"),
                                                ("331123002", "ZJ-3311-0077", "赵六"))) as server:
        code = service.issue_enrollment(server.hub, "331181100", "ZJ-3311-0001", server.url)
        a = open_demo(copy_profile(template, tmp_path / "a"))
        b = open_demo(copy_profile(template, tmp_path / "b"))
        try:
            with pytest.raises(InvalidInput, match="格式不对"):
                client_enroll(a, "LSE1-garbage!")
            forged = protocol.EnrollCode.decode(code)
            forged = protocol.EnrollCode(forged.hub_url, "0" * 32, forged.secret).encode()
            with pytest.raises(SyncError, match="指纹"):
                client_enroll(a, forged)
            client_enroll(a, code)
            with pytest.raises(DeskError, match="只能用一次"):
                client_enroll(b, code)
            other_town = service.issue_enrollment(server.hub, "331123002", "ZJ-3311-0077", server.url)
            with pytest.raises(InvalidInput, match="登记码未使用"):
                client_enroll(b, other_town)
            assert not read(b, st.enrolled)
            # the desktop refused the code before spending it: no device for it at the hub
            assert [d["township_code"] for d in service.list_devices(server.hub)] == ["331181100"]
        finally:
            a.close()
            b.close()


def test_unknown_device_is_refused(hub_and_desk):
    server, prof = hub_and_desk
    set_meta(prof, device_id=str(uuid.uuid4()))
    s = read(prof, st.load)
    with pytest.raises(SyncError, match="未在县级平台登记"):
        with Transport(server.url, s.device_id, s.device_key, s.hub_public_key) as t:
            t.call("/v1/state", {})
