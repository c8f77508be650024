"""Schemathesis over the hub's published OpenAPI (``/v1/openapi.json``), against a real hub on
loopback, every request signed by an enrolled device (the auth hook): no answer is a server error
and every answer (success or refusal) conforms to the schema — status code, content type, body.
Bounded (``LISHUI_OPENAPI_EXAMPLES``, 25 per operation by default) so it stays fast in CI."""

from __future__ import annotations

import json
import os
import secrets
import time

import httpx
import pytest
import schemathesis
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from sync import protocol
from sync.hub import service
from tests.sync_support import BACKENDS, running_hub

EXAMPLES = int(os.environ.get("LISHUI_OPENAPI_EXAMPLES", "25"))
SIGNED = r"^/v1/(meta|state|push|pull)$"


@pytest.fixture(scope="module", params=BACKENDS)
def hub_and_device(request, tmp_path_factory):
    with running_hub(request.param, tmp_path_factory.mktemp("hub")) as server:
        key = Ed25519PrivateKey.generate()
        code = protocol.EnrollCode.decode(service.issue_enrollment(server.hub, "331181100", "ZJ-3311-0001",
                                                                   server.url))
        device = service.redeem_enrollment(server.hub, code.secret, protocol.public_raw(key), "schemathesis", "0.1.0")
        yield server, device["device_id"], key


def _signed_request(case, url: str, device: str, key: Ed25519PrivateKey) -> httpx.Response:
    """The auth hook: the body as it will be sent, then the signature over method, path, time,
    nonce and that body's digest (docs/SYNC.md, request signing)."""
    kw = case.as_transport_kwargs(base_url=url)
    if "json" in kw:
        raw = json.dumps(kw["json"], ensure_ascii=False).encode("utf-8")
    else:
        data = kw.get("data")
        raw = data if isinstance(data, bytes) else (data or "").encode("utf-8") if isinstance(data, str) else b""
    ts, nonce = int(time.time()), secrets.token_hex(16)  # the hub's clock on the same machine
    digest = protocol.sha256_hex(raw)
    path = httpx.URL(kw["url"]).raw_path.decode("ascii")
    sig = key.sign(protocol.signing_string(kw["method"], path, ts, nonce, digest, device))
    headers = {k: v for k, v in (kw.get("headers") or {}).items() if not k.lower().startswith("x-lishui")}
    headers.update({protocol.H_DEVICE: device, protocol.H_TIME: str(ts), protocol.H_NONCE: nonce,
                    protocol.H_DIGEST: digest, protocol.H_SIGNATURE: protocol.b64(sig),
                    "Content-Type": "application/json"})
    return httpx.request(kw["method"], kw["url"], content=raw, headers=headers, params=kw.get("params"),
                         timeout=30)


def test_the_hub_answers_every_signed_request_within_its_schema(hub_and_device):
    server, device, key = hub_and_device
    raw = httpx.get(f"{server.url}/v1/openapi.json").json()
    schema = schemathesis.openapi.from_dict(raw).include(path_regex=SIGNED)
    operations = [r.ok() for r in schema.get_all_operations()]
    assert sorted(op.path for op in operations) == ["/v1/meta", "/v1/pull", "/v1/push", "/v1/state"]
    seen: dict[str, set[int]] = {}
    for op in operations:
        # the pytest plugin's lazy fixture loader does not run on this pytest; hypothesis directly
        @given(case=op.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                  database=None)
        def one(case):
            response = _signed_request(case, server.url, device, key)
            seen.setdefault(case.operation.path, set()).add(response.status_code)
            case.validate_response(response, checks=[not_a_server_error, status_code_conformance,
                                                     content_type_conformance, response_schema_conformance])

        one()
    # the signed requests were accepted, not all refused at the door
    assert all(200 in codes for codes in seen.values()), seen
