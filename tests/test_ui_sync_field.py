"""The GUI side of sync in the field, against a real hub on loopback (uvicorn, SQLite) and real
profiles: 媒体不完整 in the case list, the workspace and the 同步 page until 上传证据 has delivered
every file (with 仅U盘 keeping one back); the USB bundle round trip through the 同步 page (and a
duplicate, and changed bytes: a Chinese refusal that changes nothing); the automatic schedule's
backoff after failures shown as 下次尝试 HH:MM; a sync in progress that does not hold up opening a
case; the automatic round on start. The schedule's clock is injected; no test waits for a timer."""

from __future__ import annotations

import random
import re
import socket
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from lishui_desk.edge import CaseDesk, read, run
from lishui_desk.errors import DeskError
from lishui_desk.models import Case
from lishui_desk.services.demo import DEMO_PASSPHRASE
from lishui_desk.storage.profile import open_profile
from lishui_desk.timeutil import now_utc
from sync.client import media
from sync.client import state as st
from sync.client.worker import enroll, sync_now
from sync.hub import bundles as hub_bundles
from sync.hub import media as hub_media
from sync.hub import service
from tests.demo_window import make_demo, open_demo
from tests.sync_support import CERT, TOWN, outbox_states, running_hub
from tests.ui_walk import raw_identifiers
from ui.app import install_translator
from ui.mainwindow import DeskWindow
from ui.sync_schedule import SyncSchedule

DATA = frozenset({"demo", "photo", "jpg", "clip", "mp"})  # the test files' names
JPEG_HEAD = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"


@pytest.fixture
def hub(tmp_path):
    with running_hub("sqlite", tmp_path) as server:
        yield server


def _window(qtbot, root: Path, *, autosync: bool = False) -> DeskWindow:
    install_translator(QApplication.instance())
    return open_demo(qtbot, root, (1366, 712), autosync=autosync)


def _sync_page(qtbot, win):
    page = win.work.sync
    win.work.tabs.setCurrentWidget(page)
    qtbot.waitUntil(lambda: bool(page.data) and bool(page.media.data) and not win.ops.busy, timeout=10000)
    return page


def _enrolled_demo(tmp_path: Path, hub, *, evidence: dict[str, int] | None = None, synced: bool = True):
    """A demo profile enrolled at the hub; evidence files of the given sizes added to one open case
    (and the case text synced, so the county knows which files it names)."""
    root = make_demo(tmp_path / "desk")
    prof = open_profile("demo", DEMO_PASSPHRASE, root=root)
    try:
        enroll(prof, service.issue_enrollment(hub.hub, TOWN, CERT, hub.url))
        case_id = None
        if evidence:
            with prof.read_session() as s:
                open_cases = list(s.scalars(select(Case.id).where(Case.is_open.is_(True),
                                                                  Case.case_number.is_not(None)).order_by(Case.id)))
            rng = random.Random(5)
            paths = []
            for name, size in evidence.items():
                data = rng.randbytes(size)
                if name.endswith(".jpg"):
                    data = JPEG_HEAD + data[len(JPEG_HEAD):]
                paths.append((tmp_path / name, name))
                paths[-1][0].write_bytes(data)
            for cid in open_cases:  # the first case whose stage takes evidence
                try:
                    for path, name in paths:
                        CaseDesk(prof).add_evidence_file(cid, path, "视听资料", f"现场{name}")
                except DeskError:
                    continue
                case_id = cid
                break
            assert case_id is not None
        if synced:
            sync_now(prof)
    finally:
        prof.close()
    return root, case_id


def _case_row(win, case_id: str) -> int:
    model = win.work.cases.model
    return next(r for r in range(model.rowCount()) if model.case_id(r) == case_id)


def _media_cell(win, case_id: str) -> str:
    model = win.work.cases.model
    return model.data(model.index(_case_row(win, case_id), 6)) or ""


