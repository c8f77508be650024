"""Evidence files from the county to the other laptops of a township (real hub on loopback, real
profiles, the fault proxy): laptop A records a photo and a video and uploads them, laptop B pulls
the case and downloads the files byte for byte; a cut link resumes from the bytes already held; a
file whose bytes do not match the record is refused and nothing is stored; a device of another
township is refused; a laptop restored from a backup gets its evidence files back."""

from __future__ import annotations

import io
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from lishui_desk.edge import CaseDesk, read
from lishui_desk.models import EvidenceItem
from lishui_desk.services.integrity import check_profile
from sync import protocol
from sync.client import media, media_fetch, state
from sync.client.transport import SyncError, Transport
from sync.client.worker import sync_now
from sync.hub import media as hub_media
from sync.hub import service
from sync.hub.models import HubMedia
from tests.fault_proxy import Fault, FaultProxy
from tests.sync_support import (
    JPEG_HEAD,
    PASS,
    TOWN,
    case_with_files,
    copy_profile,
    enroll,
    open_demo,
    running_hub,
    synced_backup,
)
from tests.sync_support import SYNC_TODAY as TODAY

OTHER_TOWN = "331181101"


def _local_bytes(prof, sha: str) -> bytes:
    with prof.read_session() as s:
        blob = s.scalars(select(EvidenceItem.blob_id).where(EvidenceItem.sha256 == sha)).first()
    return b"".join(prof.evidence.read_chunks(blob))


def _two_laptops(template, tmp_path, server, files):
    a = open_demo(copy_profile(template, tmp_path / "a"))
    b = open_demo(copy_profile(template, tmp_path / "b"))
    enroll(a, server)
    enroll(b, server)
    cid, contents = case_with_files(a, tmp_path, files, seed=5)
    sync_now(a)
    media.upload_all(a)
    sync_now(b)  # the case and its evidence rows reach B; the files do not
    return a, b, cid, contents


def test_laptop_b_downloads_the_photo_and_video_laptop_a_recorded(template, tmp_path, capsys, monkeypatch):
    from lishui_desk import cli as desk_cli

    files = {"photo.jpg": 150_000, "clip.mp4": 2_600_000}
    with running_hub("sqlite", tmp_path) as server:
        a, b, cid, contents = _two_laptops(template, tmp_path, server, files)
        try:
            wanted = read(b, media_fetch.wanted)
            assert {w.sha256 for w in wanted} == {protocol.sha256_hex(d) for d in contents.values()}
            assert not read(b, check_profile).ok  # the files are missing on B before the download
            b.close()
            monkeypatch.setenv("LISHUI_DESK_PASSPHRASE", PASS)
            root = str(tmp_path / "b")
            capsys.readouterr()
            assert desk_cli.main(["sync", "media", "--status", "--data-dir", root]) == 0
            assert "待下载  2 个证据文件" in capsys.readouterr().out
            assert desk_cli.main(["sync", "media", "--fetch", "--json", "--data-dir", root]) == 0
            out = json.loads(capsys.readouterr().out)
            assert out["files_done"] == 2 and out["bytes_received"] == sum(files.values()) and out["wanted"] == []
            b = open_demo(tmp_path / "b")
            for data in contents.values():
                assert _local_bytes(b, protocol.sha256_hex(data)) == data
            assert read(b, check_profile).ok
            assert not list(media_fetch.part_dir(b).glob("*.part"))
            # the files B now holds are not owed to the hub by B; a second run fetches nothing
            assert media_fetch.fetch_all(b).bytes_received == 0
        finally:
            a.close()
            b.close()


def test_a_cut_download_resumes_from_the_part_and_the_part_is_never_clear(template, tmp_path):
    files = {"clip.mp4": 3_000_000}
    with running_hub("sqlite", tmp_path) as server:
        a, b, _cid, contents = _two_laptops(template, tmp_path, server, files)
        data = contents["clip.mp4"]
        try:
            with FaultProxy("127.0.0.1", server.port, [Fault("cut_down", n=1_300_000)]) as proxy:
                with pytest.raises(SyncError):
                    media_fetch.fetch_all(b, hub_url=proxy.url)
                parts = list(media_fetch.part_dir(b).glob("*.part"))
                assert len(parts) == 1
                held = media_fetch.part_bytes(b)[protocol.sha256_hex(data)]
                assert 1_000_000 <= held < len(data)  # the acknowledged ranges stayed
                assert data[held - 4096:held - 4000] not in parts[0].read_bytes()  # encrypted on disk
                rep = media_fetch.fetch_all(b, hub_url=proxy.url)
            assert rep.files_done == 1 and rep.resumed == 1
            assert rep.offsets_seen == [(protocol.sha256_hex(data), held)]
            assert rep.bytes_received == len(data) - held  # not from zero
            assert _local_bytes(b, protocol.sha256_hex(data)) == data and read(b, check_profile).ok
        finally:
            a.close()
            b.close()


