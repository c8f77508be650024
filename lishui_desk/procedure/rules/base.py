"""The rule registry: a guard is a pure function of a :class:`Check`, with an id, a basis and a title.

A rule's basis is a statute article (``article``) or, for a rule that only exists because the
county chose it, a policy key (``policy_key``, a field of :class:`~lishui_desk.policy.Policy`).
A single rule may find both kinds of problem: :func:`v` reports the statute, :func:`pv` reports
a policy value with its version and source.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from lishui_desk import identity
from lishui_desk.procedure import vocabulary as V
from lishui_desk.procedure.state import CaseState, to_date, to_money
from lishui_desk.procedure.types import BLOCK, EngineContext, Violation


@dataclass
class Check:
    state: CaseState
    payload: dict[str, Any]
    ctx: EngineContext
    action: str
    preview: bool
    day: date  # date of the act (payload date field, else ctx.today)

    def kinds(self) -> tuple[str, ...]:
        return tuple(self.payload.get("kinds") or ())

    def amount(self) -> Decimal | None:
        return to_money(self.payload.get("amount"))

    def party_kind(self) -> str | None:
        party = self.payload.get("party")
        if isinstance(party, dict) and party.get("kind"):
            return str(party["kind"])
        return self.state.party.kind if self.state.party else None

    def item_code(self) -> str | None:
        return self.payload.get("item_code") or self.state.item_code

    def violation_date(self) -> date | None:
        return to_date(self.payload.get("violation_date")) or self.state.violation_date

    def act_end(self) -> date | None:
        return to_date(self.payload.get("violation_end_date")) or self.state.violation_end_date or self.violation_date()

    def township(self) -> str | None:
        return self.payload.get("township_code") or self.state.township_code or self.ctx.township_code

    def item(self) -> Any:
        code, on, town = self.item_code(), self.violation_date(), self.township()
        if not code or on is None or not town:
            return None
        return self.ctx.catalog.item_on(town, code, on)

    def outcome(self) -> str | None:
        if self.action == "summary_penalty":
            return V.OUTCOME_PENALTY
        if self.action == "issue_notice":
            return V.OUTCOME_PENALTY  # a 事先告知 proposes a penalty (《行政处罚法》第四十四条)
        return self.payload.get("outcome")

    @property
    def substantive(self) -> bool:
        """The act fixes the penalty's substance: a decision, an on-the-spot decision or the notice
        that proposes it (the notice is held to what the decision may lawfully contain)."""
        return self.action in ("decide", "summary_penalty", "issue_notice")


# 《行政处罚法》第三十条: 不满十四周岁 no penalty; 已满十四周岁不满十八周岁 从轻或者减轻
AGE_NO_PENALTY = 14
AGE_MAJORITY = 18


def party_age(c: Check) -> int | None:
    """The party's age in 周岁 on the violation date (one rule: :func:`lishui_desk.identity.age_on`)."""
    party = c.payload.get("party")
    birth = None
    if isinstance(party, dict):
        if party.get("kind") == V.ORGANISATION:
            return None
        birth = to_date(party.get("birth_date"))
    elif c.state.party is not None and c.state.party.kind != V.ORGANISATION:
        birth = c.state.party.birth_date
    on = c.violation_date()
    if birth is None or on is None or on < birth:
        return None
    return identity.age_on(birth, on)


MIXED = "block/warn"  # a rule whose findings block in some cases and warn in others (documentation)

RuleFn = Callable[[Check], list[Violation]]


@dataclass(frozen=True)
class Rule:
    id: str
    article: str  # statute article(s), or the Chinese name of the policy for a policy-only rule
    title_zh: str
    fn: RuleFn
    severity: str = BLOCK  # the strongest severity the rule reports ("block" or "warn")
    policy_key: str | None = None  # county policy values the rule may apply (comma-separated keys)
    checks_zh: str = ""  # what it checks, for docs/GUARDS.md (defaults to the title)
    undecided: str = BLOCK  # severity when a period it needs ends in an unloaded year and the bounds disagree


RULES: dict[str, Rule] = {}


def rule(
    rule_id: str, article: str, title_zh: str, *, severity: str = BLOCK, policy_key: str | None = None,
    checks: str = "", undecided: str | None = None,
) -> Callable[[RuleFn], RuleFn]:
    def register(fn: RuleFn) -> RuleFn:
        if rule_id in RULES:
            raise ValueError(f"duplicate rule id {rule_id}")
        RULES[rule_id] = Rule(rule_id, article, title_zh, fn, severity, policy_key, checks or title_zh,
                              undecided or (BLOCK if severity == MIXED else severity))
        return fn

    return register


def v(rule_id: str, message: str, severity: str = BLOCK, article: str | None = None) -> Violation:
    """A finding under the statute (the rule's article unless ``article`` names a narrower one)."""
    return Violation(rule_id, message, article or RULES[rule_id].article, severity)


def pv(c: Check, rule_id: str, message: str, key: str, severity: str = BLOCK) -> Violation:
    """A finding that applies a county policy value: names the policy, its version and source."""
    pol = c.ctx.policy
    return Violation(rule_id, message, pol.cite(key), severity, policy_key=key, policy_version=pol.version,
                     policy_source=pol.source_of(key))
