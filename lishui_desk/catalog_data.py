"""Seed catalog (赋权事项目录) and administrative divisions: loading and validation.

A township may only punish within the items delegated to it (《中华人民共和国行政处罚法》第二十四条;
《浙江省综合行政执法条例》第九条、第十条). The county publishes each township's catalog as a version
with an effective date; this module reads the bundled seed versions in ``resources/catalog`` and the
Lishui division list in ``resources/divisions/lishui.json``. It is pure: no database, no Qt.

Catalog file schema (``resources/catalog/<township_code>.json``, UTF-8 JSON)::

    {
      "township_code": "331181100",          # 9-digit 统计用区划代码
      "township_name": "八都镇",
      "county_code": "331181",               # must be the first 6 digits of township_code
      "version": "2026.1",
      "effective_from": "2026-01-01",        # ISO date
      "publisher": "龙泉市人民政府（种子数据，待县级确认）",
      "status_note": "…",                    # optional, free text
      "tiers_source": "裁量基准（示例，待县级发布）",   # default source of every item's tiers
      "code_note": "…",                      # optional
      "items": [ITEM, …]
    }

    ITEM = {
      "code": "331101003000",                # opaque string, unique within the file
      "name": "对…的行政处罚",
      "domain": "市容环卫",                   # 领域
      "original_department": "…",            # department that originally held the power (metadata)
      "violation_basis": [CITATION, …],      # 违法依据, at least one
      "penalty_basis":   [CITATION, …],      # 处罚依据, at least one
      "penalty_kinds": ["警告", "罚款", …],   # subset of PENALTY_KINDS; never 行政拘留; may be empty
                                             #   only when "measures" is not (a 处理 item, e.g. 责令限期改正)
      "warning_for": ["individual"],         # optional: party kinds 警告 applies to (default: both)
      "measures": ["责令改正", …],            # non-penalty measures
      "fine": null | {
          "individual":   [min, max|null] | null,   # yuan, or a factor per "unit"
          "organisation": [min, max|null] | null,
          "unit": null | "per_m2" | "per_m3" | "times_value" | "percent_of_cost",
          "note": "…"
      },
      "tiers": [TIER, …],                    # 裁量阶次, may be empty
      "tiers_source": "…",                   # optional, overrides the file-level source
      "first_offence_waivable": bool,        # on a 首违不罚 list (《行政处罚法》第三十三条第一款)
      "life_health_safety": bool,            # 5-year limitation may apply (《行政处罚法》第三十六条)
      "status": "active" | "withdrawn",      # withdrawn = 收回
      "withdrawn_on": "2026-04-01",          # required iff status is "withdrawn"
      "note": "…"                            # optional
    }

    CITATION = {"law": "浙江省城市市容和环境卫生管理条例", "article": "第十二条",
                "clause": "第三款" | "第（一）项" | "第一款第（一）项"}   # clause optional

    TIER = {"label": "轻微"|"一般"|"较重"|"严重"|"不予处罚", "conditions": "…",
            "party": "individual"|"organisation"|"any", "fine_min": n, "fine_max": n}

Fine numbers are yuan for ``unit: null``. For ``per_m2``/``per_m3`` they are yuan per ㎡/m³; for
``times_value`` they are multiples of a value (林木价值, 耕地开垦费, 所需费用 — see ``note``); for
``percent_of_cost`` they are percent of 工程造价. ``max: null`` means the statute sets no amount: a fine
may then only be proposed from a county-published tier.

Tier rules: every tier lies inside the legal range of each party kind it applies to ("any" applies to
both, where a range exists); per party kind, tiers sorted by ``fine_min`` are contiguous (each tier's
``fine_min`` equals the previous ``fine_max``: a boundary amount belongs to both bands) and never
overlap; labels are unique per party kind. A "不予处罚" tier (《行政处罚法》第三十三条) has 0/0 and is
outside the contiguity check. Tiers in the seed files are illustrative defaults, not a published
裁量基准 (《行政处罚法》第三十四条 requires the county to publish its own).

Division file schema (``resources/divisions/lishui.json``): ``city`` {code, name}; ``counties``
[{code, name}]; ``townships`` [{code, name, county_code, kind: 街道|镇|乡, pilot?}], where ``pilot``
holds agency_name, review_body (行政复议机关, 《中华人民共和国行政复议法》第二十四条), review_basis,
court (placeholder), court_status, agency_abbrev (机关代字, illustrative) and agency_abbrev_status.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from pathlib import Path
from typing import Any

from lishui_desk.errors import InvalidInput, NotFound
from lishui_desk.law import APL, ART51_LIMITS

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
CATALOG_DIR = RESOURCES / "catalog"
DIVISIONS_FILE = RESOURCES / "divisions" / "lishui.json"

# 《中华人民共和国行政处罚法》第九条, without 行政拘留 (第十八条第三款: only 公安机关 and others by law).
PENALTY_KINDS: tuple[str, ...] = (
    "警告", "通报批评", "罚款", "没收违法所得", "没收非法财物", "暂扣许可证件", "降低资质等级",
    "吊销许可证件", "限制开展生产经营活动", "责令停产停业", "责令关闭", "限制从业",
)
DETENTION = "行政拘留"
PARTY_KINDS = ("individual", "organisation")
PARTY_ZH = {"individual": "个人", "organisation": "单位"}
TIER_LABELS = ("轻微", "一般", "较重", "严重")
NO_PENALTY_TIER = "不予处罚"
FINE_UNITS = (None, "per_m2", "per_m3", "times_value", "percent_of_cost")
UNIT_ZH = {
    None: "元",
    "per_m2": "元/平方米",
    "per_m3": "元/立方米",
    "times_value": "倍",
    "percent_of_cost": "%（工程造价）",
}
STATUSES = ("active", "withdrawn")
DIVISION_KINDS = ("街道", "镇", "乡")

# 《行政处罚法》第五十一条: on-the-spot decision for fines up to these amounts, or a warning.
SUMMARY_LIMIT = ART51_LIMITS

_CN_NUM = "〇零一二三四五六七八九十百"
_ARTICLE = re.compile(rf"^第[{_CN_NUM}]+条(之[{_CN_NUM}]+)?$")
_CLAUSE = re.compile(rf"^(第[{_CN_NUM}]+款)?(第（[{_CN_NUM}]+）项)?$")
_TOWNSHIP_CODE = re.compile(r"^\d{9}$")

_ITEM_FIELDS = (
    "code", "name", "domain", "original_department", "violation_basis", "penalty_basis",
    "penalty_kinds", "measures", "fine", "tiers", "first_offence_waivable", "life_health_safety",
    "status",
)
_CATALOG_FIELDS = (
    "township_code", "township_name", "county_code", "version", "effective_from", "publisher", "items",
)


# ---------------------------------------------------------------------------------------- types
@dataclass(frozen=True)
class Citation:
    """One legal citation: law name + article (+ paragraph/item)."""

    law: str
    article: str
    clause: str | None = None

    def text(self) -> str:
        return f"《{self.law}》{self.article}{self.clause or ''}"

    def to_dict(self) -> dict[str, str]:
        d = {"law": self.law, "article": self.article}
        if self.clause:
            d["clause"] = self.clause
        return d


Range = tuple[Decimal, Decimal | None]


@dataclass(frozen=True)
class FineRange:
    """Legal fine range per party kind; ``None`` = no fine for that party kind."""

    individual: Range | None
    organisation: Range | None
    unit: str | None = None
    note: str = ""

    def for_party(self, party_kind: str) -> Range | None:
        _check_party(party_kind)
        return self.individual if party_kind == "individual" else self.organisation

    @property
    def per_unit(self) -> bool:
        return self.unit is not None

    @property
    def unit_zh(self) -> str:
        return UNIT_ZH[self.unit]


@dataclass(frozen=True)
class Tier:
    """裁量阶次: label, applicability conditions, the party kind it applies to, and its band."""

    label: str
    conditions: str
    party: str  # "individual" | "organisation" | "any"
    fine_min: Decimal
    fine_max: Decimal

    def applies_to(self, party_kind: str) -> bool:
        return self.party in ("any", party_kind)


@dataclass(frozen=True)
class ItemSeed:
    """One 赋权事项 as published in a catalog version."""

    code: str
    name: str
    domain: str
    original_department: str
    violation_basis: tuple[Citation, ...]
    penalty_basis: tuple[Citation, ...]
    penalty_kinds: tuple[str, ...]
    measures: tuple[str, ...]
    fine: FineRange | None
    tiers: tuple[Tier, ...]
    first_offence_waivable: bool
    life_health_safety: bool
    status: str
    withdrawn_on: date | None = None
    note: str | None = None
    tiers_source: str = ""
    warning_for: tuple[str, ...] = PARTY_KINDS
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def warning_possible(self, party_kind: str) -> bool:
        """Whether 警告 is among this item's penalties for this party kind."""
        _check_party(party_kind)
        return "警告" in self.penalty_kinds and party_kind in self.warning_for

    @property
    def has_penalty(self) -> bool:
        return bool(self.penalty_kinds)

    def is_active_on(self, on: date) -> bool:
        """Active on ``on``: status active, or withdrawn (收回) on a later date."""
        if self.status == "active":
            return True
        return self.withdrawn_on is not None and on < self.withdrawn_on

    def tiers_for(self, party_kind: str, *, include_no_penalty: bool = False) -> tuple[Tier, ...]:
        _check_party(party_kind)
        return tuple(
            t for t in self.tiers
            if t.applies_to(party_kind) and (include_no_penalty or t.label != NO_PENALTY_TIER)
        )

    def penalty_basis_text(self) -> str:
        return "、".join(c.text() for c in self.penalty_basis)

    def violation_basis_text(self) -> str:
        return "、".join(c.text() for c in self.violation_basis)


