"""Value types shared by the procedure engine, the services and the GUI."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from lishui_desk.catalog_data import ItemSeed
    from lishui_desk.policy import Policy
    from lishui_desk.workcal import WorkdayCalendar

BLOCK = "block"
WARN = "warn"


@dataclass(frozen=True)
class Violation:
    """A guard's finding: Chinese message (what is wrong and what to do) and what it applies.

    ``article`` names the statute article; a finding that comes from a county policy value (not
    from the statute) also carries ``policy_key`` (the field of :class:`~lishui_desk.policy.Policy`),
    ``policy_version`` and ``policy_source``, and its ``article`` names the policy in Chinese.
    """

    rule_id: str
    message: str
    article: str
    severity: str = BLOCK  # "block" | "warn"
    policy_key: str | None = None
    policy_version: str | None = None
    policy_source: str | None = None

    @property
    def blocks(self) -> bool:
        return self.severity == BLOCK

    @property
    def from_policy(self) -> bool:
        return self.policy_key is not None

    def text(self) -> str:
        return f"{self.message}（{self.article}）"


@dataclass(frozen=True)
class OfficerInfo:
    id: str
    name: str
    cert_no: str | None  # 行政执法证件号
    cert_valid_until: date | None
    role: str  # "officer" | "leader" | "reviewer" | "auxiliary"
    legal_qualification: bool = False  # 法律职业资格 (《行政处罚法》第五十八条第二款)
    reviewer_since: date | None = None  # began 法制审核 work (before 2021-07-15: not 初次从事, Art. 58 para 2)


@dataclass(frozen=True)
class PriorCase:
    case_id: str
    case_number: str | None
    decided_on: date | None
    item_code: str | None
    outcome: str | None  # "处罚" / "不予处罚" / …


class CatalogLookup(Protocol):
    def item_on(self, township_code: str, item_code: str, on_date: date) -> ItemSeed | None:
        """The item if it is active in the township's catalogue version effective on ``on_date``."""


class OfficerLookup(Protocol):
    def get(self, officer_id: str) -> OfficerInfo | None: ...


@dataclass(frozen=True)
class EngineContext:
    today: date
    calendar: WorkdayCalendar
    policy: Policy
    catalog: CatalogLookup
    officers: OfficerLookup
    prior_cases: Callable[[str], list[PriorCase]] = field(default=lambda _party_id: [])
    township_code: str | None = None  # the profile's township, used for a new case


@dataclass(frozen=True)
class EventDraft:
    """An event the service layer will store (it adds ids, seq, times and hashes)."""

    type: str
    payload: dict[str, Any]
    corrects: str | None = None


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label_zh: str
    kind: str  # text/date/money/choice/multichoice/int/officer/officers/party/item/bool/evidence/event
    required: bool = False
    choices: tuple[str, ...] = ()
    help_zh: str = ""


@dataclass(frozen=True)
class ActionSpec:
    key: str
    label_zh: str
    stages: tuple[str, ...]
    fields: tuple[FieldSpec, ...]
    rules: tuple[str, ...]
    event_type: str
    date_field: str | None = None  # filled with ctx.today when omitted
    officers_required: bool = False  # the act itself needs two certified officers (Art. 42)


@dataclass(frozen=True)
class NextStep:
    action: str
    label_zh: str
    allowed: bool
    violations: list[Violation]


@dataclass(frozen=True)
class DeadlineInfo:
    key: str
    label_zh: str
    due: date | None
    rule_id: str
    article: str
    days_left: int | None
    overdue: bool
    done: bool
    error: str | None = None  # e.g. the calendar does not cover the period (CalendarGap)
    note: str | None = None
    # when the period ends in a year whose calendar is not loaded: the range it can end in
    # (``due`` is then the earliest date, so officers are warned by it)
    earliest: date | None = None
    latest: date | None = None
