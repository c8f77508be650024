"""Shared pieces of the sync tests: a real hub (SQLite file, or a fresh PostgreSQL database when
``LISHUI_TEST_PG_URL`` names a server whose user may create databases) served by uvicorn on a free
loopback port, and copies of a demo desktop profile."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from lishui_desk.models import CaseEvent, Officer, OutboxEntry
from lishui_desk.storage.profile import Profile, open_profile
from sync.hub import service
from sync.hub.models import HubEvent
from sync.hub.server import ThreadedHub

PG_URL = os.environ.get("LISHUI_TEST_PG_URL")
BACKENDS = ["sqlite", *(["postgresql"] if PG_URL else [])]
TOWN = "331181100"
CERT = "ZJ-3311-0001"
PASS = "correct horse battery"


@contextmanager
def hub_db_url(backend: str, tmp: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp / 'hub.db'}"
        return
    import psycopg

    assert PG_URL
    name = f"hub_{uuid.uuid4().hex[:12]}"
    admin = make_url(PG_URL)
    plain = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def running_hub(backend: str, tmp: Path, *, towns: tuple[tuple[str, str, str], ...] = ((TOWN, CERT, "王建"),)
                ) -> Iterator[ThreadedHub]:
    """An initialised hub with the given (township, cert no, name) registered, serving on loopback."""
    root = tmp / f"hub-{uuid.uuid4().hex[:6]}"
    with hub_db_url(backend, root) as url:
        root.mkdir(parents=True, exist_ok=True)
        hub = service.init_hub(root, url)
        for code, cert, name in towns:
            service.add_township(hub, code)
            service.add_officer(hub, code, cert, name)
        server = ThreadedHub(hub).start()
        try:
            yield server
        finally:
            server.stop()
            hub.close()


def build_template(dest: Path, fast_kdf) -> Path:
    from lishui_desk.edge import build_demo

    build_demo("demo", PASS, root=dest, kdf_params=fast_kdf)
    return dest


def copy_profile(template: Path, dest: Path) -> Path:
    shutil.copytree(template, dest)
    return dest


def open_demo(root: Path) -> Profile:
    return open_profile("demo", PASS, root=root)


def enroll(prof: Profile, server: ThreadedHub, cert: str = CERT, town: str = TOWN) -> dict:
    from sync.client.worker import enroll as client_enroll

    code = service.issue_enrollment(server.hub, town, cert, server.url)
    return client_enroll(prof, code)


def meta(prof: Profile, key: str, default=None):
    """A sync.* value of the profile (JSON decoded when it is JSON)."""
    from lishui_desk.edge import read
    from sync.client import state as st

    return read(prof, st.get_json, key, default)


def set_meta(prof: Profile, **values) -> None:
    from lishui_desk.edge import run
    from sync.client import state as st

    run(prof, st.put, **values)


def local_events(prof: Profile) -> dict[str, str]:
    with prof.read_session() as s:
        return dict(s.execute(select(CaseEvent.id, CaseEvent.hash)).all())


def hub_events(server: ThreadedHub) -> dict[str, str]:
    with server.hub.session() as s:
        return dict(s.execute(select(HubEvent.id, HubEvent.hash)).all())


def hub_event_count(server: ThreadedHub) -> int:
    with server.hub.session() as s:
        return s.scalar(select(func.count()).select_from(HubEvent)) or 0


def outbox_states(prof: Profile) -> dict[str, int]:
    with prof.read_session() as s:
        return dict(s.execute(select(OutboxEntry.state, func.count()).group_by(OutboxEntry.state)).all())


def crew(prof: Profile) -> dict[str, str]:
    with prof.read_session() as s:
        rows = s.scalars(select(Officer)).all()
    by_role = {o.role: o.id for o in rows if o.id != prof.officer_id}
    colleague = next(o.id for o in rows if o.role == "officer" and o.id != prof.officer_id)
    return {"me": prof.officer_id, "colleague": colleague, "leader": by_role["leader"]}


backend_param = pytest.mark.parametrize("backend", BACKENDS)


# --- a filed case of the 八都镇 demo township, with evidence files -------------------------------

SYNC_TODAY = date(2026, 11, 26)
STACKING = "331101003000"  # 街道两侧堆放物料 (八都镇)
PARTY = {"kind": "individual", "name": "叶建国", "id_number": "11010519491231002X", "address": "龙泉市八都镇八都村12号"}
JPEG_HEAD = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"


def filed_case(prof: Profile, *, summary: str = "主街堆放木料", facts: str = "在主街两侧堆放木料约6平方米",
               today: date = SYNC_TODAY) -> str:
    """A new lead filed as a case by the profile's crew (its case number from the number blocks)."""
    from lishui_desk.edge import CaseDesk

    desk = CaseDesk(prof, today=lambda: today)
    ids = crew(prof)
    cid = desk.register_lead({"lead_on": "2026-11-20", "source": "巡查发现", "summary": summary,
                              "item_code": STACKING, "party": PARTY, "violation_date": "2026-11-20"})
    desk.perform(cid, "file_case", {"filed_on": "2026-11-21", "item_code": STACKING, "violation_date": "2026-11-20",
                                    "facts": facts, "officer_ids": [ids["me"], ids["colleague"]],
                                    "approved_by": ids["leader"]})
    return cid


def case_number(prof: Profile, case_id: str) -> str:
    from lishui_desk.edge import CaseDesk

    return CaseDesk(prof).view(case_id).summary["case_number"]


def case_with_files(prof: Profile, tmp: Path, files: dict[str, int], seed: int = 1) -> tuple[str, dict[str, bytes]]:
    """A filed case with evidence files of the given names and sizes (random content): (case, {name: bytes})."""
    import random

    from lishui_desk.edge import CaseDesk

    rng = random.Random(seed)
    cid = filed_case(prof)
    desk = CaseDesk(prof, today=lambda: SYNC_TODAY)
    contents = {}
    for name, size in files.items():
        data = rng.randbytes(size)
        if name.endswith(".jpg"):  # a photo's file must begin like one (the evidence check reads its header)
            data = JPEG_HEAD + data[len(JPEG_HEAD):]
        path = tmp / name
        path.write_bytes(data)
        desk.add_evidence_file(cid, path, "视听资料", f"现场{name}")
        contents[name] = data
    return cid, contents


def synced_backup(template: Path, tmp_path: Path, server: ThreadedHub, capsys) -> tuple[Path, str]:
    """A copy of the template enrolled and synced, then backed up with ``lishui-desk backup``:
    (data root, archive). The caller sets ``LISHUI_DESK_PASSPHRASE`` to ``PASS``."""
    import json

    from lishui_desk import cli as desk_cli

    root = copy_profile(template, tmp_path / "desk")
    prof = open_demo(root)
    enroll(prof, server)
    from sync.client.worker import sync_now

    sync_now(prof)
    prof.close()
    assert desk_cli.main(["backup", "--out", str(tmp_path / "usb"), "--data-dir", str(root), "--json"]) == 0
    return root, json.loads(capsys.readouterr().out)["path"]