def test_media_incomplete_shows_in_list_workspace_and_sync_page_until_upload_delivers_every_file(
        qtbot, tmp_path, hub, desk_look):
    root, case_id = _enrolled_demo(tmp_path, hub, evidence={"photo.jpg": 90_000, "clip.mp4": 700_000})
    assert hub_media.incomplete_by_case(hub.hub) == {case_id: 2}
    win = _window(qtbot, root)
    work = win.work
    assert _media_cell(win, case_id) == "媒体不完整"
    work.cases.media.setChecked(True)  # 只看媒体不完整
    qtbot.waitUntil(lambda: not work.cases.model.is_loading and work.cases.model.total == 1, timeout=10000)
    assert work.cases.model.case_id(0) == case_id
    work.cases.media.setChecked(False)
    qtbot.waitUntil(lambda: "媒体不完整：1 件" in work.dashboard.sync.text(), timeout=10000)

    ws = work.open_case(case_id)
    qtbot.waitUntil(lambda: ws.view is not None and bool(ws.media) and not win.ops.busy, timeout=10000)
    assert ws.media_flag.isVisible() and ws.media_flag.text() == "媒体不完整"
    ws.show_tab(ws.evidence)
    ids = {e.original_name: e.id for e in ws.view.evidence if e.original_name in ("photo.jpg", "clip.mp4")}
    qtbot.waitUntil(lambda: not win.ops.busy, timeout=10000)
    assert ws.evidence.upload_state(ids["clip.mp4"]) == "等待上传"

    page = _sync_page(qtbot, win)
    assert [page.media.tree.topLevelItem(i).text(1) for i in range(page.media.tree.topLevelItemCount())][-2:] == [
        "照片", "录像"]  # photos before video
    assert "媒体不完整" in page.media.summary.text() and "已上传 0 字节 / 771 KB" in page.media.summary.text()
    # the video travels by USB only: 上传证据 sends the photo and leaves the video
    assert page.media.select_evidence(ids["clip.mp4"])
    page.media.usb_btn.click()
    qtbot.waitUntil(lambda: page.media.state_of(ids["clip.mp4"]) == "仅U盘", timeout=10000)
    page.media.upload_btn.click()
    qtbot.waitUntil(lambda: page.result.text().startswith("证据上传：完成 1 个文件"), timeout=30000)
    qtbot.waitUntil(lambda: page.media.tree.topLevelItemCount() == 1 and not win.ops.busy, timeout=10000)
    assert hub_media.incomplete_by_case(hub.hub) == {case_id: 1}
    assert "按实测速率约需" not in page.media.summary.text()  # only the USB-only video is left
    work.tabs.setCurrentWidget(ws)
    qtbot.waitUntil(lambda: ws.evidence.upload_state(ids["photo.jpg"]) == "已上传", timeout=10000)
    assert ws.media_flag.isVisible()  # the video is still missing at the county

    work.tabs.setCurrentWidget(page)
    qtbot.waitUntil(lambda: page.media.tree.topLevelItemCount() == 1 and not win.ops.busy, timeout=10000)
    assert page.media.select_evidence(ids["clip.mp4"])
    page.media.usb_btn.click()  # back to the network
    qtbot.waitUntil(lambda: page.media.state_of(ids["clip.mp4"]) == "等待上传", timeout=10000)
    seen: list[dict] = []
    win.sync_runner.progress.connect(seen.append)
    page.media.upload_btn.click()
    qtbot.waitUntil(lambda: page.result.text().startswith("证据上传：完成 1 个文件"), timeout=30000)
    qtbot.waitUntil(lambda: "所有证据文件均已送达" in page.media.summary.text() and not win.ops.busy, timeout=10000)
    assert len(seen) >= 3 and seen[-1]["bytes_done"] == seen[-1]["bytes_total"] == 700_000  # chunk by chunk
    assert [p["bytes_done"] for p in seen] == sorted(p["bytes_done"] for p in seen)
    assert hub_media.incomplete_by_case(hub.hub) == {}
    work.tabs.setCurrentWidget(ws)
    qtbot.waitUntil(lambda: not ws.media_flag.isVisible() and not win.ops.busy, timeout=10000)
    assert ws.evidence.upload_state(ids["clip.mp4"]) == "已上传"
    work.tabs.setCurrentWidget(work.cases)
    qtbot.waitUntil(lambda: not work.cases.model.is_loading and not win.ops.busy, timeout=10000)
    assert _media_cell(win, case_id) == ""
    work.dashboard.reload()
    qtbot.waitUntil(lambda: "上次成功" in work.dashboard.sync.text() and not win.ops.busy, timeout=10000)
    assert "媒体不完整" not in work.dashboard.sync.text()
    found = raw_identifiers(page, DATA) + raw_identifiers(ws, DATA)
    assert not found, found
    win.close()


