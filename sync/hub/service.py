"""The hub's state and county-side operations (used by the HTTP app and by ``lishui-county``)."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from lishui_desk.errors import InvalidInput, NotFound
from lishui_desk.models import new_id, utcnow_iso
from lishui_desk.timeutil import now_utc
from sync import protocol
from sync.hub import db, keys
from sync.hub.models import (
    CaseHead,
    Device,
    Enrollment,
    HubEvent,
    HubMeta,
    HubOfficer,
    HubTownship,
    QuarantineItem,
)

ENROLL_TTL = timedelta(days=7)


@dataclass
class Hub:
    root: Path
    engine: Engine
    key: Ed25519PrivateKey = field(repr=False)
    _factory: sessionmaker[Session] = field(init=False, repr=False)
    # (township, sha256) pairs an evidence/document event of the township names (sync.hub.media_fetch):
    # events are never removed, so a pair once found stays true for the life of the process
    fetch_named: set[tuple[str, str]] = field(default_factory=set, init=False, repr=False)

    def __post_init__(self) -> None:
        self._factory = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends normally, rolled back otherwise."""
        with self._factory() as s, s.begin():
            yield s

    @property
    def public_key(self) -> bytes:
        return protocol.public_raw(self.key)

    @property
    def fingerprint(self) -> str:
        return protocol.fingerprint(self.public_key)

    def sign(self, message: bytes) -> bytes:
        return self.key.sign(message)

    def epoch(self) -> str:
        with self.session() as s:
            row = s.get(HubMeta, "epoch")
            return row.value if row else ""

    def close(self) -> None:
        self.engine.dispose()


def init_hub(root: Path, db_url: str | None = None) -> Hub:
    """``lishui-county init``: the signing key, the database at the current schema, a new epoch."""
    key = keys.create_key(root)
    keys.write_config(root, db_url)
    engine = db.make_hub_engine(keys.db_url_for(root, db_url))
    db.upgrade(engine)
    hub = Hub(root, engine, key)
    with hub.session() as s:
        if s.get(HubMeta, "epoch") is None:
            s.add(HubMeta(key="epoch", value=new_id()))
        if s.get(HubMeta, "ingest_lock") is None:
            s.add(HubMeta(key="ingest_lock", value=""))
    from sync.hub import refs

    refs.ensure_streams(hub)
    return hub


def open_hub(root: Path, db_url: str | None = None) -> Hub:
    key = keys.load_key(root)
    engine = db.make_hub_engine(keys.db_url_for(root, db_url))
    rev = db.current_revision(engine)
    if rev is None:
        engine.dispose()
        raise NotFound("平台数据库尚未初始化：请先运行 lishui-county init（或检查 --db-url）")
    if rev != db.head_revision():
        db.upgrade(engine)
    return Hub(root, engine, key)


def renew_epoch(hub: Hub) -> str:
    """After the hub's database was restored from a backup: a new epoch makes every desktop pull
    every stream again from the start (cursors handed out since the backup may be reused)."""
    epoch = new_id()
    with hub.session() as s:
        s.merge(HubMeta(key="epoch", value=epoch))
    return epoch


# --- townships, officers, enrollment, devices ---------------------------------------------------


def add_township(hub: Hub, code: str) -> HubTownship:
    from lishui_desk import catalog_data

    try:
        info = catalog_data.township_info(code)
    except Exception:
        raise InvalidInput(f"区划代码 {code} 不是丽水市的乡镇/街道（见区划表）") from None
    with hub.session() as s:
        row = s.get(HubTownship, code)
        if row is None:
            row = HubTownship(code=code, name=info.name, county_code=info.county_code,
                              county_name=info.county_name, added_at=utcnow_iso())
            s.add(row)
        return row


