"""The GUI side of evidence downloads, against a real hub on loopback and two real profiles of one
township: on laptop B a file laptop A recorded shows 在县级平台（未下载） in the case's 证据 tab (no
thumbnail, export says so instead of failing); 下载证据 on the 同步 page brings it (progress on the
sync worker), after which the file is held, verified and exportable like a local one."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from lishui_desk.edge import CaseDesk, read
from lishui_desk.errors import DeskError
from lishui_desk.models import Case, EvidenceItem
from lishui_desk.services.demo import DEMO_PASSPHRASE
from lishui_desk.services.integrity import check_profile
from lishui_desk.storage.profile import open_profile
from sync.client import media
from sync.client.worker import enroll, sync_now
from sync.hub import service
from tests.demo_window import make_demo
from tests.sync_support import CERT, TOWN, running_hub
from ui.app import install_translator
from ui.mainwindow import DeskWindow

JPEG_HEAD = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"


@pytest.fixture
def hub(tmp_path):
    with running_hub("sqlite", tmp_path) as server:
        yield server


def _jpeg(path: Path) -> bytes:
    from PySide6.QtGui import QColor, QImage

    img = QImage(64, 48, QImage.Format.Format_RGB32)
    img.fill(QColor(40, 120, 200))
    assert img.save(str(path), "JPG")
    return path.read_bytes()


def _two_laptops(tmp_path: Path, hub) -> tuple[Path, str, dict[str, bytes]]:
    """Laptop A records a photo and a clip in a case and uploads them; laptop B (a copy of A's
    profile taken before, enrolled as a second device) pulls the case. Returns B's root."""
    root_a = make_demo(tmp_path / "a")
    root_b = tmp_path / "b"
    shutil.copytree(root_a, root_b)
    a = open_profile("demo", DEMO_PASSPHRASE, root=root_a)
    contents: dict[str, bytes] = {}
    try:
        enroll(a, service.issue_enrollment(hub.hub, TOWN, CERT, hub.url))
        contents["photo.jpg"] = _jpeg(tmp_path / "photo.jpg")
        contents["clip.mp4"] = random.Random(3).randbytes(1_500_000)
        (tmp_path / "clip.mp4").write_bytes(contents["clip.mp4"])
        with a.read_session() as s:
            open_cases = list(s.scalars(select(Case.id).where(Case.is_open.is_(True), Case.case_number.is_not(None))
                                        .order_by(Case.id)))
        case_id = None
        for cid in open_cases:
            try:
                for name in contents:
                    CaseDesk(a).add_evidence_file(cid, tmp_path / name, "视听资料", f"现场{name}")
            except DeskError:
                continue
            case_id = cid
            break
        assert case_id is not None
        sync_now(a)
        assert media.upload_all(a).files_done == 2
    finally:
        a.close()
    b = open_profile("demo", DEMO_PASSPHRASE, root=root_b)
    try:
        enroll(b, service.issue_enrollment(hub.hub, TOWN, CERT, hub.url))
        sync_now(b)
    finally:
        b.close()
    return root_b, case_id, contents


def _window(qtbot, root: Path) -> DeskWindow:
    install_translator(QApplication.instance())
    win = DeskWindow(root=root, profile="demo", autolock=30, autosync=False)
    qtbot.addWidget(win)
    win.resize(1366, 712)
    win.show()
    qtbot.waitUntil(lambda: win.unlock.profile_box.count() >= 1, timeout=5000)
    win.unlock.passphrase.setText(DEMO_PASSPHRASE)
    with qtbot.waitSignal(win.ready, timeout=20000):
        win.unlock.try_unlock()
    qtbot.waitUntil(lambda: win.work.cases.model.rowCount() > 0 and not win.ops.busy, timeout=10000)
    return win


def test_a_file_recorded_on_the_other_laptop_shows_at_the_county_until_downloaded(qtbot, tmp_path, hub, desk_look):
    root_b, case_id, contents = _two_laptops(tmp_path, hub)
    win = _window(qtbot, root_b)
    work = win.work
    ws = work.open_case(case_id)
    qtbot.waitUntil(lambda: ws.view is not None and bool(ws.media) and not win.ops.busy, timeout=10000)
    ws.show_tab(ws.evidence)
    qtbot.waitUntil(lambda: not win.ops.busy, timeout=10000)
    ids = {e.description: e.id for e in ws.view.evidence if e.description in ("现场photo.jpg", "现场clip.mp4")}
    assert len(ids) == 2
    pane = ws.evidence
    texts = {pane.list.item(i).data(256): pane.list.item(i).text() for i in range(pane.list.count())}
    assert all(texts[i].endswith("在县级平台（未下载）") for i in ids.values())
    assert not ws.media_flag.isVisible()  # B owes the county nothing: not 媒体不完整
    assert pane.thumbnails() == 0  # no thumbnail for a file not held, and no error either
    photo_item = next(pane.list.item(i) for i in range(pane.list.count())
                      if pane.list.item(i).data(256) == ids["现场photo.jpg"])
    pane.list.setCurrentItem(photo_item)
    exported: list[str] = []
    pane.export_one.connect(exported.append)
    pane._export()
    assert exported == [] and "在县级平台（未下载）" in pane.hint.text() and "下载证据" in pane.hint.text()
    from ui.gateway import cases as cases_gw  # what 导出 runs once the file dialog is answered

    with pytest.raises(DeskError, match="在县级平台（未下载）"):
        cases_gw.export_evidence(win.ops.profile, ids["现场photo.jpg"], str(tmp_path / "early.jpg"))
    assert not (tmp_path / "early.jpg").exists()

    page = work.sync
    work.tabs.setCurrentWidget(page)
    qtbot.waitUntil(lambda: bool(page.media.data) and not win.ops.busy, timeout=10000)
    assert page.media.download_btn.isEnabled()
    assert page.media.download_label.text().startswith("待下载 2 个证据文件")
    progress: list[dict] = []
    page.runner.progress.connect(progress.append)
    page.media.download_btn.click()
    qtbot.waitUntil(lambda: page.result.text().startswith("下载证据：完成") and not page.runner.busy, timeout=30000)
    assert "完成 2 个文件" in page.result.text()
    assert progress and progress[-1]["bytes_done"] == progress[-1]["bytes_total"] == sum(map(len, contents.values()))
    qtbot.waitUntil(lambda: not win.ops.busy and page.media.download_label.text() == "", timeout=10000)
    assert not page.media.download_btn.isEnabled()

    work.tabs.setCurrentWidget(ws)
    qtbot.waitUntil(lambda: not ws.evidence.remote and not win.ops.busy, timeout=10000)
    qtbot.waitUntil(lambda: pane.thumbnails() >= 1, timeout=10000)  # the photo, now held here
    texts = {pane.list.item(i).data(256): pane.list.item(i).text() for i in range(pane.list.count())}
    assert not any("未下载" in texts[i] for i in ids.values())
    prof = win.ops.profile
    cases_gw.export_evidence(prof, ids["现场photo.jpg"], str(tmp_path / "out.jpg"))
    assert (tmp_path / "out.jpg").read_bytes() == contents["photo.jpg"]
    with prof.read_session() as s:
        blob = s.scalars(select(EvidenceItem.blob_id).where(EvidenceItem.id == ids["现场clip.mp4"])).one()
    assert b"".join(prof.evidence.read_chunks(blob)) == contents["clip.mp4"]
    assert read(prof, check_profile).ok
    win.close()
