"""Evidence media over thin links against a real hub on loopback (and the fault proxy): ordered
resumable uploads, "USB only", 媒体不完整 at both ends, resume after cuts at random offsets (no file
corrupted, none restarted from zero), 409 on an offset mismatch, a changed chunk refused, a stale
upload lock taken over, encrypted at rest."""

from __future__ import annotations

import json
import os
import random
from datetime import timedelta

import pytest
from sqlalchemy import select

from lishui_desk.edge import read
from lishui_desk.timeutil import now_utc
from sync import county_cli, protocol
from sync.client import media
from sync.client.transport import HubRefused, SyncError, Transport
from sync.client.worker import sync_now
from sync.hub import media as hub_media
from sync.hub.models import HubMedia
from tests.fault_proxy import Fault, FaultProxy
from tests.sync_support import BACKENDS, case_with_files, copy_profile, enroll, open_demo, running_hub


def _sha(data: bytes) -> str:
    return protocol.sha256_hex(data)


@pytest.mark.parametrize("backend", BACKENDS)
def test_ordered_upload_usb_only_and_media_incomplete_at_both_ends(backend, desk, tmp_path, capsys):
    files = {"clip.mp4": 300_000, "photo.jpg": 120_000, "voice.mp3": 80_000, "scan.pdf": 40_000}
    with running_hub(backend, tmp_path) as server:
        enroll(desk, server)
        cid, contents = case_with_files(desk, tmp_path, files)
        sync_now(desk)  # case text first: the county knows which files the case names
        assert hub_media.incomplete_by_case(server.hub) == {cid: 4}
        assert [(r["case_id"], r["missing"]) for r in read(desk, media.incomplete_cases)] == [(cid, 4)]

        video = next(f for f in read(desk, media.files) if f.mime == "video/mp4")
        from lishui_desk.edge import run

        run(desk, media.set_usb_only, video.evidence_ids[0])
        rep = media.upload_all(desk, chunk=64 * 1024)
        order = list(dict.fromkeys(sha for sha, _ in rep.offsets_seen))
        assert order == [_sha(contents[n]) for n in ("scan.pdf", "photo.jpg", "voice.mp3")]  # documents first
        assert rep.files_done == 3 and rep.usb_only_skipped == 1 and rep.resumed == 0
        for name in ("scan.pdf", "photo.jpg", "voice.mp3"):
            assert hub_media.read_media(server.hub, _sha(contents[name])) == contents[name]
        # 媒体不完整 stays on, at both ends, for the file that only travels by USB
        assert hub_media.incomplete_by_case(server.hub) == {cid: 1}
        assert [(r["missing"], r["usb_only"]) for r in read(desk, media.incomplete_cases)] == [(1, 1)]
        capsys.readouterr()
        assert county_cli.main(["--data-dir", str(server.hub.root), "cases", "--json"]) == 0
        rows = {c["case_id"]: c for c in json.loads(capsys.readouterr().out)["cases"]}
        assert rows[cid]["media_incomplete"] == 1
        # encrypted at rest: no stored file holds the plaintext
        stored = b"".join(p.read_bytes() for p in (server.hub.root / "media" / "store").iterdir())
        assert all(contents[n][1000:1064] not in stored for n in ("scan.pdf", "photo.jpg", "voice.mp3"))
        assert not list((server.hub.root / "media").glob("*.part"))
        # a second run sends nothing more
        again = media.upload_all(desk, chunk=64 * 1024)
        assert again.bytes_sent == 0 and again.usb_only_skipped == 1


