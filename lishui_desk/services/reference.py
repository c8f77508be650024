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

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from lishui_desk import catalog_data
from lishui_desk.errors import InvalidInput
from lishui_desk.events import canonical_json
from lishui_desk.models import (
    DocumentDefinition,
    NumberBlock,
    Officer,
    ReferenceCursor,
    ReferenceVersion,
    utcnow_iso,
)
from lishui_desk.policy import DEFAULT_PATH as POLICY_PATH
from lishui_desk.policy import Policy
from lishui_desk.unit_of_work import UnitOfWork
from lishui_desk.workcal import CALENDAR_DIR, WorkdayCalendar, parse_override

STREAMS = ("policy", "calendar", "catalog", "definitions", "roster", "number_blocks")
STREAM_LABELS = {"policy": "政策参数", "calendar": "工作日历", "catalog": "赋权事项目录", "definitions": "执法文书定义",
                 "roster": "执法人员名册", "number_blocks": "文号号段"}
SOURCES = ("bundled", "file", "hub", "county")
ROLES = ("officer", "leader", "reviewer", "auxiliary")


@dataclass(frozen=True)
class RefItem:
    """One item of a batch. ``key`` names the thing versioned within the stream (``policy``: the
    literal ``"policy"``; ``calendar``: the year; ``catalog``: the township code; ``definitions``:
    the document type; ``roster``: the certificate number; ``number_blocks``:
    ``township/代字/year/first``). ``version`` is a positive integer, increasing per key."""

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


# validators: body → None (raise InvalidInput). Packages outside the core that understand a stream's
# content (forms: document definitions) register one; a caller may pass one more.
Validator = Callable[[Mapping[str, Any]], object]  # raises InvalidInput; a result is ignored
VALIDATORS: dict[str, list[Validator]] = {}


def register_validator(stream: str, fn: Validator) -> None:
    """Let a package outside the core check the content of a stream's items (idempotent)."""
    fns = VALIDATORS.setdefault(stream, [])
    if fn not in fns:
        fns.append(fn)


def _where(stream: str, i: int) -> str:
    return f"{STREAM_LABELS.get(stream, stream)}第{i}项"


def _check_policy(item: RefItem, where: str) -> None:
    if item.effective_from is None:
        raise InvalidInput(f"{where}：政策参数必须注明生效日期（effective_from）")
    Policy.from_dict(dict(item.body))


def _check_calendar(item: RefItem, where: str) -> None:
    yc = parse_override(item.body, where=where)
    if str(yc.year) != item.key:
        raise InvalidInput(f"{where}：年份 {yc.year} 与条目键 {item.key} 不一致")


def _check_catalog(item: RefItem, where: str) -> None:
    seed = catalog_data.parse_catalog(dict(item.body), source=where)
    if seed.township_code != item.key:
        raise InvalidInput(f"{where}：目录所属乡镇 {seed.township_code} 与条目键 {item.key} 不一致")
    if item.effective_from is not None and seed.effective_from != item.effective_from:
        raise InvalidInput(f"{where}：生效日期与目录内容中的生效日期不一致")


def _check_definition(item: RefItem, where: str) -> None:
    if item.body.get("type") != item.key or item.body.get("version") != item.version:
        raise InvalidInput(f"{where}：文书定义的 type/version 与条目的键和版本号不一致")


def _check_roster(item: RefItem, where: str) -> None:
    b = item.body
    if not isinstance(b.get("name"), str) or not b["name"].strip():
        raise InvalidInput(f"{where}：执法人员姓名不能为空")
    if b.get("role", "officer") not in ROLES:
        raise InvalidInput(f"{where}：不认识的人员类别“{b.get('role')}”")
    for key, label in (("cert_valid_until", "执法证有效期"), ("reviewer_since", "开始从事法制审核的日期")):
        value = b.get(key)
        if value is not None:
            try:
                date.fromisoformat(str(value))
            except ValueError:
                raise InvalidInput(f"{where}：{label}“{value}”不是日期（YYYY-MM-DD）") from None


def _check_block(item: RefItem, where: str) -> None:
    b = item.body
    try:
        town, code, year, first, last = (str(b["township_code"]), str(b["doc_code"]), int(b["year"]),
                                         int(b["first"]), int(b["last"]))
    except (KeyError, TypeError, ValueError):
        raise InvalidInput(f"{where}：号段应包含 township_code、doc_code、year、first、last") from None
    if not 1 <= first <= last:
        raise InvalidInput(f"{where}：号段起止号 {first}—{last} 无效")
    if item.key != f"{town}/{code}/{year}/{first}":
        raise InvalidInput(f"{where}：号段键应为“乡镇/代字/年份/起号”")