def test_bytes_that_do_not_match_the_record_are_refused_and_nothing_is_stored(template, tmp_path):
    files = {"photo.jpg": 200_000}
    with running_hub("sqlite", tmp_path) as server:
        a, b, _cid, contents = _two_laptops(template, tmp_path, server, files)
        data = contents["photo.jpg"]
        sha = protocol.sha256_hex(data)
        try:
            # one byte changed in the hub's store (re-encrypted, so the hub itself serves it signed)
            with server.hub.session() as s:
                blob_id = s.get(HubMedia, sha).blob_id
            bad = bytearray(data)
            bad[100_000] ^= 0x01
            hub_media.store(server.hub).put_stream(io.BytesIO(bytes(bad)), blob_id=blob_id)
            before = set(b.evidence.list_ids())
            rep = media_fetch.fetch_all(b)
            assert rep.files_done == 0 and "哈希不符" in rep.refused[0]["reason"]
            assert set(b.evidence.list_ids()) == before  # no blob written
            assert not list(media_fetch.part_dir(b).glob("*.part"))  # and the part dropped
            assert [w.sha256 for w in read(b, media_fetch.wanted)] == [sha]  # still 待下载
        finally:
            a.close()
            b.close()


def test_a_device_of_another_township_is_refused(template, tmp_path):
    towns = ((TOWN, "ZJ-3311-0001", "王建"), (OTHER_TOWN, "ZJ-3311-0009", "李明"))
    with running_hub("sqlite", tmp_path, towns=towns) as server:
        a = open_demo(copy_profile(template, tmp_path / "a"))
        try:
            enroll(a, server)
            _cid, contents = case_with_files(a, tmp_path, {"photo.jpg": 50_000}, seed=5)
            sync_now(a)
            media.upload_all(a)
            sha = protocol.sha256_hex(contents["photo.jpg"])
            key = Ed25519PrivateKey.generate()
            code = protocol.EnrollCode.decode(service.issue_enrollment(server.hub, OTHER_TOWN, "ZJ-3311-0009",
                                                                       server.url))
            dev = service.redeem_enrollment(server.hub, code.secret, protocol.public_raw(key), "other", "0.1.0")
            with Transport(server.url, dev["device_id"], key, protocol.public_raw(server.hub.key.public_key())) as t:
                with pytest.raises(media_fetch.FetchRefused) as exc:
                    media_fetch.fetch_range(t, sha, 0)
                assert exc.value.status == 403 and "不属于本设备所在乡镇" in str(exc.value)
                assert media_fetch.hub_held(t, [sha]) == set()  # not even told that the hub holds it
            st = read(a, state.load)
            with Transport(server.url, st.device_id, st.device_key, st.hub_public_key) as t:
                assert media_fetch.fetch_range(t, sha, 0, 1000)[1] == contents["photo.jpg"][:1000]
                with pytest.raises(media_fetch.FetchRefused) as exc:
                    media_fetch.fetch_range(t, "0" * 64, 0)
                assert exc.value.status == 403
            # named by a case of the township but not uploaded yet: 404, and not offered as held
            extra = tmp_path / "later.jpg"
            extra.write_bytes(JPEG_HEAD + b"later" * 2000)
            CaseDesk(a, today=lambda: TODAY).add_evidence_file(_cid, extra, "视听资料", "补拍照片")
            sync_now(a)
            later = protocol.sha256_hex(extra.read_bytes())
            with Transport(server.url, st.device_id, st.device_key, st.hub_public_key) as t:
                with pytest.raises(media_fetch.FetchRefused) as exc:
                    media_fetch.fetch_range(t, later, 0)
                assert exc.value.status == 404 and "尚未收齐" in str(exc.value)
                assert media_fetch.hub_held(t, [sha, later]) == {sha}
        finally:
            a.close()


def test_a_restored_laptop_gets_its_evidence_files_back(template, tmp_path, capsys, monkeypatch):
    """Backup, record a photo and a video and send them, restore the earlier backup: the events come
    back with the next sync, and the files with a download; ``check`` is clean."""
    from lishui_desk import cli as desk_cli

    monkeypatch.setenv("LISHUI_DESK_PASSPHRASE", PASS)
    with running_hub("sqlite", tmp_path) as server:
        root, archive = synced_backup(template, tmp_path, server, capsys)
        prof = open_demo(root)
        _cid, contents = case_with_files(prof, tmp_path, {"photo.jpg": 90_000, "clip.mp4": 1_500_000}, seed=5)
        sync_now(prof)
        media.upload_all(prof)
        prof.close()

        assert desk_cli.main(["restore", archive, "--data-dir", str(root)]) == 0, capsys.readouterr().err
        prof = open_demo(root)
        try:
            sync_now(prof)  # the events recorded after the backup come back, the files do not
            assert {w.sha256 for w in read(prof, media_fetch.wanted)} == {protocol.sha256_hex(d)
                                                                          for d in contents.values()}
            rep = media_fetch.fetch_all(prof)
            assert rep.files_done == 2 and rep.refused == []
            for data in contents.values():
                assert _local_bytes(prof, protocol.sha256_hex(data)) == data
            assert read(prof, check_profile).ok
            # the restored laptop does not owe the hub the files again
            assert media.upload_all(prof).bytes_sent == 0
        finally:
            prof.close()
