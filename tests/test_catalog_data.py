"""Seed catalogs and divisions: they load, cite real articles with the statutory amounts, keep
tiers inside the law, and bad files are refused with a message naming the file and the item."""

from __future__ import annotations

import copy
import json
import re
from datetime import date
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import pytest

from lishui_desk.catalog_data import (
    DIVISIONS_FILE,
    PENALTY_KINDS,
    available_catalogs,
    load_catalog,
    load_divisions,
    parse_item,
    summary_eligible,
    township_info,
)
from lishui_desk.errors import InvalidInput, NotFound

REPO = Path(__file__).resolve().parents[1]
LAWS_DIR = REPO.parent / "shared" / "reference" / "laws"
PILOTS = ("331181100", "331123002", "331123204")

# Laws the seed data may cite. Used when the statute folder is absent (a bare clone); when the
# folder is present every citation is checked against the statute texts themselves.
KNOWN_LAWS = {
    "浙江省城市市容和环境卫生管理条例", "浙江省生活垃圾管理条例", "中华人民共和国固体废物污染环境防治法",
    "中华人民共和国大气污染防治法", "浙江省大气污染防治条例", "中华人民共和国噪声污染防治法",
    "中华人民共和国森林法", "浙江省松材线虫病防治条例", "浙江省森林消防条例", "森林防火条例",
    "浙江省河道管理条例", "中华人民共和国水土保持法", "浙江省水土保持条例",
    "浙江省农村生活污水处理设施管理条例", "村庄和集镇规划建设管理条例", "中华人民共和国城乡规划法",
    "浙江省城乡规划条例", "浙江省违法建筑处置规定", "中华人民共和国土地管理法",
    "中华人民共和国土地管理法实施条例", "浙江省土地管理条例", "丽水市城市养犬管理规定",
    "丽水市扬尘污染防治规定", "丽水市饮用水水源保护条例", "浙江省饮用水水源保护条例",
    "丽水市传统村落保护条例", "殡葬管理条例", "中华人民共和国消防法", "城市绿化条例",
    "丽水市文明行为促进条例", "浙江省燃气管理条例", "中华人民共和国行政复议法",
}


@pytest.fixture(scope="module")
def catalogs():
    return {code: load_catalog(code) for code in PILOTS}


# ------------------------------------------------------------------------------ statute texts
_ARTICLE_HEAD = re.compile(r"^(第[〇零一二三四五六七八九十百]+条(?:之[一二三四五六七八九十]+)?)[ 　]")


def _law_texts() -> dict[str, dict[str, list[str]]]:
    """law title -> article -> its non-empty lines (headings end an article)."""
    out: dict[str, dict[str, list[str]]] = {}
    for f in sorted(LAWS_DIR.glob("*.md")):
        lines = f.read_text(encoding="utf-8").splitlines()
        if not lines or not lines[0].startswith("# "):
            continue
        arts: dict[str, list[str]] = {}
        current: list[str] | None = None
        for line in lines[1:]:
            m = _ARTICLE_HEAD.match(line)
            if m:
                current = arts.setdefault(m.group(1), [])
            elif line.startswith("#"):
                current = None
            if current is not None and line.strip():
                current.append(line.strip().replace("(", "（").replace(")", "）"))
        out[lines[0][2:].strip()] = arts
    return out


def _paragraphs(lines: list[str]) -> list[list[str]]:
    paras: list[list[str]] = []
    for line in lines:
        if line.startswith("（") and paras:
            paras[-1].append(line)
        else:
            paras.append([line])
    return paras


_CLAUSE = re.compile(r"^(?:第([一二三四五六七八九十]+)款)?(?:第（([一二三四五六七八九十]+)）项)?$")
_CN = "零一二三四五六七八九"


def _cn_int(s: str) -> int:
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + _CN.index(s[1])
    if "十" in s:
        a, _, b = s.partition("十")
        return _CN.index(a) * 10 + (_CN.index(b) if b else 0)
    return _CN.index(s)


def _cn_amount(n: int) -> str:
    def small(k: int) -> str:
        out = ""
        for unit, value in (("千", 1000), ("百", 100), ("十", 10)):
            d, k = divmod(k, value)
            if d:
                out += ("" if (unit == "十" and d == 1 and not out) else _CN[d]) + unit
        return out + (_CN[k] if k else "")

    wan, rest = divmod(n, 10000)
    return (small(wan) + "万" if wan else "") + small(rest)


def _amount_forms(value: Decimal) -> set[str]:
    n = int(value)
    forms = {f"{n}元", _cn_amount(n) + "元", _cn_amount(n).replace("二", "两") + "元"}
    if n % 10000 == 0:
        forms.add(f"{n // 10000}万元")
    return forms