CHECKS: dict[str, Callable[[RefItem, str], None]] = {
    "policy": _check_policy, "calendar": _check_calendar, "catalog": _check_catalog,
    "definitions": _check_definition, "roster": _check_roster, "number_blocks": _check_block,
}


def _item(raw: RefItem | Mapping[str, Any], where: str) -> RefItem:
    if isinstance(raw, RefItem):
        return raw
    if not isinstance(raw, Mapping):
        raise InvalidInput(f"{where}：应为 JSON 对象")
    key, version, body = raw.get("key"), raw.get("version"), raw.get("body")
    if not isinstance(key, str | int) or isinstance(key, bool) or not str(key).strip():
        raise InvalidInput(f"{where}：缺少条目键（key）")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InvalidInput(f"{where}：版本号（version）应为正整数")
    if not isinstance(body, Mapping):
        raise InvalidInput(f"{where}：缺少内容（body）")
    eff = raw.get("effective_from")
    try:
        eff_date = date.fromisoformat(eff) if isinstance(eff, str) else None
    except ValueError:
        raise InvalidInput(f"{where}：生效日期“{eff}”不是日期（YYYY-MM-DD）") from None
    if eff is not None and eff_date is None:
        raise InvalidInput(f"{where}：生效日期应为 YYYY-MM-DD 字符串")
    sig = raw.get("signature")
    return RefItem(str(key), version, eff_date, body, sig if isinstance(sig, str) else None)


def _held(s: Session, stream: str, key: str) -> ReferenceVersion | None:
    return s.scalars(select(ReferenceVersion).where(ReferenceVersion.stream == stream, ReferenceVersion.key == key)
                     .order_by(ReferenceVersion.version.desc()).limit(1)).first()


def apply_batch(uow: UnitOfWork, stream: str, items: Sequence[RefItem | Mapping[str, Any]],
                cursor: str | None = None, *, source: str = "file",
                verify: Callable[[bytes, str], bool] | None = None,
                validate: Validator | None = None) -> BatchResult:
    """Apply one batch of one stream with its cursor in the caller's unit of work.

    Phase 1 validates every item (shape, content, signature when ``verify`` is given, version
    against what is held and against earlier items of the batch) and raises ``InvalidInput``
    before anything is written. Phase 2 writes the new versions, materialises them where a stream
    has its own table, and sets the cursor. ``validate`` is an extra content check (forms passes
    its definition parser for the ``definitions`` stream)."""
    uow.require_write()
    if stream not in STREAMS:
        raise InvalidInput(f"不认识的参考数据类别“{stream}”（可用：{'、'.join(STREAMS)}）")
    if source not in SOURCES:
        raise InvalidInput(f"不认识的数据来源“{source}”")
    s = uow.session
    label = STREAM_LABELS[stream]
    plan: list[tuple[RefItem, str, str]] = []  # (item, canonical body, sha256)
    seen: dict[str, tuple[int, str]] = {}
    unchanged = 0
    for i, raw in enumerate(items, start=1):
        where = _where(stream, i)
        item = _item(raw, where)
        CHECKS[stream](item, where)
        for check in [*VALIDATORS.get(stream, ()), *([validate] if validate else [])]:
            try:
                check(item.body)
            except InvalidInput as exc:
                raise InvalidInput(f"{where}：{exc.message}") from None
        text = canonical_json(dict(item.body))
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if verify is not None and (not item.signature or not verify(text.encode("utf-8"), item.signature)):
            raise InvalidInput(f"{where}（{item.key} 第{item.version}版）的县级签名无效，整批未导入")
        if item.key in seen:
            top, top_sha = seen[item.key]
        else:
            row = _held(s, stream, item.key)
            top, top_sha = (row.version, row.body_sha256) if row else (0, "")
        if item.version < top:
            raise InvalidInput(
                f"{where}：{label}“{item.key}”第{item.version}版早于本机已有的第{top}版，"
                "拒绝回退到旧版本（防回滚），整批未导入")
        if item.version == top:
            if digest != top_sha:
                raise InvalidInput(
                    f"{where}：{label}“{item.key}”第{item.version}版已存在且内容不同；"
                    "已发布的版本不得修改，请使用新版本号，整批未导入")
            unchanged += 1
            continue
        seen[item.key] = (item.version, digest)
        plan.append((item, text, digest))
    now = utcnow_iso()
    for item, text, digest in plan:
        s.add(ReferenceVersion(stream=stream, key=item.key, version=item.version, effective_from=item.effective_from,
                               body=text, body_sha256=digest, source=source, signature=item.signature,
                               imported_at=now))
        _MATERIALISE.get(stream, _nothing)(uow, item, text, digest, source)
    s.merge(ReferenceCursor(stream=stream, cursor=cursor if cursor is not None else stream_cursor(uow, stream),
                            updated_at=now))
    s.flush()
    return BatchResult(stream, len(plan), unchanged, cursor)


