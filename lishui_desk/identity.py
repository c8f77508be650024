"""Identity numbers of parties (当事人): 居民身份证号码 and 统一社会信用代码, plus 公示 masking.

Pure functions, no database.

- 公民身份号码 (GB 11643-1999): 6-digit 地址码 + 8-digit 出生日期码 + 3-digit 顺序码 (odd = male)
  + 1 校验码 (ISO 7064 MOD 11-2).
- 统一社会信用代码 (GB 32100-2015): 登记管理部门代码 + 机构类别代码 + 6-digit 行政区划码 + 9-char
  主体标识码 (组织机构代码, GB 11714, with its own check character) + mod-31 校验码.

Design choices (documented here because users see them):

- A wrong check character is reported as "校验码不符" **without** revealing the expected character.
  Showing it would invite the officer to "fix" the last character when the real mistake is a
  mistyped digit earlier in the number; the officer must re-read the document instead.
- 15-digit legacy numbers are rejected (not converted): first-generation cards are no longer
  valid, and converting would record a number nobody checked against the party's current card.
- Birth dates before 1900 or after today are rejected. (The vector ``440524188001010014`` has a
  correct check digit but a birth year of 1880, so :func:`parse_resident_id` rejects it with the
  birth-date message; :func:`resident_id_check_char` still verifies it.)
- The embedded 组织机构代码 check (GB 11714) is a separate error (code ``uscc_org_code``) and can be
  switched off with ``check_org_code=False``, because a few codes issued before 2016 are known not
  to follow the standard.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from lishui_desk.errors import InvalidInput
from lishui_desk.timeutil import today_local

__all__ = [
    "CreditCode",
    "PartyKind",
    "ResidentId",
    "age_on",
    "anniversary",
    "credit_code_check_char",
    "full_age_reached",
    "mask_id",
    "mask_name",
    "org_code_check_char",
    "parse_credit_code",
    "parse_resident_id",
    "party_kind_from_code",
    "resident_id_check_char",
]

_GB11643 = "GB 11643-1999《公民身份号码》"
_GB32100 = "GB 32100-2015《法人和其他组织统一社会信用代码编码规则》"
_GB11714 = "GB 11714《全国组织机构代码编制规则》"

# ---------------------------------------------------------------------------------------------
# 公民身份号码 (GB 11643-1999)
# ---------------------------------------------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # 2^(18-i) mod 11
_ID_CHECK_CHARS = "10X98765432"  # indexed by (sum mod 11)

# First two digits of the 地址码 (GB/T 2260 province level); 71/81/82/83 appear on 台湾/香港/澳门
# residents' numbers (居住证 and 台胞 records).
PROVINCE_CODES: frozenset[str] = frozenset(
    [str(c) for c in range(11, 16)]
    + [str(c) for c in range(21, 24)]
    + [str(c) for c in range(31, 38)]
    + [str(c) for c in range(41, 47)]
    + [str(c) for c in range(50, 55)]
    + [str(c) for c in range(61, 66)]
    + ["71", "81", "82", "83"]
)

EARLIEST_BIRTH_DATE = date(1900, 1, 1)


@dataclass(frozen=True)
class ResidentId:
    """A checked 18-character 公民身份号码."""

    number: str
    region_code: str  # 6-digit 地址码
    birth_date: date
    sex: str  # '男' or '女' (顺序码 odd / even)
    province_code: str  # first two digits

    def age_on(self, on_date: date) -> int:
        return age_on(self.birth_date, on_date)


def _normalise(s: str) -> str:
    """NFKC (full-width digits/letters become ASCII), strip surrounding spaces, upper-case."""
    if not isinstance(s, str):
        raise InvalidInput("证件号码必须是文字", code="id_type")
    return unicodedata.normalize("NFKC", s).strip().upper()


def resident_id_check_char(first17: str) -> str:
    """The GB 11643 (ISO 7064 MOD 11-2) check character for 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise InvalidInput("计算身份证校验码需要17位数字（GB 11643-1999）", code="id_charset")
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def parse_resident_id(s: str, *, today: date | None = None) -> ResidentId:
    """Check and decode a 居民身份证号码; raises :class:`InvalidInput` with a Chinese message.

    Accepts lower-case ``x``, full-width characters and surrounding spaces. ``today`` bounds the
    birth date (defaults to the system date).
    """
    number = _normalise(s)
    today = today or today_local()
    if not number:
        raise InvalidInput(f"身份证号码不能为空（{_GB11643}）", code="id_empty")
    if len(number) == 15 and number.isascii() and number.isdigit():
        raise InvalidInput(
            "这是15位旧版身份证号码，已停止使用；请填写当事人现行的18位公民身份号码"
            f"（{_GB11643}）",
            code="id_legacy15",
        )
    if len(number) != 18:
        raise InvalidInput(
            f"身份证号码应为18位，实际为{len(number)}位（{_GB11643}）", code="id_length"
        )
    for pos, ch in enumerate(number, start=1):
        ok = (ch.isascii() and ch.isdigit()) or (pos == 18 and ch == "X")
        if not ok:
            raise InvalidInput(
                f"身份证号码第{pos}位“{ch}”不合法：前17位只能是数字，第18位只能是数字或X（{_GB11643}）",
                code="id_charset",
            )
    province = number[:2]
    if province not in PROVINCE_CODES:
        raise InvalidInput(
            f"身份证号码前两位“{province}”不是有效的省级行政区划代码（GB/T 2260，{_GB11643}）",
            code="id_province",
        )
    raw_birth = number[6:14]
    try:
        birth = date(int(raw_birth[:4]), int(raw_birth[4:6]), int(raw_birth[6:8]))
    except ValueError:
        raise InvalidInput(
            f"身份证号码第7至14位出生日期“{raw_birth}”不是真实存在的日期（{_GB11643}）",
            code="id_birth_date",
        ) from None
    if birth > today:
        raise InvalidInput(
            f"身份证号码中的出生日期{birth.isoformat()}晚于今天（{today.isoformat()}），号码有误（{_GB11643}）",
            code="id_birth_future",
        )
    if birth < EARLIEST_BIRTH_DATE:
        raise InvalidInput(
            f"身份证号码中的出生日期{birth.isoformat()}早于1900年1月1日，号码有误（{_GB11643}）",
            code="id_birth_too_early",
        )
    if resident_id_check_char(number[:17]) != number[17]:
        raise InvalidInput(
            f"身份证号码校验码（第18位）不符，请对照证件逐位核对号码（{_GB11643}）",
            code="id_check",
        )
    return ResidentId(
        number=number,
        region_code=number[:6],
        birth_date=birth,
        sex="男" if int(number[16]) % 2 == 1 else "女",
        province_code=province,
    )