@dataclass(frozen=True)
class CatalogSeed:
    """One catalog version of one township."""

    township_code: str
    township_name: str
    county_code: str
    version: str
    effective_from: date
    publisher: str
    status_note: str
    tiers_source: str
    items: tuple[ItemSeed, ...]
    source: str = ""

    def item(self, code: str) -> ItemSeed:
        for it in self.items:
            if it.code == code:
                return it
        raise NotFound(f"{self.township_name}赋权事项目录（{self.version}版）中没有事项代码 {code}")

    def find(self, code: str) -> ItemSeed | None:
        return next((it for it in self.items if it.code == code), None)

    def active_items(self, on: date | None = None) -> tuple[ItemSeed, ...]:
        """Items the township may act on: on ``on`` (default: status active), none before the
        version's effective date."""
        if on is None:
            return tuple(it for it in self.items if it.status == "active")
        if on < self.effective_from:
            return ()
        return tuple(it for it in self.items if it.is_active_on(on))

    def item_on(self, code: str, on: date) -> ItemSeed | None:
        """The item if it is within the township's competence on ``on`` (《行政处罚法》第二十四条)."""
        it = self.find(code)
        if it is None or on < self.effective_from or not it.is_active_on(on):
            return None
        return it


# ----------------------------------------------------------------------------- summary procedure
def summary_eligible(item: ItemSeed, party_kind: str) -> bool:
    """Whether the item can fit the 简易程序 for this party kind (《行政处罚法》第五十一条).

    True when a warning is among the item's penalties, or the legal fine minimum is at most
    ¥200 (individual) / ¥3,000 (organisation). Per-unit fines (per ㎡/m³, multiples, percent) and fines
    with no statutory amount return False: the amount is only known per case, so the procedure
    engine must check the actual amount instead.
    """
    _check_party(party_kind)
    if not item.has_penalty:
        return False
    if item.warning_possible(party_kind):
        return True
    if item.fine is None or item.fine.per_unit:
        return False
    rng = item.fine.for_party(party_kind)
    if rng is None or rng[1] is None:
        return False
    return rng[0] <= SUMMARY_LIMIT[party_kind]


