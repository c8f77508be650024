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


# --- services never open a session (the edge opens the unit of work) -----------------------------
SERVICE_SOURCES = ("lishui_desk/services/*.py", "forms/service*.py", "sync/**/*.py")
SESSION_OPENERS = (".session(", ".read_session(", "Session(", "sessionmaker", "unit_of_work(")


def session_openers(path: Path) -> list[str]:
    """Lines of ``path`` that open a session or a unit of work (comments and docstrings aside)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            src = ast.unparse(node.func) + "("
            if any(src.endswith(o) or (o == "sessionmaker" and "sessionmaker" in src) for o in SESSION_OPENERS):
                found.append(f"{path.relative_to(REPO) if path.is_relative_to(REPO) else path.name}:{node.lineno} {src}")
        elif isinstance(node, ast.Name | ast.Attribute) and (getattr(node, "id", None) or getattr(node, "attr", None)) \
                == "sessionmaker":
            found.append(f"{path.name}:{node.lineno} sessionmaker")
    return found


# The county hub is its own server with its own database (not a profile): its request handlers and
# county commands are edges that open their own transactions. The desktop's sync worker is an
# edge too and opens its units of work through ``lishui_desk.edge.run``/``read``.
NOT_SERVICES = ("sync/hub/**/*.py",)


def test_no_service_opens_a_session_or_a_unit_of_work():
    files = sorted({f for pattern in SERVICE_SOURCES for f in REPO.glob(pattern)}
                   - {f for pattern in NOT_SERVICES for f in REPO.glob(pattern)})
    assert any(f.name == "cases.py" for f in files) and any(f.name == "service.py" for f in files)
    problems = [hit for f in files for hit in session_openers(f)]
    assert problems == []


def test_the_session_walker_sees_each_way_of_opening_one(tmp_path):
    bad = tmp_path / "svc.py"
    bad.write_text(
        "from sqlalchemy.orm import Session, sessionmaker\n"
        "def a(profile):\n    with profile.session() as s:\n        pass\n"
        "def b(profile):\n    with profile.read_session() as s:\n        pass\n"
        "def c(engine):\n    return Session(engine)\n"
        "def d(engine):\n    return sessionmaker(engine)\n"
        "def e(p):\n    with unit_of_work(p) as uow:\n        pass\n"
        "# profile.session() in a comment is fine\n"
    )
    lines = {int(h.split(":")[1].split()[0]) for h in session_openers(bad)}
    assert lines == {3, 6, 9, 11, 13}


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_the_desks_sync_client_never_imports_the_county_hub():
    """A laptop runs the client without the hub's code or its server stack (FastAPI, uvicorn):
    what both ends share lives in ``sync/`` itself (protocol, bundle, part files)."""
    problems = []
    for f in sorted((REPO / "sync" / "client").rglob("*.py")):
        bad = sorted(m for m in _imported_modules(f)
                     if m == "sync.hub" or m.startswith(("sync.hub.", "fastapi", "uvicorn", "starlette")))
        if bad:
            problems.append(f"{f.relative_to(REPO)} imports {bad}")
    assert problems == []