def _nothing(uow: UnitOfWork, item: RefItem, text: str, digest: str, source: str) -> None:
    return None


def _materialise_catalog(uow: UnitOfWork, item: RefItem, text: str, digest: str, source: str) -> None:
    from lishui_desk.models import CatalogVersion
    from lishui_desk.services.setup import store_catalog

    label = str(item.body.get("version"))
    if uow.session.scalars(select(CatalogVersion.id).where(CatalogVersion.township_code == item.key,
                                                           CatalogVersion.version == label)).first():
        raise InvalidInput(f"乡镇 {item.key} 的赋权事项目录“{label}”版已存在：新版本须使用新的版本号，整批未导入")
    store_catalog(uow.session, dict(item.body), source="seed" if source == "bundled" else source,
                  signature=item.signature)


def _materialise_definition(uow: UnitOfWork, item: RefItem, text: str, digest: str, source: str) -> None:
    s = uow.session
    row = s.scalars(select(DocumentDefinition).where(DocumentDefinition.doc_type == item.key,
                                                     DocumentDefinition.version == item.version)).first()
    if row is not None:
        if row.body_sha256 != digest:
            raise InvalidInput(f"文书定义 {item.key} 第{item.version}版已存在且内容不同：已发布的版本不得修改")
        return
    s.add(DocumentDefinition(doc_type=item.key, version=item.version, body=text, body_sha256=digest,
                             source=source, signature=item.signature, imported_at=utcnow_iso()))


def _materialise_roster(uow: UnitOfWork, item: RefItem, text: str, digest: str, source: str) -> None:
    s, b = uow.session, item.body
    until = date.fromisoformat(str(b["cert_valid_until"])) if b.get("cert_valid_until") else None
    row = s.scalars(select(Officer).where(Officer.cert_no == item.key)).first()
    if row is None:
        from lishui_desk.models import new_id

        row = Officer(id=str(b.get("id") or new_id()), township_code=str(b.get("township_code") or uow.township_code),
                      cert_no=item.key)
        s.add(row)
    row.name = str(b["name"]).strip()
    row.cert_valid_until = until
    row.role = str(b.get("role") or "officer")
    row.legal_qualification = bool(b.get("legal_qualification"))
    # 《行政处罚法》第五十八条第二款: 初次从事法制审核 is judged by this date
    row.reviewer_since = date.fromisoformat(str(b["reviewer_since"])) if b.get("reviewer_since") else None
    row.active = bool(b.get("active", True))


def _materialise_block(uow: UnitOfWork, item: RefItem, text: str, digest: str, source: str) -> None:
    b = item.body
    if source == "hub":  # numbering goes on in the county's block: a local block of the same code and
        # year stops where it stands, or its next numbers would be the county block's first ones
        uow.session.execute(update(NumberBlock).where(
            NumberBlock.township_code == str(b["township_code"]), NumberBlock.doc_code == str(b["doc_code"]),
            NumberBlock.year == int(b["year"]), NumberBlock.source != "hub", NumberBlock.provisional.is_(False),
            NumberBlock.next_seq <= NumberBlock.last).values(last=NumberBlock.next_seq - 1))
    uow.session.add(NumberBlock(township_code=str(b["township_code"]), doc_code=str(b["doc_code"]),
                                year=int(b["year"]), first=int(b["first"]), last=int(b["last"]),
                                next_seq=int(b["first"]), provisional=False, source=source))


_MATERIALISE = {"catalog": _materialise_catalog, "definitions": _materialise_definition,
                "roster": _materialise_roster, "number_blocks": _materialise_block}


def stream_cursor(uow: UnitOfWork, stream: str) -> str | None:
    row = uow.session.get(ReferenceCursor, stream)
    return row.cursor if row else None