# ------------------------------------------------------------------------------------- loading
def catalog_path(township_code: str) -> Path:
    return CATALOG_DIR / f"{township_code}.json"


def available_catalogs() -> list[str]:
    """Township codes with a bundled seed catalog."""
    if not CATALOG_DIR.is_dir():
        return []
    return sorted(p.stem for p in CATALOG_DIR.glob("*.json") if _TOWNSHIP_CODE.match(p.stem))


def load_catalog(path_or_township_code: str | Path) -> CatalogSeed:
    """Load and validate one catalog file, by path or by 9-digit township code.

    Raises ``NotFound`` when no file exists and ``InvalidInput`` (naming the file and the item code)
    for malformed JSON or any schema/legal-range violation.
    """
    arg = str(path_or_township_code)
    if _TOWNSHIP_CODE.match(arg):
        path = catalog_path(arg)
        expected_code: str | None = arg
    else:
        path = Path(path_or_township_code)
        expected_code = None
    if not path.is_file():
        raise NotFound(f"找不到赋权事项目录文件：{path}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"赋权事项目录文件 {path.name} 不是UTF-8编码：{exc}") from exc
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"赋权事项目录文件 {path.name} 格式错误（第{exc.lineno}行第{exc.colno}列）：{exc.msg}"
        ) from exc
    catalog = parse_catalog(data, source=path.name)
    if expected_code is not None and catalog.township_code != expected_code:
        raise InvalidInput(
            f"赋权事项目录文件 {path.name} 的乡镇代码为 {catalog.township_code}，与文件名不符"
        )
    return catalog


