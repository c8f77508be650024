"""What a write op changed (after Anki's ``OpChanges``): the pages reload only when their data moved.

A write op of the gateway returns ``Changed(value, changes)``; :class:`ui.ops.Ops` hands ``value``
to the caller's ``done`` callback and emits ``changes`` on its ``changed`` signal. Each page asks the
flags it shows (e.g. the case list ``changes.cases``, a workspace ``changes.touches_case(id)``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class OpChanges:
    """Which data an op changed. ``profile`` means everything may differ (unlock, lock)."""

    case_ids: frozenset[str] = frozenset()  # cases whose record or row moved (a new lead included)
    catalog: bool = False  # 事项目录 versions / items
    officers: bool = False  # 执法人员名册
    documents: bool = False  # issued documents
    drafts: bool = False  # unsaved forms kept across auto-lock
    settings: bool = False  # document settings (fonts, seal text, …)
    profile: bool = False

    @classmethod
    def everything(cls) -> OpChanges:
        return cls(profile=True)

    @classmethod
    def for_cases(cls, case_ids: Iterable[str], *, documents: bool = False) -> OpChanges:
        return cls(case_ids=frozenset(case_ids), documents=documents)

    @property
    def cases(self) -> bool:
        """Some case moved (the case list, the dashboard)."""
        return self.profile or bool(self.case_ids)

    def touches_case(self, case_id: str) -> bool:
        return self.profile or case_id in self.case_ids

    @property
    def form_choices(self) -> bool:
        """What a step form offers as choices moved (officers, the catalogue)."""
        return self.profile or self.officers or self.catalog

    def __or__(self, other: OpChanges) -> OpChanges:
        merged = {f.name: getattr(self, f.name) or getattr(other, f.name) for f in fields(self)}
        merged["case_ids"] = self.case_ids | other.case_ids
        return OpChanges(**merged)

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))


@dataclass(frozen=True)
class Changed(Generic[T]):
    """The result of a write op: what the caller asked for, and what moved."""

    value: T
    changes: OpChanges
