"""Nothing lost, nothing doubled when a process dies or the hub goes back in time: the desktop
SIGKILLed mid-sync, the hub SIGKILLed mid-batch and restarted, the hub restored from a backup."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from lishui_desk.edge import CaseDesk
from lishui_desk.models import Case, ReferenceVersion
from sync.client.worker import sync_now
from sync.hub import service
from sync.hub.refs import Publication, publish
from sync.hub.server import ThreadedHub
from tests.conftest import REPO
from tests.fault_proxy import Fault, FaultProxy
from tests.sync_support import (
    PASS,
    TOWN,
    copy_profile,
    crew,
    enroll,
    local_events,
    open_demo,
    outbox_states,
    running_hub,
)


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "LISHUI_DESK_PASSPHRASE": PASS}


def _kill_after(cmd: list[str], seconds: float) -> int | None:
    proc = subprocess.Popen(cmd, env=_env(), cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        return proc.wait(seconds)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        return None


def _assert_exactly_once(prof, hub) -> None:
    from sqlalchemy import select as sel

    from sync.hub.models import HubEvent

    local = local_events(prof)
    assert outbox_states(prof) == {"acked": len(local)}
    with hub.session() as s:
        assert dict(s.execute(sel(HubEvent.id, HubEvent.hash)).all()) == local
    assert all(p == [] for p in service.verify_all_chains(hub).values())


@pytest.mark.slow
def test_the_desktop_killed_mid_sync_loses_and_doubles_nothing(template, tmp_path):
    root = copy_profile(template, tmp_path / "desk")
    prof = open_demo(root)
    rng = random.Random(7)
    try:
        with running_hub("sqlite", tmp_path) as server:
            enroll(prof, server)
            prof.close()
            # a slow link (the whole push takes several seconds) so the kills land mid-sync
            with FaultProxy(server.host, server.port, [Fault("throttle", bps=10_000)] * 50) as proxy:
                killed = 0
                for _ in range(3):
                    rc = _kill_after([sys.executable, "-m", "lishui_desk.cli", "sync", "now", "--data-dir", str(root),
                                      "--hub-url", proxy.url, "--json"], rng.uniform(0.8, 2.5))
                    killed += rc is None
                assert killed >= 1
            prof = open_demo(root)  # the killed process's database opens
            sync_now(prof)
            _assert_exactly_once(prof, server.hub)
            check = subprocess.run([sys.executable, "-m", "lishui_desk.cli", "check", "--data-dir", str(root)],
                                   env=_env(), cwd=REPO, capture_output=True, text=True, timeout=120)
            assert check.returncode == 0, check.stdout + check.stderr
    finally:
        prof.close()


def _serve(hub_root: Path, port: int) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "sync.county_cli", "serve", "--host", "127.0.0.1", "--port",
                             str(port), "--data-dir", str(hub_root)], env=_env(), cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/v1/meta", timeout=1, trust_env=False).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("hub did not start")


@pytest.mark.slow
def test_the_hub_killed_mid_batch_and_restarted(template, tmp_path):
    import socket

    from sync.client.transport import SyncError

    hub_root = tmp_path / "hub"
    hub = service.init_hub(hub_root)
    service.add_township(hub, TOWN)
    service.add_officer(hub, TOWN, "ZJ-3311-0001", "王建")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    prof = open_demo(copy_profile(template, tmp_path / "desk"))
    try:
        proc = _serve(hub_root, port)
        code = service.issue_enrollment(hub, TOWN, "ZJ-3311-0001", f"http://127.0.0.1:{port}")
        from sync.client.worker import enroll as client_enroll

        client_enroll(prof, code)
        rng = random.Random(11)
        cut = 0
        for _ in range(2):
            # about 64 kbit/s: the push takes several seconds, the hub dies somewhere in it
            with FaultProxy("127.0.0.1", port, [Fault("throttle", bps=8_000)] * 50) as proxy:
                killer = threading_timer(rng.uniform(0.5, 2.0), proc.kill)
                try:
                    sync_now(prof, batch_size=20, hub_url=proxy.url, timeout=5)
                except SyncError:
                    cut += 1
                killer.join()
            proc.wait(10)
            proc = _serve(hub_root, port)  # same database, same port
        assert cut >= 1
        sync_now(prof)
        proc.terminate()
        proc.wait(10)
        _assert_exactly_once(prof, hub)
    finally:
        prof.close()
        hub.close()


def threading_timer(seconds: float, fn):
    """Call ``fn`` after ``seconds`` on a thread. Not ``threading.Timer``: its timed wait never
    returns under libfaketime (the CI's second pass), whose shifted monotonic clock it does not
    translate; ``time.sleep`` it does."""
    import threading

    def later() -> None:
        time.sleep(seconds)
        fn()

    t = threading.Thread(target=later, daemon=True)
    t.start()
    return t


def test_a_hub_restored_from_a_backup_gets_the_missing_events_again(template, tmp_path):
    prof = open_demo(copy_profile(template, tmp_path / "desk"))
    try:
        with running_hub("sqlite", tmp_path) as server:
            enroll(prof, server)
            sync_now(prof)
            root, url = server.hub.root, str(server.hub.engine.url)
            backup = tmp_path / "backup.db"
            with sqlite3.connect(url.removeprefix("sqlite:///")) as src, sqlite3.connect(backup) as dst:
                src.backup(dst)
            publish(server.hub, "roster", [Publication(key="ZJ-3311-9001", township_code=TOWN,
                                                       body={"name": "甲", "township_code": TOWN})])
            with prof.read_session() as s:
                lead = s.scalars(select(Case.id).where(Case.stage == "lead").order_by(Case.id)).first()
            c = crew(prof)
            CaseDesk(prof).perform(lead, "decline_filing", {
                "declined_on": "2026-11-25", "reason": "经核查不构成违法", "approved_by": c["leader"],
                "officer_ids": [c["me"], c["colleague"]]})
            sync_now(prof)  # the hub now has the new event and the roster entry ...
        # ... and loses both: its database goes back to the backup
        db_file = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_file}{suffix}").unlink(missing_ok=True)
        backup.rename(db_file)
        hub = service.open_hub(root)
        service.renew_epoch(hub)  # lishui-county restored
        publish(hub, "roster", [Publication(key="ZJ-3311-9002", township_code=TOWN,
                                            body={"name": "乙", "township_code": TOWN})])
        with ThreadedHub(hub) as server2:
            rep = sync_now(prof, hub_url=server2.url)
            assert rep.requeued_after_restore == 1 and rep.accepted == 1
            _assert_exactly_once(prof, server2.hub)
            with prof.read_session() as s:
                keys = set(s.scalars(select(ReferenceVersion.key).where(ReferenceVersion.stream == "roster",
                                                                        ReferenceVersion.source == "hub")))
            assert keys == {"ZJ-3311-9001", "ZJ-3311-9002"}  # the new epoch's items pulled from the start
        hub.close()
    finally:
        prof.close()