def parse_catalog(data: Any, *, source: str = "目录数据") -> CatalogSeed:
    """Validate a catalog dict (as read from JSON or received from the county hub)."""
    where = f"赋权事项目录文件 {source}"
    if not isinstance(data, dict):
        raise InvalidInput(f"{where} 的顶层必须是对象")
    for key in _CATALOG_FIELDS:
        if key not in data:
            raise InvalidInput(f"{where} 缺少字段“{key}”")
    code = _text(data["township_code"], f"{where} 的 township_code")
    if not _TOWNSHIP_CODE.match(code):
        raise InvalidInput(f"{where} 的乡镇代码“{code}”应为9位数字统计用区划代码")
    county = _text(data["county_code"], f"{where} 的 county_code")
    if not code.startswith(county) or len(county) != 6:
        raise InvalidInput(f"{where} 的县级代码“{county}”与乡镇代码“{code}”不一致")
    effective = _date(data["effective_from"], f"{where} 的 effective_from")
    tiers_source = str(data.get("tiers_source") or "")
    raw_items = data["items"]
    if not isinstance(raw_items, list):
        raise InvalidInput(f"{where} 的 items 必须是列表")
    items: list[ItemSeed] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_items, start=1):
        it = parse_item(raw, source=source, index=index, default_tiers_source=tiers_source)
        if it.code in seen:
            raise InvalidInput(f"{where} 中事项代码 {it.code} 重复")
        seen.add(it.code)
        if it.withdrawn_on is not None and it.withdrawn_on < effective:
            raise InvalidInput(
                f"{where} 中事项 {it.code}：收回日期 {it.withdrawn_on} 早于目录生效日期 {effective}"
            )
        items.append(it)
    return CatalogSeed(
        township_code=code,
        township_name=_text(data["township_name"], f"{where} 的 township_name"),
        county_code=county,
        version=_text(data["version"], f"{where} 的 version"),
        effective_from=effective,
        publisher=_text(data["publisher"], f"{where} 的 publisher"),
        status_note=str(data.get("status_note") or ""),
        tiers_source=tiers_source,
        items=tuple(items),
        source=source,
    )


