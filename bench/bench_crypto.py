"""Crypto benchmarks: passphrase unlock cost and evidence encryption throughput.

Each figure comes with a baseline measured in the same run:

- ``unlock``: ``keyring.unlock`` with the default Argon2id parameters, against one Argon2id
  derivation at the DESIGN.md §2 floor (64 MiB, 3 passes). Goal: about 0.5 s on a laptop — slow
  enough to hurt guessing, fast enough not to annoy the officer.
- ``evidence encrypt``: ``EvidenceStore.put_file`` on a 200 MiB generated file, against a plain
  file copy (plus fsync) of the same file.
- ``evidence verify``: ``EvidenceStore.verify`` (decrypt + SHA-256) against a plain read + SHA-256.

Run: ``python -m bench.bench_crypto`` (about 5–15 s).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from lishui_desk.crypto import keyring
from lishui_desk.evidence_store import EvidenceStore

EVIDENCE_MIB = 200
_PASSPHRASE = "bench-passphrase-丽水"


def _timed(fn, repeat: int = 1) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _make_file(path: Path, mib: int) -> None:
    block = bytearray(os.urandom(1024 * 1024))
    with path.open("wb") as fh:
        for i in range(mib):
            block[:8] = i.to_bytes(8, "big")  # every MiB differs
            fh.write(block)


def _copy_with_fsync(src: Path, dst: Path) -> None:
    shutil.copyfile(src, dst)
    with dst.open("rb+") as fh:
        os.fsync(fh.fileno())


def _read_and_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _row(name: str, value: float, unit: str, baseline: float, goal: str) -> dict:
    return {
        "name": name,
        "value": round(value, 4),
        "unit": unit,
        "baseline": round(baseline, 4),
        "ratio": round(value / baseline, 3) if baseline else None,
        "goal": goal,
    }


def run() -> list[dict]:
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="lishui-bench-crypto-") as tmp:
        root = Path(tmp)

        # -- unlock with the default Argon2id parameters ---------------------------------------
        kr = root / "keyring.json"
        keyring.create_keyring(kr, _PASSPHRASE, None)
        unlock_s = _timed(lambda: keyring.unlock(kr, _PASSPHRASE), repeat=3)
        floor = keyring.KdfParams(memory_cost=keyring.MIN_MEMORY_COST_KIB, iterations=3, lanes=4)
        floor_s = _timed(
            lambda: Argon2id(
                salt=os.urandom(16), length=32, iterations=floor.iterations, lanes=floor.lanes,
                memory_cost=floor.memory_cost,
            ).derive(b"x" * 16),
            repeat=3,
        )
        p = keyring.DEFAULT_KDF_PARAMS
        rows.append(
            _row(
                f"unlock (Argon2id {p.memory_cost // 1024} MiB × {p.iterations} passes × {p.lanes} lanes)"
                " vs Argon2id at the 64 MiB/3-pass floor",
                unlock_s, "s", floor_s, "0.3–1.0 s per unlock",
            )
        )

        # -- evidence encryption throughput vs plain copy --------------------------------------
        src = root / "video.bin"
        _make_file(src, EVIDENCE_MIB)
        megabytes = EVIDENCE_MIB * 1024 * 1024 / 1e6
        copy_s = _timed(lambda: _copy_with_fsync(src, root / "copy.bin"))
        store = EvidenceStore(root / "evidence", os.urandom(32))
        blobs = []
        enc_s = _timed(lambda: blobs.append(store.put_file(src)))
        rows.append(
            _row(
                f"evidence encrypt {EVIDENCE_MIB} MiB (AES-256-GCM, 1 MiB chunks) vs plain copy",
                megabytes / enc_s, "MB/s", megabytes / copy_s, "≥ 100 MB/s; ratio ≥ 0.25",
            )
        )

        # -- evidence verify (decrypt + SHA-256) vs plain read + SHA-256 ----------------------
        plain_s = _timed(lambda: _read_and_hash(root / "copy.bin"))
        blob = blobs[0]
        ok: list[bool] = []
        ver_s = _timed(lambda: ok.append(store.verify(blob.blob_id, blob.sha256)))
        if not all(ok):  # pragma: no cover - would be a real bug
            raise RuntimeError("evidence verify failed in benchmark")
        rows.append(
            _row(
                f"evidence verify {EVIDENCE_MIB} MiB (decrypt + SHA-256) vs plain read + SHA-256",
                megabytes / ver_s, "MB/s", megabytes / plain_s, "≥ 100 MB/s; ratio ≥ 0.3",
            )
        )
    return rows


if __name__ == "__main__":
    for row in run():
        print(
            f"{row['name']}: {row['value']} {row['unit']} "
            f"(baseline {row['baseline']} {row['unit']}, ratio {row['ratio']}; goal {row['goal']})"
        )
