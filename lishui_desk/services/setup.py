"""Creating a profile with its reference data: township, officer, the township's seed catalog."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lishui_desk import catalog_data
from lishui_desk.errors import InvalidInput, NotFound
from lishui_desk.models import (
    CatalogVersion,
    EnforcementItem,
    Officer,
    ProfileMeta,
    Township,
    new_id,
    utcnow_iso,
)
from lishui_desk.unit_of_work import UnitOfWork

PILOT_TOWNSHIPS = ("331181100", "331123002", "331123204")


@dataclass(frozen=True)
class OfficerSpec:
    name: str
    cert_no: str
    cert_valid_until: date | None = None
    role: str = "officer"
    legal_qualification: bool = False
    reviewer_since: date | None = None  # first took up 法制审核 (《行政处罚法》第五十八条第二款)


def lookup_township(code: str) -> catalog_data.Township:
    try:
        return catalog_data.township_info(code)
    except NotFound:
        raise InvalidInput(f"区划代码 {code} 不是丽水市的乡镇/街道") from None


def ensure_township(s: Session, code: str) -> Township:
    """The township row from the bundled divisions (pilot townships carry agency details)."""
    row = s.get(Township, code)
    if row is not None:
        return row
    info = lookup_township(code)
    if not info.agency_name:
        raise InvalidInput(
            f"{info.county_name}{info.name}（{code}）尚无赋权目录与机关信息；当前内置试点："
            + "、".join(PILOT_TOWNSHIPS)
        )
    row = Township(
        code=code, name=info.name, county_code=info.county_code, county_name=info.county_name,
        agency_name=info.agency_name, agency_code=info.agency_abbrev or "",
        review_government=info.review_body or "", court=info.court or "",
    )
    s.add(row)
    s.flush()
    return row


def store_catalog(s: Session, raw: dict, *, source: str = "seed", signature: str | None = None) -> CatalogVersion:
    """Materialise one catalog version (the ``catalog`` reference stream's table)."""
    seed = catalog_data.parse_catalog(raw)
    ensure_township(s, seed.township_code)
    existing = s.scalars(
        select(CatalogVersion).where(
            CatalogVersion.township_code == seed.township_code, CatalogVersion.version == seed.version
        )
    ).first()
    if existing is not None:
        return existing
    version = CatalogVersion(
        township_code=seed.township_code, version=seed.version, effective_from=seed.effective_from,
        publisher=seed.publisher, signature=signature, source=source, imported_at=utcnow_iso(),
    )
    s.add(version)
    s.flush()
    for item_raw, item in zip(raw["items"], seed.items, strict=True):
        if item.tiers_source and not item_raw.get("tiers_source"):
            # keep the file-level 裁量基准 source with each stored item (items are reloaded alone)
            item_raw = {**item_raw, "tiers_source": item.tiers_source}
        fine = item_raw.get("fine")
        s.add(EnforcementItem(
            catalog_version_id=version.id, code=item.code, name=item.name, domain=item.domain,
            original_department=item_raw.get("original_department"),
            violation_basis=item_raw.get("violation_basis", []), penalty_basis=item_raw.get("penalty_basis", []),
            penalty_kinds=item_raw.get("penalty_kinds", []), measures=item_raw.get("measures", []),
            fine=fine, tiers=item_raw.get("tiers", []),
            first_offence_waivable=bool(item_raw.get("first_offence_waivable")),
            life_health_safety=bool(item_raw.get("life_health_safety")),
            status=item_raw.get("status", "active"),
            withdrawn_on=date.fromisoformat(item_raw["withdrawn_on"]) if item_raw.get("withdrawn_on") else None,
            raw=item_raw,
        ))
    s.flush()
    return version


def add_officer(s: Session, township_code: str, spec: OfficerSpec) -> Officer:
    if s.scalars(select(Officer).where(Officer.cert_no == spec.cert_no)).first() is not None:
        raise InvalidInput(f"执法证号 {spec.cert_no} 已登记")
    if not spec.name.strip():
        raise InvalidInput("执法人员姓名不能为空")
    row = Officer(id=new_id(), township_code=township_code, name=spec.name.strip(), cert_no=spec.cert_no.strip(),
                  cert_valid_until=spec.cert_valid_until, role=spec.role,
                  legal_qualification=spec.legal_qualification, reviewer_since=spec.reviewer_since, active=True)
    s.add(row)
    s.flush()
    return row


def catalog_item(township_code: str) -> Mapping[str, Any]:
    """A bundled catalog as an item of the ``catalog`` reference stream (version 1)."""
    path = catalog_data.catalog_path(township_code)
    seed = catalog_data.load_catalog(path)
    return {"key": township_code, "version": 1, "effective_from": seed.effective_from.isoformat(),
            "body": json.loads(path.read_text(encoding="utf-8"))}


def check_new_profile(township_code: str) -> None:
    """Refuse, before anything is created, a township without a bundled catalog."""
    lookup_township(township_code)
    if not catalog_data.catalog_path(township_code).exists():
        raise InvalidInput(f"没有 {township_code} 的内置赋权事项目录；请从县级平台同步目录后再建档")


def seed_profile(uow: UnitOfWork, township_code: str, officer: OfficerSpec) -> Officer:
    """Reference data and identity of a new profile, in the caller's unit of work: the bundled
    policy and calendar, the township and its bundled catalog (all through
    ``reference.apply_batch``), the profile's officer and its meta facts."""
    from lishui_desk.services import reference

    s = uow.session
    reference.seed_bundled(uow)
    township = ensure_township(s, township_code)
    reference.apply_batch(uow, "catalog", [catalog_item(township_code)], source="bundled")
    me = add_officer(s, township_code, officer)
    for key, value in {
        "township_code": township_code, "township_name": f"{township.county_name}{township.name}",
        "officer_id": me.id, "officer_name": me.name, "created_at": utcnow_iso(), "numbering": "local",
    }.items():
        s.merge(ProfileMeta(key=key, value=value))
    return me
