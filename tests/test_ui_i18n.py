"""Every tr() string in ui/ is in the shipped zh_CN.ts, the .qm is current and loads."""

from __future__ import annotations

import ast
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QTranslator

UI = Path(__file__).resolve().parents[1] / "ui"
TS = UI / "i18n" / "zh_CN.ts"
QM = UI / "i18n" / "zh_CN.qm"


def tr_strings() -> dict[str, str]:
    """Literal first arguments of tr(...) / self.tr(...) / translate(ctx, ...) calls, with their file."""
    found: dict[str, str] = {}
    for path in UI.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            args = node.args[1:] if name == "translate" else node.args
            if name in ("tr", "translate") and args and isinstance(args[0], ast.Constant) \
                    and isinstance(args[0].value, str):
                found[args[0].value] = path.name
    return found


def ts_sources() -> dict[str, str]:
    root = ET.parse(TS).getroot()
    return {m.findtext("source"): m.findtext("translation") or "" for m in root.iter("message")}


def test_every_tr_string_is_in_the_ts_file_with_a_translation():
    strings = tr_strings()
    assert len(strings) > 150  # the whole GUI goes through tr()
    ts = ts_sources()
    missing = sorted(f"{f}: {s}" for s, f in strings.items() if s not in ts)
    assert not missing, "run `python -m ui.i18n.build`: " + "; ".join(missing[:10])
    untranslated = sorted(s for s in strings if not ts.get(s))
    assert not untranslated


def test_qm_is_newer_than_ts_and_loads(qapp):
    assert QM.stat().st_mtime >= TS.stat().st_mtime - 1
    t = QTranslator()
    assert t.load(str(QM))
    assert not t.isEmpty()
    # the compiled catalogue holds the GUI's strings (an unknown string has no entry)
    assert t.translate("", "工作台") == "工作台"
    assert t.translate("", "程序规则不允许这一步：") == "程序规则不允许这一步："
    assert t.translate("", "没有这句话") == ""
