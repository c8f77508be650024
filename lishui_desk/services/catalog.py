"""事项目录 browser service: Chinese substring search over the township's current catalog.

SQLite FTS5 with the trigram tokenizer finds any substring of three or more characters; one- and
two-character queries (common in Chinese: "犬", "焚烧") fall back to LIKE over the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from lishui_desk import catalog_data
from lishui_desk.errors import NotFound
from lishui_desk.models import CatalogVersion, EnforcementItem
from lishui_desk.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class ItemRow:
    code: str
    name: str
    domain: str
    status: str
    first_offence_waivable: bool
    fine_text: str


def fine_text(fine: dict | None) -> str:
    if not fine:
        return "无罚款"
    parts = []
    for key, label in (("individual", "个人"), ("organisation", "单位")):
        rng = fine.get(key)
        if rng:
            lo, hi = rng
            parts.append(f"{label} {lo if lo is not None else 0}–{hi if hi is not None else '（未定）'} 元")
    unit = {"per_m2": "（每平方米）", "per_m3": "（每立方米）", "times_value": "（倍数）",
            "percent_of_cost": "（工程造价百分比）"}.get(fine.get("unit") or "", "")
    return "；".join(parts) + unit if parts else "无罚款"


def _version(uow: UnitOfWork, on: date | None = None) -> CatalogVersion:
    v = uow.session.scalars(
        select(CatalogVersion)
        .where(CatalogVersion.township_code == uow.township_code,
               CatalogVersion.effective_from <= (on or uow.today))
        .order_by(CatalogVersion.effective_from.desc(), CatalogVersion.id.desc()).limit(1)
    ).first()
    if v is None:
        raise NotFound("本乡镇尚无生效的赋权事项目录")
    return v


def current_version(uow: UnitOfWork) -> dict:
    v = _version(uow)
    return {"version": v.version, "effective_from": v.effective_from, "publisher": v.publisher, "source": v.source}


# Search index per catalog version: (database, version id, version label, item count) -> rows in
# display order. A stored catalog version never changes (reference data is immutable and versioned;
# a county update is a new version with a new id), so the list stays valid while the process runs.
# It holds public reference data only (item names, codes, fines), never case data. Substring search
# over it takes well under a millisecond, where each LIKE scan decrypts every page of the table.
_INDEX: dict[tuple[str, int, str, int], list[tuple[str, bool, ItemRow]]] = {}
_INDEX_MAX = 8


def _search_index(uow: UnitOfWork, v: CatalogVersion) -> list[tuple[str, bool, ItemRow]]:
    n = uow.session.scalar(select(func.count()).select_from(EnforcementItem)
                           .where(EnforcementItem.catalog_version_id == v.id)) or 0
    key = (str(uow.profile.paths.db), v.id, str(v.version), int(n))
    rows = _INDEX.get(key)
    if rows is None:
        cols = (EnforcementItem.code, EnforcementItem.name, EnforcementItem.domain, EnforcementItem.status,
                EnforcementItem.first_offence_waivable, EnforcementItem.fine)
        rows = [(f"{code}\n{name}\n{dom}".lower(), status == "active",
                 ItemRow(code, name, dom, status, bool(waivable), fine_text(fine)))
                for code, name, dom, status, waivable, fine in uow.session.execute(
                    select(*cols).where(EnforcementItem.catalog_version_id == v.id)
                    .order_by(EnforcementItem.domain, EnforcementItem.code))]
        if len(_INDEX) >= _INDEX_MAX:
            _INDEX.pop(next(iter(_INDEX)))
        _INDEX[key] = rows
    return rows


def search(uow: UnitOfWork, query: str = "", domain: str | None = None, limit: int = 200,
           include_withdrawn: bool = False) -> list[ItemRow]:
    """Items of the version in force whose name, code or domain contains ``query`` (any Chinese
    substring, ASCII case-insensitive), ordered by domain and code."""
    q = (query or "").strip().lower()
    out: list[ItemRow] = []
    for haystack, active, row in _search_index(uow, _version(uow)):
        if (active or include_withdrawn) and (not domain or row.domain == domain) and (not q or q in haystack):
            out.append(row)
            if len(out) >= limit:
                break
    return out


def item_names(uow: UnitOfWork) -> list[tuple[str, str]]:
    """(code, name) of the active items of the current catalog version — for pickers; reads two
    columns only."""
    v = _version(uow)
    return [(c, n) for c, n in uow.session.execute(
        select(EnforcementItem.code, EnforcementItem.name)
        .where(EnforcementItem.catalog_version_id == v.id, EnforcementItem.status == "active")
        .order_by(EnforcementItem.domain, EnforcementItem.code))]


def domains(uow: UnitOfWork) -> list[str]:
    v = _version(uow)
    return list(uow.session.scalars(select(EnforcementItem.domain).where(EnforcementItem.catalog_version_id == v.id)
                                    .distinct().order_by(EnforcementItem.domain)))


def item(uow: UnitOfWork, code: str) -> catalog_data.ItemSeed:
    v = _version(uow)
    row = uow.session.scalars(select(EnforcementItem).where(EnforcementItem.catalog_version_id == v.id,
                                                            EnforcementItem.code == code)).first()
    if row is None:
        raise NotFound(f"本乡镇目录中没有事项 {code}")
    return catalog_data.parse_item(row.raw)