def _citation_problem(texts, c) -> str | None:
    arts = texts.get(c.law)
    if arts is None:
        return f"law not in laws/: {c.law}"
    lines = arts.get(c.article)
    if lines is None:
        return f"{c.law} has no {c.article}"
    if not c.clause:
        return None
    m = _CLAUSE.match(c.clause)
    if not m:
        return f"bad clause {c.clause}"
    paras = _paragraphs(lines)
    if m.group(1):
        idx = _cn_int(m.group(1))
        if idx > len(paras):
            return f"{c.law}{c.article} has only {len(paras)} paragraphs, cited {c.clause}"
        scope = paras[idx - 1]
    else:
        scope = [line for p in paras for line in p]
    if m.group(2) and not any(line.startswith(f"（{m.group(2)}）") for line in scope):
        return f"{c.law}{c.article}{c.clause}: no such item"
    return None


# -------------------------------------------------------------------------------------- tests
def test_each_pilot_catalog_loads_with_at_least_40_active_items(catalogs):
    assert set(PILOTS) <= set(available_catalogs())
    for code, cat in catalogs.items():
        assert cat.township_code == code
        assert cat.county_code == code[:6]
        assert cat.version == "2026.1" and cat.effective_from == date(2026, 1, 1)
        assert "待县级确认" in cat.publisher
        assert len(cat.active_items()) >= 40, cat.township_name
        assert "示例" in cat.tiers_source
        for it in cat.items:
            assert re.fullmatch(r"3311\d{8}", it.code) and it.code.endswith("000")
            assert set(it.penalty_kinds) <= set(PENALTY_KINDS)


def test_mountain_townships_lean_to_rural_domains_and_yunfeng_to_city_domains(catalogs):
    rural = {"林业", "森林消防", "水利", "水土保持", "农村污水", "村镇建设", "土地", "传统村落", "饮用水源"}
    city = {"市容环卫", "生活垃圾", "大气污染", "噪声污染", "养犬管理", "扬尘污染"}
    for code in ("331181100", "331123204"):
        domains = [it.domain for it in catalogs[code].active_items()]
        assert sum(d in rural for d in domains) > len(domains) / 2
    yunfeng = [it.domain for it in catalogs["331123002"].active_items()]
    assert sum(d in city for d in yunfeng) > len(yunfeng) / 2
    assert {"养犬管理", "扬尘污染"} <= set(yunfeng)


def test_hushan_lacks_construction_waste_and_outdoor_ads_which_yunfeng_has(catalogs):
    def names(code):
        return " ".join(it.name for it in catalogs[code].items)

    for word in ("建筑垃圾", "户外广告"):
        assert word not in names("331123204")
        assert word in names("331123002")


def test_withdrawn_items_leave_competence_on_their_withdrawal_date(catalogs):
    badu = catalogs["331181100"]
    withdrawn = [it for it in badu.items if it.status == "withdrawn"]
    assert 2 <= len(withdrawn) <= 3
    for it in withdrawn:
        assert it.withdrawn_on is not None
        assert badu.item_on(it.code, date(2026, 2, 1)) is it
        assert badu.item_on(it.code, it.withdrawn_on) is None
        assert it not in badu.active_items()
    first = withdrawn[0]
    assert badu.item_on(first.code, date(2025, 12, 31)) is None  # before the version took effect
    assert len(badu.active_items(date(2026, 3, 1))) == len(badu.active_items()) + len(withdrawn)


def test_same_code_means_the_same_item_in_every_catalog(catalogs):
    seen: dict[str, dict] = {}
    for cat in catalogs.values():
        for it in cat.items:
            body = {k: v for k, v in it.raw.items() if k not in ("status", "withdrawn_on")}
            if it.code in seen:
                assert seen[it.code] == body, it.code
            seen[it.code] = body


def test_citations_name_real_laws_and_articles(catalogs):
    citations = [
        (cat.source, it.code, c)
        for cat in catalogs.values()
        for it in cat.items
        for c in (*it.violation_basis, *it.penalty_basis)
    ]
    assert citations
    if not LAWS_DIR.is_dir():
        unknown = {c.law for _, _, c in citations} - KNOWN_LAWS
        assert not unknown
        return
    texts = _law_texts()
    assert KNOWN_LAWS <= set(texts), KNOWN_LAWS - set(texts)
    problems = [f"{src} {code}: {p}" for src, code, c in citations if (p := _citation_problem(texts, c))]
    assert not problems, "\n".join(problems)
    _check_amounts_against_statutes(catalogs, texts)


