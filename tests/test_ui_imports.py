"""The GUI's modules form no import cycle (pages import the gateway and widgets, never the other
way round), and the gateway reaches the core by plain imports, not by name look-ups.

Walks every import statement of ``ui/`` — also the ones inside functions, which hide a cycle until
the function runs — and ``importlib.import_module("ui....")`` calls with a literal name."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(module: str, is_package: bool, level: int, target: str | None) -> str:
    """The absolute name of ``from <level dots><target>`` inside ``module``."""
    if level == 0:
        return target or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, target] if target else base)


def import_graph(root: Path, package: str) -> dict[str, set[str]]:
    """module -> the modules of ``package`` it imports (a ``from pkg import name`` counts as
    ``pkg.name`` when that is a module, else as ``pkg``)."""
    files = {module_name(root, p): p for p in sorted((root / package).rglob("*.py"))}
    names = set(files)
    graph: dict[str, set[str]] = {m: set() for m in names}

    def add(src: str, dst: str) -> None:
        while dst and dst not in names:  # ui.gateway.cases.view -> ui.gateway.cases
            dst = dst.rpartition(".")[0]
        if dst and dst != src:
            graph[src].add(dst)

    for mod, path in files.items():
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    add(mod, alias.name)
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(mod, is_package, node.level, node.module)
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    add(mod, full if full in names else base)
            elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in {
                "import_module", "__import__"} and node.args and isinstance(node.args[0], ast.Constant) \
                    and isinstance(node.args[0].value, str):
                add(mod, node.args[0].value)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(v: str) -> None:
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_ui_package_has_no_import_cycle():
    graph = import_graph(REPO, "ui")
    assert "ui.gateway.cases" in graph and len(graph) > 15
    assert any(d.startswith("ui.gateway") for deps in graph.values() for d in deps)  # the walker sees the edges
    assert cycles(graph) == []


def test_the_gateway_imports_no_widget_and_looks_nothing_up_by_name():
    graph = import_graph(REPO, "ui")
    gateway = {m: deps for m, deps in graph.items() if m.startswith("ui.gateway")}
    assert len(gateway) >= 6
    assert {m: sorted(d for d in deps if not d.startswith("ui.gateway") and d != "ui.text")
            for m, deps in gateway.items()} == {m: [] for m in gateway}
    for path in sorted((REPO / "ui" / "gateway").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert "import_module" not in text and "PySide6" not in text, path.name


def test_the_walker_finds_a_cycle_hidden_in_a_function(tmp_path):
    pkg = tmp_path / "app"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "page.py").write_text("from app.sub import helpers\n")
    (pkg / "sub" / "helpers.py").write_text("def f():\n    from ..page import thing\n    return thing\n")
    (pkg / "alone.py").write_text("import importlib\nimportlib.import_module('app.page')\n")
    graph = import_graph(tmp_path, "app")
    assert graph["app.alone"] == {"app.page"}
    assert cycles(graph) == [["app.page", "app.sub.helpers"]]
