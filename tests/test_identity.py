"""居民身份证 (GB 11643) and 统一社会信用代码 (GB 32100) validation, ages, 公示 masking."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lishui_desk.errors import InvalidInput
from lishui_desk.identity import (
    PROVINCE_CODES,
    USCC_CHARSET,
    PartyKind,
    age_on,
    credit_code_check_char,
    full_age_reached,
    mask_id,
    mask_name,
    org_code_check_char,
    parse_credit_code,
    parse_resident_id,
    party_kind_from_code,
    resident_id_check_char,
)

TODAY = date(2026, 11, 26)
DIGITS = "0123456789"


def _code(excinfo: pytest.ExceptionInfo[InvalidInput]) -> str:
    return excinfo.value.code


# --- known vectors -----------------------------------------------------------------------------


def test_standard_example_id_parses() -> None:
    rid = parse_resident_id("11010519491231002X", today=TODAY)
    assert rid.region_code == "110105"
    assert rid.province_code == "11"
    assert rid.birth_date == date(1949, 12, 31)
    assert rid.sex == "女"  # 顺序码 002 is even


def test_1880_vector_has_right_check_digit_but_birth_year_is_rejected() -> None:
    # The check digit of 440524188001010014 verifies, but nobody born in 1880 is a party today.
    assert resident_id_check_char("44052418800101001") == "4"
    with pytest.raises(InvalidInput) as exc:
        parse_resident_id("440524188001010014", today=TODAY)
    assert _code(exc) == "id_birth_too_early"
    assert "1880-01-01" in exc.value.message


def test_known_credit_code_parses() -> None:
    cc = parse_credit_code("9144030071526726XG")
    assert (cc.registration_dept, cc.org_category, cc.region_code, cc.org_code) == ("9", "1", "440300", "71526726X")
    assert cc.registration_dept_name == "市场监督管理（工商）"
    assert cc.org_category_name == "企业"
    assert not cc.is_individual_business


@pytest.mark.parametrize(
    "raw",
    [" 11010519491231002x ", "１１０１０５１９４９１２３１００２Ｘ", "\u300011010519491231002X\t"],
)
def test_id_input_is_normalised(raw: str) -> None:
    assert parse_resident_id(raw, today=TODAY).number == "11010519491231002X"


def test_credit_code_lower_case_is_normalised() -> None:
    assert parse_credit_code(" 9144030071526726xg").code == "9144030071526726XG"


# --- resident ID error paths -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "code", "fragment"),
    [
        ("", "id_empty", "不能为空"),
        ("110105491231002", "id_legacy15", "18位"),
        ("1101051949123100", "id_length", "实际为16位"),
        ("11010519491231002X1", "id_length", "实际为19位"),
        ("1101051949123100XX", "id_charset", "第17位“X”"),
        ("11010519491231 02X", "id_charset", "第15位"),
        ("99010519491231002X", "id_province", "“99”"),
        ("110105194902300021", "id_birth_date", "“19490230”"),
        ("110105202712010023", "id_birth_future", "2027-12-01"),
        ("110105189912310024", "id_birth_too_early", "1899-12-31"),
        ("110105194912310021", "id_check", "校验码"),
    ],
)
def test_resident_id_errors(raw: str, code: str, fragment: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        parse_resident_id(raw, today=TODAY)
    assert _code(exc) == code
    assert fragment in exc.value.message
    assert "GB 11643" in exc.value.message


def test_check_error_does_not_reveal_expected_character() -> None:
    with pytest.raises(InvalidInput) as exc:
        parse_resident_id("110105194912310021", today=TODAY)
    assert "X" not in exc.value.message.replace("GB 11643-1999", "")


# --- credit code error paths -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "code", "fragment"),
    [
        ("", "uscc_empty", "不能为空"),
        ("9144030071526726X", "uscc_length", "实际为17位"),
        ("9144030071526726IG", "uscc_charset", "第17位“I”"),
        ("9O44030071526726XG", "uscc_charset", "第2位“O”"),
        ("91440A0071526726XG", "uscc_region", "“440A00”"),
        ("9144030071526726XH", "uscc_check", "校验码"),
    ],
)
def test_credit_code_errors(raw: str, code: str, fragment: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        parse_credit_code(raw)
    assert _code(exc) == code
    assert fragment in exc.value.message


def _uscc_with_bad_org_check() -> str:
    body = "71526726"
    wrong = "1" if org_code_check_char(body) != "1" else "2"
    first17 = "914403" + "00" + body + wrong
    return first17 + credit_code_check_char(first17)


def test_embedded_org_code_error_is_separate_and_can_be_waived() -> None:
    code = _uscc_with_bad_org_check()
    with pytest.raises(InvalidInput) as exc:
        parse_credit_code(code)
    assert _code(exc) == "uscc_org_code"
    assert "GB 11714" in exc.value.message
    assert parse_credit_code(code, check_org_code=False).code == code


# --- property tests ----------------------------------------------------------------------------


@st.composite
def valid_ids(draw: st.DrawFn) -> str:
    province = draw(st.sampled_from(sorted(PROVINCE_CODES)))
    area = draw(st.text(DIGITS, min_size=4, max_size=4))
    birth = draw(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
    seq = draw(st.text(DIGITS, min_size=3, max_size=3))
    first17 = province + area + birth.strftime("%Y%m%d") + seq
    return first17 + resident_id_check_char(first17)


@settings(max_examples=150, deadline=None)
@given(valid_ids())
def test_every_valid_id_parses_and_round_trips(number: str) -> None:
    rid = parse_resident_id(number.lower(), today=TODAY)
    assert rid.number == number
    assert rid.birth_date.strftime("%Y%m%d") == number[6:14]
    assert rid.sex == ("男" if int(number[16]) % 2 else "女")
    assert party_kind_from_code(number, today=TODAY) is PartyKind.INDIVIDUAL


@settings(max_examples=150, deadline=None)
@given(valid_ids(), st.integers(0, 17), st.sampled_from(DIGITS + "X"))
def test_changing_one_character_of_an_id_is_rejected(number: str, pos: int, ch: str) -> None:
    if number[pos] == ch:
        return
    mutated = number[:pos] + ch + number[pos + 1 :]
    with pytest.raises(InvalidInput):
        parse_resident_id(mutated, today=TODAY)


@st.composite
def valid_credit_codes(draw: st.DrawFn) -> str:
    head = draw(st.text(USCC_CHARSET, min_size=2, max_size=2))
    region = draw(st.text(DIGITS, min_size=6, max_size=6))
    body = draw(st.text(USCC_CHARSET, min_size=8, max_size=8))
    first17 = head + region + body + org_code_check_char(body)
    return first17 + credit_code_check_char(first17)


@settings(max_examples=150, deadline=None)
@given(valid_credit_codes())
def test_every_valid_credit_code_parses(code: str) -> None:
    cc = parse_credit_code(code.lower())
    assert cc.code == code
    assert cc.region_code == code[2:8]
    assert cc.org_code == code[8:17]
    assert cc.is_individual_business == code.startswith("92")


@settings(max_examples=150, deadline=None)
@given(valid_credit_codes(), st.integers(0, 17), st.sampled_from(USCC_CHARSET))
def test_changing_one_character_of_a_credit_code_is_rejected(code: str, pos: int, ch: str) -> None:
    if code[pos] == ch:
        return
    mutated = code[:pos] + ch + code[pos + 1 :]
    with pytest.raises(InvalidInput):
        parse_credit_code(mutated)


# --- party kind --------------------------------------------------------------------------------


def test_party_kind_for_individual_business_and_company() -> None:
    body = "MA2E0D10"
    first17 = "92" + "331102" + body + org_code_check_char(body)
    sole = first17 + credit_code_check_char(first17)
    assert party_kind_from_code(sole, today=TODAY) is PartyKind.INDIVIDUAL_BUSINESS
    assert party_kind_from_code("9144030071526726XG", today=TODAY) is PartyKind.ORGANISATION


def test_party_kind_rejects_garbage_with_both_reasons() -> None:
    with pytest.raises(InvalidInput) as exc:
        party_kind_from_code("12345", today=TODAY)
    assert "身份证号码" in exc.value.message and "统一社会信用代码" in exc.value.message


# --- ages --------------------------------------------------------------------------------------


def test_age_goes_up_the_day_after_the_birthday() -> None:
    birth = date(2012, 6, 15)
    assert age_on(birth, date(2026, 6, 15)) == 13  # 周岁: the birthday itself is still 13
    assert age_on(birth, date(2026, 6, 16)) == 14
    assert age_on(birth, birth) == 0


def test_age_of_leap_day_birth() -> None:
    birth = date(2012, 2, 29)
    assert age_on(birth, date(2026, 2, 28)) == 13  # common year: anniversary is 28 Feb
    assert age_on(birth, date(2026, 3, 1)) == 14
    assert age_on(birth, date(2028, 2, 29)) == 15  # leap year: the birthday itself
    assert age_on(birth, date(2028, 3, 1)) == 16


def test_full_age_is_reached_the_day_after_the_birthday() -> None:
    birth = date(2012, 6, 15)
    assert not full_age_reached(birth, date(2026, 6, 15), 14)
    assert full_age_reached(birth, date(2026, 6, 16), 14)
    leap = date(2012, 2, 29)
    assert not full_age_reached(leap, date(2026, 2, 28), 14)
    assert full_age_reached(leap, date(2026, 3, 1), 14)


def test_age_before_birth_is_an_error() -> None:
    with pytest.raises(InvalidInput):
        age_on(date(2020, 1, 2), date(2020, 1, 1))


# --- masking -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "masked"),
    [("张三", "张*"), ("张小三", "张*三"), ("欧阳小锋", "欧**锋"), ("李", "*"), (" 王五 ", "王*")],
)
def test_mask_person_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_organisation_name_is_not_masked() -> None:
    assert mask_name("丽水市某某建材有限公司", is_organisation=True) == "丽水市某某建材有限公司"


def test_mask_id_keeps_first_three_and_last_four() -> None:
    assert mask_id("11010519491231002x") == "110***********002X"
    assert mask_id("E1234") == "*****"


def test_masking_empty_is_an_error() -> None:
    with pytest.raises(InvalidInput):
        mask_name("  ")
    with pytest.raises(InvalidInput):
        mask_id("")