def _check_amounts_against_statutes(catalogs, texts) -> None:
    """Each fixed-yuan legal bound is written in one of its cited penalty articles."""
    problems = []
    checked = 0
    for cat in catalogs.values():
        for it in cat.items:
            if it.fine is None or it.fine.unit is not None:
                continue
            body = "".join(line for c in it.penalty_basis for line in texts[c.law][c.article])
            for rng in (it.fine.individual, it.fine.organisation):
                if rng is None:
                    continue
                for value in (rng[0], rng[1]):
                    if value is None or value == 0:
                        continue
                    checked += 1
                    if not any(form in body for form in _amount_forms(value)):
                        problems.append(f"{it.code} {it.name}: {value} not in {it.penalty_basis_text()}")
    assert checked > 100
    assert not problems, "\n".join(problems)


def test_amount_words_helper_matches_statute_spelling():
    assert _cn_amount(50) == "五十" and _cn_amount(10) == "十" and _cn_amount(2000) == "二千"
    assert _cn_amount(100000) == "十万" and _cn_amount(1000000) == "一百万"
    assert "两万元" in _amount_forms(Decimal(20000)) and "1万元" in _amount_forms(Decimal(10000))


def test_tiers_lie_inside_the_legal_range_and_are_contiguous(catalogs):
    for cat in catalogs.values():
        for it in cat.items:
            for party in ("individual", "organisation"):
                tiers = sorted(it.tiers_for(party), key=lambda t: t.fine_min)
                if not tiers:
                    continue
                lo, hi = it.fine.for_party(party)
                assert tiers[0].fine_min >= lo and (hi is None or tiers[-1].fine_max <= hi), it.code
                for a, b in pairwise(tiers):
                    assert a.fine_max == b.fine_min, it.code
    # items whose statute sets no amount carry no invented tiers
    badu = catalogs["331181100"]
    no_amount = [it for it in badu.items if it.fine and it.fine.individual and it.fine.individual[1] is None]
    assert no_amount and all(not it.tiers_for("individual") for it in no_amount)


def test_first_offence_and_life_safety_flags(catalogs):
    yunfeng = catalogs["331123002"]
    waivable = [it for it in yunfeng.items if it.first_offence_waivable]
    assert waivable and all(it.tiers_for("individual", include_no_penalty=True)[0].label == "不予处罚"
                            for it in waivable if it.tiers)
    life = {it.domain for cat in catalogs.values() for it in cat.items if it.life_health_safety}
    assert {"饮用水源", "消防"} <= life
    assert not any(it.life_health_safety for it in yunfeng.items if it.domain == "养犬管理")


def test_summary_eligibility_follows_article_51(catalogs):
    yunfeng = catalogs["331123002"]

    def by_name(cat, word):
        return next(it for it in cat.items if word in it.name)

    spit = by_name(yunfeng, "随地吐痰")
    fume = by_name(yunfeng, "超过排放标准排放油烟")
    site = by_name(yunfeng, "施工现场未设置临时厕所")
    lane = by_name(yunfeng, "消防车通道")
    assert summary_eligible(spit, "individual")
    assert not summary_eligible(fume, "individual") and not summary_eligible(fume, "organisation")
    assert summary_eligible(site, "organisation") and not summary_eligible(site, "individual")
    assert summary_eligible(lane, "individual")  # 警告 or up to ¥500 (消防法第六十条第二款)
    assert not summary_eligible(lane, "organisation")  # no 警告 for units, and ¥5,000 > ¥3,000
    badu = catalogs["331181100"]
    assert not summary_eligible(by_name(badu, "滥伐林木"), "individual")  # per-value fine
    assert not summary_eligible(by_name(badu, "农村居民未经批准或者违反规划"), "individual")  # no amount
    assert not summary_eligible(by_name(badu, "公墓和农村公益性墓地以外"), "individual")  # measures only
    with pytest.raises(InvalidInput):
        summary_eligible(spit, "company")


# ---------------------------------------------------------------------------- bad catalog files
def _write(tmp_path: Path, data, name="331123204.json") -> Path:
    p = tmp_path / name
    p.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return p


@pytest.fixture
def good_doc():
    return json.loads((REPO / "resources" / "catalog" / "331123204.json").read_text(encoding="utf-8"))


def _first_fined(doc) -> dict:
    return next(i for i in doc["items"] if i["fine"] and i["fine"]["individual"] and i["tiers"])


def test_corrupt_json_is_refused_naming_the_file(tmp_path):
    p = _write(tmp_path, '{"township_code": "331123204", "items": [', "broken.json")
    with pytest.raises(InvalidInput) as e:
        load_catalog(p)
    assert "broken.json" in e.value.message and "行" in e.value.message


def test_missing_file_and_unknown_township():
    with pytest.raises(NotFound):
        load_catalog("331123999")