# ---------------------------------------------------------------------------------------------
# Age (周岁)
# ---------------------------------------------------------------------------------------------


def anniversary(birth_date: date, years: int) -> date:
    """The ``years``-th birthday; a 29 February birthday falls on 28 February in common years
    (the month-end rule for periods without a corresponding day)."""
    year = birth_date.year + years
    try:
        return birth_date.replace(year=year)
    except ValueError:  # 29 Feb in a common year
        return date(year, 2, 28)


def age_on(birth_date: date, on_date: date) -> int:
    """Age in 周岁 on ``on_date`` — the one age rule of the app, used for every age threshold
    (《行政处罚法》第三十条 and any other).

    A full year of age is reached on the day *after* the birthday (周岁 as Chinese law counts it:
    the birthday itself still belongs to the previous year of age). A 29 February birthday has its
    anniversary on 28 February in common years, so the age goes up on 1 March. Raises
    :class:`InvalidInput` if ``on_date`` is before the birth date.
    """
    if on_date < birth_date:
        raise InvalidInput(
            f"日期{on_date.isoformat()}早于出生日期{birth_date.isoformat()}，无法计算年龄",
            code="age_before_birth",
        )
    years = on_date.year - birth_date.year
    if years > 0 and on_date <= anniversary(birth_date, years):
        years -= 1
    return years


