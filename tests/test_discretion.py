"""裁量基准 calculator on real seed items: bands, factor direction, 减轻 rules, per-unit fines, the
reasoning text, and (hypothesis) the suggestion always stays inside its allowed band."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lishui_desk.catalog_data import NO_PENALTY_TIER, PARTY_KINDS, ItemSeed, load_catalog
from lishui_desk.discretion import FACTORS, HEAVIER, LIGHTER, MITIGATE, check_amount, suggest
from lishui_desk.errors import InvalidInput

YUNFENG = load_catalog("331123002")
BADU = load_catalog("331181100")
ALL_ITEMS: list[ItemSeed] = list({it.code: it for c in (YUNFENG, BADU, load_catalog("331123204"))
                                  for it in c.items}.values())


def by_name(cat, word: str) -> ItemSeed:
    return next(it for it in cat.items if word in it.name)


PILE = by_name(YUNFENG, "街道两侧和公共场地堆放物料")  # 市容条例第十二条: 个人200–1000, 单位500–3000
DUMP_SOIL = by_name(BADU, "专门存放地以外")  # 水土保持法第五十五条: 每立方米10–20元
FELLING = by_name(BADU, "滥伐林木")  # 森林法第七十六条第二款: 林木价值3–5倍
HOUSE = by_name(BADU, "农村居民未经批准或者违反规划")  # amount not set by the regulation
GRAVE = by_name(BADU, "公墓和农村公益性墓地以外")  # measure only
SITE = by_name(YUNFENG, "施工现场未设置临时厕所")  # units only


def test_neutral_suggestion_is_tier_midpoint_and_cites_the_article():
    s = suggest(PILE, "individual", "较重", [])
    assert (s.legal_min, s.legal_max) == (Decimal(200), Decimal(1000))
    assert (s.allowed_min, s.allowed_max) == (Decimal(500), Decimal(600))
    assert s.amount == Decimal("550.00") and s.tier_label == "较重"
    assert "《浙江省城市市容和环境卫生管理条例》第十二条第三款" in s.reasoning
    assert "550元" in s.reasoning and "较重" in s.reasoning
    assert (s.min, s.max) == (s.allowed_min, s.allowed_max)


def test_reasoning_cites_a_published_tier_source_but_never_the_bundled_sample():
    """The reasoning is printed on the 决定书: the bundled sample 裁量基准 (示例，待县级发布) is not
    cited as its source; a county-published one is."""
    assert "示例" in (PILE.tiers_source or "")
    assert "示例" not in suggest(PILE, "individual", "较重", []).reasoning
    import dataclasses

    county = dataclasses.replace(PILE, tiers_source="龙泉市综合行政执法裁量基准（2026年版）")
    assert "裁量基准来源：龙泉市综合行政执法裁量基准（2026年版）。" in suggest(county, "individual", "较重", []).reasoning


def test_lighter_is_below_neutral_below_heavier_and_reasoning_names_the_factor():
    light = suggest(PILE, "organisation", "严重", ["主动消除减轻危害后果"])
    neutral = suggest(PILE, "organisation", "严重", [])
    heavy = suggest(PILE, "organisation", "严重", ["拒不改正"])
    assert light.amount < neutral.amount < heavy.amount
    for s in (light, neutral, heavy):
        assert s.allowed_min <= s.amount <= s.allowed_max
        assert (s.allowed_min, s.allowed_max) == (Decimal(2000), Decimal(3000))
    assert "第三十二条第（一）项" in light.reasoning
    assert "拒不改正" in heavy.reasoning
    two_light = suggest(PILE, "organisation", "严重", ["主动供述", "立功"])
    assert two_light.amount == Decimal(2000)  # two lighter factors reach the lower bound
    both = suggest(PILE, "organisation", "严重", ["主动供述", "再次违法"])
    assert both.amount == neutral.amount and "并存" in both.reasoning
    emergency = suggest(PILE, "organisation", "严重", ["突发事件期间"])
    assert "第四十九条" in emergency.reasoning and emergency.amount == heavy.amount


def test_minor_gets_lighter_treatment_citing_article_30():
    s = suggest(PILE, "individual", "一般", ["已满十四周岁不满十八周岁"])
    assert s.amount < suggest(PILE, "individual", "一般", []).amount
    assert "第三十条" in s.reasoning


def test_mitigation_goes_below_minimum_only_with_a_mandatory_circumstance():
    with pytest.raises(InvalidInput, match="法定情节"):
        suggest(PILE, "individual", "一般", [MITIGATE])
    with pytest.raises(InvalidInput):
        suggest(PILE, "individual", "一般", [MITIGATE, "拒不改正"])
    s = suggest(PILE, "individual", "一般", [MITIGATE, "受胁迫诱骗"])
    assert Decimal(0) <= s.amount < s.legal_min == Decimal(200)
    assert s.allowed_min == 0 and s.allowed_max == Decimal(200)
    assert "减轻" in s.reasoning and "第三十二条第（二）项" in s.reasoning


def test_per_cubic_metre_fine_multiplies_by_quantity():
    s = suggest(DUMP_SOIL, "organisation", "严重", [], Decimal(120))
    assert (s.legal_min, s.legal_max) == (Decimal(1200), Decimal(2400))
    assert (s.allowed_min, s.allowed_max) == (Decimal(1800), Decimal(2400))
    assert s.amount == Decimal(2100)
    assert "第五十五条" in s.reasoning and "120立方米" in s.reasoning
    with pytest.raises(InvalidInput, match="立方米"):
        suggest(DUMP_SOIL, "organisation", "严重", [])
    with pytest.raises(InvalidInput):
        suggest(DUMP_SOIL, "organisation", "严重", [], Decimal(0))


def test_times_value_fine_for_illegal_felling():
    s = suggest(FELLING, "individual", "一般", ["主动消除减轻危害后果"], Decimal("2400"))
    assert (s.legal_min, s.legal_max) == (Decimal(7200), Decimal(12000))
    assert Decimal(7200) <= s.amount < Decimal(8400)  # below the midpoint of the 3–4× band
    assert "《中华人民共和国森林法》第七十六条第二款" in s.reasoning and "倍" in s.reasoning


def test_errors_name_valid_tiers_and_refuse_items_without_a_fine():
    with pytest.raises(InvalidInput) as e:
        suggest(PILE, "individual", "特别严重", [])
    assert "一般" in e.value.message and "较重" in e.value.message and "严重" in e.value.message
    with pytest.raises(InvalidInput, match="没有罚款"):
        suggest(GRAVE, "individual", None, [])
    with pytest.raises(InvalidInput, match="个人没有罚款"):
        suggest(SITE, "individual", None, [])
    with pytest.raises(InvalidInput, match="未规定罚款数额"):
        suggest(HOUSE, "individual", None, [])
    with pytest.raises(InvalidInput, match="未知的裁量情节"):
        suggest(PILE, "individual", "一般", ["态度好"])
    with pytest.raises(InvalidInput):
        suggest(PILE, "robot", "一般", [])


def test_no_tier_uses_the_legal_range_and_no_penalty_tier_gives_zero():
    s = suggest(PILE, "individual", None, [])
    assert s.amount == Decimal(600) and s.tier_label is None
    z = suggest(PILE, "individual", NO_PENALTY_TIER, [])
    assert z.amount == 0 and "第三十三条" in z.reasoning


def test_check_amount_reports_out_of_range_amounts():
    assert check_amount(PILE, "individual", Decimal(300), []) == []
    low = check_amount(PILE, "individual", Decimal(150), [])
    assert low and "低于法定最低额" in low[0] and "第三十二条" in low[0]
    assert check_amount(PILE, "individual", Decimal(150), [MITIGATE, "主动供述"]) == []
    bad_mitigation = check_amount(PILE, "individual", Decimal(150), [MITIGATE])
    assert any("未认定法定情节" in p for p in bad_mitigation)
    high = check_amount(PILE, "individual", Decimal(1001), [])
    assert high and "超过法定最高额" in high[0] and "第十二条第三款" in high[0]
    assert check_amount(PILE, "individual", Decimal(-1), []) == ["罚款金额不能为负数"]
    assert check_amount(DUMP_SOIL, "individual", Decimal(500), []) != []  # quantity missing
    assert check_amount(DUMP_SOIL, "individual", Decimal(500), [], Decimal(30)) == []
    assert check_amount(HOUSE, "individual", Decimal(500), [])  # no county standard yet
    assert check_amount(SITE, "individual", Decimal(500), [])  # no fine for individuals


# ----------------------------------------------------------------------------------- property
FINED = [it for it in ALL_ITEMS if it.fine is not None]


@st.composite
def cases(draw):
    item = draw(st.sampled_from(FINED))
    party = draw(st.sampled_from([p for p in PARTY_KINDS if item.fine.for_party(p) is not None]))
    labels = [t.label for t in item.tiers_for(party)]
    open_max = item.fine.for_party(party)[1] is None
    if open_max:
        tier = draw(st.sampled_from(labels)) if labels else None
    else:
        tier = draw(st.one_of(st.none(), st.sampled_from(labels))) if labels else None
    lighter = draw(st.lists(st.sampled_from(list(LIGHTER)), max_size=3, unique=True))
    heavier = draw(st.lists(st.sampled_from(list(HEAVIER)), max_size=3, unique=True))
    mitigate = bool(lighter) and draw(st.booleans())
    factors = lighter + heavier + ([MITIGATE] if mitigate else [])
    quantity = None
    if item.fine.unit is not None:
        quantity = draw(st.decimals(min_value=Decimal("0.01"), max_value=Decimal(10**6), places=2))
    return item, party, tier, factors, quantity


@settings(max_examples=300, deadline=None)
@given(cases())
def test_suggestion_always_inside_allowed_band(case):
    item, party, tier, factors, quantity = case
    if item.fine.for_party(party)[1] is None and tier is None:
        with pytest.raises(InvalidInput):
            suggest(item, party, tier, factors, quantity)
        return
    s = suggest(item, party, tier, factors, quantity)
    assert Decimal(0) <= s.allowed_min <= s.amount <= s.allowed_max
    assert s.amount == s.amount.quantize(Decimal("0.01"))
    if MITIGATE not in factors:
        assert s.amount >= s.legal_min
        if s.legal_max is not None:
            assert s.amount <= s.legal_max
    else:
        assert s.amount <= s.legal_min
    assert item.penalty_basis[0].article in s.reasoning
    assert check_amount(item, party, s.amount, factors, quantity) == []


def test_factor_vocabulary_is_complete():
    assert set(FACTORS) == {*LIGHTER, *HEAVIER, MITIGATE}
    assert {"主动消除减轻危害后果", "受胁迫诱骗", "主动供述", "立功", "已满十四周岁不满十八周岁"} <= set(LIGHTER)
    assert {"拒不改正", "再次违法", "突发事件期间"} <= set(HEAVIER)
