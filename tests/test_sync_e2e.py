"""From the command line alone: one county hub (``lishui-county serve`` as its own process) and two
desktop profiles of two townships. Enroll, push, the county lists the cases, publishes a new
catalog version and a 法制审核 opinion, the desktops pull, the decision guard unblocks, and the
competence check (Art. 24) uses the new catalog from its effective date only."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import httpx
import pytest

from lishui_desk import cli as desk_cli
from lishui_desk.edge import read
from lishui_desk.services.context import DbCatalogLookup
from lishui_desk.services.demo import resident_id
from lishui_desk.storage.profile import open_profile
from sync import county_cli
from tests.conftest import REPO

PASS = "lishui-e2e-passphrase"
A_TOWN, B_TOWN = "331181100", "331123002"
D = date(2026, 11, 1)  # the new catalog's effective date
DROPPED = "331101003000"  # an item the new catalog no longer lists


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def county(capsys, hub: Path, *argv: str) -> str:
    capsys.readouterr()
    assert county_cli.main([*argv, "--data-dir", str(hub)]) == 0, capsys.readouterr().err
    return capsys.readouterr().out


def desk(capsys, root: Path, *argv: str, rc: int = 0) -> str:
    capsys.readouterr()
    got = desk_cli.main(["--data-dir", str(root), *argv])
    out = capsys.readouterr()
    assert got == rc, out.err + out.out
    return out.out


@pytest.fixture
def hub_process(tmp_path, capsys):
    hub = tmp_path / "county"
    county(capsys, hub, "init")
    for code, cert, name in ((A_TOWN, "ZJ-3311-0001", "王建"), (B_TOWN, "ZJ-3311-0077", "赵六")):
        county(capsys, hub, "township", "add", "--code", code)
        county(capsys, hub, "officer", "add", "--township", code, "--cert-no", cert, "--name", name)
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "sync.county_cli", "serve", "--host", "127.0.0.1",
                             "--port", str(port), "--data-dir", str(hub)], env=env, cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):  # bounded wait for the server to listen
        try:
            if httpx.get(url + "/v1/meta", timeout=1, trust_env=False).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.05)
    else:
        proc.kill()
        pytest.fail("hub did not start: " + proc.stderr.read().decode(errors="replace"))
    yield hub, url
    proc.terminate()
    proc.wait(10)


def _new_catalog(tmp_path: Path) -> Path:
    cat = json.loads((REPO / "resources" / "catalog" / f"{A_TOWN}.json").read_text(encoding="utf-8"))
    cat["version"] = "2026.2"
    cat["effective_from"] = D.isoformat()
    # the new version no longer lists DROPPED, nor the items withdrawn before it took effect
    cat["items"] = [i for i in cat["items"] if i["code"] != DROPPED and i.get("status") != "withdrawn"]
    path = tmp_path / "catalog-2026.2.json"
    path.write_text(json.dumps(cat, ensure_ascii=False), encoding="utf-8")
    return path


def _review_case(capsys, root: Path) -> str:
    rows = json.loads(desk(capsys, root, "case", "list", "--json", "--limit", "100"))["cases"]
    return next(r["id"] for r in rows if r["party_name"] == "龙泉市八都顺达建材有限公司" and r["stage"] == "legal_review")


def _violations(capsys, root: Path, case_id: str, payload: Path) -> set[str]:
    out = desk(capsys, root, "case", "check", case_id, "decide", "--payload", str(payload), "--json", rc=3)
    return {v["rule_id"] for v in json.loads(out)["violations"]}


@pytest.mark.slow
def test_two_townships_one_hub_from_the_command_line(hub_process, tmp_path, capsys, monkeypatch):
    hub, url = hub_process
    monkeypatch.setenv("LISHUI_DESK_PASSPHRASE", PASS)
    a, b = tmp_path / "desk-a", tmp_path / "desk-b"
    desk(capsys, a, "demo")
    desk(capsys, b, "init", "--township", B_TOWN, "--officer-name", "赵六", "--cert-no", "ZJ-3311-0077")
    lead = tmp_path / "lead.json"
    lead.write_text(json.dumps({"lead_on": "2026-11-20", "source": "巡查发现", "summary": "沿街阳台外堆放杂物",
                                "item_code": "331101001000", "violation_date": "2026-11-20", "place": "云峰街道",
                                "party": {"kind": "individual", "name": "张某", "address": "遂昌县云峰街道",
                                          "id_number": resident_id(date(1980, 5, 1), "123")}}, ensure_ascii=False), encoding="utf-8")
    desk(capsys, b, "case", "create", "--payload", str(lead))

    qr = tmp_path / "code-a.png"
    code_a = county(capsys, hub, "enroll", "--township", A_TOWN, "--cert-no", "ZJ-3311-0001", "--hub-url", url,
                    "--qr", str(qr)).strip().splitlines()[-1]
    assert qr.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    code_b = county(capsys, hub, "enroll", "--township", B_TOWN, "--cert-no", "ZJ-3311-0077",
                    "--hub-url", url).strip().splitlines()[-1]
    assert "八都镇" in desk(capsys, a, "sync", "enroll", code_a)
    desk(capsys, b, "sync", "enroll", code_b, "--json")
    assert json.loads(desk(capsys, a, "sync", "status", "--json"))["pending"] > 100

    rep_a = json.loads(desk(capsys, a, "--json", "sync", "now"))
    rep_b = json.loads(desk(capsys, b, "sync", "now", "--json"))
    assert rep_a["accepted"] > 100 and rep_a["pending"] == 0 and rep_b["accepted"] >= 1
    cases = json.loads(county(capsys, hub, "cases", "--json"))["cases"]
    by_town = {t: [c for c in cases if c["township_code"] == t] for t in (A_TOWN, B_TOWN)}
    assert len(by_town[A_TOWN]) == 20 and len(by_town[B_TOWN]) == 1
    assert all(c["chain"] == "ok" for c in cases)
    devices = json.loads(county(capsys, hub, "device", "list", "--json"))["devices"]
    assert sorted(d["township_code"] for d in devices) == sorted([A_TOWN, B_TOWN])

    # the decision waits for the 法制审核 opinion (Art. 58)
    review_case = _review_case(capsys, a)
    decide = tmp_path / "decide.json"
    decide.write_text(json.dumps({"decided_on": "2026-11-26", "outcome": "处罚", "kinds": ["罚款", "没收违法所得"],
                                  "amount": "120000"}), encoding="utf-8")
    assert "review.required" in _violations(capsys, a, review_case, decide)

    county(capsys, hub, "review", "record", review_case[:8], "--result", "同意", "--opinion", "事实清楚，证据确凿，同意处罚")
    out = county(capsys, hub, "publish", "catalog", str(_new_catalog(tmp_path)), "--json")
    assert json.loads(out)["published"][0]["version"] == 2  # after the bundled version 1
    before = {c["case_id"]: c["event_count"] for c in cases}

    rep_a = json.loads(desk(capsys, a, "sync", "now", "--json"))
    assert rep_a["pulled"]["review"] == 1 and rep_a["pulled"]["catalog"] == 1
    assert "review.required" not in _violations(capsys, a, review_case, decide)
    show = json.loads(desk(capsys, a, "case", "show", review_case, "--events", "--json"))
    assert any(e["type"] == "county.review_opinion" for e in show["events"])
    # the county-side event went back to the hub with the rest of the case's record
    after = {c["case_id"]: c["event_count"] for c in json.loads(county(capsys, hub, "cases", "--json"))["cases"]}
    assert after[review_case] == before[review_case] + 1

    # the other township receives neither (scoped to the case's and the catalog's township)
    rep_b = json.loads(desk(capsys, b, "sync", "now", "--json"))
    assert rep_b["pulled"]["review"] == 0 and rep_b["pulled"]["catalog"] == 0

    # competence (Art. 24): the new version from D on, the old one before
    prof = open_profile("demo", PASS, root=a)
    try:
        def item(uow, on):
            return DbCatalogLookup(uow.session).item_on(A_TOWN, DROPPED, on)

        assert read(prof, item, date(2026, 10, 31)) is not None
        assert read(prof, item, D) is None
    finally:
        prof.close()
    # a second round changes nothing
    rep_a = json.loads(desk(capsys, a, "sync", "now", "--json"))
    assert rep_a["pushed"] == 0 and rep_a["pulled"]["review"] == 0 and rep_a["pulled"]["catalog"] == 0
