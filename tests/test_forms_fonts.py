"""Font resolution and the per-character cmap check (forms.fonts)."""

from __future__ import annotations

import pytest

from forms.fonts import FontSet, MissingGlyph, coverage_report, default_fontset, resolved_font_files
from lishui_desk.errors import InvalidInput

RARE = "喆堃镕珺𠮷〇"


def test_every_role_resolves_to_an_embeddable_font() -> None:
    fs = default_fontset()
    for role in ("title", "body", "kai", "heading"):
        face = fs.roles[role]
        assert face.path.lower().endswith((".ttf", ".ttc"))
        assert ord("罚") in face.cmap
    assert resolved_font_files(fs)[0] in {f.path for f in fs.roles.values()}


@pytest.mark.parametrize("char", list(RARE))
def test_rare_name_characters_fall_back_or_raise_per_cmap(char: str) -> None:
    fs = default_fontset()
    owners = [f.name for f in fs.fallbacks if ord(char) in f.cmap]
    if owners:
        runs = fs.check_text(f"张{char}", "party.name")
        assert "".join(r.text for r in runs) == f"张{char}"
        used = fs.font_for(char)
        assert used == (fs.roles["body"].name if ord(char) in fs.roles["body"].cmap else owners[0])
    else:
        with pytest.raises(MissingGlyph) as err:
            fs.check_text(f"张{char}", "party.name")
        assert char in err.value.message and "party.name" in err.value.message


def test_missing_glyph_names_character_codepoint_and_field() -> None:
    # a font set limited to WenQuanYi Zen Hei, which has no CJK Extension B characters
    base = default_fontset()
    zen = next((f for f in base.faces() if ord("𠮷") not in f.cmap), None)
    assert zen is not None, "expected at least one installed font without U+20BB7"
    fs = FontSet.resolve({"body": f"{zen.path}#{zen.index}"}, search=False)
    with pytest.raises(MissingGlyph) as err:
        fs.check_text("吉田𠮷野", "当事人姓名 party.name")
    assert err.value.char == "𠮷"
    assert "U+20BB7" in err.value.message
    assert "party.name" in err.value.message
    assert isinstance(err.value, InvalidInput)


def test_supplementary_plane_fallback_uses_a_font_that_has_it() -> None:
    fs = default_fontset()
    having = [f for f in fs.faces() if 0x20BB7 in f.cmap]
    if not having:
        pytest.fail("this machine has LXGW WenKai (U+20BB7); the font search did not find it")
    runs = fs.check_text("𠮷", "party.name")
    assert runs[0].font == having[0].name or 0x20BB7 in fs.roles["body"].cmap


def test_control_character_is_refused_clearly() -> None:
    with pytest.raises(InvalidInput, match="U\\+0007"):
        default_fontset().check_text("张\x07三", "party.name")


def test_explicit_setting_wins_and_bad_path_is_refused(tmp_path) -> None:
    base = default_fontset()
    kai = base.roles["kai"]
    fs = FontSet.resolve({"body": f"{kai.path}#{kai.index}"})
    assert fs.roles["body"].path == kai.path
    with pytest.raises(InvalidInput, match="不存在"):
        FontSet.resolve({"body": str(tmp_path / "nope.ttf")})
    with pytest.raises(InvalidInput, match="角色"):
        FontSet.resolve({"seal": kai.path})


def test_coverage_report_counts_hanzi() -> None:
    rep = coverage_report()
    assert rep["cjk_unified_total"] == 0x9FFF - 0x4E00 + 1
    assert rep["gb2312_level1_total"] == 3755 and rep["gb2312_level2_total"] == 3008
    # every GB 2312 level-1 hanzi must be printable, or official documents cannot be produced
    assert rep["gb2312_level1_covered"] == 3755
    assert 0 < rep["cjk_unified_covered"] <= rep["cjk_unified_total"]
    assert max(f["cjk_unified"] for f in rep["fonts"]) <= rep["cjk_unified_covered"]
