"""The renderer (forms.render): contents required by law, embedding, reprints, QR, robustness."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forms.fonts import MissingGlyph, default_fontset
from forms.loader import bundled_definitions
from forms.render import content_digest, parse_qr, qr_text, render
from lishui_desk.errors import InvalidInput
from tests.test_forms_sample import sample_context

NUMBER = "龙八综执罚决〔2026〕第12号"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "forms"


def _text(pdf: bytes, tmp_path: Path, name: str = "doc") -> str:
    p = tmp_path / f"{name}.pdf"
    p.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(p), "-"], capture_output=True, check=True, text=True)
    # justified lines: join everything so a phrase broken over two lines is still found
    return re.sub(r"\s+", "", out.stdout)


@pytest.fixture(scope="module")
def decision_pdf() -> bytes:
    return render("penalty_decision", sample_context(), number=NUMBER, copies=["正本"])


def test_decision_contains_every_article_59_item(decision_pdf: bytes, tmp_path: Path) -> None:
    t = _text(decision_pdf, tmp_path)
    ctx = sample_context()
    # (一) name and address
    assert "当事人：张三" in t and "浙江省龙泉市八都镇竹垟村128号" in t
    # (二) facts and evidence
    assert "露天焚烧水稻秸秆约200平方米" in t and "执法记录仪视频1段" in t
    assert "a71b22d4" not in t and "校验码" not in t  # integrity hashes belong in the 证据目录, not the decision
    # (三) kind and basis
    assert "违反了《中华人民共和国大气污染防治法》第七十七条" in t
    assert "依据《中华人民共和国大气污染防治法》第一百一十九条第一款" in t and "罚款" in t
    # (四) way and deadline of performance, with the Art. 72 late fee (never legacy Art. 51)
    assert "收到本决定书之日起十五日内" in t and "¥1,000.00" in t and "人民币壹仟元整" in t
    assert ctx["payment"]["account"] in t
    assert "第七十二条第一款第（一）项" in t and "每日按罚款数额的百分之三加处罚款" in t
    assert "不超出罚款的数额" in t and "第五十一条" not in t
    # (五) remedies: 60 days to the county government, or 6 months to court
    assert "六十日内向龙泉市人民政府申请行政复议" in t
    assert "六个月内依法向龙泉市人民法院提起行政诉讼" in t
    # (六) agency and date, seal area, number and officers
    assert "龙泉市八都镇人民政府" in t and "2026年11月2日" in t
    assert "（印章）" not in t  # the real seal is stamped over name and date; nothing printed for it
    assert NUMBER in t and "33110000101" in t and "33110000102" in t


def test_onsite_decision_states_review_first_rule(tmp_path: Path) -> None:
    ctx = sample_context()
    ctx["penalty"]["amount"] = "100.00"
    ctx["penalty"]["content"] = "罚款人民币壹佰元整"
    pdf = render("onsite_penalty_decision", ctx, number="龙八综执当罚决〔2026〕第5号")
    t = _text(pdf, tmp_path)
    assert "先向龙泉市人民政府申请行政复议" in t
    assert "对行政复议决定不服的，可以再依法向人民法院提起行政诉讼" in t
    assert "《中华人民共和国行政复议法》第二十三条第一款第（一）项" in t
    assert "六个月" not in t  # no direct-litigation option on an on-the-spot decision
    for label in ("存根", "当事人联", "备案联"):
        assert label in t


def test_all_fonts_are_embedded(decision_pdf: bytes, tmp_path: Path) -> None:
    p = tmp_path / "d.pdf"
    p.write_bytes(decision_pdf)
    out = subprocess.run(["pdffonts", str(p)], capture_output=True, check=True, text=True).stdout
    rows = out.splitlines()[2:]
    assert rows, out
    for row in rows:
        cols = row.split()
        assert cols[-5] == "yes", f"font not embedded: {row}"


def test_reprint_gives_identical_bytes(decision_pdf: bytes) -> None:
    again = render("penalty_decision", sample_context(), number=NUMBER, copies=["正本"])
    assert again == decision_pdf
    ctx = sample_context()
    ctx["penalty"]["amount"] = "1100.00"
    assert render("penalty_decision", ctx, number=NUMBER, copies=["正本"]) != decision_pdf


def test_qr_payload_matches_frozen_content(decision_pdf: bytes, tmp_path: Path) -> None:
    digest = content_digest("penalty_decision", sample_context(), NUMBER)
    payload = qr_text(NUMBER, digest)
    p = tmp_path / "d.pdf"
    p.write_bytes(decision_pdf)
    info = subprocess.run(["pdfinfo", str(p)], capture_output=True, check=True, text=True).stdout
    assert payload in info
    parsed = parse_qr(payload)
    assert parsed.number == NUMBER and parsed.matches(digest)
    other = content_digest("penalty_decision", {**sample_context(), "facts": "改动后的事实"}, NUMBER)
    assert not parsed.matches(other)
    with pytest.raises(InvalidInput):
        parse_qr("https://example.com")


def test_final_document_refuses_missing_or_provisional_number() -> None:
    with pytest.raises(InvalidInput, match="临时文号"):
        render("penalty_decision", sample_context(), number="临龙八综执罚决〔2026〕第1号")
    with pytest.raises(InvalidInput, match="必须有文号"):
        render("penalty_decision", sample_context())
    draft = render("penalty_decision", sample_context(), watermark="样稿", copies=["正本"])
    assert draft.startswith(b"%PDF")


def test_missing_data_is_named() -> None:
    ctx = sample_context()
    del ctx["remedies"]["court"]
    with pytest.raises(InvalidInput, match=r"remedies\.court"):
        render("penalty_decision", ctx, number=NUMBER)


@pytest.mark.parametrize("name", ["张喆", "王堃", "李镕", "赵珺", "吉田𠮷", "王〇"])
def test_rare_names_render_or_name_the_missing_character(name: str, tmp_path: Path) -> None:
    ctx = sample_context()
    ctx["party"]["name"] = name
    ctx["service"]["recipient"] = name
    fs = default_fontset()
    printable = all(fs.font_for(c) is not None for c in name)
    if printable:
        pdf = render("service_receipt", ctx)
        assert name in _text(pdf, tmp_path)
    else:
        with pytest.raises(MissingGlyph) as err:
            render("service_receipt", ctx)
        assert "service.recipient" in err.value.message


def test_every_definition_renders_with_the_sample_case(tmp_path: Path) -> None:
    for typ, d in bundled_definitions().items():
        number = f"龙八综执{d.number.code}〔2026〕第3号" if d.number.numbered else None
        pdf = render(d, sample_context(), number=number)
        t = _text(pdf, tmp_path, typ)
        assert d.title in t, typ
        if d.page_signature is not None:
            assert "第1页共" in t, typ


_cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
_ascii = st.characters(min_codepoint=0x20, max_codepoint=0x7E)
_any = st.characters(blacklist_categories=("Cs",))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.text(st.one_of(_cjk, _ascii), min_size=1, max_size=60),
    address=st.one_of(
        st.text(st.one_of(_cjk, _ascii), min_size=1, max_size=1000),  # within the limit: must render
        st.text(st.one_of(_cjk, _ascii, _any), max_size=80),  # any code point: renders or clear error
        st.text(_cjk, min_size=900, max_size=3000),  # over the 1 000-character limit: clear error
    ),
    facts=st.text(st.one_of(_cjk, _ascii, st.just("，"), st.just("\n")), max_size=3000),
)
def test_generated_party_data_never_crashes(name: str, address: str, facts: str) -> None:
    ctx = sample_context()
    ctx["party"]["name"] = name
    ctx["party"]["address"] = address
    ctx["facts"] = facts
    try:
        pdf = render("penalty_decision", ctx, number=NUMBER, copies=["正本"])
    except InvalidInput:
        return  # MissingGlyph, oversize, empty or control character: a clear message, never a crash
    assert pdf.startswith(b"%PDF") and b"%%EOF" in pdf[-32:]


def test_long_value_in_a_table_cell_splits_across_pages(tmp_path: Path) -> None:
    ctx = sample_context()
    ctx["case"]["clue"] = "甲乙丙丁戊己庚辛壬癸，子丑寅" * 400
    pdf = render("case_filing", ctx, number="龙八综执立〔2026〕第12号")
    p = tmp_path / "long.pdf"
    p.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(p)], capture_output=True, check=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages >= 4  # 5 600 characters at 14 pt cannot fit on fewer pages
    text = _text(pdf, tmp_path)
    assert text.count("癸") == 400 and text.count("寅") == 400  # nothing lost or repeated at page splits


def test_page_images_for_review() -> None:
    if shutil.which("pdftoppm") is None:
        pytest.fail("poppler-utils (pdftoppm) is required")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    jobs = {
        "decision": render("penalty_decision", sample_context(), number=NUMBER, copies=["正本"]),
        "inquiry": render("inquiry_record", sample_context()),
        "receipt": render("service_receipt", sample_context()),
    }
    for name, pdf in jobs.items():
        src = ARTIFACTS / f"{name}.pdf"
        src.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(src), str(ARTIFACTS / name)],
                       check=True)
        png = next(ARTIFACTS.glob(f"{name}-*1.png"))
        assert 5_000 < png.stat().st_size < 300_000