def parse_item(
    raw: Any, *, source: str = "目录数据", index: int | None = None, default_tiers_source: str = ""
) -> ItemSeed:
    """Validate one item dict (also used to rebuild an ItemSeed from the ``raw`` JSON in the DB)."""
    label = f"第{index}项" if index is not None else "事项"
    if not isinstance(raw, dict):
        raise InvalidInput(f"赋权事项目录文件 {source} 中{label}不是对象")
    code = raw.get("code")
    if not isinstance(code, str) or not code.strip() or code != code.strip():
        raise InvalidInput(f"赋权事项目录文件 {source} 中{label}缺少有效的事项代码（code）")
    where = f"赋权事项目录文件 {source} 中事项 {code}"
    for key in _ITEM_FIELDS:
        if key not in raw:
            raise InvalidInput(f"{where} 缺少字段“{key}”")
    name = _text(raw["name"], f"{where} 的事项名称")
    domain = _text(raw["domain"], f"{where} 的领域")
    dept = _text(raw["original_department"], f"{where} 的原实施部门")
    vb = _citations(raw["violation_basis"], f"{where} 的违法依据")
    pb = _citations(raw["penalty_basis"], f"{where} 的处罚依据")

    kinds = raw["penalty_kinds"]
    if not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds):
        raise InvalidInput(f"{where} 的处罚种类必须是文字列表")
    for k in kinds:
        if k == DETENTION:
            raise InvalidInput(
                f"{where}：乡镇（街道）不得设定或实施行政拘留，限制人身自由的行政处罚权只能由公安机关"
                f"和法律规定的其他机关行使（{APL.art('第十八条第三款')}）"
            )
        if k not in PENALTY_KINDS:
            raise InvalidInput(f"{where} 的处罚种类“{k}”不在{APL.art('第九条')}所列种类之内")
    if len(set(kinds)) != len(kinds):
        raise InvalidInput(f"{where} 的处罚种类有重复")
    measures = raw["measures"]
    if not isinstance(measures, list) or not all(isinstance(m, str) and m.strip() for m in measures):
        raise InvalidInput(f"{where} 的措施（measures）必须是文字列表")
    if not kinds and not measures:
        raise InvalidInput(f"{where} 既无处罚种类也无处理措施")

    warning_for = raw.get("warning_for", list(PARTY_KINDS))
    if not isinstance(warning_for, list) or not warning_for or any(p not in PARTY_KINDS for p in warning_for):
        raise InvalidInput(f"{where} 的 warning_for 必须是 individual/organisation 的非空列表")
    if "warning_for" in raw and "警告" not in kinds:
        raise InvalidInput(f"{where} 设置了 warning_for，但处罚种类不含“警告”")

    fine = _fine(raw["fine"], where)
    if ("罚款" in kinds) != (fine is not None):
        raise InvalidInput(f"{where}：处罚种类含“罚款”时必须有罚款幅度（fine），反之亦然")
    tiers = _tiers(raw["tiers"], fine, where)

    for flag in ("first_offence_waivable", "life_health_safety"):
        if not isinstance(raw[flag], bool):
            raise InvalidInput(f"{where} 的 {flag} 必须是 true 或 false")
    status = raw["status"]
    if status not in STATUSES:
        raise InvalidInput(f"{where} 的状态“{status}”无效，应为 active（有效）或 withdrawn（已收回）")
    withdrawn_on = None
    if status == "withdrawn":
        if not raw.get("withdrawn_on"):
            raise InvalidInput(f"{where} 已收回，但缺少收回日期（withdrawn_on）")
        withdrawn_on = _date(raw["withdrawn_on"], f"{where} 的收回日期")
    elif raw.get("withdrawn_on"):
        raise InvalidInput(f"{where} 状态为有效，不应有收回日期")
    note = raw.get("note")
    tiers_source = str(raw.get("tiers_source") or default_tiers_source)
    stored = dict(raw)
    if tiers_source:
        stored["tiers_source"] = tiers_source  # so that a reload from ``raw`` alone keeps it
    return ItemSeed(
        code=code,
        name=name,
        domain=domain,
        original_department=dept,
        violation_basis=vb,
        penalty_basis=pb,
        penalty_kinds=tuple(kinds),
        measures=tuple(measures),
        fine=fine,
        tiers=tiers,
        first_offence_waivable=raw["first_offence_waivable"],
        life_health_safety=raw["life_health_safety"],
        status=status,
        withdrawn_on=withdrawn_on,
        note=str(note) if note else None,
        tiers_source=tiers_source,
        warning_for=tuple(warning_for),
        raw=json.loads(json.dumps(stored, default=_json_default, ensure_ascii=False)),
    )