def add_officer(hub: Hub, township: str, cert_no: str, name: str) -> HubOfficer:
    cert_no, name = cert_no.strip(), name.strip()
    if not cert_no or not name:
        raise InvalidInput("执法证号和姓名不能为空")
    with hub.session() as s:
        if s.get(HubTownship, township) is None:
            raise NotFound(f"乡镇 {township} 尚未登记：请先运行 lishui-county township add --code {township}")
        existing = s.scalars(select(HubOfficer).where(HubOfficer.cert_no == cert_no)).first()
        if existing is not None:
            if existing.township_code != township:
                raise InvalidInput(f"执法证号 {cert_no} 已登记在乡镇 {existing.township_code}")
            existing.name = name
            return existing
        row = HubOfficer(id=new_id(), township_code=township, cert_no=cert_no, name=name, added_at=utcnow_iso())
        s.add(row)
        return row


def issue_enrollment(hub: Hub, township: str, cert_no: str, hub_url: str) -> str:
    """A one-time code for (township, officer); only its digest stays at the hub."""
    secret = secrets.token_urlsafe(18)
    with hub.session() as s:
        officer = s.scalars(select(HubOfficer).where(HubOfficer.cert_no == cert_no)).first()
        if officer is None or officer.township_code != township:
            raise NotFound(f"乡镇 {township} 没有执法证号为 {cert_no} 的人员：请先运行 lishui-county officer add")
        now = now_utc()
        s.add(Enrollment(id=new_id(), secret_sha256=hashlib.sha256(secret.encode()).hexdigest(),
                         township_code=township, officer_id=officer.id,
                         created_at=now.isoformat(timespec="microseconds"),
                         expires_at=(now + ENROLL_TTL).isoformat(timespec="microseconds")))
    return protocol.EnrollCode(hub_url, hub.fingerprint, secret, township, cert_no).encode()


