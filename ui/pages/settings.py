"""设置: fonts and their coverage, default printer, auto-lock minutes, data directory, language,
about (versions, schema, catalogue) — stored in QSettings — plus the 执法人员名册 (``ui.widgets.roster``)
and the 文书设置 (stored in the profile)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSettings, Signal
from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ui.gateway import backup, documents, profiles
from ui.ops import Ops, message_of
from ui.text import tr
from ui.widgets import scrolled
from ui.widgets.roster import RosterBox

ORG = "LishuiDesk"
APP = "lishui-desk"
KEY_AUTOLOCK = "security/autolock_minutes"
KEY_PRINTER = "print/default_printer"
KEY_LANGUAGE = "ui/language"
DEFAULT_AUTOLOCK = 10


def settings() -> QSettings:
    return QSettings(ORG, APP)


def autolock_minutes() -> int:
    try:
        return max(1, int(str(settings().value(KEY_AUTOLOCK, DEFAULT_AUTOLOCK))))
    except (TypeError, ValueError):
        return DEFAULT_AUTOLOCK


def font_report() -> dict:
    """Runs on the worker: the forms package's font resolution and hanzi coverage."""
    from forms.fonts import coverage_report

    return coverage_report()


class SettingsPage(QWidget):
    autolock_changed = Signal(int)

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsPage")
        self.ops = ops
        self._loading_keep = False
        s = settings()
        self.autolock = QSpinBox()
        self.autolock.setObjectName("autolockMinutes")
        self.autolock.setRange(1, 120)
        self.autolock.setSuffix(tr(" 分钟"))
        self.autolock.setValue(autolock_minutes())
        self.autolock.valueChanged.connect(self._save_autolock)
        self.printer = QComboBox()
        self.printer.addItem(tr("（系统默认）"), "")
        for name in QPrinterInfo.availablePrinterNames():
            self.printer.addItem(name, name)
        idx = self.printer.findData(s.value(KEY_PRINTER, ""))
        self.printer.setCurrentIndex(max(0, idx))
        self.printer.currentIndexChanged.connect(lambda: settings().setValue(KEY_PRINTER, self.printer.currentData()))
        self.language = QComboBox()
        self.language.addItem(tr("简体中文"), "zh_CN")
        self.language.currentIndexChanged.connect(lambda: settings().setValue(KEY_LANGUAGE, self.language.currentData()))
        self.data_dir = QLabel()
        self.data_dir.setObjectName("dataDir")
        self.data_dir.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("无操作自动锁定："), self.autolock)
        form.addRow(tr("默认打印机："), self.printer)
        form.addRow(tr("界面语言："), self.language)
        form.addRow(tr("数据目录："), self.data_dir)
        general = QGroupBox(tr("常规"))
        general.setLayout(form)
        self.fonts = QTextBrowser()
        self.fonts.setObjectName("fontReport")
        self.fonts.setProperty("supportDetails", True)  # font files and versions, for support
        scan = QPushButton(tr("检查字体(&T)"))
        scan.clicked.connect(self.load_fonts)
        fonts_box = QGroupBox(tr("字体"))
        fl = QVBoxLayout(fonts_box)
        fl.addWidget(self.fonts)
        fl.addWidget(scan)
        self.doc_form = QFormLayout()
        self.doc_edits: dict[str, QLineEdit] = {}
        self.doc_state = QLabel()
        self.doc_state.setObjectName("docSettingsState")
        save_docs = QPushButton(tr("保存文书设置(&D)"))
        save_docs.setObjectName("saveDocSettings")
        save_docs.clicked.connect(self.save_doc_settings)
        docs_box = QGroupBox(tr("文书设置（缴款银行、账号等，印在决定书上）"))
        dl = QVBoxLayout(docs_box)
        dl.addLayout(self.doc_form)
        dl.addWidget(self.doc_state)
        dl.addWidget(save_docs)
        self.about = QTextBrowser()
        self.about.setObjectName("about")
        self.about.setProperty("supportDetails", True)
        about_box = QGroupBox(tr("关于"))
        al = QVBoxLayout(about_box)
        al.addWidget(self.about)
        backup_box = QGroupBox(tr("备份（加密，含数据库、证据和密钥文件）"))
        bl = QFormLayout(backup_box)
        backup_now = QPushButton(tr("备份到文件夹或U盘…(&B)"))
        backup_now.setObjectName("backupNow")
        backup_now.clicked.connect(self.choose_backup_folder)
        self.backup_state = QLabel()
        self.backup_state.setObjectName("backupState")
        self.backup_state.setWordWrap(True)
        self.backup_keep = QSpinBox()
        self.backup_keep.setObjectName("backupKeep")
        self.backup_keep.setRange(1, 60)
        self.backup_keep.setSuffix(tr(" 份"))
        self.backup_keep.valueChanged.connect(self._save_backup_keep)
        bl.addRow(backup_now)
        bl.addRow(tr("每日自动备份保留："), self.backup_keep)
        bl.addRow(self.backup_state)
        self.roster = RosterBox(ops)
        # one tab per section, each scrolling vertically: the page fits 1366x712 and 125 % scaling
        general_page = QWidget()
        gl = QVBoxLayout(general_page)
        gl.addWidget(general)
        gl.addWidget(docs_box)
        gl.addWidget(backup_box)
        gl.addStretch(1)
        about_page = QWidget()
        abl = QVBoxLayout(about_page)
        abl.addWidget(fonts_box, 1)
        abl.addWidget(about_box, 1)
        self.sections = QTabWidget()
        self.sections.setObjectName("settingsSections")
        self.sections.addTab(scrolled(general_page, "generalScroll"), tr("常规与文书"))
        self.sections.addTab(scrolled(self.roster, "rosterScroll"), tr("执法人员名册"))
        self.sections.addTab(scrolled(about_page, "aboutScroll"), tr("字体与关于"))
        lay = QVBoxLayout(self)
        lay.addWidget(self.sections)

    def choose_backup_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("选择备份到的文件夹（如U盘）"))
        if folder:
            self.backup_to(folder)

    def backup_to(self, folder: str) -> None:
        """Back up on the worker (the program stays usable; a busy dialog after 0.3 s)."""
        self.backup_state.setText(tr("正在备份…"))
        self.ops.call_p(backup.backup_to, folder, progress=tr("正在备份档案…"), parent=self,
                        done=lambda r: self.backup_state.setText(
                            tr("已备份到 {0}（{1:.1f} MiB）").format(r["path"], r["size"] / 1048576)),
                        fail=lambda e: self.backup_state.setText(message_of(e)))

    def _save_backup_keep(self, keep: int) -> None:
        if self._loading_keep:
            return
        self.ops.call_p(backup.set_backup_keep, keep, fail=lambda e: self.backup_state.setText(message_of(e)))

    def _show_backup_keep(self, keep: int) -> None:
        self._loading_keep = True
        self.backup_keep.setValue(keep)
        self._loading_keep = False

    def _save_autolock(self, minutes: int) -> None:
        settings().setValue(KEY_AUTOLOCK, minutes)
        self.autolock_changed.emit(minutes)

    def reload(self) -> None:
        self.ops.call(profiles.about, self.ops.profile, done=self._about, fail=lambda e: self.about.setText(message_of(e)))
        self.load_fonts()
        if self.ops.profile is not None:
            self.roster.reload()
            self.ops.call_p(backup.backup_keep, done=self._show_backup_keep, fail=lambda _e: None)
        if self.ops.profile is not None:
            self.ops.call_p(documents.settings, done=self._doc_settings,
                            fail=lambda e: self.doc_state.setText(message_of(e)))

    def _doc_settings(self, values: dict[str, dict]) -> None:
        for key, item in values.items():
            edit = self.doc_edits.get(key)
            if edit is None:
                edit = QLineEdit()
                edit.setObjectName(f"doc_{key}")
                self.doc_edits[key] = edit
                self.doc_form.addRow(item["label"] + tr("："), edit)
            edit.setText(item.get("value") or "")

    def save_doc_settings(self) -> None:
        changed = {k: e.text().strip() for k, e in self.doc_edits.items() if e.text().strip()}
        self.ops.call_p(documents.save_settings, changed, done=lambda n: self.doc_state.setText(tr("已保存 {0} 项").format(n)),
                        fail=lambda e: self.doc_state.setText(message_of(e)))

    def load_fonts(self) -> None:
        self.ops.call(font_report, done=self._fonts, fail=lambda e: self.fonts.setText(message_of(e)))

    def _fonts(self, rep: dict) -> None:
        lines = [tr("<p>汉字覆盖：CJK 基本区 {0}/{1}；GB 2312 一级 {2}/{3}；二级 {4}/{5}</p>").format(
            rep["cjk_unified_covered"], rep["cjk_unified_total"], rep["gb2312_level1_covered"],
            rep["gb2312_level1_total"], rep["gb2312_level2_covered"], rep["gb2312_level2_total"])]
        role_zh = {"title": tr("标题"), "body": tr("正文"), "kai": tr("楷体"), "heading": tr("黑体标题")}
        lines.append("<ul>")
        for f in rep["fonts"]:
            roles = "、".join(role_zh.get(r, r) for r in f["roles"]) or tr("后备")
            lines.append(tr("<li>{0}（{1}）— {2}；基本区汉字 {3} 个</li>").format(f["family"], f["path"], roles,
                                                                          f["cjk_unified"]))
        lines.append("</ul>")
        self.fonts.setHtml("".join(lines))

    def _about(self, info: dict[str, Any]) -> None:
        from PySide6 import __version__ as pyside_version

        self.data_dir.setText(info.get("data_dir") or "")
        counts = info.get("counts") or {}
        self.about.setHtml(tr(
            "<p>丽水乡镇综合执法办案桌面端 {0}</p><p>数据库结构版本：{1}；事项目录版本：{2}；乡镇：{3}</p>"
            "<p>案件 {4} 件；事件 {5} 条；证据 {6} 件；文书 {7} 份</p><p>PySide6 {8}；SQLAlchemy {9}</p>").format(
            info.get("app"), info.get("schema") or "", info.get("catalog") or "", info.get("township") or "",
            counts.get("cases", 0), counts.get("events", 0), counts.get("evidence", 0), counts.get("documents", 0),
            pyside_version, info.get("sqlalchemy")))