# ------------------------------------------------------------------------------ field validators
def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"not JSON serialisable: {value!r}")


def _check_party(party_kind: str) -> None:
    if party_kind not in PARTY_KINDS:
        raise InvalidInput(f"当事人类型“{party_kind}”无效，应为 individual（个人）或 organisation（单位）")


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{what}不能为空")
    return value.strip()


def _date(value: Any, what: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise InvalidInput(f"{what}“{value}”不是有效日期（应为 YYYY-MM-DD）") from exc


def _citations(value: Any, what: str) -> tuple[Citation, ...]:
    if not isinstance(value, list) or not value:
        raise InvalidInput(f"{what}至少需要一条法律条文")
    out = []
    for c in value:
        if not isinstance(c, dict):
            raise InvalidInput(f"{what}中的条文必须是对象")
        law = _text(c.get("law"), f"{what}的法律名称")
        article = _text(c.get("article"), f"{what}的条号")
        if not _ARTICLE.match(article):
            raise InvalidInput(f"{what}的条号“{article}”格式无效（应如“第十二条”）")
        clause = c.get("clause")
        if clause is not None:
            clause = _text(clause, f"{what}的款项")
            if not _CLAUSE.match(clause):
                raise InvalidInput(f"{what}的款项“{clause}”格式无效（应如“第一款”“第（一）项”）")
        out.append(Citation(law, article, clause))
    return tuple(out)


def _amount(value: Any, what: str, *, allow_none: bool = False) -> Decimal | None:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
        raise InvalidInput(f"{what}“{value}”不是数字")
    try:
        d = Decimal(str(value))
    except InvalidOperation as exc:
        raise InvalidInput(f"{what}“{value}”不是数字") from exc
    if not d.is_finite() or d < 0:
        raise InvalidInput(f"{what}“{value}”必须是非负数")
    return d


def _fine(value: Any, where: str) -> FineRange | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise InvalidInput(f"{where} 的罚款幅度（fine）必须是对象或 null")
    unit = value.get("unit")
    if unit not in FINE_UNITS:
        raise InvalidInput(f"{where} 的罚款计算单位“{unit}”无效")
    ranges: dict[str, Range | None] = {}
    for party in PARTY_KINDS:
        rng = value.get(party)
        if rng is None:
            ranges[party] = None
            continue
        if not isinstance(rng, list) or len(rng) != 2:
            raise InvalidInput(f"{where} 的{PARTY_ZH[party]}罚款幅度必须是 [最低, 最高]")
        lo = _amount(rng[0], f"{where} 的{PARTY_ZH[party]}最低罚款")
        hi = _amount(rng[1], f"{where} 的{PARTY_ZH[party]}最高罚款", allow_none=True)
        assert lo is not None
        if hi is not None and lo > hi:
            raise InvalidInput(f"{where} 的{PARTY_ZH[party]}罚款幅度最低 {lo} 大于最高 {hi}")
        ranges[party] = (lo, hi)
    if ranges["individual"] is None and ranges["organisation"] is None:
        raise InvalidInput(f"{where} 的罚款幅度未写明个人或单位的数额")
    return FineRange(ranges["individual"], ranges["organisation"], unit, str(value.get("note") or ""))


def _tiers(value: Any, fine: FineRange | None, where: str) -> tuple[Tier, ...]:
    if not isinstance(value, list):
        raise InvalidInput(f"{where} 的裁量阶次（tiers）必须是列表")
    tiers: list[Tier] = []
    for raw in value:
        if not isinstance(raw, dict):
            raise InvalidInput(f"{where} 的裁量阶次必须是对象")
        label = raw.get("label")
        if label not in (*TIER_LABELS, NO_PENALTY_TIER):
            raise InvalidInput(
                f"{where} 的裁量阶次“{label}”无效，可用：{'、'.join((*TIER_LABELS, NO_PENALTY_TIER))}"
            )
        party = raw.get("party")
        if party not in ("any", *PARTY_KINDS):
            raise InvalidInput(f"{where} 的裁量阶次“{label}”适用对象“{party}”无效")
        conditions = _text(raw.get("conditions"), f"{where} 的裁量阶次“{label}”适用条件")
        lo = _amount(raw.get("fine_min"), f"{where} 的裁量阶次“{label}”最低额")
        hi = _amount(raw.get("fine_max"), f"{where} 的裁量阶次“{label}”最高额")
        assert lo is not None and hi is not None
        if lo > hi:
            raise InvalidInput(f"{where} 的裁量阶次“{label}”最低额 {lo} 大于最高额 {hi}")
        tiers.append(Tier(label, conditions, party, lo, hi))
    if not tiers:
        return ()
    for tier in tiers:
        if tier.label == NO_PENALTY_TIER:
            if tier.fine_min != 0 or tier.fine_max != 0:
                raise InvalidInput(f"{where} 的“不予处罚”阶次罚款额必须为0")
            continue
        if fine is None:
            raise InvalidInput(f"{where} 没有罚款幅度，不能设置罚款裁量阶次“{tier.label}”")
        parties = PARTY_KINDS if tier.party == "any" else (tier.party,)
        applicable = [p for p in parties if fine.for_party(p) is not None]
        if not applicable or (tier.party != "any" and len(applicable) != len(parties)):
            raise InvalidInput(f"{where} 对{PARTY_ZH.get(tier.party, '该当事人')}没有罚款规定，不能设置阶次“{tier.label}”")
        for p in applicable:
            lo, hi = fine.for_party(p)  # type: ignore[misc]
            if tier.fine_min < lo or (hi is not None and tier.fine_max > hi):
                raise InvalidInput(
                    f"{where} 的裁量阶次“{tier.label}”（{tier.fine_min}–{tier.fine_max}）超出"
                    f"{PARTY_ZH[p]}法定罚款幅度（{lo}–{'不限' if hi is None else hi}）"
                )
    for p in PARTY_KINDS:
        mine = sorted(
            (t for t in tiers if t.applies_to(p) and t.label != NO_PENALTY_TIER
             and fine is not None and fine.for_party(p) is not None),
            key=lambda t: (t.fine_min, t.fine_max),
        )
        labels = [t.label for t in mine]
        if len(set(labels)) != len(labels):
            raise InvalidInput(f"{where} 的{PARTY_ZH[p]}裁量阶次名称重复")
        for prev, cur in pairwise(mine):
            if cur.fine_min < prev.fine_max:
                raise InvalidInput(
                    f"{where} 的{PARTY_ZH[p]}裁量阶次“{prev.label}”与“{cur.label}”幅度重叠"
                )
            if cur.fine_min > prev.fine_max:
                raise InvalidInput(
                    f"{where} 的{PARTY_ZH[p]}裁量阶次“{prev.label}”与“{cur.label}”之间有空档"
                    f"（{prev.fine_max}–{cur.fine_min}）"
                )
    return tuple(tiers)


# ------------------------------------------------------------------------------------ divisions
@dataclass(frozen=True)
class County:
    code: str
    name: str


@dataclass(frozen=True)
class Township:
    """乡镇/街道. The pilot fields are set only for townships with a seed profile (others: None)."""

    code: str
    name: str
    kind: str  # 街道 / 镇 / 乡
    county_code: str
    county_name: str
    agency_name: str | None = None  # 执法主体, e.g. 龙泉市八都镇人民政府
    review_body: str | None = None  # 行政复议机关 (《中华人民共和国行政复议法》第二十四条)
    review_basis: Citation | None = None
    court: str | None = None  # placeholder, to confirm locally
    court_status: str | None = None
    agency_abbrev: str | None = None  # 机关代字 for 文号, illustrative
    agency_abbrev_status: str | None = None

    @property
    def full_name(self) -> str:
        return f"{self.county_name}{self.name}"

    @property
    def is_pilot(self) -> bool:
        return self.agency_name is not None


@dataclass(frozen=True)
class Divisions:
    city_code: str
    city_name: str
    counties: tuple[County, ...]
    townships: tuple[Township, ...]
    source: str = ""
    as_of: str = ""

    def get(self, code: str) -> County | Township:
        """Look up a county (6 digits) or township (9 digits) by code."""
        for c in self.counties:
            if c.code == code:
                return c
        for t in self.townships:
            if t.code == code:
                return t
        raise NotFound(f"丽水市行政区划中没有代码 {code}")

    def county(self, code: str) -> County:
        found = self.get(code)
        if not isinstance(found, County):
            raise NotFound(f"代码 {code} 不是县（市、区）")
        return found

    def township(self, code: str) -> Township:
        found = self.get(code)
        if not isinstance(found, Township):
            raise NotFound(f"代码 {code} 不是乡镇（街道）")
        return found

    def townships_of(self, county_code: str) -> tuple[Township, ...]:
        return tuple(t for t in self.townships if t.county_code == county_code)

    def pilots(self) -> tuple[Township, ...]:
        return tuple(t for t in self.townships if t.is_pilot)


_DIVISIONS_CACHE: dict[Path, Divisions] = {}


def load_divisions(path: Path | None = None) -> Divisions:
    """Load (and cache) the Lishui division list; raises ``InvalidInput`` for a malformed file."""
    path = path or DIVISIONS_FILE
    if path in _DIVISIONS_CACHE:
        return _DIVISIONS_CACHE[path]
    if not path.is_file():
        raise NotFound(f"找不到行政区划文件：{path}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"行政区划文件 {path.name} 格式错误：{exc}") from exc
    divisions = _parse_divisions(data, path.name)
    _DIVISIONS_CACHE[path] = divisions
    return divisions


def township_info(code: str) -> Township:
    """The township (with agency, 复议机关, court and 机关代字 where known)."""
    return load_divisions().township(code)


def _parse_divisions(data: Any, source: str) -> Divisions:
    where = f"行政区划文件 {source}"
    try:
        city = data["city"]
        counties = tuple(County(str(c["code"]), str(c["name"])) for c in data["counties"])
        names = {c.code: c.name for c in counties}
        towns: list[Township] = []
        for t in data["townships"]:
            code, kind, county_code = str(t["code"]), str(t["kind"]), str(t["county_code"])
            if kind not in DIVISION_KINDS:
                raise InvalidInput(f"{where} 中 {code} 的类别“{kind}”无效")
            if county_code not in names or not code.startswith(county_code) or not _TOWNSHIP_CODE.match(code):
                raise InvalidInput(f"{where} 中乡镇代码 {code} 与县级代码 {county_code} 不一致")
            pilot = t.get("pilot") or {}
            basis = pilot.get("review_basis")
            towns.append(
                Township(
                    code=code,
                    name=str(t["name"]),
                    kind=kind,
                    county_code=county_code,
                    county_name=names[county_code],
                    agency_name=pilot.get("agency_name"),
                    review_body=pilot.get("review_body"),
                    review_basis=_citations([basis], f"{where} 中 {code} 的复议依据")[0] if basis else None,
                    court=pilot.get("court"),
                    court_status=pilot.get("court_status"),
                    agency_abbrev=pilot.get("agency_abbrev"),
                    agency_abbrev_status=pilot.get("agency_abbrev_status"),
                )
            )
    except (KeyError, TypeError) as exc:
        raise InvalidInput(f"{where} 缺少字段或结构错误：{exc}") from exc
    codes = [t.code for t in towns]
    if len(set(codes)) != len(codes):
        raise InvalidInput(f"{where} 中乡镇代码重复")
    return Divisions(
        city_code=str(city["code"]),
        city_name=str(city["name"]),
        counties=counties,
        townships=tuple(towns),
        source=str(data.get("source", "")),
        as_of=str(data.get("as_of", "")),
    )


def iter_citations(item: ItemSeed) -> Iterable[Citation]:
    yield from item.violation_basis
    yield from item.penalty_basis