def test_cancel_stops_an_upload_after_the_chunk_in_flight_and_the_next_one_resumes(qtbot, tmp_path, hub, desk_look):
    root, case_id = _enrolled_demo(tmp_path, hub, evidence={"clip.mp4": 1_200_000})
    win = _window(qtbot, root)
    page = _sync_page(qtbot, win)
    once = [True]

    def press_cancel(*_a) -> None:  # 取消 right after the first acknowledged chunk (on the worker)
        if once:
            once.clear()
            win.sync_runner.cancel()

    win.sync_runner._progress.connect(press_cancel, Qt.ConnectionType.DirectConnection)
    page.media.upload_btn.click()
    qtbot.waitUntil(lambda: page.result.text().startswith("未完成"), timeout=30000)
    assert "已取消" in page.result.text()
    qtbot.waitUntil(lambda: not win.ops.busy and page.media.tree.topLevelItem(0).text(4).startswith("已上传 "),
                    timeout=10000)
    assert page.media.tree.topLevelItem(0).text(4) == "已上传 21%"  # 1 of 5 chunks
    offsets: list[int] = []
    win.sync_runner.progress.connect(lambda p: offsets.append(p["offset"]))
    page.media.upload_btn.click()
    qtbot.waitUntil(lambda: page.result.text().startswith("证据上传：完成 1 个文件"), timeout=30000)
    assert offsets[0] == 2 * media.CHUNK and "续传 1 次" in page.result.text()  # resumed, not restarted
    assert hub_media.incomplete_by_case(hub.hub) == {}
    win.close()


def _flip(path: Path, pos: int) -> None:
    data = bytearray(path.read_bytes())
    data[pos] ^= 0x01
    path.write_bytes(bytes(data))


def test_usb_bundle_round_trip_through_the_sync_page_clears_pending(qtbot, tmp_path, hub, desk_look):
    root, _ = _enrolled_demo(tmp_path, hub, synced=False)  # enrolled, never online since
    win = _window(qtbot, root)
    page = _sync_page(qtbot, win)
    pending = page.data["pending"]
    assert pending > 0 and f"待上传：{pending} 条" in page.status.text()
    usb = tmp_path / "usb"
    usb.mkdir()
    out = usb / "to-county.lsb"
    assert page.export_to(str(out))
    qtbot.waitUntil(lambda: page.result.text().startswith("已导出U盘包"), timeout=30000)
    assert f"{pending} 条待确认记录" in page.result.text()
    assert outbox_states(win.ops.profile) == {"pending": pending}  # nothing cleared by exporting

    got = hub_bundles.import_bundle(hub.hub, out.read_bytes())  # at the county
    assert got["counts"] == {"accepted": pending}
    device = read(win.ops.profile, st.get, "device_id")
    data, _ = hub_bundles.export_bundle(hub.hub, device)
    back = usb / "to-desk.lsb"
    back.write_bytes(data)

    tampered = usb / "changed.lsb"
    tampered.write_bytes(data)
    _flip(tampered, len(data) - 1)
    assert page.import_from(str(tampered))
    qtbot.waitUntil(lambda: page.result.text().startswith("U盘包未处理"), timeout=30000)
    assert "签名无效" in page.result.text() and "未导入任何内容" in page.result.text()
    qtbot.waitUntil(lambda: not win.ops.busy, timeout=10000)
    assert outbox_states(win.ops.profile) == {"pending": pending}  # nothing changed

    assert page.import_from(str(back))
    qtbot.waitUntil(lambda: page.result.text().startswith("已导入县级数据包"), timeout=30000)
    assert f"县级平台确认 {pending} 条记录" in page.result.text() and "仍待确认 0 条" in page.result.text()
    qtbot.waitUntil(lambda: page.data.get("pending") == 0 and not win.ops.busy, timeout=10000)
    assert "待上传：0 条" in page.status.text()
    assert outbox_states(win.ops.profile) == {"acked": pending}

    expired = usb / "expired.lsb"
    expired.write_bytes(hub_bundles.export_bundle(hub.hub, device, ttl_days=-1)[0])
    assert page.import_from(str(expired))
    qtbot.waitUntil(lambda: page.result.text().startswith("U盘包未处理"), timeout=30000)
    assert "过期" in page.result.text() and "未导入任何内容" in page.result.text()

    assert page.import_from(str(back))  # the same bundle again
    qtbot.waitUntil(lambda: "已导入过，无变化" in page.result.text(), timeout=30000)
    assert outbox_states(win.ops.profile) == {"acked": pending}
    found = raw_identifiers(page, DATA)
    assert not found, found
    win.close()


