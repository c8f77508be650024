"""Evidence media benchmarks (issue: evidence over thin links).

- a large evidence file (``BENCH_MEDIA_MB``, default 200 MB) uploaded to a real hub on loopback
  through the fault proxy, the connection cut when half of it has gone up; the resumed upload's
  time and the bytes sent again, against the same-run baseline of an uncut upload of a file of
  the same size (goal: bytes resent ≤ one chunk; resumed time ≈ half the baseline);
- ``BENCH_MEDIA_UPLOADS`` (default 100) uploads, each link cut at a random offset (either way),
  retried until done: files corrupted (goal 0) and files restarted from zero (goal 0).

- the same size downloaded by a second laptop of the township (``sync.client.media_fetch``) from
  the hub on loopback, the answer stream cut when half of it has come down; the resumed download's
  time and the file bytes received again, against the same-run baseline of an uncut download of a
  file of the same size (goal: bytes received again ≤ one range; resumed time ≈ half the baseline).

Run: ``python -m bench media``.
"""

from __future__ import annotations

import os
import random
import tempfile
import time
from datetime import date
from pathlib import Path

from bench.figures import row as _row
from lishui_desk.crypto.keyring import KdfParams
from lishui_desk.edge import CaseDesk, read
from sync.client import media
from sync.client.transport import SyncError
from sync.hub import media as hub_media
from tests.fault_proxy import Fault, FaultProxy
from tests.sync_support import build_template, enroll, filed_case, open_demo, running_hub

FAST = KdfParams(memory_cost=8192, iterations=1, lanes=1)
TODAY = date(2026, 11, 26)
CHUNK = 1024 * 1024


