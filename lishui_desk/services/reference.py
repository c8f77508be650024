"""Reference data in the profile: versioned, immutable, one way in.

Every reference stream — ``policy`` (政策参数), ``calendar`` (工作日历 year overrides), ``catalog``
(赋权事项目录 versions), ``definitions`` (统一执法文书 definitions), ``roster`` (执法人员),
``number_blocks`` (文号 blocks) — enters the profile through ``apply_batch``: every item of the
batch is validated before anything is written; the items and the stream's cursor are written in
the caller's unit of work (so together or not at all); an item whose version is older than the one
held, or equal to it with a different body, is refused (rollback protection). Bundled defaults are
seeded through the same function when a profile is created or opened (source ``bundled``); the
``lishui-desk reference import FILE`` command uses it with source ``file``; sync uses it with
source ``hub`` and the hub's signature per item.

Readers: ``policy_on(uow_or_session, day)`` and ``calendar(uow_or_session)`` give the engine the
policy in force on a day and the working-day calendar held by the profile.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

STREAMS = ("policy", "calendar", "catalog", "definitions", "roster", "number_blocks")


@dataclass(frozen=True)
class RefItem:
    """One item of a batch. ``key`` names the thing versioned within the stream (``policy``: the
    literal ``"policy"``; ``calendar``: the year; ``catalog``: the township code; ``definitions``:
    the document type; ``roster``: the certificate number; ``number_blocks``: township/code/year)."""

    key: str
    version: int
    effective_from: date | None
    body: Mapping[str, Any]
    signature: str | None = None


@dataclass(frozen=True)
class BatchResult:
    stream: str
    applied: int  # new versions written
    unchanged: int  # identical to a version already held (idempotent re-apply)
    cursor: str | None


def apply_batch(uow, stream: str, items: Sequence[RefItem | Mapping[str, Any]], cursor: str | None = None, *,
                source: str = "file") -> BatchResult:  # pragma: no cover - contract skeleton
    raise NotImplementedError


def stream_cursor(uow, stream: str) -> str | None:  # pragma: no cover - contract skeleton
    raise NotImplementedError
