"""The dependency rule (DESIGN.md §1): the core never imports PySide6, ui, forms or sync;
forms and sync import only the core (and third-party libraries). Walks every import statement."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FORBIDDEN = {
    "lishui_desk": {"PySide6", "shiboken6", "ui", "forms", "sync"},
    "forms": {"PySide6", "shiboken6", "ui", "sync"},
    "sync": {"PySide6", "shiboken6", "ui", "forms"},
}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in {
            "import_module",
            "__import__",
        }:
            if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                roots.add(node.args[0].value.split(".")[0])
    return roots


def test_packages_respect_the_dependency_rule():
    problems = []
    for package, forbidden in FORBIDDEN.items():
        files = sorted((REPO / package).rglob("*.py"))
        assert files, f"package {package} has no modules"
        for f in files:
            bad = imported_roots(f) & forbidden
            if bad:
                problems.append(f"{f.relative_to(REPO)} imports {sorted(bad)}")
    assert problems == []


def test_the_walker_sees_a_forbidden_import(tmp_path):
    bad = tmp_path / "x.py"
    bad.write_text("from PySide6.QtWidgets import QWidget\nimport importlib\nimportlib.import_module('ui.main')\n")
    assert {"PySide6", "ui"} <= imported_roots(bad)