def _hub_cases(hub) -> list[tuple[str]]:
    from sync.hub.models import HubEvent

    with hub.hub.session() as s:
        return [(c,) for c in s.scalars(select(HubEvent.case_id).distinct())]


# --- the schedule ---------------------------------------------------------------------------------

T0 = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)


def test_the_next_attempt_after_failures_grows_with_backoff_and_jitter():
    s = SyncSchedule(rng=random.Random(3))
    s.start(T0, enrolled=True)
    assert s.due(T0)  # on start
    now, delays = T0, []
    for _ in range(8):
        s.began()
        assert not s.due(now)  # one round at a time
        s.failed(now)
        delays.append(s.next_at - now)
        now = s.next_at
    for n, d in enumerate(delays):
        nominal = min(s.cap, s.base * 2 ** n)
        assert nominal <= d <= nominal * (1 + s.jitter)
    assert delays[0] < delays[1] < delays[2] < delays[3] < delays[4] < delays[5]
    assert delays[-1] <= s.cap * (1 + s.jitter)
    other = SyncSchedule(rng=random.Random(4))
    other.start(T0, enrolled=True)
    other.began()
    other.failed(T0)
    assert other.next_at != T0 + delays[0]  # jitter: two laptops do not retry in the same second
    s.began()
    s.failed(now, busy=True)  # another window is syncing this profile: retry soon, no growth
    assert s.next_at - now == s.base and s.failures == 8
    s.network_back(now)  # the link is back: at once
    assert s.due(now)
    s.began()
    s.succeeded(now)
    assert s.failures == 0 and s.next_at == now + timedelta(minutes=15)
    assert not s.due(now + timedelta(minutes=14)) and s.due(now + timedelta(minutes=15))
    s.began()
    s.failed(now, revoked=True)
    assert not s.due(now + timedelta(days=1))
    unenrolled = SyncSchedule()
    unenrolled.start(T0, enrolled=False)
    unenrolled.network_back(T0)
    assert not unenrolled.due(T0 + timedelta(days=1))


