"""Document numbers (文号): ``{机关代字}{文书代字}〔{年份}〕第{序号}号``.

The sequence runs per township × document type × year; the hub hands out blocks of numbers
(DESIGN §5). GB/T 9704 official numbers use no "第" and no zero padding; enforcement documents often
use "第" (DOMAIN §3.5) — both are options. The year is always in 六角括号 〔〕.

A provisional number (issued offline before a block is available) starts with "临"; a final
document is never printed with one (:func:`require_final`).

There is ONE formatter: :func:`lishui_desk.services.numbers.format_number` (the core, which also
numbers cases). This module checks a definition's pattern and delegates to it, so a case number
and a document number can never be written two different ways.
"""

from __future__ import annotations

import re

from lishui_desk.errors import InvalidInput
from lishui_desk.services import numbers as core_numbers

DEFAULT_PATTERN = "{agency_code}{doc_code}〔{year}〕第{seq}号"
PROVISIONAL_PREFIX = core_numbers.PROVISIONAL_PREFIX
_SUPPORTED = {DEFAULT_PATTERN, DEFAULT_PATTERN.replace("第{seq}", "{seq}")}
_FIELDS = {"agency_code", "doc_code", "year", "seq"}
_FIELD_RE = re.compile(r"\{([a-z_]+)\}")
_BAD_CHARS = set("〔〕[]【】{}（）() \t\n")


def format_number(
    pattern: str,
    agency_code: str,
    doc_code: str,
    year: int,
    seq: int,
    use_di: bool = True,
    pad: int = 0,
) -> str:
    """E.g. ``format_number(DEFAULT_PATTERN, "龙八综执", "罚决", 2026, 12)`` → 龙八综执罚决〔2026〕第12号."""
    used = set(_FIELD_RE.findall(pattern))
    if not used <= _FIELDS or "seq" not in used or "year" not in used:
        raise InvalidInput(f"文号格式“{pattern}”不正确：只能使用 {{agency_code}}{{doc_code}}{{year}}{{seq}}，且须含年份和序号")
    if "〔{year}〕" not in pattern:
        raise InvalidInput(f"文号格式“{pattern}”不正确：年份须用六角括号“〔〕”括入（GB/T 9704-2012 第7.2.5条）")
    for label, code in (("机关代字", agency_code), ("文书代字", doc_code)):
        if not code or any(c in _BAD_CHARS for c in code):
            raise InvalidInput(f"{label}“{code}”不能为空，也不能含括号或空白")
    if agency_code.startswith(PROVISIONAL_PREFIX):
        raise InvalidInput(f"机关代字不能以“{PROVISIONAL_PREFIX}”开头（该前缀保留给临时文号）")
    if not isinstance(year, int) or not 1990 <= year <= 2200:
        raise InvalidInput(f"文号年份“{year}”不正确，应为四位公元年份")
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
        raise InvalidInput(f"文号序号“{seq}”不正确，应为从 1 开始的整数")
    if not 0 <= pad <= 8:
        raise InvalidInput(f"文号序号补零位数“{pad}”不正确（0–8）")
    if pattern not in _SUPPORTED:
        raise InvalidInput(
            f"文号格式“{pattern}”不受支持：文号统一为“机关代字＋文书代字〔年份〕（第）序号号”"
            "（GB/T 9704-2012 第7.2.5条），由核心编号服务生成"
        )
    return core_numbers.format_number(agency_code, doc_code, year, seq, use_di=use_di, pad=pad)


def provisional_number(agency_code: str, doc_code: str, year: int, local_seq: int) -> str:
    """A clearly provisional number ``临…`` used offline until a block number is assigned."""
    format_number(DEFAULT_PATTERN, agency_code, doc_code, year, local_seq)  # same checks as a final number
    return core_numbers.format_number(agency_code, doc_code, year, local_seq, provisional=True)


def is_provisional(number: str | None) -> bool:
    return core_numbers.is_provisional(number)


def require_final(number: str | None, title: str) -> str:
    """The number to print on a final (non-draft) numbered document; refuses missing/provisional."""
    if not number:
        raise InvalidInput(f"《{title}》是编号文书，正式文书必须有文号（请先从号段取号）")
    if is_provisional(number):
        raise InvalidInput(
            f"《{title}》的文号“{number}”是临时文号，正式文书不得使用临时文号打印（请同步取得正式号段后再出具）"
        )
    return number
