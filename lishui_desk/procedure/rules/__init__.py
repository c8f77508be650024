"""The guard table, one module per article section; importing this package registers every rule."""

from lishui_desk.procedure.rules import (  # noqa: F401  (each module registers its rules)
    closing,
    competence,
    decision,
    execution,
    hearing,
    officers,
    penalty,
    preserve,
    review,
    rights,
    service,
)
from lishui_desk.procedure.rules.base import RULES, Check, Rule, rule, v

__all__ = ["RULES", "Check", "Rule", "rule", "v"]