class StallingHub:
    """A loopback port that accepts and holds each connection until released, then closes it: a
    link that hangs (deterministically) and then fails."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.accepted = threading.Event()
        self.release = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted.set()
            self.release.wait()  # no timeout: a timed wait never returns under libfaketime
            conn.close()

    def close(self) -> None:
        self.release.set()
        self.sock.close()


def test_a_hanging_sync_does_not_block_opening_a_case_and_failures_push_the_next_attempt_back(
        qtbot, tmp_path, hub, desk_look):
    root, _ = _enrolled_demo(tmp_path, hub, synced=False)
    stall = StallingHub()
    try:
        prof = open_profile("demo", DEMO_PASSPHRASE, root=root)
        run(prof, st.put, hub_url=stall.url)  # the county's address now hangs
        prof.close()
        win = _window(qtbot, root)
        clock = [T0]
        auto = win.auto_sync
        auto.clock = lambda: clock[0]
        auto.schedule.rng = random.Random(1)
        auto.schedule.start(T0, enrolled=True)
        page = _sync_page(qtbot, win)
        assert auto.tick()  # due on start: the round begins on the sync worker
        qtbot.waitUntil(stall.accepted.is_set, timeout=10000)
        assert win.sync_runner.busy and not page.sync_btn.isEnabled()
        lead = win.work.cases.model.case_id(0)
        ws = win.work.open_case(lead)  # the main worker is free while the sync hangs
        qtbot.waitUntil(lambda: ws.view is not None and not win.ops.busy, timeout=10000)
        assert win.sync_runner.busy and ws.header.text() != "正在载入…"  # opened while the sync still hangs
        win.work.tabs.setCurrentWidget(page)
        stall.release.set()  # the link fails
        qtbot.waitUntil(lambda: not win.sync_runner.busy and page.result.text().startswith("同步未完成"),
                        timeout=30000)
        first = auto.schedule.next_at - T0
        assert timedelta(minutes=1) <= first <= timedelta(minutes=1.2)
        at = auto.schedule.next_at.astimezone().strftime("%H:%M")
        qtbot.waitUntil(lambda: f"下次尝试 {at}" in page.status.text() and not win.ops.busy, timeout=10000)
        assert "已连续 1 次未成功" in page.status.text()
        clock[0] = T0 + first - timedelta(seconds=1)
        assert not auto.tick()  # not yet
        clock[0] = T0 + first
        assert auto.tick()
        qtbot.waitUntil(lambda: not win.sync_runner.busy and auto.schedule.failures == 2, timeout=30000)
        second = auto.schedule.next_at - clock[0]
        assert second > first and timedelta(minutes=2) <= second <= timedelta(minutes=2.4)
        at = auto.schedule.next_at.astimezone().strftime("%H:%M")
        qtbot.waitUntil(lambda: f"下次尝试 {at}" in page.status.text(), timeout=10000)
        assert outbox_states(win.ops.profile).get("pending", 0) > 0  # a failure is never a success
        auto.network_changed(True)  # the network is back: a round at once, not at the backoff's time
        assert win.sync_runner.busy
        qtbot.waitUntil(lambda: not win.sync_runner.busy and auto.schedule.failures == 3, timeout=30000)
        win.close()
    finally:
        stall.close()


def test_an_enrolled_desk_syncs_by_itself_on_start_case_text_then_evidence(qtbot, tmp_path, hub, desk_look):
    root, case_id = _enrolled_demo(tmp_path, hub, evidence={"photo.jpg": 60_000}, synced=False)
    assert hub_media.incomplete_by_case(hub.hub) == {}  # the county does not know the case yet
    win = _window(qtbot, root, autosync=True)
    page = win.work.sync
    win.work.tabs.setCurrentWidget(page)
    qtbot.waitUntil(lambda: page.result.text().startswith("同步完成"), timeout=60000)
    qtbot.waitUntil(lambda: page.data.get("pending") == 0 and not win.ops.busy, timeout=10000)
    assert "下次自动同步" in page.status.text() and "从未" not in page.status.text()
    assert case_id in {c for c, in _hub_cases(hub)} and hub_media.incomplete_by_case(hub.hub) == {}
    qtbot.waitUntil(lambda: "所有证据文件均已送达" in page.media.summary.text(), timeout=10000)
    win.close()


def test_locking_while_a_sync_hangs_drops_its_result_and_frees_the_sync_worker(qtbot, tmp_path, hub, desk_look):
    from PySide6.QtWidgets import QMessageBox

    root, _ = _enrolled_demo(tmp_path, hub, synced=False)
    stall = StallingHub()
    try:
        prof = open_profile("demo", DEMO_PASSPHRASE, root=root)
        run(prof, st.put, hub_url=stall.url)
        prof.close()
        win = _window(qtbot, root)
        auto = win.auto_sync
        auto.clock = lambda: T0
        auto.schedule.start(T0, enrolled=True)
        assert auto.tick()
        qtbot.waitUntil(stall.accepted.is_set, timeout=10000)
        with qtbot.waitSignal(win.locked, timeout=10000):
            win.lock()  # the idle lock, while the round hangs
        assert win.ops.profile is None and win.sync_runner.busy
        stall.release.set()  # the hanging round ends (it fails: the link, then the closed profile)
        qtbot.waitUntil(lambda: not win.sync_runner.busy, timeout=30000)
        assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
        assert not auto.schedule.enabled  # nothing scheduled while locked
        win.unlock.passphrase.setText(DEMO_PASSPHRASE)
        with qtbot.waitSignal(win.ready, timeout=20000):
            win.unlock.try_unlock()
        page = _sync_page(qtbot, win)
        assert page.sync_btn.isEnabled()  # the sync worker is free again
        win.close()
    finally:
        stall.close()


def test_an_issued_documents_printed_pdf_is_queued_first_by_its_title_and_number(qtbot, tmp_path, hub, desk_look):
    """The 证据上传 queue names an issued document's PDF by its title and 文号 (not a blank or an id),
    ahead of photos and video, and 仅U盘 holds it back like any evidence file."""
    from forms import service as docs

    root, _ = _enrolled_demo(tmp_path, hub, synced=False)
    prof = open_profile("demo", DEMO_PASSPHRASE, root=root)
    try:
        with prof.read_session() as s:
            open_cases = list(s.scalars(select(Case.id).where(Case.is_open.is_(True)).order_by(Case.id)))
        issued = None
        for cid in open_cases:  # the first case whose stage takes a 行政处罚事先告知书
            try:
                issued = run(prof, docs.issue_document, cid, "penalty_notice")
                break
            except DeskError:
                continue
        assert issued is not None
        sync_now(prof)
    finally:
        prof.close()
    win = _window(qtbot, root)
    page = _sync_page(qtbot, win)
    tree = page.media.tree
    first = tree.topLevelItem(0)
    assert first is not None and first.text(1) == "文书", [tree.topLevelItem(i).text(1)
                                                            for i in range(tree.topLevelItemCount())]
    names = " ".join(first.text(c) for c in range(tree.columnCount()))
    assert "行政处罚事先告知书" in names and issued.number in names, names
    assert page.media.select_evidence(issued.id)
    page.media.usb_btn.click()
    qtbot.waitUntil(lambda: page.media.state_of(issued.id) == "仅U盘", timeout=10000)
    found = raw_identifiers(page, DATA)
    assert not found, found
    win.close()


def test_an_automatic_round_whose_evidence_upload_fails_says_so_and_does_not_back_off(qtbot, tmp_path, hub,
                                                                                        desk_look):
    """The case text goes through, the hub cannot take the evidence (its media folder is not
    usable): the 同步 page says in Chinese that the evidence did not go and what happens next, the
    schedule does not back off (the case text succeeded), and the next round delivers the file
    and drops the message."""
    import shutil

    root, case_id = _enrolled_demo(tmp_path, hub, evidence={"photo.jpg": 60_000})
    media_dir = hub_media.media_dir(hub.hub)
    shutil.rmtree(media_dir, ignore_errors=True)
    media_dir.write_bytes(b"")  # a file where the hub keeps its media: every upload fails there
    win = _window(qtbot, root, autosync=True)
    page = win.work.sync
    win.work.tabs.setCurrentWidget(page)
    qtbot.waitUntil(lambda: "证据上传未完成" in page.result.text(), timeout=60000)
    assert page.result.text().startswith("案件记录已同步，但证据上传未完成") and "同步完成" in page.result.text()
    qtbot.waitUntil(lambda: "证据上传未完成" in page.status.text() and not win.ops.busy, timeout=10000)
    assert "下次同步时从断点继续" in page.status.text() and "已连续" not in page.status.text()
    assert page.auto.schedule.failures == 0 and page.auto.last_error is None
    assert hub_media.incomplete_by_case(hub.hub) == {case_id: 1}
    for text in (page.result.text(), page.status.text()):  # no identifier (the HTTP status is the hub's answer)
        assert not re.search(r"[0-9a-f]{8,}", text) and set(re.findall(r"[A-Za-z_]{3,}", text)) <= {"HTTP"}
    media_dir.unlink()  # the county fixes its disk; the next automatic round sends the file
    later = now_utc() + timedelta(hours=2)
    page.auto.clock = lambda: later
    assert page.auto.tick()
    qtbot.waitUntil(lambda: page.result.text().startswith("同步完成") and not page.runner.busy, timeout=60000)
    qtbot.waitUntil(lambda: "证据上传未完成" not in page.status.text(), timeout=10000)
    assert hub_media.incomplete_by_case(hub.hub) == {}
    win.close()


def test_the_guis_upload_keeps_and_sends_a_document_issued_before_printed_pdfs_were_kept(tmp_path, hub):
    """A document issued before the printed bytes were kept: the GUI's upload (上传证据 and every
    automatic round) re-renders it first, as ``sync media`` does (kept only when identical to the
    issued record's hash), and the county gets exactly those bytes."""
    from forms import service as docs
    from lishui_desk.models import ProfileMeta
    from ui.gateway import media as media_gw

    class Control:  # what the sync worker passes: progress reports and the 取消 check
        def progress(self, **_kw) -> None:
            pass

        def check(self) -> None:
            pass

    root, _ = _enrolled_demo(tmp_path, hub, synced=False)
    prof = open_profile("demo", DEMO_PASSPHRASE, root=root)
    try:
        with prof.read_session() as s:
            open_cases = list(s.scalars(select(Case.id).where(Case.is_open.is_(True)).order_by(Case.id)))
        issued = None
        for cid in open_cases:
            try:
                issued = run(prof, docs.issue_document, cid, "penalty_notice")
                break
            except DeskError:
                continue
        assert issued is not None
        printed = read(prof, docs.reprint, issued.id)
        with prof.session() as s:  # as before the bytes were kept: no copy, no name for it
            s.delete(s.get(ProfileMeta, f"docpdf.{issued.id}"))
        prof._meta_cache.pop(f"docpdf.{issued.id}", None)
        sync_now(prof)
        media_gw.upload(prof, Control())
        assert hub_media.read_media(hub.hub, issued.pdf_sha256) == printed
    finally:
        prof.close()
