"""Translation helper: every user-visible string in ``ui/`` goes through :func:`tr`.

Source strings are written in Simplified Chinese. ``pyside6-lupdate`` extracts the bare ``tr("…")``
calls of modules that import this helper under the empty context, so it translates in that context;
``ui/i18n/zh_CN.ts`` (compiled to ``zh_CN.qm``) is loaded at start by :mod:`ui.app`.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

CONTEXT = ""


def tr(source: str) -> str:
    return QCoreApplication.translate(CONTEXT, source)