def test_resume_after_cuts_at_random_offsets_never_corrupts_or_restarts(desk, tmp_path):
    rng = random.Random(1313)
    n_files = int(os.environ.get("LISHUI_TEST_MEDIA_UPLOADS", "24"))
    sizes = {f"f{i:03d}.jpg": rng.randint(20_000, 160_000) for i in range(n_files)}
    with running_hub("sqlite", tmp_path) as server:
        enroll(desk, server)
        _cid, contents = case_with_files(desk, tmp_path, sizes, seed=7)
        # each connection is cut: towards the hub within its first 120 kB, or the answers within
        # their first 3 kB (an answer lost after the hub committed the chunk)
        schedule = [Fault("cut_up", n=rng.randint(200, 120_000)) if rng.random() < 0.5
                    else Fault("cut_down", n=rng.randint(0, 3_000)) for _ in range(400)]
        offsets: dict[str, list[int]] = {}
        attempts = failures = resumed = 0
        with FaultProxy("127.0.0.1", server.port, schedule) as proxy:
            while read(desk, media.files) and attempts < 400:
                attempts += 1
                rep = media.MediaReport()
                try:
                    media.upload_all(desk, chunk=16 * 1024, hub_url=proxy.url, timeout=5, report=rep)
                except SyncError:
                    failures += 1
                resumed += rep.resumed
                for sha, off in rep.offsets_seen:
                    offsets.setdefault(sha, []).append(off)
        assert read(desk, media.files) == []
        assert failures > n_files // 2  # the link really was cut, often
        corrupted = [n for n, data in contents.items() if hub_media.read_media(server.hub, _sha(data)) != data]
        restarted = [sha for sha, seen in offsets.items() if seen != sorted(seen)]
        assert corrupted == [] and restarted == []  # 0 corrupted, 0 restarted from zero
        assert resumed >= n_files // 2  # files continued from the hub's offset after a cut
        with server.hub.session() as s:
            assert all(m.completed_at for m in s.scalars(select(HubMedia)))


def test_offsets_never_move_back_across_cut_runs(desk, tmp_path):
    """The hub's offset seen at the start of each run of one file is non-decreasing (no restart)."""
    with running_hub("sqlite", tmp_path) as server:
        enroll(desk, server)
        _cid, contents = case_with_files(desk, tmp_path, {"big.mp4": 600_000})
        sha = _sha(contents["big.mp4"])
        seen: list[int] = []
        cuts = [Fault("cut_up", n=n) for n in (90_000, 150_000, 40_000, 210_000, 5_000)]
        with FaultProxy("127.0.0.1", server.port, cuts) as proxy:
            for _ in range(20):
                rep = media.MediaReport()
                try:
                    rep = media.upload_all(desk, chunk=32 * 1024, hub_url=proxy.url, timeout=5)
                    seen += [o for s, o in rep.offsets_seen if s == sha]
                    break
                except SyncError:
                    seen.append(hub_media._held_bytes(server.hub, sha))
        assert seen == sorted(seen) and seen[-1] > 0
        assert len([o for o in seen if o > 0]) >= 3  # resumed from an offset again and again
        assert hub_media.read_media(server.hub, sha) == contents["big.mp4"]


def _transport(prof, server) -> Transport:
    from sync.client import state as st

    s = read(prof, st.load)
    return Transport(server.url, s.device_id, s.device_key, s.hub_public_key, clock_offset_s=s.clock_offset_s)