class EnrollRefused(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def redeem_enrollment(hub: Hub, secret: str, public_key: bytes, label: str, client_version: str) -> dict[str, Any]:
    digest = hashlib.sha256(secret.encode()).hexdigest()
    with hub.session() as s:
        enr = s.scalars(select(Enrollment).where(Enrollment.secret_sha256 == digest)).first()
        if enr is None:
            raise EnrollRefused("enroll_unknown", "登记码无效：请向县级平台重新申请")
        if enr.used_at is not None:
            raise EnrollRefused("enroll_used", "登记码已使用过：每个登记码只能用一次，请重新申请")
        if enr.expires_at < utcnow_iso():
            raise EnrollRefused("enroll_expired", "登记码已过期：请向县级平台重新申请")
        officer = s.get(HubOfficer, enr.officer_id)
        town = s.get(HubTownship, enr.township_code)
        assert officer is not None and town is not None
        device = Device(id=new_id(), township_code=enr.township_code, officer_id=enr.officer_id,
                        public_key=public_key.hex(), label=label[:128], client_version=client_version[:32],
                        enrolled_at=utcnow_iso())
        s.add(device)
        enr.used_at, enr.device_id = utcnow_iso(), device.id
        try:
            s.flush()
        except IntegrityError:
            raise EnrollRefused("enroll_key_reused", "该设备密钥已登记过") from None
        return {"device_id": device.id, "township_code": town.code, "township_name": town.name,
                "officer": {"cert_no": officer.cert_no, "name": officer.name},
                "hub_public_key": protocol.b64(hub.public_key)}


def list_devices(hub: Hub) -> list[dict[str, Any]]:
    with hub.session() as s:
        rows = s.execute(
            select(Device, HubOfficer).join(HubOfficer, HubOfficer.id == Device.officer_id).order_by(Device.enrolled_at)
        ).all()
        return [{"id": d.id, "township_code": d.township_code, "officer": o.name, "cert_no": o.cert_no,
                 "label": d.label, "enrolled_at": d.enrolled_at, "last_seen_at": d.last_seen_at,
                 "clock_drift_s": d.clock_drift_s, "revoked": d.revoked_at is not None,
                 "revoked_at": d.revoked_at} for d, o in rows]


def revoke_device(hub: Hub, device_id: str) -> Device:
    with hub.session() as s:
        d = s.get(Device, device_id)
        if d is None:
            raise NotFound(f"没有编号为 {device_id} 的设备（见 lishui-county device list）")
        if d.revoked_at is None:
            d.revoked_at = utcnow_iso()
        return d


# --- what the county sees -------------------------------------------------------------------------


def list_cases(hub: Hub) -> list[dict[str, Any]]:
    with hub.session() as s:
        open_q = dict(s.execute(
            select(QuarantineItem.case_id, func.count()).where(QuarantineItem.status == "open")
            .group_by(QuarantineItem.case_id)
        ).all())
        from sync.hub.ingest import head_list

        out = []
        for h in s.scalars(select(CaseHead).order_by(CaseHead.first_received_at, CaseHead.case_id)):
            n = s.scalar(select(func.count()).select_from(HubEvent).where(HubEvent.case_id == h.case_id)) or 0
            flags = json.loads(h.flags)
            heads = head_list(h)
            status = "ok" if n >= h.count and not open_q.get(h.case_id) else "quarantine"
            out.append({"case_id": h.case_id, "township_code": h.township_code, "case_number": h.case_number,
                        "event_count": n, "head_hash": h.head_hash, "last_type": h.last_type,
                        "chain": status, "quarantined": open_q.get(h.case_id, 0), "flags": flags,
                        "heads": [{"seq": seq, "hash": hh} for seq, hh in heads],
                        "note": differing_note(s, h.case_id) if "resolutions_differ" in flags else None,
                        "updated_at": h.updated_at})
        return out


def differing_note(s: Any, case_id: str) -> str | None:
    """Who resolved the case's fork how, when two resolutions of it differ (``forks.differing_resolutions``),
    each person named by the officer enrolled on the device that sent the event."""
    from lishui_desk.forks import differing_resolutions
    from sync.hub.ingest import parse_event

    rows = s.execute(select(HubEvent.body, HubOfficer.name).join(Device, Device.id == HubEvent.device_id, isouter=True)
                     .join(HubOfficer, HubOfficer.id == Device.officer_id, isouter=True)
                     .where(HubEvent.case_id == case_id)).all()
    events = [parse_event(json.loads(body)) for body, _name in rows]
    names = {ev.actor_id: name for ev, (_b, name) in zip(events, rows, strict=True) if name}
    return differing_resolutions(events, lambda oid: names.get(oid, "其他人员"))


def list_quarantine(hub: Hub, include_resolved: bool = False) -> list[dict[str, Any]]:
    with hub.session() as s:
        stmt = select(QuarantineItem).order_by(QuarantineItem.received_at)
        if not include_resolved:
            stmt = stmt.where(QuarantineItem.status == "open")
        return [{"id": q.id, "event_id": q.event_id, "case_id": q.case_id, "device_id": q.device_id,
                 "reason_code": q.reason_code, "reason": q.reason, "received_at": q.received_at,
                 "status": q.status} for q in s.scalars(stmt)]


def verify_all_chains(hub: Hub) -> dict[str, list[str]]:
    """Re-verify every stored chain from its bodies: {case_id: [problems]} (empty when sound)."""
    from lishui_desk.events import verify_chain
    from lishui_desk.graph import live_tips
    from sync.hub.ingest import head_list, parse_event

    with hub.session() as s:
        problems: dict[str, list[str]] = {}
        for h in s.scalars(select(CaseHead)):
            rows = s.scalars(select(HubEvent).where(HubEvent.case_id == h.case_id)
                             .order_by(HubEvent.seq, HubEvent.hash)).all()
            recs = [parse_event(json.loads(r.body)) for r in rows]
            breaks = [b.reason for b in verify_chain(recs)]  # over the graph: a fork's branches are sound
            if recs and ({(e.seq, e.hash) for e in live_tips(recs)} != set(head_list(h))
                         or max(e.seq for e in recs) != h.count):
                breaks.append("平台记录的案件头与事件不符")
            problems[h.case_id] = breaks
        return problems


def reprocess_quarantine(hub: Hub, item_id: str | None = None) -> list[tuple[str, str]]:
    from sync.hub.ingest import reprocess

    with hub.session() as s:
        return reprocess(s, item_id)
