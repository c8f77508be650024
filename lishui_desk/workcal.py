"""Working-day calendar (工作日历): statutory holidays (法定节假日) and 调休 make-up workdays.

Sources, in order of precedence:

1. county-supplied year overrides (JSON, ``resources/calendar/*.json`` now, pulled through sync
   later; see ``resources/calendar/README.md``); an override replaces the whole year;
2. the ``chinese-calendar`` package (国务院办公厅 yearly 部分节假日安排 notices, 2004 up to the last
   year the installed version knows).

A date in a year neither source covers raises :class:`CalendarGap`: a deadline is never computed
from a guessed calendar. Needed by 行政处罚法 Art. 85 (working-day periods) and 民事诉讼法 Art. 85
(calendar-day periods whose last day is a 法定休假日 roll forward).

Pure; a :class:`WorkdayCalendar` is immutable and cheap to query.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from lishui_desk.errors import InvalidInput
from lishui_desk.law import APL, CPL

__all__ = [
    "CALENDAR_DIR",
    "OVERRIDE_STATUSES",
    "CalendarGap",
    "WorkdayCalendar",
    "YearCalendar",
    "load_override_file",
    "parse_override",
]

CALENDAR_DIR = Path(__file__).resolve().parent.parent / "resources" / "calendar"

STATUS_COUNTY = "县级下发"  # issued by the county (signed policy data)
STATUS_PRESET = "预置待确认"  # bundled with the program, to be confirmed by the county
OVERRIDE_STATUSES = frozenset({STATUS_COUNTY, STATUS_PRESET})
PACKAGE_STATUS = "国务院通知（chinese-calendar）"

_ALLOWED_KEYS = frozenset({"year", "holidays", "workdays", "source", "status", "note", "document_no"})


class CalendarGap(InvalidInput):
    """A date outside every year the calendar knows: the deadline cannot be computed."""

    code = "calendar_gap"

    def __init__(self, day: date, known: tuple[date, date] | None) -> None:
        known_text = f"本机已知 {known[0].year}—{known[1].year} 年" if known else "本机没有任何节假日数据"
        super().__init__(
            f"{day.isoformat()} 所在的 {day.year} 年节假日和调休安排尚未载入（{known_text}），"
            f"无法判断该日是否为工作日，期限无法计算（{APL.art('第八十五条')}、"
            f"{CPL.art('第八十五条')}）。请同步县级下发的 {day.year} 年工作日历后再试。"
        )
        self.date = day
        self.known = known


@dataclass(frozen=True)
class YearCalendar:
    """One year's 放假 (rest) days and 调休 make-up workdays, with where they came from."""

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]
    source: str
    status: str

    def is_workday(self, d: date) -> bool:
        if d in self.workdays:
            return True
        return d.weekday() < 5 and d not in self.holidays


def _parse_date_list(values: Any, key: str, year: int, where: str) -> frozenset[date]:
    if not isinstance(values, list):
        raise InvalidInput(f"{where}：“{key}”应为日期列表", code="calendar_format")
    out: set[date] = set()
    for value in values:
        try:
            d = date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            d = None
        if d is None:
            raise InvalidInput(f"{where}：“{key}”中的“{value}”不是 YYYY-MM-DD 格式的日期", code="calendar_format")
        if d.year != year:
            raise InvalidInput(f"{where}：“{key}”中的 {d.isoformat()} 不属于 {year} 年", code="calendar_format")
        out.add(d)
    return frozenset(out)


def parse_override(data: Mapping[str, Any], *, where: str = "工作日历数据") -> YearCalendar:
    """Validate a year override dict (see ``resources/calendar/README.md``)."""
    if not isinstance(data, Mapping):
        raise InvalidInput(f"{where}：应为 JSON 对象", code="calendar_format")
    unknown = sorted(set(data) - _ALLOWED_KEYS)
    if unknown:
        raise InvalidInput(f"{where}：不认识的字段 {', '.join(unknown)}", code="calendar_format")
    year = data.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        raise InvalidInput(f"{where}：“year”应为 2000—2100 之间的年份", code="calendar_format")
    status = data.get("status")
    if status not in OVERRIDE_STATUSES:
        raise InvalidInput(
            f"{where}：“status”应为“{STATUS_COUNTY}”或“{STATUS_PRESET}”，实际为“{status}”",
            code="calendar_format",
        )
    source = data.get("source")
    if not isinstance(source, str) or not source.strip():
        raise InvalidInput(f"{where}：缺少“source”（依据的通知名称和文号）", code="calendar_format")
    holidays = _parse_date_list(data.get("holidays", []), "holidays", year, where)
    workdays = _parse_date_list(data.get("workdays", []), "workdays", year, where)
    both = sorted(holidays & workdays)
    if both:
        raise InvalidInput(
            f"{where}：{both[0].isoformat()} 同时列为放假日和调休上班日", code="calendar_format"
        )
    weekday_makeups = sorted(d for d in workdays if d.weekday() < 5)
    if weekday_makeups:
        raise InvalidInput(
            f"{where}：调休上班日 {weekday_makeups[0].isoformat()} 不是周六或周日", code="calendar_format"
        )
    return YearCalendar(year, holidays, workdays, source.strip(), status)


def load_override_file(path: Path) -> YearCalendar | None:
    """Read one override JSON file; ``None`` for a placeholder whose ``status`` is empty."""
    where = f"工作日历文件 {path.name}"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"{where} 无法读取：{exc}", code="calendar_format") from None
    if isinstance(data, Mapping) and not data.get("status"):
        return None
    return parse_override(data, where=where)


