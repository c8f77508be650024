"""裁量基准 calculator: suggest a fine inside the legal range and the item's discretion tier.

Inputs are an ``ItemSeed`` (from ``catalog_data``), the party kind, a tier label (裁量阶次), the
circumstances found (factors) and, for per-unit fines, the quantity (area ㎡, volume m³, the value
that the fine multiplies, or the 工程造价 for percent-of-cost fines).

Factors (keys of ``FACTORS``):

* 从轻 — the mandatory circumstances of 《中华人民共和国行政处罚法》第三十二条 (each its own key) and
  第三十条 (aged 14–17). Each one moves the amount toward the lower bound of the band.
* 减轻 — ``"减轻"``: go below the legal minimum (never below zero). Allowed only together with at
  least one of the mandatory circumstances above.
* 从重 — ``"拒不改正"``, ``"再次违法"``, ``"突发事件期间"`` (第四十九条). Each one moves the amount
  toward the upper bound.

Formula (documented so that a 法制审核 reviewer can recompute it):

    band  = [lo, hi]  the chosen tier's band, or the legal range when no tier is chosen;
            per-unit items multiply both ends by the quantity (÷100 for percent of cost)
    score = (number of 从重 factors) − (number of 从轻 factors), clamped to [−2, 2]
    p     = 0.5 + 0.25 × score          → 0, 0.25, 0.5 (midpoint), 0.75, 1
    raw   = lo + p × (hi − lo)
    减轻:   band = [0, legal minimum] and p is capped at 0.5 (the amount stays below the minimum
            unless the minimum is itself 0)
    amount = raw rounded half-up to whole yuan, kept inside the band (a band narrower than one
             yuan keeps its lower end, in fen)

The reasoning text is meant for the 案件处理审批表 and 行政处罚决定书: it cites the item's 处罚依据,
the tier and its conditions, and each factor with its article.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from lishui_desk.catalog_data import (
    NO_PENALTY_TIER,
    PARTY_KINDS,
    PARTY_ZH,
    FineRange,
    ItemSeed,
    Tier,
)
from lishui_desk.errors import InvalidInput
from lishui_desk.law import APL

LAW = APL.full  # the reasoning is printed in the 决定书: the official title

# key -> (category, article, description used in the reasoning)
LIGHTER: dict[str, tuple[str, str]] = {
    "主动消除减轻危害后果": ("第三十二条第（一）项", "主动消除或者减轻违法行为危害后果"),
    "受胁迫诱骗": ("第三十二条第（二）项", "受他人胁迫或者诱骗实施违法行为"),
    "主动供述": ("第三十二条第（三）项", "主动供述行政机关尚未掌握的违法行为"),
    "立功": ("第三十二条第（四）项", "配合行政机关查处违法行为有立功表现"),
    "已满十四周岁不满十八周岁": ("第三十条", "违法时已满十四周岁不满十八周岁"),
    "其他法定从轻减轻情节": ("第三十二条第（五）项", "具有法律、法规、规章规定的其他应当从轻或者减轻处罚的情节"),
}
HEAVIER: dict[str, tuple[str, str]] = {
    "拒不改正": ("", "经责令改正拒不改正"),
    "再次违法": ("", "曾因同类违法行为受过行政处罚后再次违法"),
    "突发事件期间": ("第四十九条", "在突发事件期间违反突发事件应对措施"),
}
MITIGATE = "减轻"
FACTORS: tuple[str, ...] = (*LIGHTER, MITIGATE, *HEAVIER)

_ONE = Decimal(1)
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class Suggestion:
    """A suggested fine. Amounts are yuan (``Decimal``, 2 places); ``legal_max`` is None when the
    statute sets no maximum. ``allowed_*`` is the band the amount must stay in for these facts."""

    legal_min: Decimal
    legal_max: Decimal | None
    allowed_min: Decimal
    allowed_max: Decimal
    amount: Decimal
    tier_label: str | None
    reasoning: str
    factors: tuple[str, ...] = ()

    @property
    def min(self) -> Decimal:  # INTERFACES.md: Suggestion(min, max, amount, reasoning)
        return self.allowed_min

    @property
    def max(self) -> Decimal:
        return self.allowed_max


# ------------------------------------------------------------------------------------ helpers
def yuan(value: Decimal) -> str:
    """'1200元', '10.5元' — a Decimal amount as written in a decision."""
    v = value.quantize(_CENT)
    text = f"{v:f}".rstrip("0").rstrip(".") if "." in f"{v:f}" else f"{v:f}"
    return f"{text}元"


def _num(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _check_factors(factors: Iterable[str]) -> tuple[str, ...]:
    out = tuple(dict.fromkeys(factors))
    unknown = [f for f in out if f not in FACTORS]
    if unknown:
        raise InvalidInput(f"未知的裁量情节：{'、'.join(unknown)}；可用情节：{'、'.join(FACTORS)}")
    return out


def _fine_for(item: ItemSeed, party_kind: str) -> tuple[FineRange, Decimal, Decimal | None]:
    if party_kind not in PARTY_KINDS:
        raise InvalidInput(f"当事人类型“{party_kind}”无效，应为 individual（个人）或 organisation（单位）")
    if item.fine is None:
        raise InvalidInput(f"事项“{item.name}”（{item.code}）没有罚款规定，无需计算罚款数额")
    rng = item.fine.for_party(party_kind)
    if rng is None:
        raise InvalidInput(
            f"事项“{item.name}”（{item.code}）对{PARTY_ZH[party_kind]}没有罚款规定（{item.penalty_basis_text()}）"
        )
    return item.fine, rng[0], rng[1]


def _multiplier(fine: FineRange, quantity: Decimal | None, item: ItemSeed) -> Decimal:
    if fine.unit is None:
        return _ONE
    if quantity is None:
        raise InvalidInput(
            f"事项“{item.name}”（{item.code}）按{_unit_word(fine)}计算罚款，须填写{_quantity_word(fine)}"
        )
    try:
        q = Decimal(quantity)
    except (ArithmeticError, ValueError, TypeError) as exc:
        raise InvalidInput(f"{_quantity_word(fine)}“{quantity}”不是数字") from exc
    if not q.is_finite() or q <= 0:
        raise InvalidInput(f"{_quantity_word(fine)}必须大于0")
    return q / 100 if fine.unit == "percent_of_cost" else q


def _unit_word(fine: FineRange) -> str:
    return {
        "per_m2": "面积（每平方米）",
        "per_m3": "数量（每立方米）",
        "times_value": "价值的倍数",
        "percent_of_cost": "工程造价的百分比",
    }[fine.unit]  # type: ignore[index]


def _quantity_word(fine: FineRange) -> str:
    return {
        "per_m2": "面积（平方米）",
        "per_m3": "数量（立方米）",
        "times_value": "计罚基数金额（元）",
        "percent_of_cost": "工程造价（元）",
        None: "数量",
    }[fine.unit]


def _scaled(fine: FineRange, value: Decimal, mult: Decimal, *, up: bool) -> Decimal:
    if fine.unit is None:
        return value.quantize(_CENT)
    return (value * mult).quantize(_CENT, rounding=ROUND_CEILING if up else ROUND_FLOOR)


def _range_text(fine: FineRange, lo: Decimal, hi: Decimal | None, quantity: Decimal | None) -> str:
    if fine.unit is None:
        return f"{yuan(lo)}至{yuan(hi)}" if hi is not None else f"{yuan(lo)}以上（法律未规定上限）"
    hi_text = _num(hi) if hi is not None else "不限"
    base = {
        "per_m2": f"每平方米{_num(lo)}元至{hi_text}元，按面积{_num(quantity or _ONE)}平方米计",
        "per_m3": f"每立方米{_num(lo)}元至{hi_text}元，按数量{_num(quantity or _ONE)}立方米计",
        "times_value": f"计罚基数的{_num(lo)}倍至{hi_text}倍，按计罚基数{yuan(quantity or _ONE)}计",
        "percent_of_cost": f"工程造价的{_num(lo)}%至{hi_text}%，按工程造价{yuan(quantity or _ONE)}计",
    }
    return base[fine.unit]


def _tier(item: ItemSeed, party_kind: str, label: str) -> Tier:
    tiers = item.tiers_for(party_kind, include_no_penalty=True)
    for t in tiers:
        if t.label == label:
            return t
    valid = "、".join(t.label for t in tiers) or "（该事项未设裁量阶次）"
    raise InvalidInput(
        f"事项“{item.name}”（{item.code}）对{PARTY_ZH[party_kind]}没有“{label}”裁量阶次，可选：{valid}"
    )


def _round_into(raw: Decimal, lo: Decimal, hi: Decimal) -> Decimal:
    low_int = lo.to_integral_value(rounding=ROUND_CEILING)
    high_int = hi.to_integral_value(rounding=ROUND_FLOOR)
    if low_int > high_int:
        return lo.quantize(_CENT, rounding=ROUND_CEILING).min(hi)
    amount = raw.to_integral_value(rounding=ROUND_HALF_UP)
    return max(low_int, min(high_int, amount)).quantize(_CENT)


def _factor_sentences(factors: tuple[str, ...]) -> list[str]:
    out = []
    for f in factors:
        if f in LIGHTER:
            art, desc = LIGHTER[f]
            out.append(f"当事人{desc}，依法应当从轻或者减轻处罚（{LAW}{art}）")
        elif f in HEAVIER:
            art, desc = HEAVIER[f]
            cite = f"（{LAW}{art}）" if art else ""
            out.append(f"当事人{desc}，依法从重处罚{cite}")
    return out


# ------------------------------------------------------------------------------------- suggest
def is_sample_source(source: str | None) -> bool:
    """The bundled tiers are a sample until the county publishes its own 裁量基准."""
    return bool(source) and "示例" in str(source)


def suggest(
    item: ItemSeed,
    party_kind: str,
    tier_label: str | None,
    factors: Iterable[str] = (),
    quantity: Decimal | None = None,
) -> Suggestion:
    """Suggest a fine for one item (see the module docstring for the formula)."""
    facts = _check_factors(factors)
    fine, legal_lo, legal_hi = _fine_for(item, party_kind)
    mult = _multiplier(fine, quantity, item)
    qty = Decimal(quantity) if quantity is not None and fine.unit is not None else None
    lighter = [f for f in facts if f in LIGHTER]
    heavier = [f for f in facts if f in HEAVIER]
    mitigate = MITIGATE in facts
    if mitigate and not lighter:
        raise InvalidInput(
            "减轻处罚须具有法定情节（" + LAW + "第三十条、第三十二条），请先选择相应情节"
        )

    legal_min = _scaled(fine, legal_lo, mult, up=True)
    legal_max = _scaled(fine, legal_hi, mult, up=False) if legal_hi is not None else None
    if legal_max is not None and legal_max < legal_min:
        legal_max = legal_min  # a per-unit band narrower than one fen rounds to a single amount
    basis = item.penalty_basis_text()
    party = PARTY_ZH[party_kind]
    parts = [
        f"依据{basis}，对{party}的法定罚款幅度为{_range_text(fine, legal_lo, legal_hi, qty)}"
        + (f"（即{yuan(legal_min)}至{yuan(legal_max)}）" if fine.unit and legal_max is not None else "")
        + "。"
    ]

    tier: Tier | None = None
    if tier_label is not None:
        tier = _tier(item, party_kind, tier_label)
    elif legal_max is None:
        valid = "、".join(t.label for t in item.tiers_for(party_kind))
        if not valid:
            raise InvalidInput(
                f"事项“{item.name}”（{item.code}）法律未规定罚款数额，且没有县级发布的裁量基准，"
                "不能确定罚款金额（" + LAW + "第三十四条）"
            )
        raise InvalidInput(f"事项“{item.name}”（{item.code}）法律未规定罚款数额，须选择裁量阶次：{valid}")

    if tier is not None and tier.label == NO_PENALTY_TIER:
        zero = Decimal("0.00")
        parts.append(f"经查，{tier.conditions}，建议不予行政处罚，并对当事人进行教育（{LAW}第三十三条）。")
        return Suggestion(legal_min, legal_max, zero, zero, zero, tier.label, "".join(parts), facts)

    if tier is not None:
        lo = _scaled(fine, tier.fine_min, mult, up=True)
        hi = _scaled(fine, tier.fine_max, mult, up=False)
        hi = max(hi, lo)
        band_text = (
            f"{yuan(lo)}至{yuan(hi)}" if fine.unit is None
            else f"{_range_text(fine, tier.fine_min, tier.fine_max, qty)}，即{yuan(lo)}至{yuan(hi)}"
        )
        parts.append(f"经查，违法情节符合“{tier.label}”阶次（{tier.conditions}），该阶次罚款幅度为{band_text}。")
    else:
        lo, hi = legal_min, legal_max  # type: ignore[assignment]
        parts.append("未选定裁量阶次，在法定幅度内裁量。")
    assert hi is not None

    score = max(-2, min(2, len(heavier) - len(lighter)))
    p = Decimal("0.5") + Decimal("0.25") * score
    parts.extend(s + "。" for s in _factor_sentences(facts))
    if mitigate:
        lo, hi = Decimal("0.00"), legal_min
        p = min(p, Decimal("0.5"))
        parts.append(f"依法减轻处罚，在法定最低罚款{yuan(legal_min)}以下裁量。")
    raw = lo + p * (hi - lo)
    amount = _round_into(raw, lo, hi)

    if lighter and heavier:
        parts.append("从轻与从重情节并存，综合考量后确定数额。")
    parts.append(f"综合裁量，建议罚款人民币{yuan(amount)}。")
    if item.tiers_source and tier is not None and not is_sample_source(item.tiers_source):
        parts.append(f"裁量基准来源：{item.tiers_source}。")  # a bundled sample is not cited on a document
    return Suggestion(legal_min, legal_max, lo, hi, amount, tier.label if tier else None, "".join(parts), facts)


# ------------------------------------------------------------------------------- check_amount
def check_amount(
    item: ItemSeed,
    party_kind: str,
    amount: Decimal,
    factors: Iterable[str] = (),
    quantity: Decimal | None = None,
) -> list[str]:
    """Problems with a proposed fine (empty list = acceptable), for the procedure engine and forms.

    Checks: a fine exists for this party kind; the quantity for per-unit fines; not negative; not
    below the legal minimum unless 减轻 applies with a mandatory circumstance; not above the legal
    maximum (or, when the law sets none, above the county tiers).
    """
    problems: list[str] = []
    facts = tuple(dict.fromkeys(factors))
    unknown = [f for f in facts if f not in FACTORS]
    if unknown:
        problems.append(f"未知的裁量情节：{'、'.join(unknown)}")
    try:
        fine, legal_lo, legal_hi = _fine_for(item, party_kind)
        mult = _multiplier(fine, quantity, item)
    except InvalidInput as exc:
        return [*problems, exc.message]
    try:
        value = Decimal(amount)
    except (ArithmeticError, ValueError, TypeError):
        return [*problems, f"罚款金额“{amount}”不是数字"]
    if not value.is_finite() or value < 0:
        return [*problems, "罚款金额不能为负数"]
    if value != value.quantize(_CENT):
        problems.append("罚款金额最多保留到分")
    legal_min = _scaled(fine, legal_lo, mult, up=True)
    lighter = [f for f in facts if f in LIGHTER]
    mitigate = MITIGATE in facts
    if mitigate and not lighter:
        problems.append(f"适用减轻处罚但未认定法定情节（{LAW}第三十条、第三十二条）")
    if value < legal_min and not (mitigate and lighter):
        problems.append(
            f"罚款{yuan(value)}低于法定最低额{yuan(legal_min)}（{item.penalty_basis_text()}），"
            f"低于法定最低额须具有减轻处罚的法定情节（{LAW}第三十二条）"
        )
    if legal_hi is not None:
        legal_max = max(_scaled(fine, legal_hi, mult, up=False), legal_min)
        if value > legal_max:
            problems.append(f"罚款{yuan(value)}超过法定最高额{yuan(legal_max)}（{item.penalty_basis_text()}）")
    else:
        tiers = item.tiers_for(party_kind)
        if not tiers:
            problems.append(
                f"{item.penalty_basis_text()}未规定罚款数额，且没有县级发布的裁量基准，不能确定罚款金额"
                f"（{LAW}第三十四条）"
            )
        else:
            top = _scaled(fine, max(t.fine_max for t in tiers), mult, up=False)
            if value > top:
                problems.append(f"罚款{yuan(value)}超过裁量基准最高额{yuan(top)}（{item.tiers_source or '裁量基准'}）")
    return problems