@pytest.mark.parametrize("backend", BACKENDS)
def test_offset_mismatch_changed_chunk_and_stale_lock(backend, template, desk, tmp_path):
    other = open_demo(copy_profile(template, tmp_path / "other"))
    try:
        with running_hub(backend, tmp_path) as server:
            enroll(desk, server)
            enroll(other, server)
            data = random.Random(3).randbytes(100_000)
            sha = _sha(data)
            with _transport(desk, server) as t:
                up = media.upload_id_for(t.device_id, sha)
                assert t.call("/v1/media/offset", {"sha256": sha, "size": len(data), "upload_id": up})["offset"] == 0
                assert media.put_chunk(t, sha, 0, up, data[:30_000])["offset"] == 30_000
                with pytest.raises(media.ChunkRefused) as e:  # the same chunk again: the hub is further on
                    media.put_chunk(t, sha, 0, up, data[:30_000])
                assert e.value.status == 409 and e.value.offset == 30_000 and "断点位置不符" in e.value.message
                with pytest.raises(media.ChunkRefused) as e:  # a gap
                    media.put_chunk(t, sha, 40_000, up, data[40_000:50_000])
                assert e.value.status == 409 and e.value.offset == 30_000
                # a chunk changed on the way: the signature covers the digest of what was sent
                real_put = t._http.put

                def tamper(url, content, headers):
                    return real_put(url, content=content[:-1] + bytes([content[-1] ^ 1]), headers=headers)

                t._http.put = tamper
                with pytest.raises(media.ChunkRefused) as e:
                    media.put_chunk(t, sha, 30_000, up, data[30_000:60_000])
                t._http.put = real_put
                assert e.value.status == 400 and "校验和不符" in e.value.message
                assert hub_media._held_bytes(server.hub, sha) == 30_000  # nothing of it kept
                # a connection still writing the file (its lock held): a second writer is told to wait
                with open(hub_media._part(server.hub, sha), "ab") as busy:
                    hub_media._lock_nb(busy.fileno())
                    with pytest.raises(media.ChunkRefused) as e:
                        media.put_chunk(t, sha, 30_000, up, data[30_000:60_000])
                    assert e.value.status == 423 and "正在写入" in e.value.message
                assert hub_media._held_bytes(server.hub, sha) == 30_000

                # a second laptop uploading the same file while the first holds a fresh lock: refused
                with _transport(other, server) as t2:
                    up2 = media.upload_id_for(t2.device_id, sha)
                    with pytest.raises(HubRefused) as r:
                        t2.call("/v1/media/offset", {"sha256": sha, "size": len(data), "upload_id": up2})
                    assert r.value.status == 423
                    with server.hub.session() as s:  # the first attempt went quiet long ago
                        s.get(HubMedia, sha).lock_at = (now_utc() - timedelta(hours=1)).isoformat()
                    got = t2.call("/v1/media/offset", {"sha256": sha, "size": len(data), "upload_id": up2})
                    assert got["offset"] == 30_000  # taken over, and resumed where the hub stood
                    with pytest.raises(media.ChunkRefused) as e:
                        media.put_chunk(t, sha, 30_000, up, data[30_000:60_000])
                    assert e.value.status == 409 and e.value.code == "lock_lost"
                    assert media.put_chunk(t2, sha, 30_000, up2, data[30_000:])["complete"] is True
            assert hub_media.read_media(server.hub, sha) == data
    finally:
        other.close()


def test_usb_only_files_travel_by_bundle_and_clear_media_incomplete_at_both_ends(desk, tmp_path):
    from lishui_desk.edge import run
    from sync.client.bundle import export_bundle, import_bundle
    from sync.hub.bundles import export_bundle as hub_export
    from sync.hub.bundles import import_bundle as hub_import

    with running_hub("sqlite", tmp_path) as server:
        enroll(desk, server)
        cid, contents = case_with_files(desk, tmp_path, {"clip.mp4": 250_000, "photo.jpg": 50_000})
        for f in read(desk, media.files):
            if f.mime == "video/mp4":
                run(desk, media.set_usb_only, f.evidence_ids[0])
        media.upload_all(desk)  # the photo goes over the link; the video may not
        out = export_bundle(desk, tmp_path / "to-county.lsb")
        assert out["media_files"] == 1
        assert contents["clip.mp4"][5000:5064] not in (tmp_path / "to-county.lsb").read_bytes()  # sealed
        got = hub_import(server.hub, (tmp_path / "to-county.lsb").read_bytes())
        assert got["media_files"] == 1 and got["counts"]["accepted"] > 0
        assert hub_media.read_media(server.hub, _sha(contents["clip.mp4"])) == contents["clip.mp4"]
        assert cid not in hub_media.incomplete_by_case(server.hub)  # complete at the county
        assert [r["case_id"] for r in read(desk, media.incomplete_cases)] == [cid]  # not yet confirmed here
        from sync.client import state as st

        data, _ = hub_export(server.hub, read(desk, st.get, "device_id"))
        (tmp_path / "to-desk.lsb").write_bytes(data)
        back = import_bundle(desk, tmp_path / "to-desk.lsb")
        assert back["media_confirmed"] >= 1
        assert read(desk, media.incomplete_cases) == []  # 媒体不完整 cleared once the county confirmed it