def _fined_tiers(it: dict) -> list[dict]:
    return [t for t in it["tiers"] if t["label"] != "不予处罚"]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda it: it.pop("penalty_basis"), "penalty_basis"),
        (lambda it: it["penalty_kinds"].append("行政拘留"), "第十八条第三款"),
        (lambda it: it["penalty_kinds"].append("罚金"), "罚金"),
        (lambda it: it["fine"].__setitem__("individual", [900, 100]), "大于最高"),
        (lambda it: _fined_tiers(it)[-1].__setitem__("fine_max", 10**9), "超出"),
        (lambda it: _fined_tiers(it)[1].__setitem__("fine_min", _fined_tiers(it)[0]["fine_min"]), "重叠"),
        (lambda it: it["violation_basis"][0].__setitem__("article", "十二"), "条号"),
        (lambda it: it.__setitem__("status", "withdrawn"), "收回日期"),
        (lambda it: it["fine"].__setitem__("unit", "per_dog"), "计算单位"),
    ],
)
def test_bad_item_is_refused_naming_file_and_item(tmp_path, good_doc, mutate, expected):
    doc = copy.deepcopy(good_doc)
    target = _first_fined(doc)
    assert len(_fined_tiers(target)) >= 2
    mutate(target)
    p = _write(tmp_path, doc)
    with pytest.raises(InvalidInput) as e:
        load_catalog(p)
    assert target["code"] in e.value.message and p.name in e.value.message
    assert expected in e.value.message


def test_duplicate_codes_and_township_mismatch_are_refused(tmp_path, good_doc):
    doc = copy.deepcopy(good_doc)
    doc["items"].append(copy.deepcopy(doc["items"][0]))
    with pytest.raises(InvalidInput) as e:
        load_catalog(_write(tmp_path, doc))
    assert doc["items"][0]["code"] in e.value.message and "重复" in e.value.message

    doc = copy.deepcopy(good_doc)
    doc["county_code"] = "331181"
    with pytest.raises(InvalidInput, match="县级代码"):
        load_catalog(_write(tmp_path, doc))


def test_gap_between_tiers_is_refused(good_doc):
    item = copy.deepcopy(_first_fined(good_doc))
    fined = _fined_tiers(item)
    fined[1]["fine_min"] = fined[0]["fine_max"] + 1
    with pytest.raises(InvalidInput, match="空档"):
        parse_item(item, source="x.json")


def test_parse_item_round_trips_through_raw(good_doc, catalogs):
    it = catalogs["331123204"].items[0]
    again = parse_item(json.loads(json.dumps(it.raw)), source="db")
    assert again == it


# ------------------------------------------------------------------------------------ divisions
def test_divisions_cover_lishui_with_kinds_and_lookup():
    d = load_divisions()
    assert d.city_code == "3311" and d.city_name == "丽水市"
    assert len(d.counties) == 9
    assert d.county("331181").name == "龙泉市"
    src = REPO.parent / "shared" / "reference" / "lishui_divisions.txt"
    if src.is_file():
        rows = [line.split() for line in src.read_text(encoding="utf-8").splitlines() if line.strip()]
        assert [(t.code, t.name, t.county_code) for t in d.townships] == [tuple(r) for r in rows]
    assert len(d.townships) == 173
    for t in d.townships:
        seq = int(t.code[6:])
        assert (t.kind == "街道") == (seq < 100) and t.name.endswith(t.kind)
    assert len(d.townships_of("331123")) == 20
    with pytest.raises(NotFound):
        d.get("331199999")
    with pytest.raises(NotFound):
        d.township("331123")


def test_pilot_township_info_names_agency_review_body_court_and_abbrev():
    badu = township_info("331181100")
    assert badu.agency_name == "龙泉市八都镇人民政府"
    assert badu.review_body == "龙泉市人民政府" and badu.court == "龙泉市人民法院"
    assert badu.review_basis.article == "第二十四条"
    assert badu.agency_abbrev == "龙八综执" and badu.agency_abbrev_status == "待确认"
    yunfeng = township_info("331123002")
    assert yunfeng.kind == "街道" and yunfeng.agency_name == "遂昌县云峰街道办事处"
    assert yunfeng.review_body == "遂昌县人民政府" and "（三）" in yunfeng.review_basis.clause
    hushan = township_info("331123204")
    assert (hushan.agency_name, hushan.agency_abbrev, hushan.full_name) == ("遂昌县湖山乡人民政府", "遂湖综执", "遂昌县湖山乡")
    assert "确认" in hushan.court_status
    assert not township_info("331123001").is_pilot
    assert {t.code for t in load_divisions().pilots()} == set(PILOTS)


def test_corrupt_divisions_file_is_refused(tmp_path):
    data = json.loads(DIVISIONS_FILE.read_text(encoding="utf-8"))
    data["townships"][0]["kind"] = "村"
    p = tmp_path / "div.json"
    p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InvalidInput, match="类别"):
        load_divisions(p)