def held_versions(uow: UnitOfWork) -> list[dict[str, Any]]:
    """Every stored version (newest first per stream and key), for ``reference list``."""
    rows = uow.session.scalars(select(ReferenceVersion).order_by(
        ReferenceVersion.stream, ReferenceVersion.key, ReferenceVersion.version.desc()))
    return [{"stream": r.stream, "stream_label": STREAM_LABELS.get(r.stream, r.stream), "key": r.key,
             "version": r.version, "effective_from": r.effective_from.isoformat() if r.effective_from else None,
             "source": r.source, "signed": bool(r.signature), "imported_at": r.imported_at} for r in rows]


# --- readers for the engine ------------------------------------------------------------------
def policy_on(session: Session, day: date) -> Policy:
    """The policy version in force on ``day`` (latest effective_from ≤ day, then highest version)."""
    row = session.scalars(
        select(ReferenceVersion).where(ReferenceVersion.stream == "policy", ReferenceVersion.key == "policy",
                                       ReferenceVersion.effective_from <= day)
        .order_by(ReferenceVersion.effective_from.desc(), ReferenceVersion.version.desc()).limit(1)).first()
    if row is None:
        raise InvalidInput(f"本档案没有在 {day.isoformat()} 生效的政策参数，请导入县级下发的政策参数")
    return _policy(row.body_sha256, row.body)


_POLICIES: dict[str, Policy] = {}
_CALENDARS: dict[tuple[str, ...], WorkdayCalendar] = {}


def _policy(digest: str, body: str) -> Policy:
    # parsed once per distinct body (bodies are immutable, keyed by their hash)
    if digest not in _POLICIES:
        _POLICIES[digest] = Policy.from_dict(json.loads(body))
    return _POLICIES[digest]


def calendar(session: Session) -> WorkdayCalendar:
    """``chinese-calendar`` years plus the profile's year overrides (highest version per year)."""
    latest: dict[str, tuple[str, str]] = {}
    for key, sha, body in session.execute(
            select(ReferenceVersion.key, ReferenceVersion.body_sha256, ReferenceVersion.body)
            .where(ReferenceVersion.stream == "calendar").order_by(ReferenceVersion.key, ReferenceVersion.version)):
        latest[key] = (sha, body)
    rows = [(k, sha, body) for k, (sha, body) in sorted(latest.items())]
    sig = tuple(r[1] for r in rows)
    if sig not in _CALENDARS:
        cal = WorkdayCalendar.from_package()
        for _key, _sha, body in rows:
            cal = cal.with_override(json.loads(body))
        _CALENDARS[sig] = cal
    return _CALENDARS[sig]


# --- bundled defaults ------------------------------------------------------------------------
BUNDLED_POLICY_EFFECTIVE = date(2000, 1, 1)  # the bundled default applies until a county version


def bundled_batches() -> dict[str, list[RefItem]]:
    """The reference data shipped with the program, as batches for ``apply_batch``."""
    policy = json.loads(Path(POLICY_PATH).read_text(encoding="utf-8"))
    cal: list[RefItem] = []
    for path in sorted(CALENDAR_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and data.get("status"):  # placeholders (empty status) are not data
            cal.append(RefItem(str(data["year"]), 1, None, data))
    return {"policy": [RefItem("policy", 1, BUNDLED_POLICY_EFFECTIVE, policy)], "calendar": cal}


def seed_bundled(uow: UnitOfWork) -> None:
    """Seed the bundled policy and calendar (idempotent; a newer county version is left alone)."""
    for stream, items in bundled_batches().items():
        if uow.session.get(ReferenceCursor, stream) is None:
            apply_batch(uow, stream, items, None, source="bundled")


def needs_seed(session: Session) -> bool:
    return session.get(ReferenceCursor, "policy") is None


def load_batch_file(path: Path | str) -> tuple[str, list[Mapping[str, Any]], str | None]:
    """A batch file: ``{"stream": ..., "cursor": ..., "items": [{"key", "version", "effective_from",
    "body", "signature"}, ...]}``."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"无法读取参考数据文件 {path.name}：{exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise InvalidInput(f"参考数据文件 {path.name} 应为包含 stream 与 items 的 JSON 对象")
    stream = data.get("stream")
    if stream not in STREAMS:
        raise InvalidInput(f"参考数据文件 {path.name}：不认识的类别“{stream}”（可用：{'、'.join(STREAMS)}）")
    cursor = data.get("cursor")
    return stream, data["items"], cursor if isinstance(cursor, str) else None