def _evidence(prof, tmp: Path, files: dict[str, int], seed: int) -> dict[str, str]:
    """A filed case with evidence files of random content; {name: sha256}."""
    desk = CaseDesk(prof, today=lambda: TODAY)
    cid = filed_case(prof, summary="基准测试", facts="基准测试", today=TODAY)
    rng = random.Random(seed)
    out = {}
    for name, size in files.items():
        path = tmp / name
        with open(path, "wb") as fh:
            left = size
            if name.endswith(".jpg"):  # a photo's file must begin like one
                fh.write(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
                left -= 11
            while left:
                n = min(left, 8 * 1024 * 1024)
                fh.write(rng.randbytes(n))
                left -= n
        desk.add_evidence_file(cid, path, "视听资料", name)
        out[name] = _sha_file(path)
        path.unlink()
    return out


def _held_sha(server, sha: str) -> str:
    import hashlib

    from sqlalchemy import select

    from sync.hub.models import HubMedia

    with server.hub.session() as s:
        blob = s.scalar(select(HubMedia.blob_id).where(HubMedia.sha256 == sha))
    h = hashlib.sha256()
    for chunk in hub_media.store(server.hub).read_chunks(blob):
        h.update(chunk)
    return h.hexdigest()


def _sha_file(path: Path) -> str:
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _large(tmp: Path) -> list[dict]:
    size = int(float(os.environ.get("BENCH_MEDIA_MB", "200")) * 1024 * 1024)
    prof = open_demo(build_template(tmp / "desk", FAST))
    try:
        with running_hub("sqlite", tmp) as server:
            enroll(prof, server)
            shas = _evidence(prof, tmp, {"a-baseline.mp4": size}, 1)
            t0 = time.perf_counter()
            base = media.upload_all(prof, chunk=CHUNK, timeout=120)
            baseline_s = time.perf_counter() - t0
            assert base.files_done == 1
            shas.update(_evidence(prof, tmp, {"b-cut.mp4": size}, 2))
            cut = media.MediaReport()
            with FaultProxy("127.0.0.1", server.port, [Fault("cut_up", n=size // 2)]) as proxy:
                t0 = time.perf_counter()
                try:
                    media.upload_all(prof, chunk=CHUNK, timeout=120, hub_url=proxy.url, report=cut)
                except SyncError:
                    pass
                first_s = time.perf_counter() - t0
                up_before = proxy.bytes_up
                held = hub_media._held_bytes(server.hub, shas["b-cut.mp4"])
                rest = media.MediaReport()
                t0 = time.perf_counter()
                media.upload_all(prof, chunk=CHUNK, timeout=120, hub_url=proxy.url, report=rest)
                resume_s = time.perf_counter() - t0
                up_after = proxy.bytes_up - up_before
            assert rest.files_done == 1
            ok = _held_sha(server, shas["b-cut.mp4"]) == shas["b-cut.mp4"]
            # bytes of the file put on the wire more than once (the chunk in flight at the cut)
            resent = max(0, (cut.bytes_attempted + rest.bytes_attempted) - size)
    finally:
        prof.close()
    mb = size / 1024 / 1024
    return [
        _row(f"upload {mb:.0f} MB uncut (loopback, 1 MiB chunks)", baseline_s, "s", None, "—"),
        _row(f"{mb:.0f} MB cut at 50 %: held at the cut", held / size * 100, "%", None, "≈ 50 % kept"),
        _row(f"{mb:.0f} MB cut at 50 %: time to the cut", first_s, "s", baseline_s, "≈ 0.5×"),
        _row(f"{mb:.0f} MB cut at 50 %: resumed upload", resume_s, "s", baseline_s, "≈ 0.5× (no restart)"),
        _row(f"{mb:.0f} MB cut at 50 %: file bytes sent again", resent, "bytes", float(CHUNK),
             "≤ 1 chunk (ratio ≤ 1)"),
        _row(f"{mb:.0f} MB cut at 50 %: bytes up the link, first run / resumed run",
             up_before / 1024 / 1024, "MB", None, f"resumed run {up_after / 1024 / 1024:.1f} MB"),
        _row(f"{mb:.0f} MB cut at 50 %: hash matches after resume", 1.0 if ok else 0.0, "bool", None, "1"),
    ]


def _many(tmp: Path) -> list[dict]:
    n = int(os.environ.get("BENCH_MEDIA_UPLOADS", "100"))
    rng = random.Random(2026)
    prof = open_demo(build_template(tmp / "many", FAST))
    try:
        with running_hub("sqlite", tmp / "hub-many") as server:
            enroll(prof, server)
            sizes = {f"f{i:03d}.jpg": rng.randint(20_000, 400_000) for i in range(n)}
            shas = _evidence(prof, tmp, sizes, 3)
            schedule = [Fault("cut_up", n=rng.randint(200, 300_000)) if rng.random() < 0.5
                        else Fault("cut_down", n=rng.randint(0, 4_000)) for _ in range(20 * n)]
            offsets: dict[str, list[int]] = {}
            runs = cuts = 0
            t0 = time.perf_counter()
            with FaultProxy("127.0.0.1", server.port, schedule) as proxy:
                while read(prof, media.files) and runs < 20 * n:
                    runs += 1
                    rep = media.MediaReport()
                    try:
                        media.upload_all(prof, chunk=32 * 1024, timeout=10, hub_url=proxy.url, report=rep)
                    except SyncError:
                        cuts += 1
                    for sha, off in rep.offsets_seen:
                        offsets.setdefault(sha, []).append(off)
            elapsed = time.perf_counter() - t0
            corrupted = sum(1 for sha in shas.values() if _held_sha(server, sha) != sha)
            restarted = sum(1 for seen in offsets.values() if seen != sorted(seen))
            resumed = sum(1 for seen in offsets.values() if any(o > 0 for o in seen))
            left = len(read(prof, media.files))
    finally:
        prof.close()
    return [
        _row(f"{n} uploads, each link cut at a random offset: runs needed", runs, "runs", None, "—"),
        _row(f"{n} uploads: links cut", cuts, "cuts", None, "—"),
        _row(f"{n} uploads: files resumed from an offset > 0", resumed, "files", None, "—"),
        _row(f"{n} uploads: files corrupted", corrupted, "files", None, "0"),
        _row(f"{n} uploads: files restarted from zero", restarted, "files", None, "0"),
        _row(f"{n} uploads: files not delivered", left, "files", None, "0"),
        _row(f"{n} uploads: wall time", elapsed, "s", None, "—"),
    ]


def _download(tmp: Path) -> list[dict]:
    from sync.client import media_fetch
    from sync.client.worker import sync_now
    from tests.sync_support import copy_profile

    size = int(float(os.environ.get("BENCH_MEDIA_MB", "200")) * 1024 * 1024)
    tpl = build_template(tmp / "fetch-tpl", FAST)
    a = open_demo(copy_profile(tpl, tmp / "fetch-a"))
    b = open_demo(copy_profile(tpl, tmp / "fetch-b"))
    try:
        with running_hub("sqlite", tmp) as server:
            enroll(a, server)
            enroll(b, server)
            shas = _evidence(a, tmp, {"c-baseline.mp4": size, "d-cut.mp4": size}, 3)
            sync_now(a)
            media.upload_all(a, chunk=CHUNK, timeout=120)
            sync_now(b)  # the evidence rows reach B; the files wait at the hub
            t0 = time.perf_counter()
            base = media_fetch.fetch_all(b, timeout=120, only=lambda f: f.sha256 == shas["c-baseline.mp4"])
            baseline_s = time.perf_counter() - t0
            assert base.files_done == 1
            only_cut = lambda f: f.sha256 == shas["d-cut.mp4"]  # noqa: E731
            cut = media_fetch.FetchReport()
            with FaultProxy("127.0.0.1", server.port, [Fault("cut_down", n=size // 2)]) as proxy:
                t0 = time.perf_counter()
                try:
                    media_fetch.fetch_all(b, timeout=120, hub_url=proxy.url, report=cut, only=only_cut)
                except SyncError:
                    pass
                first_s = time.perf_counter() - t0
                down_before = proxy.bytes_down
                held = media_fetch.part_bytes(b).get(shas["d-cut.mp4"], 0)
                t0 = time.perf_counter()
                rest = media_fetch.fetch_all(b, timeout=120, hub_url=proxy.url, only=only_cut)
                resume_s = time.perf_counter() - t0
                down_total = proxy.bytes_down
                down_after = down_total - down_before
            assert rest.files_done == 1 and not rest.refused
            # file bytes that came down more than once (the range in flight at the cut, lost)
            resent = max(0, down_total - size - 4096 * (cut.ranges + rest.ranges + 4))
            kept_resumed = rest.offsets_seen[0][1] if rest.offsets_seen else 0
    finally:
        a.close()
        b.close()
    mb = size / 1024 / 1024
    return [
        _row(f"download {mb:.0f} MB uncut (loopback, 1 MiB ranges)", baseline_s, "s", None, "—"),
        _row(f"download {mb:.0f} MB cut at 50 %: held at the cut", held / size * 100, "%", None, "≈ 50 % kept"),
        _row(f"download {mb:.0f} MB cut at 50 %: time to the cut", first_s, "s", baseline_s, "≈ 0.5×"),
        _row(f"download {mb:.0f} MB cut at 50 %: resumed download", resume_s, "s", baseline_s, "≈ 0.5× (no restart)"),
        _row(f"download {mb:.0f} MB cut at 50 %: resumed from", kept_resumed / size * 100, "%", None, "= held"),
        _row(f"download {mb:.0f} MB cut at 50 %: bytes down the link again (approx., headers aside)", resent, "bytes",
             float(media_fetch.FETCH), "≤ 1× one range"),
        _row(f"download {mb:.0f} MB cut at 50 %: bytes down the link, resumed run", down_after, "bytes",
             float(size), "≈ 0.5×"),
    ]


def run() -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="bench-media-") as d:
        return _large(Path(d)) + _download(Path(d)) + _many(Path(d))
