"""Local policy (地方政策参数) as data: values the law leaves to the county.

The county publishes the policy as signed data through sync; the bundled default
(``resources/policy/default.json``) ships every value with a ``source`` and a ``status`` note.
Values the law does not fix and that nobody has confirmed for Lishui (e.g. the 较大数额 hearing
threshold, 《行政处罚法》第六十三条) are shipped empty with status "待县级确认"; the procedure
engine then asks the legal officer instead of guessing.

Policy is not statute: a refusal that applies one of these values names it (``Policy.cite``: its
Chinese name, the policy version and the source), while the statute's own rules keep their article.
Periods the statute fixes (the 5 working days of 第六十四条第一项, the 7 of 第六十四条第二项) are read
from :data:`lishui_desk.deadlines.PERIODS`, never from policy: a policy published before they were
removed may still carry ``hearing_request_working_days`` / ``hearing_notice_working_days``; such
values are ignored like any other unknown field (they never decided anything).
Stricter local choices are opt-in values (``legal_review.qualification_for_all``,
``major_decision.hearing_held``); the bundled default follows the statute.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from lishui_desk.errors import InvalidInput

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "resources" / "policy" / "default.json"
UNCONFIRMED = "待县级确认"
_PARTY_KEYS = ("individual", "organisation")
_KNOWN_FIELDS = (
    "hearing_fine_threshold",
    "sole_trader_as",
    "statement_window_working_days",
    "major_decision",
    "collective_discussion",
    "review_time_limit_working_days",
    "first_offence_lookback_days",
    "decision_warn_days_left",
    "lead_filing_days",
    "county_level_kinds",
    "disclosure",
)
# fields added later: optional, and absent means the statute's own rule (no stricter local choice)
_OPTIONAL_FIELDS = ("legal_review", "hearing_confiscation_threshold")

# Chinese names of policy values, as a refusal that applies one cites them
LABELS: dict[str, str] = {
    "hearing_fine_threshold": "听证“较大数额罚款”标准",
    "hearing_confiscation_threshold": "听证“较大数额违法所得、较大价值非法财物”标准",
    "sole_trader_as": "个体工商户适用的数额标准",
    "statement_window_working_days": "陈述申辩期间",
    "major_decision": "重大执法决定范围",
    "major_decision.kinds": "重大执法决定的处罚种类",
    "major_decision.fine_threshold": "重大执法决定的罚款数额标准",
    "major_decision.hearing_held": "经过听证的决定均属重大执法决定",
    "major_decision.flags": "重大执法决定的案件情形",
    "collective_discussion": "集体讨论范围",
    "collective_discussion.when_major": "重大执法决定均须集体讨论",
    "collective_discussion.flags": "须集体讨论的案件情形",
    "legal_review": "法制审核人员要求",
    "legal_review.qualification_for_all": "法制审核人员均须具有法律职业资格",
    "review_time_limit_working_days": "法制审核期限",
    "first_offence_lookback_days": "首违不罚“初次违法”回溯期间",
    "decision_warn_days_left": "办案期限提前提醒天数",
    "lead_filing_days": "线索核查立案期限",
    "county_level_kinds": "仍由县级部门管辖的处罚种类",
    "disclosure": "行政处罚决定公开",
    "disclosure.publish_working_days": "行政处罚决定公开期限",
    "disclosure.withdraw_working_days": "公开信息撤回期限",
}


@dataclass(frozen=True)
class FieldNote:
    source: str
    status: str  # 法定 / 默认 / 待县级确认 / 县级确认


@dataclass(frozen=True)
class Thresholds:
    """Amounts per party kind; ``None`` means not set (待县级确认)."""

    individual: Decimal | None = None
    organisation: Decimal | None = None
    by_domain: dict[str, Thresholds] = field(default_factory=dict)

    def for_party(self, party_kind: str, domain: str | None = None) -> Decimal | None:
        if domain and domain in self.by_domain:
            found = self.by_domain[domain].for_party(party_kind)
            if found is not None:
                return found
        return self.organisation if party_kind == "organisation" else self.individual


@dataclass(frozen=True)
class Disclosure:
    publish_outcomes: tuple[str, ...] = ("处罚",)
    publish_summary: bool = False
    publish_working_days: int = 7
    withdraw_working_days: int = 3
    mask_individual_name: bool = True
    mask_id_number: bool = True


@dataclass(frozen=True)
class Policy:
    version: str
    hearing_fine_threshold: Thresholds
    sole_trader_as: str  # "individual" | "organisation"
    statement_window_working_days: int
    major_kinds: frozenset[str]
    major_fine_threshold: Thresholds
    major_when_hearing_held: bool
    major_flags: frozenset[str]
    collective_when_major: bool
    collective_flags: frozenset[str]
    review_time_limit_working_days: int
    first_offence_lookback_days: int
    decision_warn_days_left: int
    lead_filing_days: int
    county_level_kinds: frozenset[str]
    disclosure: Disclosure
    notes: dict[str, FieldNote] = field(default_factory=dict, compare=False)
    # 《行政处罚法》第五十八条第二款 asks 法律职业资格 of reviewers 初次从事 the work; True = of every reviewer
    reviewer_qualification_for_all: bool = False
    hearing_confiscation_threshold: Thresholds = field(default_factory=Thresholds)

    # --- loading -------------------------------------------------------------------------
    @classmethod
    def load_default(cls) -> Policy:
        return cls.load(DEFAULT_PATH)

    @classmethod
    def load(cls, path: Path | str) -> Policy:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InvalidInput(f"无法读取政策参数文件 {path}：{exc}") from exc
        return cls.from_dict(data)

    @classmethod
    def from_signed(cls, payload: bytes, verify: Callable[[bytes], bool]) -> Policy:
        """Load a county-published policy after ``verify(payload)`` accepts it.

        ``verify`` is supplied by sync (it holds the detached signature and the pinned hub key).
        """
        if not verify(payload):
            raise InvalidInput("政策参数的签名无效：不是县级发布的版本，已拒绝")
        try:
            data = json.loads(payload.decode("utf-8"))
        except ValueError as exc:
            raise InvalidInput(f"政策参数格式错误：{exc}") from exc
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Policy:
        if not isinstance(data, dict) or not isinstance(data.get("fields"), dict):
            raise InvalidInput("政策参数格式错误：缺少 fields")
        fields = data["fields"]
        missing = [name for name in _KNOWN_FIELDS if name not in fields]
        if missing:
            raise InvalidInput(f"政策参数缺少字段：{'、'.join(missing)}")
        notes: dict[str, FieldNote] = {}
        values: dict[str, Any] = {}
        for name in _KNOWN_FIELDS:
            entry = fields[name]
            if not isinstance(entry, dict) or "value" not in entry:
                raise InvalidInput(f"政策参数 {name} 应为含 value/source/status 的对象")
            source, status = entry.get("source"), entry.get("status")
            if not isinstance(source, str) or not source or not isinstance(status, str) or not status:
                raise InvalidInput(f"政策参数 {name} 缺少来源（source）或状态（status）说明")
            notes[name] = FieldNote(source, status)
            values[name] = entry["value"]
        major = _obj(values["major_decision"], "major_decision")
        collective = _obj(values["collective_discussion"], "collective_discussion")
        disc = _obj(values["disclosure"], "disclosure")
        for name in _OPTIONAL_FIELDS:
            entry = fields.get(name)
            if entry is None:
                continue
            if not isinstance(entry, dict) or "value" not in entry or not entry.get("source") or not entry.get("status"):
                raise InvalidInput(f"政策参数 {name} 应为含 value/source/status 的对象")
            notes[name] = FieldNote(str(entry["source"]), str(entry["status"]))
            values[name] = entry["value"]
        review = _obj(values.get("legal_review", {}), "legal_review")
        sole = values["sole_trader_as"]
        if sole not in _PARTY_KEYS:
            raise InvalidInput("政策参数 sole_trader_as 只能是 individual 或 organisation")
        return cls(
            version=str(data.get("policy_version", "")),
            hearing_fine_threshold=_thresholds(values["hearing_fine_threshold"], "hearing_fine_threshold"),
            sole_trader_as=sole,
            statement_window_working_days=_int(values["statement_window_working_days"], "statement_window_working_days"),
            major_kinds=frozenset(_strs(major.get("kinds", []), "major_decision.kinds")),
            major_fine_threshold=_thresholds(major.get("fine_threshold", {}), "major_decision.fine_threshold"),
            major_when_hearing_held=bool(major.get("hearing_held", True)),
            major_flags=frozenset(_strs(major.get("flags", []), "major_decision.flags")),
            collective_when_major=bool(collective.get("when_major", True)),
            collective_flags=frozenset(_strs(collective.get("flags", []), "collective_discussion.flags")),
            review_time_limit_working_days=_int(values["review_time_limit_working_days"], "review_time_limit_working_days"),
            first_offence_lookback_days=_int(values["first_offence_lookback_days"], "first_offence_lookback_days"),
            decision_warn_days_left=_int(values["decision_warn_days_left"], "decision_warn_days_left"),
            lead_filing_days=_int(values["lead_filing_days"], "lead_filing_days"),
            county_level_kinds=frozenset(_strs(values["county_level_kinds"], "county_level_kinds")),
            disclosure=Disclosure(
                publish_outcomes=tuple(_strs(disc.get("publish_outcomes", ["处罚"]), "disclosure.publish_outcomes")),
                publish_summary=bool(disc.get("publish_summary", False)),
                publish_working_days=_int(disc.get("publish_working_days", 7), "disclosure.publish_working_days"),
                withdraw_working_days=_int(disc.get("withdraw_working_days", 3), "disclosure.withdraw_working_days"),
                mask_individual_name=bool(disc.get("mask_individual_name", True)),
                mask_id_number=bool(disc.get("mask_id_number", True)),
            ),
            notes=notes,
            reviewer_qualification_for_all=bool(review.get("qualification_for_all", False)),
            hearing_confiscation_threshold=_thresholds(values.get("hearing_confiscation_threshold", {}),
                                                       "hearing_confiscation_threshold"),
        )

    # --- questions the engine asks -------------------------------------------------------
    def threshold_party(self, party_kind: str | None) -> str:
        """Which threshold column applies: 个体工商户 follows ``sole_trader_as``."""
        if party_kind == "sole_trader":
            return self.sole_trader_as
        return "organisation" if party_kind == "organisation" else "individual"

    def hearing_threshold(self, party_kind: str | None, domain: str | None) -> Decimal | None:
        return self.hearing_fine_threshold.for_party(self.threshold_party(party_kind), domain)

    def hearing_confiscation(self, party_kind: str | None, domain: str | None) -> Decimal | None:
        return self.hearing_confiscation_threshold.for_party(self.threshold_party(party_kind), domain)

    def source_of(self, key: str) -> str:
        note = self.notes.get(key.split(".")[0])
        return note.source if note else "未载明"

    def cite(self, key: str) -> str:
        """How a refusal names this policy value: its Chinese name, version, source and status."""
        note = self.notes.get(key.split(".")[0])
        label = LABELS.get(key) or LABELS.get(key.split(".")[0], "政策参数")
        status = f"，{note.status}" if note else ""
        return f"县级政策参数“{label}”（{version_text(self.version)}{status}；来源：{self.source_of(key)}）"

    def unconfirmed(self) -> list[str]:
        return [name for name, note in self.notes.items() if note.status == UNCONFIRMED]


def _obj(value: Any, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidInput(f"政策参数 {name} 应为对象")
    return value


def _int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value > 3650:
        raise InvalidInput(f"政策参数 {name} 应为 0–3650 之间的整数，实为 {value!r}")
    return value


def _strs(value: Any, name: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidInput(f"政策参数 {name} 应为字符串列表")
    return value


def _money(value: Any, name: str) -> Decimal | None:
    if value is None or value == "" or value == UNCONFIRMED:
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation as exc:
        raise InvalidInput(f"政策参数 {name} 不是有效金额：{value!r}") from exc
    if amount <= 0:
        raise InvalidInput(f"政策参数 {name} 应为正数金额")
    return amount


def _thresholds(value: Any, name: str) -> Thresholds:
    obj = _obj(value, name)
    by_domain_raw = obj.get("by_domain", {})
    by_domain = {str(k): _thresholds(v, f"{name}.{k}") for k, v in _obj(by_domain_raw, name).items()}
    return Thresholds(
        individual=_money(obj.get("individual"), f"{name}.individual"),
        organisation=_money(obj.get("organisation"), f"{name}.organisation"),
        by_domain=by_domain,
    )


def version_text(version: str | None) -> str:
    """A policy version as an officer reads it: the bundled defaults are 本机默认政策 (their label,
    e.g. ``default-2024.1``, is for support), a county version by its published label."""
    if not version:
        return "政策版本未标明"
    if version.startswith("default-"):
        return f"本机默认政策版本{version.removeprefix('default-')}"
    return f"政策版本{version}"