@lru_cache(maxsize=1)
def _package_years() -> tuple[YearCalendar, ...]:
    from chinese_calendar import constants  # imported lazily: only the default calendar needs it

    first = min(constants.holidays).year
    last = max(constants.holidays).year
    holidays_by_year: dict[int, set[date]] = {y: set() for y in range(first, last + 1)}
    workdays_by_year: dict[int, set[date]] = {y: set() for y in range(first, last + 1)}
    for d in constants.holidays:
        holidays_by_year[d.year].add(d)
    for d in constants.workdays:
        workdays_by_year.setdefault(d.year, set()).add(d)
    return tuple(
        YearCalendar(
            y,
            frozenset(holidays_by_year[y]),
            frozenset(workdays_by_year.get(y, ())),
            "国务院办公厅关于部分节假日安排的通知（chinese-calendar 数据）",
            PACKAGE_STATUS,
        )
        for y in range(first, last + 1)
    )


class WorkdayCalendar:
    """Immutable set of known years. Query methods raise :class:`CalendarGap` outside them."""

    def __init__(self, years: Iterable[YearCalendar] = ()) -> None:
        self._years: dict[int, YearCalendar] = {}
        for yc in years:
            self._years[yc.year] = yc  # later entries win

    # -- construction -------------------------------------------------------------------------

    @classmethod
    def from_package(cls) -> WorkdayCalendar:
        """Only the ``chinese-calendar`` data."""
        return cls(_package_years())

    @classmethod
    def default(cls, calendar_dir: Path | None = None) -> WorkdayCalendar:
        """``chinese-calendar`` plus every override in ``resources/calendar/*.json`` whose
        ``status`` is not empty (placeholders are skipped)."""
        cal = cls.from_package()
        directory = calendar_dir or CALENDAR_DIR
        if directory.is_dir():
            for path in sorted(directory.glob("*.json")):
                yc = load_override_file(path)
                if yc is not None:
                    cal = cal._with_year(yc)
        return cal

    def with_override(self, data: Mapping[str, Any]) -> WorkdayCalendar:
        """A new calendar in which ``data`` (one year, validated) replaces that year."""
        return self._with_year(parse_override(data))

    def _with_year(self, yc: YearCalendar) -> WorkdayCalendar:
        return WorkdayCalendar([*self._years.values(), yc])

    # -- queries ------------------------------------------------------------------------------

    def years(self) -> tuple[int, ...]:
        return tuple(sorted(self._years))

    def year_info(self, year: int) -> YearCalendar | None:
        return self._years.get(year)

    def unconfirmed_years(self) -> tuple[int, ...]:
        """Years whose data is bundled but not yet confirmed by the county (``预置待确认``)."""
        return tuple(y for y in self.years() if self._years[y].status == STATUS_PRESET)

    def known_range(self) -> tuple[date, date] | None:
        """First and last day of the known years (``None`` if empty). Years inside the range may
        still be missing if an override skips a year; :meth:`covers` is authoritative."""
        if not self._years:
            return None
        ys = self.years()
        return date(ys[0], 1, 1), date(ys[-1], 12, 31)

    def covers(self, d: date) -> bool:
        return d.year in self._years

    def _year(self, d: date) -> YearCalendar:
        yc = self._years.get(d.year)
        if yc is None:
            raise CalendarGap(d, self.known_range())
        return yc

    def is_workday(self, d: date) -> bool:
        """A working day (工作日): Monday–Friday not on holiday, or a 调休 make-up day."""
        return self._year(d).is_workday(d)

    def is_holiday(self, d: date) -> bool:
        """A rest day (法定休假日): a holiday, or a weekend day that is not a 调休 workday."""
        return not self.is_workday(d)

    def next_workday(self, d: date) -> date:
        """The first working day on or after ``d``."""
        while not self.is_workday(d):
            d += timedelta(days=1)
        return d

    def bounds(self) -> tuple[WorkdayCalendar, WorkdayCalendar]:
        """(early, late): this calendar with every missing year (2000–2098) filled by the earliest- and the
        latest-ending arrangement it could have (:mod:`lishui_desk.workcal_bounds`). A period
        computed with both brackets its true end under the real arrangement."""
        found = getattr(self, "_bounds", None)
        if found is None:
            found = (_BoundCalendar(self, "early"), _BoundCalendar(self, "late"))
            self._bounds = found
        return found

    def __repr__(self) -> str:
        ys = self.years()
        span = f"{ys[0]}–{ys[-1]}" if ys else "empty"
        return f"WorkdayCalendar({span}, {len(ys)} years)"


class _BoundCalendar(WorkdayCalendar):
    """A calendar whose missing years (2000–2098: the lunar tables reach 2099) are the early or late
    bound of their arrangement."""

    def __init__(self, base: WorkdayCalendar, kind: str) -> None:
        super().__init__(base._years.values())
        self.kind = kind

    def _year(self, d: date) -> YearCalendar:
        yc = self._years.get(d.year)
        if yc is not None:
            return yc
        if not 2000 <= d.year <= 2098:
            raise CalendarGap(d, self.known_range())
        from lishui_desk.workcal_bounds import bound_year

        return bound_year(d.year, self.kind)

    def bounds(self) -> tuple[WorkdayCalendar, WorkdayCalendar]:
        return (self, self)
