"""The placeholder language of document definitions (占位符). No code ever runs from a definition.

Syntax inside any text of a definition::

    {path.to.value}              a value from the context (forms.context.SCHEMA)
    {path|formatter}             formatted value; formatters chain left to right: {a|f1|f2}
    {path|default:未填写}        text used when the value is absent (``default:`` alone = empty)
    {{ and }}                    literal braces

In a ``list`` block, ``each.<field>`` is the current record and ``n`` its 1-based number.

Formatters (``TYPE → text``):

``date_cn``       date/datetime → ``2026年11月26日`` (GB/T 9704: no zero padding)
``datetime_cn``   datetime → ``2026年11月26日9时30分``
``time_cn``       datetime → ``9时30分``
``amount``        amount → ``¥1,234.00``
``amount_upper``  amount → ``人民币壹仟贰佰叁拾肆元整``
``cn_num``        int → ``六十`` (for periods written in Chinese numerals)
``masked_id``     str → ``110105********002X`` (first 6 and last 4 kept)
``join``          list → items joined with ``、``
``default:TEXT``  any → TEXT when the value is absent or empty

Paths and formatters are checked when a definition loads (:func:`parse_template`); an unknown
path, an unknown formatter, or a formatter applied to the wrong type is a ``DefinitionError``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from forms.context import spec_at, to_amount, to_date, to_datetime
from lishui_desk.errors import InvalidInput

FORMATTERS: dict[str, set[str]] = {
    # formatter -> leaf types it accepts
    "date_cn": {"date", "datetime"},
    "datetime_cn": {"datetime"},
    "time_cn": {"datetime"},
    "amount": {"amount"},
    "amount_upper": {"amount"},
    "cn_num": {"int"},
    "masked_id": {"str"},
    "join": {"list"},
    "default": {"str", "text", "int", "amount", "date", "datetime", "list"},
}

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_PATH = re.compile(r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$")


class TemplateError(ValueError):
    """Raised by parse_template; the loader wraps it into a DefinitionError with file and block."""

    def __init__(self, message: str, placeholder: str) -> None:
        super().__init__(message)
        self.placeholder = placeholder


@dataclass(frozen=True)
class Placeholder:
    raw: str
    path: str
    formatters: tuple[tuple[str, str | None], ...]
    kind: str  # leaf type of the path


@dataclass(frozen=True)
class Template:
    parts: tuple[str | Placeholder, ...]

    @property
    def placeholders(self) -> list[Placeholder]:
        return [p for p in self.parts if isinstance(p, Placeholder)]


def _resolve_kind(path: str, each_spec: Any) -> str:
    if path == "n":
        if each_spec is None:
            raise KeyError(path)
        return "int"
    if path == "each" or path.startswith("each."):
        if each_spec is None:
            raise KeyError(path)
        if path == "each":
            if each_spec != "str":
                raise KeyError(path)
            return "str"
        spec = spec_at(path[5:], each_spec) if isinstance(each_spec, dict) else None
    else:
        spec = spec_at(path)
    if not isinstance(spec, str):
        raise KeyError(path)
    return spec


def parse_template(text: str, each_spec: Any = None) -> Template:
    """Parse and check a template. ``each_spec``: record spec of the enclosing list block."""
    parts: list[str | Placeholder] = []
    pos = 0
    for m in _TOKEN.finditer(text):
        if m.start() > pos:
            parts.append(text[pos : m.start()])
        tok = m.group(0)
        pos = m.end()
        if tok == "{{":
            parts.append("{")
            continue
        if tok == "}}":
            parts.append("}")
            continue
        if m.group(1) is None:
            raise TemplateError(f"未配对的花括号“{tok}”（字面花括号请写作 {{{{ 或 }}}}）", tok)
        raw = tok
        pieces = m.group(1).split("|")
        path = pieces[0].strip()
        if not _PATH.match(path):
            raise TemplateError(f"占位符“{raw}”的路径写法不正确", raw)
        try:
            kind = _resolve_kind(path, each_spec)
        except KeyError:
            raise TemplateError(f"占位符“{raw}”引用了未登记的数据字段“{path}”", raw) from None
        fmts: list[tuple[str, str | None]] = []
        for piece in pieces[1:]:
            name, sep, arg = piece.partition(":")
            name = name.strip()
            if name not in FORMATTERS:
                raise TemplateError(f"占位符“{raw}”使用了未知的格式“{name}”", raw)
            if name == "default":
                if not sep:
                    raise TemplateError(f"占位符“{raw}”的 default 需要写成 default:文字", raw)
            elif sep:
                raise TemplateError(f"占位符“{raw}”的格式“{name}”不接受参数", raw)
            elif kind not in FORMATTERS[name]:
                raise TemplateError(f"占位符“{raw}”的格式“{name}”不能用于 {kind} 类型的字段“{path}”", raw)
            else:
                kind = "str"  # a formatted value is text for the next formatter
            fmts.append((name, arg if sep else None))
        parts.append(Placeholder(raw, path, tuple(fmts), kind))
    if pos < len(text):
        parts.append(text[pos:])
    return Template(tuple(parts))


# --- formatting -------------------------------------------------------------------------------
_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_UNITS = ["", "拾", "佰", "仟"]
_BIG = ["", "万", "亿"]


def date_cn(value: Any) -> str:
    d = to_datetime(value).date() if isinstance(value, str) and len(value) > 10 else to_date(value)
    return f"{d.year}年{d.month}月{d.day}日"


def time_cn(value: Any) -> str:
    t = to_datetime(value)
    return f"{t.hour}时{t.minute:02d}分"


def datetime_cn(value: Any) -> str:
    return date_cn(to_datetime(value)) + time_cn(value)


def amount(value: Any) -> str:
    return f"¥{to_amount(value):,.2f}"


def _four(n: int) -> str:
    """Upper-case digits for 0 < n < 10000, with 零 for inner zero runs."""
    out = ""
    zero = False
    for pos in range(3, -1, -1):
        d = (n // 10**pos) % 10
        if d == 0:
            zero = bool(out)
        else:
            if zero:
                out += "零"
                zero = False
            out += _DIGITS[d] + _UNITS[pos]
    return out


def amount_upper(value: Any) -> str:
    """人民币 amount in capital numerals (财务大写), e.g. 1005.50 → 人民币壹仟零伍元伍角."""
    d = to_amount(value)
    cents = int(d * 100)
    yuan, jiao, fen = cents // 100, (cents // 10) % 10, cents % 10
    text = ""
    if yuan:
        groups: list[int] = []
        y = yuan
        while y:
            groups.append(y % 10000)
            y //= 10000
        need_zero = False
        for i in range(len(groups) - 1, -1, -1):
            g = groups[i]
            if g == 0:
                need_zero = bool(text)
                continue
            if text and (need_zero or g < 1000):
                text += "零"
            text += _four(g) + _BIG[i]
            need_zero = False
        text += "元"
    if jiao == 0 and fen == 0:
        return "人民币" + (text or "零元") + "整"
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif yuan:
        text += "零"
    if fen:
        text += _DIGITS[fen] + "分"
    return "人民币" + text


_CN = "零一二三四五六七八九"


def cn_num(value: Any) -> str:
    """Small non-negative integer in Chinese numerals (一 … 九千九百九十九)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 10000:
        raise InvalidInput(f"无法用中文数字书写：{value!r}")
    if value == 0:
        return "零"
    if 10 <= value < 20:
        return "十" + (_CN[value % 10] if value % 10 else "")
    out = ""
    zero = False
    for pos, unit in ((3, "千"), (2, "百"), (1, "十"), (0, "")):
        dgt = (value // 10**pos) % 10
        if dgt == 0:
            zero = bool(out)
        else:
            if zero:
                out += "零"
                zero = False
            out += _CN[dgt] + unit
    return out


def masked_id(value: Any) -> str:
    s = str(value)
    if len(s) <= 10:
        return s[:2] + "*" * max(0, len(s) - 2)
    return s[:6] + "*" * (len(s) - 10) + s[-4:]


def _absent(v: Any) -> bool:
    return v is None or v == "" or (isinstance(v, list | tuple) and not v)


def _plain(value: Any, kind: str) -> str:
    if kind == "date":
        return date_cn(value)
    if kind == "datetime":
        return datetime_cn(value)
    if kind == "amount":
        return amount(value)
    if kind == "list":
        return "、".join(str(v) for v in value)
    if isinstance(value, Decimal | date | datetime):  # pragma: no cover - handled above
        return str(value)
    return str(value)


class MissingValue(InvalidInput):
    code = "missing_value"

    def __init__(self, path: str, doc_title: str) -> None:
        super().__init__(f"《{doc_title}》缺少必填数据“{path}”，请补充后再生成文书")
        self.path = path


def lookup(ctx: dict[str, Any], path: str, each: Any = None, n: int | None = None) -> Any:
    if path == "n":
        return n
    if path == "each":
        return each
    if path.startswith("each."):
        node: Any = each
        parts = path[5:].split(".")
    else:
        node = ctx
        parts = path.split(".")
    for part in parts:
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def format_placeholder(ph: Placeholder, value: Any) -> str | None:
    """Formatted text, or None when the value is absent and no default applies."""
    leaf_kind = _resolve_leaf_kind(ph)
    if _absent(value):
        for name, arg in ph.formatters:
            if name == "default":
                return arg or ""
        return None
    kind = leaf_kind
    out: Any = value
    formatted = False
    for name, _arg in ph.formatters:
        if name == "default":
            continue
        fn = _FN[name]
        out = fn(out)
        formatted = True
        kind = "str"
    return str(out) if formatted else _plain(out, kind)


def _resolve_leaf_kind(ph: Placeholder) -> str:
    # the kind stored on a placeholder is the type *after* formatting; recover the leaf type
    if not ph.formatters or all(n == "default" for n, _ in ph.formatters):
        return ph.kind
    return "str"


_FN = {
    "date_cn": date_cn,
    "datetime_cn": datetime_cn,
    "time_cn": time_cn,
    "amount": amount,
    "amount_upper": amount_upper,
    "cn_num": cn_num,
    "masked_id": masked_id,
    "join": lambda v: "、".join(str(x) for x in v),
}