def full_age_reached(birth_date: date, on_date: date, years: int) -> bool:
    """Whether the person is "已满 ``years`` 周岁" on ``on_date`` (same rule as :func:`age_on`)."""
    return age_on(birth_date, on_date) >= years if on_date >= birth_date else False


# ---------------------------------------------------------------------------------------------
# 统一社会信用代码 (GB 32100-2015) and 组织机构代码 (GB 11714)
# ---------------------------------------------------------------------------------------------

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 symbols: no I, O, S, V, Z
_USCC_VALUES = {c: i for i, c in enumerate(USCC_CHARSET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)  # 3^(i-1) mod 31
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# 登记管理部门代码 (position 1) and 机构类别代码 (position 2) names. Not used to reject a code: the
# lists are from secondary sources and the checksums already catch typing errors.
REGISTRATION_DEPTS: dict[str, str] = {
    "1": "机构编制",
    "2": "外交",
    "3": "司法行政",
    "4": "文化",
    "5": "民政",
    "6": "旅游",
    "7": "宗教",
    "8": "工会",
    "9": "市场监督管理（工商）",
    "A": "中央军委改革和编制办公室",
    "N": "农业",
    "Y": "其他",
}
ORG_CATEGORIES: dict[str, dict[str, str]] = {
    "1": {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"},
    "5": {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"},
    "9": {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"},
}

_USCC_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


@dataclass(frozen=True)
class CreditCode:
    """A checked 统一社会信用代码."""

    code: str
    registration_dept: str  # position 1
    org_category: str  # position 2
    region_code: str  # positions 3-8
    org_code: str  # positions 9-17 (组织机构代码 incl. its check character)

    @property
    def registration_dept_name(self) -> str | None:
        return REGISTRATION_DEPTS.get(self.registration_dept)

    @property
    def org_category_name(self) -> str | None:
        return ORG_CATEGORIES.get(self.registration_dept, {}).get(self.org_category)

    @property
    def is_individual_business(self) -> bool:
        """个体工商户: codes starting "92" (市场监管 registration, category 2)."""
        return self.code.startswith("92")


def credit_code_check_char(first17: str) -> str:
    """The GB 32100 mod-31 check character for 17 characters of the USCC charset."""
    if len(first17) != 17 or any(c not in _USCC_VALUES for c in first17):
        raise InvalidInput(f"计算统一社会信用代码校验码需要17位合法字符（{_GB32100}）", code="uscc_charset")
    total = sum(_USCC_VALUES[c] * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def _org_value(ch: str) -> int:
    if ch.isascii() and ch.isdigit():
        return int(ch)
    if ch.isascii() and ch.isalpha() and ch.isupper():
        return ord(ch) - ord("A") + 10
    raise InvalidInput(f"组织机构代码含非法字符“{ch}”（{_GB11714}）", code="uscc_org_code")


def org_code_check_char(first8: str) -> str:
    """The GB 11714 check character of an 组织机构代码 body (8 characters)."""
    if len(first8) != 8:
        raise InvalidInput(f"计算组织机构代码校验码需要8位本体代码（{_GB11714}）", code="uscc_org_code")
    total = sum(_org_value(c) * w for c, w in zip(first8, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def parse_credit_code(s: str, *, check_org_code: bool = True) -> CreditCode:
    """Check and decode a 统一社会信用代码; raises :class:`InvalidInput` (Chinese message)."""
    code = _normalise(s)
    if not code:
        raise InvalidInput(f"统一社会信用代码不能为空（{_GB32100}）", code="uscc_empty")
    if len(code) != 18:
        raise InvalidInput(
            f"统一社会信用代码应为18位，实际为{len(code)}位（{_GB32100}）", code="uscc_length"
        )
    for pos, ch in enumerate(code, start=1):
        if ch not in _USCC_VALUES:
            raise InvalidInput(
                f"统一社会信用代码第{pos}位“{ch}”不合法：只能是数字或除I、O、S、V、Z以外的大写字母（{_GB32100}）",
                code="uscc_charset",
            )
    if not _USCC_SHAPE.match(code):
        raise InvalidInput(
            f"统一社会信用代码第3至8位登记管理机关行政区划码“{code[2:8]}”应为6位数字（{_GB32100}）",
            code="uscc_region",
        )
    if credit_code_check_char(code[:17]) != code[17]:
        raise InvalidInput(
            f"统一社会信用代码校验码（第18位）不符，请对照营业执照或登记证书逐位核对（{_GB32100}）",
            code="uscc_check",
        )
    org = code[8:17]
    if check_org_code and org_code_check_char(org[:8]) != org[8]:
        raise InvalidInput(
            f"统一社会信用代码第9至17位组织机构代码“{org}”的校验码不符（{_GB11714}）；"
            "若证照上确实如此，请核实后由负责人确认登记",
            code="uscc_org_code",
        )
    return CreditCode(
        code=code,
        registration_dept=code[0],
        org_category=code[1],
        region_code=code[2:8],
        org_code=org,
    )


class PartyKind(StrEnum):
    """What kind of party an identification number names."""

    INDIVIDUAL = "individual"  # 公民 (居民身份证)
    INDIVIDUAL_BUSINESS = "individual_business"  # 个体工商户 (USCC "92…")
    ORGANISATION = "organisation"  # 法人或者其他组织


def party_kind_from_code(s: str, *, today: date | None = None) -> PartyKind:
    """Classify an 18-character number as a resident ID or a USCC.

    A number that passes the resident-ID check is taken as a 公民; otherwise it must pass the
    USCC check. Whether a 个体工商户 is treated like a 公民 (for example for the 简易程序 fine
    limits) is local policy and is decided elsewhere; this only reports the flag.
    """
    try:
        parse_resident_id(s, today=today)
        return PartyKind.INDIVIDUAL
    except InvalidInput as id_error:
        try:
            cc = parse_credit_code(s)
        except InvalidInput as cc_error:
            raise InvalidInput(
                f"既不是有效的身份证号码（{id_error.message}），也不是有效的统一社会信用代码（{cc_error.message}）",
                code="party_code",
            ) from None
    return PartyKind.INDIVIDUAL_BUSINESS if cc.is_individual_business else PartyKind.ORGANISATION


# ---------------------------------------------------------------------------------------------
# 公示 masking (行政处罚法 Art. 48 disclosure, Art. 50 privacy; 个人信息保护法 Art. 6 minimum impact)
# ---------------------------------------------------------------------------------------------


def mask_name(name: str, *, is_organisation: bool = False) -> str:
    """Mask a natural person's name for a public disclosure record.

    One character → ``*``; two → first + ``*`` (张*); three or more → first + ``*`` for each middle
    character + last (张*三, 欧阳**锋). Organisation names (and 个体工商户 trade names, which the
    caller flags as organisations) are public registration data and are returned unchanged.
    """
    cleaned = unicodedata.normalize("NFKC", name).strip() if isinstance(name, str) else ""
    if not cleaned:
        raise InvalidInput("当事人名称不能为空，无法生成公示信息", code="mask_empty")
    if is_organisation:
        return cleaned
    if len(cleaned) == 1:
        return "*"
    if len(cleaned) == 2:
        return cleaned[0] + "*"
    return cleaned[0] + "*" * (len(cleaned) - 2) + cleaned[-1]


def mask_id(number: str) -> str:
    """Mask a personal identification number for a public disclosure record.

    Keeps the first 3 and last 4 characters (province + city digit; sequence and check digits) and
    replaces the rest, including the whole birth date, with ``*`` of the same count:
    ``110***********002X``. Numbers of 7 characters or fewer are masked completely. Only for
    natural persons' documents: a 统一社会信用代码 is published unmasked.
    """
    cleaned = _normalise(number)
    if not cleaned:
        raise InvalidInput("证件号码不能为空，无法生成公示信息", code="mask_empty")
    if len(cleaned) <= 7:
        return "*" * len(cleaned)
    return cleaned[:3] + "*" * (len(cleaned) - 7) + cleaned[-4:]
