"""Application start: QApplication, translator (ui/i18n/zh_CN.qm), style sheet, fonts, main window."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

HERE = Path(__file__).resolve().parent
QM_FILE = HERE / "i18n" / "zh_CN.qm"
QSS_FILE = HERE / "style.qss"


def install_translator(app: QCoreApplication) -> QTranslator | None:
    """The app's own strings (ui/i18n/zh_CN.qm) and Qt's (qtbase_zh_CN.qm shipped with PySide6:
    确定/取消 in message boxes, the file and print dialogs, context menus)."""
    install_qt_translator(app)
    tr = QTranslator(app)
    if tr.load(str(QM_FILE)):
        app.installTranslator(tr)
        return tr
    return None


def install_qt_translator(app: QCoreApplication) -> QTranslator | None:
    qt = QTranslator(app)
    if qt.load("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        return qt
    return None


@functools.cache
def register_fonts() -> tuple[str, ...]:
    """Register the document fonts (forms.fonts) with Qt so the GUI shows the same glyphs."""
    families: list[str] = []
    try:
        from forms.fonts import resolved_font_files
        files = resolved_font_files()
    except Exception:  # fonts are optional for the GUI itself; Qt falls back to system fonts
        return ()
    for path in files:
        fid = QFontDatabase.addApplicationFont(path)
        if fid >= 0:
            families.extend(QFontDatabase.applicationFontFamilies(fid))
    return tuple(families)


def apply_look(app: QApplication) -> None:
    """The desk's fonts (the document fonts registered, 11 pt at least) and style sheet."""
    families = register_fonts()
    font = QFont(app.font())
    cjk = [f for f in families if any(k in f for k in ("WenQuanYi", "Noto Sans CJK", "Microsoft YaHei", "WenKai"))]
    if cjk:
        font.setFamilies([cjk[0], *font.families()])
    font.setPointSizeF(max(font.pointSizeF(), 11.0))
    app.setFont(font)
    if QSS_FILE.exists():
        app.setStyleSheet(QSS_FILE.read_text(encoding="utf-8"))


def make_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    assert isinstance(app, QApplication)
    app.setOrganizationName("LishuiDesk")
    app.setApplicationName("lishui-desk")
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    install_translator(app)
    apply_look(app)
    return app


def run(profile: str | None = None, root: Path | None = None) -> int:
    app = make_app()
    from ui.mainwindow import DeskWindow

    win = DeskWindow(root=root, profile=profile)
    win.show()
    return app.exec()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run())
