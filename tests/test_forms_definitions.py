"""Definitions as data: loading, placeholder checking, formatters, numbering."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from forms.loader import (
    DEFINITIONS_DIR,
    DefinitionError,
    bundled_definitions,
    load_definition,
    parse_definition,
)
from forms.numbering import format_number, is_provisional, provisional_number, require_final
from forms.placeholders import amount, amount_upper, cn_num, date_cn, masked_id
from lishui_desk.errors import InvalidInput

REQUIRED_TITLES = {
    "立案审批表", "不予立案审批表", "现场检查（勘验）笔录", "询问（调查）笔录", "调查通知书", "责令（限期）改正通知书",
    "证据先行登记保存通知书", "先行登记保存物品处理通知书", "案件移送函", "案件调查终结报告", "案件处理审批表",
    "法制审核意见书", "集体讨论笔录", "行政处罚事先告知书", "听证通知书", "听证笔录", "陈述申辩笔录",
    "行政处罚决定书", "当场行政处罚决定书", "不予行政处罚决定书", "送达地址确认书", "送达回证", "送达公告", "催告书",
    "结案审批表", "行政处罚案卷", "卷内目录",
}


def test_all_required_definitions_are_bundled_and_load() -> None:
    defs = bundled_definitions()
    titles = {d.title for d in defs.values()}
    assert REQUIRED_TITLES <= titles
    assert len(defs) >= 27
    numbered = {d.title: d.number.code for d in defs.values() if d.number.numbered}
    assert numbered["行政处罚决定书"] == "罚决" and numbered["当场行政处罚决定书"] == "当罚决"
    assert defs["onsite_penalty_decision"].copies == ("存根", "当事人联", "备案联")
    assert defs["inquiry_record"].page_signature is not None


def _base() -> dict:
    return json.loads((DEFINITIONS_DIR / "penalty_decision.json").read_text(encoding="utf-8"))


def test_unknown_placeholder_is_refused_at_load_naming_file_block_and_placeholder(tmp_path: Path) -> None:
    data = _base()
    data["blocks"][3]["text"] = "住址：{party.home_town}"
    p = tmp_path / "penalty_decision.json"
    p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(DefinitionError) as err:
        load_definition(p)
    msg = err.value.message
    assert "penalty_decision.json" in msg and "第4块" in msg and "{party.home_town}" in msg
    assert err.value.placeholder == "{party.home_town}"
    assert isinstance(err.value, InvalidInput)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("{party.name|shout}", "shout"),
        ("{party.name|date_cn}", "date_cn"),
        ("{penalty.amount|join}", "join"),
        ("{party.name|default}", "default"),
        ("{__class__}", "__class__"),
        ("{party.name.__len__}", "party.name.__len__"),
        ("{party}", "{party}"),
        ("{each.name}", "each.name"),
        ("未闭合 {party.name", "{"),
    ],
)
def test_bad_templates_are_refused(text: str, needle: str) -> None:
    data = _base()
    data["blocks"][0]["text"] = text
    with pytest.raises(DefinitionError) as err:
        parse_definition(data, "x.json")
    assert needle in err.value.message


def test_structural_errors_are_refused() -> None:
    data = _base()
    data["blocks"].append({"kind": "script", "text": "x"})
    with pytest.raises(DefinitionError, match="script"):
        parse_definition(data, "x.json")
    data = _base()
    data["blocks"][0]["onload"] = "x"
    with pytest.raises(DefinitionError, match="onload"):
        parse_definition(data, "x.json")
    data = _base()
    data["blocks"][0]["if"] = "party.secret"
    with pytest.raises(DefinitionError, match=r"party\.secret"):
        parse_definition(data, "x.json")
    data = _base()
    data["number"]["numbered"] = True
    data["number"]["code"] = ""
    with pytest.raises(DefinitionError, match="文书代字"):
        parse_definition(data, "x.json")


def test_file_name_must_match_type(tmp_path: Path) -> None:
    p = tmp_path / "other.json"
    p.write_text(json.dumps(_base(), ensure_ascii=False), encoding="utf-8")
    with pytest.raises(DefinitionError, match=r"penalty_decision\.json"):
        load_definition(p)


def test_formatters() -> None:
    assert date_cn("2026-11-26") == "2026年11月26日"
    assert date_cn("2026-01-05T08:00:00+08:00") == "2026年1月5日"
    assert amount("1234") == "¥1,234.00"
    assert amount_upper(Decimal("1234.00")) == "人民币壹仟贰佰叁拾肆元整"
    assert amount_upper("1005.50") == "人民币壹仟零伍元伍角"
    assert amount_upper("100000") == "人民币壹拾万元整"
    assert amount_upper("10.05") == "人民币壹拾元零伍分"
    assert amount_upper("10010") == "人民币壹万零壹拾元整"
    assert cn_num(60) == "六十" and cn_num(15) == "十五" and cn_num(6) == "六" and cn_num(105) == "一百零五"
    assert masked_id("11010519491231002X") == "110105********002X"
    with pytest.raises(InvalidInput):
        amount("12.345")


def test_numbering() -> None:
    pat = "{agency_code}{doc_code}〔{year}〕第{seq}号"
    assert format_number(pat, "龙八综执", "罚决", 2026, 12) == "龙八综执罚决〔2026〕第12号"
    assert format_number(pat, "龙八综执", "罚决", 2026, 12, use_di=False) == "龙八综执罚决〔2026〕12号"
    assert format_number(pat, "台城执", "罚先告", 2014, 1, pad=5) == "台城执罚先告〔2014〕第00001号"
    with pytest.raises(InvalidInput, match="六角括号"):
        format_number("{agency_code}{doc_code}[{year}]{seq}号", "龙八综执", "罚决", 2026, 1)
    with pytest.raises(InvalidInput):
        format_number(pat, "龙八综执", "罚决", 2026, 0)
    temp = provisional_number("龙八综执", "罚决", 2026, 3)
    assert is_provisional(temp) and not is_provisional("龙八综执罚决〔2026〕第3号")
    with pytest.raises(InvalidInput, match="临时文号"):
        require_final(temp, "行政处罚决定书")
    with pytest.raises(InvalidInput, match="必须有文号"):
        require_final(None, "行政处罚决定书")
