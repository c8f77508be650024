"""Layout per GB/T 9704 and document content rules: page numbers, title lines, the public notice,
the 询问笔录 without Q&A, and old definition versions staying renderable."""

from __future__ import annotations

import io
import re
from typing import Any

import pdfplumber
import pytest

from forms import case_context as cc
from forms.fonts import default_fontset
from forms.loader import (
    DefinitionError,
    bundled_definitions,
    definition_version,
    get_definition,
    parse_definition,
)
from forms.render import BLOCK_W, MARGIN_LEFT, PAGE_H, SMALL, render
from tests.test_forms_sample import sample_context

NUMBER = "龙八综执罚决〔2026〕第12号"


def _pages(pdf: bytes) -> list[Any]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [(p.height, list(p.chars), p.extract_text() or "") for p in doc.pages]


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_page_numbers_are_song_4hao_dashed_right_on_odd_left_on_even_pages() -> None:
    pdf = render("penalty_decision", sample_context(), number=NUMBER, copies=["正本"])
    pages = _pages(pdf)
    assert len(pages) >= 2
    song = default_fontset().roles["song"].family
    for n, (height, chars, _text) in enumerate(pages, 1):
        foot = [c for c in chars if c["top"] > height - 35 * 72 / 25.4]  # below the text block
        label = "".join(c["text"] for c in foot)
        assert label == f"— {n} —", label
        assert all(song in c["fontname"] and abs(c["size"] - SMALL) < 0.1 for c in foot)
        if n % 2:  # odd: right-aligned, one 4号 character in from the block's right edge
            assert abs(max(c["x1"] for c in foot) - (MARGIN_LEFT + BLOCK_W - SMALL)) < 0.5
        else:  # even: left-aligned, one character in
            assert abs(min(c["x0"] for c in foot) - (MARGIN_LEFT + SMALL)) < 0.5
        assert 0 < PAGE_H - max(c["bottom"] for c in foot)  # on the page


def test_a_long_agency_title_is_broken_into_balanced_lines_longer_first() -> None:
    ctx = sample_context()
    ctx["agency"] = {**ctx["agency"], "name": "丽水市莲都区紫金街道办事处综合行政执法队（八都镇综合执法中队）"}
    pdf = render("penalty_notice", ctx, number=NUMBER)
    lines = (_pages(pdf)[0][2]).splitlines()
    first, second = lines[0].replace(" ", ""), lines[1].replace(" ", "")
    assert first + second == ctx["agency"]["name"]
    assert len(first) >= len(second) >= len(first) - 2  # balanced, the longer line first
    assert "（" not in first or "）" in first  # the bracketed phrase is not cut in two


def test_published_notice_shows_the_id_number_only_masked_and_no_party_phone_or_address() -> None:
    ctx = sample_context()
    party = ctx["party"]
    text = _flat("".join(t for _h, _c, t in _pages(render("service_announcement", ctx, number=NUMBER))))
    assert party["name"] in text and "110105********002X" in text
    assert party["id_number"] not in text and party["phone"] not in text and party["address"] not in text
    assert "1949" not in text  # the birth date inside the ID number is hidden too
    assert get_definition("service_announcement").public


@pytest.mark.parametrize("text", ["{party.name}（{party.id_number}）", "电话：{party.phone}", "住址：{party.address}"])
def test_a_public_definition_cannot_print_unmasked_personal_data(text: str) -> None:
    raw = {"type": "x_notice", "version": 1, "title": "公告", "public": True,
           "blocks": [{"kind": "paragraph", "text": text}]}
    with pytest.raises(DefinitionError, match="个人信息保护法"):
        parse_definition(raw)
    raw["public"] = False  # the same text is fine on a document served on the party themself
    assert parse_definition(raw).blocks


def test_inquiry_record_without_qa_prints_the_recorded_summary() -> None:
    ctx = sample_context()
    summary = "当事人承认于10月8日在自家承包地焚烧玉米秸秆约半亩，称不知道禁止焚烧。"
    ctx["inquiry"] = {**ctx["inquiry"], "qa": [], "summary": summary}
    text = _flat("".join(t for _h, _c, t in _pages(render("inquiry_record", ctx))))
    assert "询问内容摘要" in text and _flat(summary) in text and "问：" not in text
    with_qa = sample_context()
    with_qa["inquiry"] = {**with_qa["inquiry"], "summary": summary}
    text = _flat("".join(t for _h, _c, t in _pages(render("inquiry_record", with_qa))))
    assert "问：" in text and "询问内容摘要" not in text  # the Q&A is the record; no duplicate summary
    bare = sample_context()
    bare["inquiry"] = {k: v for k, v in bare["inquiry"].items() if k != "qa"}
    assert "inquiry.summary" in cc.missing_paths(get_definition("inquiry_record"), bare)


def test_every_superseded_definition_version_still_loads_and_renders() -> None:
    ctx = sample_context()
    for typ, current in bundled_definitions().items():
        for v in range(1, current.version):
            old = definition_version(typ, v)
            assert old is not None and old.version == v, (typ, v)
            assert render(old, ctx, number=NUMBER)[:5] == b"%PDF-"
        assert definition_version(typ, current.version + 1) is None


@pytest.mark.parametrize("doc_type", ["service_announcement", "penalty_decision", "penalty_notice"])
def test_the_seal_never_stands_alone_on_a_page(doc_type: str) -> None:
    ctx = sample_context()
    pdf = render(doc_type, ctx, number=NUMBER)
    furniture = {"（印章）", ctx["agency"]["name"], "2026年11月2日", "正本", "副本"}
    for _h, _chars, text in _pages(pdf):
        lines = [ln.replace(" ", "") for ln in text.splitlines()]
        body = [ln for ln in lines if ln and ln not in furniture and not re.fullmatch(r"—\d+—", ln)]
        assert body, f"{doc_type}: a page with nothing but the seal"
