"""The documented, whitelisted context a document definition may read (文书数据).

A definition's placeholders (``{party.name}``) may only name paths in :data:`SCHEMA`; the loader
refuses anything else. The core builds a context from a case; :func:`validate_context` refuses
unknown keys and wrongly typed values, naming the path, so a typo never silently prints nothing.

Leaf types:

``str``       one-line text (≤ 1 000 characters)
``text``      free text, may contain newlines (paragraph breaks), ≤ 20 000 characters
``int``       integer (days, months, age, count)
``amount``    money in yuan: ``Decimal``, ``int`` or a string ``"200.00"`` (≤ 2 decimals)
``date``      ``datetime.date`` or ISO string ``YYYY-MM-DD``
``datetime``  ``datetime.datetime`` or ISO string with time
``list``      list of ``str``

A list of records is written ``[ {field: type, …} ]``; list blocks iterate over it and address
the current record as ``each.<field>`` (and ``n`` for its 1-based number). A list of strings
(``list``) can be joined with the ``join`` formatter or iterated with ``{each}``.

Every value may be absent or ``None``; a placeholder whose value is absent is an error at render
time unless it has a ``default:`` formatter or its block's ``if`` condition is false.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from lishui_desk.errors import InvalidInput
from lishui_desk.limits import MAX_TEXT

PERSON = {"name": "str", "cert_no": "str"}

SCHEMA: dict[str, Any] = {
    # 执法机关 (the township government or sub-district office)
    "agency": {
        "name": "str",
        "code": "str",  # 机关代字, e.g. 龙八综执
        "review_government": "str",  # 复议机关: 县（市、区）人民政府 (行政复议法 Art. 24)
        "court": "str",
        "address": "str",
        "phone": "str",
        "postcode": "str",
        "head": "str",  # 行政机关负责人
        "legal_unit": "str",  # 法制审核机构
    },
    # 案件
    "case": {
        "number": "str",
        "title": "str",  # 案由
        "filed_on": "date",
        "source": "str",
        "procedure": "str",
        "clue": "text",  # 案件来源/线索简况
        "handler_opinion": "text",
        "head_opinion": "text",
        "approved_by": "str",
        "approved_on": "date",
        "not_filed_reason": "text",
        "closed_on": "date",
    },
    # 当事人 (person or organisation)
    "party": {
        "name": "str",
        "kind": "str",  # 个人 / 单位
        "you": "str",  # how a document addresses the party: 你 (citizen) / 你单位 (organisation)
        "id_number": "str",
        "credit_code": "str",
        "sex": "str",
        "age": "int",
        "birth_date": "date",
        "address": "str",
        "phone": "str",
        "legal_rep": "str",
        "work_unit": "str",
        "position": "str",
        "postcode": "str",
        "email": "str",
    },
    # 赋权事项
    "item": {
        "code": "str",
        "name": "str",
        "domain": "str",
        "violation_basis_text": "text",  # 违法依据 (citation)
        "penalty_basis_text": "text",  # 处罚依据 (citation)
    },
    "facts": "text",
    "violation": {"date": "date", "end_date": "date", "place": "str"},
    "evidence": [
        {"kind": "str", "description": "str", "sha256_prefix": "str", "captured_by": "str", "captured_at": "datetime"}
    ],
    "penalty": {
        "kinds": "list",
        "amount": "amount",
        "amount_upper": "str",
        "content": "text",  # 处罚内容 as worded
        "reasoning": "text",  # 裁量理由
        "correction": "text",  # 责令改正内容
        "confiscation": "text",
    },
    "notice": {"number": "str", "served_on": "date", "proposed": "text", "hearing_right": "str",
               "facts": "text",  # 违法事实 addressed to the party (经查，你…)
               "response": "text"},  # what the party did with the rights notified (waiver, statement, hearing)
    "deadlines": {
        "payment_days": "int",
        "statement_days": "int",
        "hearing_days": "int",
        "correction_days": "int",
        "correction_by": "date",
        "preservation_days": "int",
        "reminder_days": "int",
    },
    "payment": {"bank": "str", "account": "str", "account_name": "str", "method": "text", "late_fee_rule": "text"},
    "remedies": {"review_body": "str", "review_days": "int", "court": "str", "litigation_months": "int"},
    "officers": [PERSON],
    "officer1": PERSON,
    "officer2": PERSON,
    "recorder": "str",
    # 听证
    "hearing": {
        "time": "datetime",
        "end": "datetime",
        "place": "str",
        "host": "str",
        "clerk": "str",
        "public": "str",
        "investigators": "list",
        "agents": "list",
        "investigator_statement": "text",
        "party_statement": "text",
        "cross_examination": "text",
        "final_statement": "text",
        "requested_on": "date",
    },
    # 法制审核
    "review": {
        "opinion": "text",
        "reasons": "text",
        "reviewer": "str",
        "reviewer_qualification": "str",
        "conclusion": "str",
        "date": "date",
    },
    # 集体讨论
    "discussion": {
        "time": "datetime",
        "end": "datetime",
        "place": "str",
        "host": "str",
        "attendees": "list",
        "recorder": "str",
        "reporter": "str",
        "report": "text",
        "opinions": [{"name": "str", "opinion": "text"}],
        "conclusion": "text",
    },
    # 调查终结 / 案件处理审批
    "investigation": {"summary": "text", "conclusion": "text", "proposal": "text", "handler_opinion": "text",
                      "head_opinion": "text", "date": "date"},
    # 陈述申辩
    "statement": {"time": "datetime", "end": "datetime", "place": "str", "content": "text", "review": "text"},
    # 送达
    "service": {
        "method": "str",
        "doc_name": "str",
        "doc_number": "str",
        "place": "str",
        "address": "str",
        "recipient": "str",
        "date": "date",
        "server": "str",
        "witness": "str",
        "note": "text",
        # what the recorded service holds, method by method (forms.served_docs)
        "signed_on": "date",
        "sent_on": "date",
        "tracking_no": "str",
        "receipt_on": "date",
        "reached_on": "date",
        "reason": "text",
        "published_on": "date",
        "entrusted_to": "str",
        "left_note": "text",
        "receipt_line": "text",
        "effective": "text",
        "medium": "str",
        "deemed_days": "int",
        "electronic_consent": "str",
        "email": "str",
        "phone": "str",
        "contact": "str",
    },
    # 本文书
    "document": {"number": "str", "date": "date", "title": "str"},
    # 现场检查（勘验）
    "inspection": {
        "start": "datetime",
        "end": "datetime",
        "place": "str",
        "present": "list",
        "witness": "str",
        "findings": "text",
        "notified": "text",
    },
    # 询问（调查）
    "inquiry": {
        "start": "datetime",
        "end": "datetime",
        "place": "str",
        "interviewee": "str",
        "relation": "str",
        "times": "int",
        "qa": [{"q": "text", "a": "text"}],
        "summary": "text",  # 询问内容摘要 (record_inquiry's required field): printed when no Q&A was recorded
    },
    # 调查通知
    "summons": {"time": "datetime", "place": "str", "matters": "text", "materials": "list", "contact": "str"},
    # 证据先行登记保存
    "preservation": {
        "number": "str",
        "date": "date",
        "place": "str",
        "keeper": "str",
        "items": [{"name": "str", "spec": "str", "quantity": "str", "note": "str"}],
        "handling": "text",  # 处理决定 within 7 working days (行政处罚法 Art. 56)
        "approved_by": "str",
    },
    # 案件移送
    "transfer": {"to": "str", "reason": "text", "basis": "text", "materials": "list", "contact": "str"},
    # 不予行政处罚
    "non_penalty": {"reason": "text", "basis": "text", "education": "text"},
    # 催告 (行政强制法 Art. 35, 54)
    "reminder": {"number": "str", "amount_due": "amount", "late_fee": "amount", "total": "amount",
                 "days": "int", "fine": "amount", "paid": "amount"},
    # 结案
    "closing": {"date": "date", "execution": "text", "summary": "text", "handler_opinion": "text",
                "head_opinion": "text", "archive_no": "str"},
    # 案卷封面 / 卷内目录
    "casefile": {
        "title": "str",
        "archive_no": "str",
        "volume": "str",
        "retention": "str",
        "opened_on": "date",
        "closed_on": "date",
        "pages": "int",
        "keeper": "str",
        "filed_by": "str",
    },
    "toc": [{"title": "str", "number": "str", "date": "date", "page": "str", "note": "str"}],
}

LEAF_TYPES = frozenset({"str", "text", "int", "amount", "date", "datetime", "list"})
MAX_STR = 1000
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def spec_at(path: str, schema: Any = None) -> Any:
    """The spec (leaf type name, dict, or ``[record]``) at a dotted path; KeyError when unknown."""
    node: Any = SCHEMA if schema is None else schema
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(path)
        node = node[part]
    return node


def leaf_paths(schema: Any = None, prefix: str = "") -> list[str]:
    """Every addressable leaf path (for documentation and tests)."""
    node = SCHEMA if schema is None else schema
    out: list[str] = []
    for key, sub in node.items():
        p = f"{prefix}{key}"
        if isinstance(sub, dict):
            out += leaf_paths(sub, p + ".")
        elif isinstance(sub, list):
            out.append(p + "[]")
            out += leaf_paths(sub[0], p + "[].")
        else:
            out.append(p)
    return out


def _check_leaf(kind: str, value: Any, path: str) -> None:
    def bad(what: str) -> InvalidInput:
        return InvalidInput(f"文书数据字段“{path}”应为{what}，实际为 {type(value).__name__}：{str(value)[:40]}")

    if kind == "str":
        if not isinstance(value, str):
            raise bad("文字")
        if len(value) > MAX_STR:
            raise InvalidInput(f"文书数据字段“{path}”过长（{len(value)} 字，上限 {MAX_STR} 字）")
        if "\n" in value or "\r" in value:
            raise InvalidInput(f"文书数据字段“{path}”不能换行")
    elif kind == "text":
        if not isinstance(value, str):
            raise bad("文字")
        if len(value) > MAX_TEXT:
            raise InvalidInput(f"文书数据字段“{path}”过长（{len(value)} 字，上限 {MAX_TEXT} 字）")
    elif kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad("整数")
    elif kind == "amount":
        to_amount(value, path)
    elif kind == "date":
        to_date(value, path)
    elif kind == "datetime":
        to_datetime(value, path)
    elif kind == "list":
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise bad("文字列表")
        for i, v in enumerate(value):
            _check_leaf("str", v, f"{path}[{i}]")
    else:  # pragma: no cover - schema error
        raise AssertionError(kind)


def to_amount(value: Any, path: str = "金额") -> Decimal:
    if isinstance(value, bool):
        raise InvalidInput(f"文书数据字段“{path}”应为金额（元），实际为 {value!r}")
    try:
        if isinstance(value, float):
            raise InvalidOperation
        d = Decimal(str(value)) if isinstance(value, int | str) else value
        if not isinstance(d, Decimal) or not d.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        raise InvalidInput(f"文书数据字段“{path}”应为金额（元，如 \"200.00\"），实际为 {value!r}") from None
    if d < 0 or d.as_tuple().exponent < -2 or d >= Decimal("1e12"):  # type: ignore[operator]
        raise InvalidInput(f"文书数据字段“{path}”金额不合法：{value}（应为非负、最多两位小数）")
    return d.quantize(Decimal("0.01"))


def to_date(value: Any, path: str = "日期") -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidInput(f"文书数据字段“{path}”应为日期（YYYY-MM-DD），实际为 {value!r}")


def to_datetime(value: Any, path: str = "时间") -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and len(value) >= 16:
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidInput(f"文书数据字段“{path}”应为时间（如 2026-11-26T09:30+08:00），实际为 {value!r}")


def _validate(node: Any, value: Any, path: str) -> None:
    if value is None:
        return
    if isinstance(node, dict):
        if not isinstance(value, dict):
            raise InvalidInput(f"文书数据字段“{path or '根'}”应为一组字段，实际为 {type(value).__name__}")
        for key, sub in value.items():
            p = f"{path}.{key}" if path else str(key)
            if key not in node:
                raise InvalidInput(f"文书数据含有未定义的字段“{p}”（文书数据字段必须在 forms.context.SCHEMA 中登记）")
            _validate(node[key], sub, p)
    elif isinstance(node, list):
        if not isinstance(value, list | tuple):
            raise InvalidInput(f"文书数据字段“{path}”应为列表，实际为 {type(value).__name__}")
        for i, rec in enumerate(value):
            _validate(node[0], rec, f"{path}[{i}]")
    else:
        _check_leaf(node, value, path)


def validate_context(ctx: dict[str, Any]) -> None:
    """Refuse unknown keys and mistyped values (InvalidInput naming the path)."""
    _validate(SCHEMA, ctx, "")
