"""Regenerate docs/img/ui-*.png from a demo profile (``python -m ui.screenshots``; offscreen)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

OUT = Path(__file__).resolve().parents[1] / "docs" / "img"
SIZE = (1366, 712)  # a 1366x768 laptop screen less the taskbar
FORMS = ("register_lead", "file_case", "record_inspection", "record_inquiry", "conclude_investigation",
         "issue_notice", "serve_notice", "record_statement", "decide", "serve_decision", "record_payment",
         "close_case", "archive_case", "summary_penalty")


def _shot(widget, name: str) -> None:
    widget.grab().save(str(OUT / name))


def _wait(cond, timeout_ms: int = 10000) -> None:
    """One nested event loop per wait (see bench/bench_ui.py about PySide6 6.12 and processEvents)."""
    import time

    from PySide6.QtCore import QEventLoop, QTimer

    start = time.monotonic()
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: loop.quit() if cond() or (time.monotonic() - start) * 1000 > timeout_ms else None)
    timer.start()
    loop.exec()
    timer.stop()


def _spin(ms: int) -> None:
    import time

    end = time.monotonic() + ms / 1000
    _wait(lambda: time.monotonic() >= end, ms + 1000)


def _field_sync_shots(win, work, case_id: str, root: Path) -> None:
    """Enrolled at a hub on loopback, two evidence files, one part-uploaded: the 同步 page with
    the 证据上传 queue, the case list's 媒体不完整 column and the case's evidence pane."""
    import random

    from PIL import Image

    from lishui_desk.edge import CaseDesk
    from lishui_desk.services.demo import TOWN
    from sync.client.worker import enroll, sync_now
    from sync.hub import service
    from sync.hub.server import ThreadedHub
    from ui.gateway import media as media_gw
    from ui.gateway.changes import OpChanges
    from ui.sync_runner import JobControl
    from ui.text import tr

    hub = service.init_hub(root / "hub", f"sqlite:///{root / 'hub.db'}")
    service.add_township(hub, TOWN)
    service.add_officer(hub, TOWN, "ZJ-3311-0001", "王建")
    server = ThreadedHub(hub).start()
    try:
        prof = win.ops.profile
        enroll(prof, service.issue_enrollment(hub, TOWN, "ZJ-3311-0001", server.url))
        photo, clip = root / "现场照片.png", root / "执法记录仪.mp4"
        Image.new("RGB", (640, 480), (90, 120, 60)).save(photo)
        clip.write_bytes(random.Random(1).randbytes(3 * 1024 * 1024))
        desk = CaseDesk(prof)
        desk.add_evidence_file(case_id, photo, "视听资料", "现场照片")
        desk.add_evidence_file(case_id, clip, "视听资料", "执法记录仪录像")
        sync_now(prof)
        media_gw.upload(prof, JobControl(), 1024 * 1024)  # the photo, and a third of the video
        win.ops.changed.emit(OpChanges.everything())
        work.tabs.setCurrentWidget(work.sync)
        _spin(1200)
        _shot(win, "ui-sync-field.png")
        page = work.sync  # as it looks during an upload (the figures a progress report carries)
        video = page.media.data["files"][0]
        page.busy_box.setVisible(True)
        for b in (page.sync_btn, page.export_btn, page.import_btn, page.media.upload_btn, page.media.usb_btn):
            b.setEnabled(False)
        page.cancel_btn.setEnabled(True)
        page.activity.setText(tr("正在上传证据…"))
        page.bar.setRange(0, 1000)
        page.bar.setValue(500)
        page.media.show_progress({"file": 1, "files": 1, "name": video["sha256"], "offset": video["size"] // 2,
                                  "size": video["size"], "bytes_done": video["size"] // 2,
                                  "bytes_total": video["size"], "rate_bps": 8000.0})
        _spin(300)
        _shot(win, "ui-sync-uploading.png")
        page._busy(False)
        work.tabs.setCurrentWidget(work.cases)
        _spin(800)
        _shot(win, "ui-cases-media.png")
        ws = work.open_case(case_id)
        ws.show_tab(ws.evidence)
        _spin(1200)
        _shot(win, "ui-workspace-media.png")
    finally:
        server.stop()
        hub.close()


def main() -> int:
    from lishui_desk.crypto.keyring import KdfParams
    from lishui_desk.edge import build_demo
    from lishui_desk.services.demo import DEMO_PASSPHRASE
    from ui.app import make_app
    from ui.mainwindow import DeskWindow

    root = Path(tempfile.mkdtemp(prefix="lsd-shots-"))
    build_demo("demo", DEMO_PASSPHRASE, root=root, kdf_params=KdfParams(memory_cost=8192, iterations=1, lanes=1))
    app = make_app([])
    OUT.mkdir(parents=True, exist_ok=True)
    win = DeskWindow(root=root, profile="demo", autolock=30)
    win.resize(*SIZE)
    win.show()
    _wait(lambda: win.unlock.profile_box.count() > 0)
    _shot(win, "ui-unlock.png")
    win.unlock.passphrase.setText(DEMO_PASSPHRASE)
    win.unlock.try_unlock()
    _wait(lambda: win.work is not None)
    _spin(1500)
    _shot(win, "ui-dashboard.png")
    work = win.work
    assert work is not None  # unlocked
    work.tabs.setCurrentWidget(work.cases)
    _spin(500)
    _shot(win, "ui-cases.png")
    # a case in 告知 with a few events
    model = work.cases.model
    target = next((model.case_id(r) for r in range(model.rowCount())
                   if model.data(model.index(r, 3)) == "告知"), model.case_id(0))
    assert target is not None  # the demo has cases
    ws = work.open_case(target)
    _wait(lambda: ws.view is not None)
    _spin(800)
    _shot(win, "ui-workspace.png")
    ws.show_tab(ws.deadlines)  # a deadline in a year without calendar: its range and the warning
    _spin(500)
    _shot(win, "ui-deadlines.png")
    ws.tabs.setCurrentIndex(0)
    # the step forms, as they open (prefilled from the case) at the window's size
    for action in FORMS:
        form = ws.open_form(action)
        assert form is not None  # the case is loaded
        _spin(400)
        _shot(form, f"ui-form-{action}.png")
        form.reject()
    # a refused step: 作出决定 before the statement period is over, with its article
    form = ws.open_form("decide")
    assert form is not None
    form.set_values({"outcome": "处罚", "kinds": ["罚款"], "amount": "550"})
    form.submit()
    _wait(lambda: form.violations.count() > 0)
    _spin(300)
    _shot(form, "ui-form-refusal.png")
    form.reject()
    ws.show_tab(ws.documents)
    _wait(lambda: ws.documents.doc_type.count() > 0)
    ws.documents.doc_type.setCurrentIndex(max(0, ws.documents.doc_type.findData("penalty_notice")))
    ws.documents.preview()
    _wait(lambda: ws.documents.pdf.page_count > 0, 30000)
    _spin(800)
    _shot(win, "ui-print-preview.png")
    ws.documents.issue()  # so that 文书 lists one
    _wait(lambda: ws.documents.list.topLevelItemCount() > 0, 30000)
    _spin(500)
    work.tabs.setCurrentWidget(work.documents)
    _spin(800)
    _shot(win, "ui-documents.png")
    work.tabs.setCurrentWidget(work.catalog)
    work.catalog.search.setText("焚烧")
    _spin(1200)
    _shot(win, "ui-catalog.png")
    work.catalog.search.setText("占道")
    _spin(1200)
    _shot(win, "ui-catalog-empty.png")
    lead = next((model.case_id(r) for r in range(model.rowCount()) if model.data(model.index(r, 3)) == "线索"), None)
    if lead is not None:  # 尚缺 and the blocked 立案 say each reason once
        lead_ws = work.open_case(lead)
        _wait(lambda: lead_ws.view is not None)
        _spin(600)
        _shot(win, "ui-workspace-lead.png")
    work.tabs.setCurrentWidget(work.sync)  # not enrolled yet; the enrollment dialog
    _spin(800)
    _shot(win, "ui-sync.png")
    dlg = work.sync.ask_enroll()
    _spin(400)
    _shot(dlg, "ui-sync-enroll.png")
    dlg.reject()
    work.tabs.setCurrentWidget(work.settings)  # 执法人员名册, 文书设置, fonts
    _wait(lambda: work.settings.roster.table.topLevelItemCount() > 0)
    _spin(1200)
    _shot(win, "ui-settings.png")
    for i, name in ((1, "ui-settings-roster.png"), (2, "ui-settings-about.png")):
        work.settings.sections.setCurrentIndex(i)
        _spin(400)
        _shot(win, name)
    _field_sync_shots(win, work, target, root)
    win.close()
    app.processEvents()
    print("\n".join(sorted(p.name for p in OUT.glob("ui-*.png"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
