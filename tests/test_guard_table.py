"""docs/GUARDS.md is the table of every guard, generated from the code: it must be current, and every
guard names its basis (an article, or a policy key) and what it checks."""

from __future__ import annotations

from pathlib import Path

from lishui_desk.law import LAWS
from lishui_desk.policy import LABELS, Policy
from lishui_desk.procedure.actions import ACTIONS
from lishui_desk.procedure.guard_table import render
from lishui_desk.procedure.rules import RULES

DOC = Path(__file__).resolve().parent.parent / "docs" / "GUARDS.md"


def test_guards_md_is_generated_from_the_current_rules() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/GUARDS.md is stale: run python -m lishui_desk.procedure.guard_table > docs/GUARDS.md")


def test_every_guard_has_a_basis_a_severity_and_a_description() -> None:
    text = render()
    for rid, r in RULES.items():
        assert f"`{rid}`" in text
        assert any(law.short in r.article for law in LAWS) or r.article == "录入要求", rid
        assert r.severity in ("block", "warn", "block/warn") and r.checks_zh, rid
        for key in (r.policy_key or "").split(","):
            if key.strip():
                assert key.strip() in LABELS or key.strip().split(".")[0] in LABELS, (rid, key)
                assert key.strip().split(".")[0] in Policy.load_default().notes, (rid, key)


def test_every_rule_an_action_lists_is_registered_and_every_rule_is_used() -> None:
    used = {rid for spec in ACTIONS.values() for rid in spec.rules}
    assert used <= set(RULES)
    assert set(RULES) - used == set()


def test_no_rule_module_is_over_500_lines() -> None:
    folder = Path(__file__).resolve().parent.parent / "lishui_desk" / "procedure"
    for path in [*folder.glob("*.py"), *(folder / "rules").glob("*.py")]:
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 500, path.name
