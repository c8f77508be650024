"""Regenerate ``ui/i18n/zh_CN.ts`` with pyside6-lupdate and compile it with pyside6-lrelease.

Source strings are Simplified Chinese already, so every zh_CN translation equals its source; a
translation someone edited by hand in Qt Linguist is kept (lupdate merges, this script only fills
empty or unfinished entries).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
UI = HERE.parent
TS = HERE / "zh_CN.ts"
QM = HERE / "zh_CN.qm"


def tool(name: str) -> str:
    local = Path(sys.executable).parent / name
    found = str(local) if local.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"找不到 {name}（PySide6 自带），无法生成翻译文件")
    return found


def sources() -> list[str]:
    return sorted(str(p.relative_to(UI.parent)) for p in UI.rglob("*.py") if "i18n" not in p.parts)


def fill(ts: Path) -> int:
    tree = ET.parse(ts)
    tree.getroot().set("language", "zh_CN")
    tree.getroot().set("sourcelanguage", "zh_CN")
    n = 0
    for msg in tree.getroot().iter("message"):
        tr = msg.find("translation")
        src = msg.find("source")
        if tr is None or src is None or tr.get("type") in ("vanished", "obsolete"):
            continue
        if not (tr.text or "").strip() or tr.get("type") == "unfinished":
            tr.text = src.text
            tr.attrib.pop("type", None)
            n += 1
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    return n


def main() -> int:
    root = UI.parent
    subprocess.run([tool("pyside6-lupdate"), *sources(), "-no-obsolete", "-locations", "none", "-ts", str(TS)],
                   cwd=root, check=True, stdout=subprocess.DEVNULL)
    filled = fill(TS)
    subprocess.run([tool("pyside6-lrelease"), str(TS), "-qm", str(QM)], check=True, stdout=subprocess.DEVNULL)
    print(f"{TS.name}: {filled} entries filled; {QM.name} written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
