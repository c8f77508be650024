"""Encrypted evidence store: chunked AES-256-GCM, streaming, tamper and truncation detection."""

from __future__ import annotations

import hashlib
import io
import os
import tracemalloc
from pathlib import Path

import pytest

from lishui_desk.errors import CorruptFile, InvalidInput, NotFound
from lishui_desk.evidence_store import DEFAULT_CHUNK_SIZE, HEADER_LEN, TAG_LEN, EvidenceStore, StoredBlob

MIB = 1024 * 1024
BLOCK = DEFAULT_CHUNK_SIZE + TAG_LEN


class Generated(io.RawIOBase):
    """A deterministic, non-repeating-per-chunk stream of ``size`` bytes held nowhere in memory."""

    def __init__(self, size: int) -> None:
        self.left = size
        self.counter = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buf) -> int:  # type: ignore[override]
        n = min(len(buf), self.left, 64 * 1024)
        if n <= 0:
            return 0
        seed = hashlib.sha256(self.counter.to_bytes(8, "big")).digest()
        buf[:n] = (seed * (n // 32 + 1))[:n]
        self.counter += 1
        self.left -= n
        return n


@pytest.fixture
def store(tmp_path: Path) -> EvidenceStore:
    return EvidenceStore(tmp_path / "evidence", os.urandom(32))


def _read_all(store: EvidenceStore, blob_id: str) -> bytes:
    return b"".join(store.read_chunks(blob_id))


@pytest.mark.parametrize("size", [0, 1, MIB - 1, MIB, MIB + 1, 3 * MIB + MIB // 2])
def test_roundtrip_sizes(store: EvidenceStore, tmp_path: Path, size: int) -> None:
    data = os.urandom(size)
    src = tmp_path / "photo.jpg"
    src.write_bytes(data)
    blob = store.put_file(src)
    assert blob == StoredBlob(blob.blob_id, hashlib.sha256(data).hexdigest(), size)
    assert _read_all(store, blob.blob_id) == data
    assert store.verify(blob.blob_id, hashlib.sha256(data).hexdigest())
    stored = store.path_of(blob.blob_id).read_bytes()
    chunks = max(1, -(-size // MIB))
    assert len(stored) == HEADER_LEN + size + chunks * TAG_LEN
    if size >= 16:
        assert data[:16] not in stored  # really encrypted


def test_file_names_carry_no_personal_data(store: EvidenceStore, tmp_path: Path) -> None:
    src = tmp_path / "张三_330102199001011234_现场照片.jpg"
    src.write_bytes(b"jpeg bytes")
    blob = store.put_file(src)
    names = [p.name for p in store.directory.iterdir()]
    assert names == [f"{blob.blob_id}.lsev"]
    assert len(blob.blob_id) == 32 and int(blob.blob_id, 16) >= 0
    assert store.list_ids() == [blob.blob_id]


def test_short_reads_from_a_pipe_like_stream(store: EvidenceStore) -> None:
    class Trickle(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self.data = data

        def readable(self) -> bool:
            return True

        def readinto(self, buf) -> int:  # type: ignore[override]
            n = min(len(buf), 4096, len(self.data))
            buf[:n] = self.data[:n]
            self.data = self.data[n:]
            return n

    data = os.urandom(MIB + 5000)
    blob = store.put_stream(Trickle(data))  # type: ignore[arg-type]
    assert _read_all(store, blob.blob_id) == data


def _three_chunk_blob(store: EvidenceStore) -> tuple[StoredBlob, bytes]:
    data = os.urandom(2 * MIB + 1000)
    return store.put_stream(io.BytesIO(data)), data


def _expect_corrupt(store: EvidenceStore, blob_id: str) -> CorruptFile:
    path = store.path_of(blob_id)
    with pytest.raises(CorruptFile) as err:
        _read_all(store, blob_id)
    assert err.value.path == path
    assert str(path) in err.value.message
    assert store.verify(blob_id, "0" * 64) is False
    return err.value


def test_flipped_byte_in_middle_chunk(store: EvidenceStore) -> None:
    blob, _ = _three_chunk_blob(store)
    path = store.path_of(blob.blob_id)
    raw = bytearray(path.read_bytes())
    raw[HEADER_LEN + BLOCK + 12345] ^= 0x01
    path.write_bytes(bytes(raw))
    err = _expect_corrupt(store, blob.blob_id)
    assert "第2块" in err.message
    # the first chunk was good and was yielded before the error
    chunks = store.read_chunks(blob.blob_id)
    assert len(next(chunks)) == MIB
    with pytest.raises(CorruptFile):
        next(chunks)


def test_dropping_the_last_chunk_is_detected(store: EvidenceStore) -> None:
    blob, _ = _three_chunk_blob(store)
    path = store.path_of(blob.blob_id)
    raw = path.read_bytes()
    path.write_bytes(raw[: HEADER_LEN + 2 * BLOCK])  # ends exactly on a chunk boundary
    _expect_corrupt(store, blob.blob_id)


def test_truncation_inside_a_chunk_and_of_header(store: EvidenceStore) -> None:
    blob, _ = _three_chunk_blob(store)
    path = store.path_of(blob.blob_id)
    raw = path.read_bytes()
    path.write_bytes(raw[:-7])
    _expect_corrupt(store, blob.blob_id)
    path.write_bytes(raw[: HEADER_LEN + 5])
    _expect_corrupt(store, blob.blob_id)
    path.write_bytes(raw[:HEADER_LEN])
    _expect_corrupt(store, blob.blob_id)
    path.write_bytes(raw[:20])
    _expect_corrupt(store, blob.blob_id)


def test_appended_data_is_detected(store: EvidenceStore) -> None:
    blob, _ = _three_chunk_blob(store)
    path = store.path_of(blob.blob_id)
    with path.open("ab") as fh:
        fh.write(path.read_bytes()[HEADER_LEN : HEADER_LEN + BLOCK])
    _expect_corrupt(store, blob.blob_id)


def test_reordered_chunks_are_detected(store: EvidenceStore) -> None:
    blob, _ = _three_chunk_blob(store)
    path = store.path_of(blob.blob_id)
    raw = path.read_bytes()
    first = raw[HEADER_LEN : HEADER_LEN + BLOCK]
    second = raw[HEADER_LEN + BLOCK : HEADER_LEN + 2 * BLOCK]
    path.write_bytes(raw[:HEADER_LEN] + second + first + raw[HEADER_LEN + 2 * BLOCK :])
    _expect_corrupt(store, blob.blob_id)


def test_chunk_copied_from_another_file_is_detected(store: EvidenceStore) -> None:
    a, _ = _three_chunk_blob(store)
    b, _ = _three_chunk_blob(store)
    pa, pb = store.path_of(a.blob_id), store.path_of(b.blob_id)
    raw_a, raw_b = pa.read_bytes(), pb.read_bytes()
    off = HEADER_LEN + BLOCK
    pa.write_bytes(raw_a[:off] + raw_b[off : off + BLOCK] + raw_a[off + BLOCK :])
    _expect_corrupt(store, a.blob_id)


def test_renamed_file_is_detected(store: EvidenceStore) -> None:
    a, _ = _three_chunk_blob(store)
    b, _ = _three_chunk_blob(store)
    store.path_of(b.blob_id).write_bytes(store.path_of(a.blob_id).read_bytes())
    err = _expect_corrupt(store, b.blob_id)
    assert "编号与文件名不符" in err.message


def test_other_data_key_cannot_read(store: EvidenceStore) -> None:
    blob, _ = _three_chunk_blob(store)
    other = EvidenceStore(store.directory, os.urandom(32))
    with pytest.raises(CorruptFile):
        _read_all(other, blob.blob_id)


def test_verify_checks_the_hash(store: EvidenceStore) -> None:
    blob = store.put_stream(io.BytesIO(b"scan of notice"))
    assert store.verify(blob.blob_id, blob.sha256.upper())
    assert not store.verify(blob.blob_id, hashlib.sha256(b"something else").hexdigest())


def test_export_writes_plaintext_atomically(store: EvidenceStore, tmp_path: Path) -> None:
    blob, data = _three_chunk_blob(store)
    dest = tmp_path / "out" / "export.bin"
    assert store.export(blob.blob_id, dest) == blob.sha256
    assert dest.read_bytes() == data
    # a damaged blob leaves no partial export and keeps an existing file
    path = store.path_of(blob.blob_id)
    raw = bytearray(path.read_bytes())
    raw[-3] ^= 0xFF
    path.write_bytes(bytes(raw))
    with pytest.raises(CorruptFile):
        store.export(blob.blob_id, dest)
    assert dest.read_bytes() == data
    fresh = tmp_path / "out" / "fresh.bin"
    with pytest.raises(CorruptFile):
        store.export(blob.blob_id, fresh)
    assert sorted(p.name for p in dest.parent.iterdir()) == ["export.bin"]


def test_bad_ids_and_missing_blobs(store: EvidenceStore, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput):
        store.path_of("../../etc/passwd")
    with pytest.raises(NotFound):
        _read_all(store, "0" * 32)
    with pytest.raises(NotFound):
        store.verify("0" * 32, "0" * 64)
    with pytest.raises(NotFound):
        store.put_file(tmp_path / "no-such-file.jpg")
    with pytest.raises(InvalidInput):
        EvidenceStore(tmp_path, b"short key")


def test_no_delete_is_offered(store: EvidenceStore) -> None:
    assert not [name for name in dir(store) if "delete" in name or "remove" in name]


def test_memory_stays_bounded_for_a_64_mib_stream(store: EvidenceStore) -> None:
    size = 64 * MIB
    expected = hashlib.sha256()
    reference = Generated(size)
    while chunk := reference.read(MIB):
        expected.update(chunk)
    tracemalloc.start()
    try:
        blob = store.put_stream(Generated(size))  # type: ignore[arg-type]
        _, write_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        assert store.verify(blob.blob_id, expected.hexdigest())
        _, read_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert blob.size == size
    assert blob.sha256 == expected.hexdigest()
    assert write_peak < 8 * MIB, write_peak
    assert read_peak < 8 * MIB, read_peak


@pytest.mark.parametrize("size", [0, 1, 5000, 4096 * 3, 4096 * 3 + 1])
def test_a_ranged_read_from_any_offset_equals_the_tail_of_the_file(tmp_path: Path, size: int) -> None:
    small = EvidenceStore(tmp_path / "ev", os.urandom(32), chunk_size=4096)
    data = os.urandom(size)
    blob = small.put_stream(io.BytesIO(data))
    for offset in sorted({0, 1, 4095, 4096, 4097, 8191, size - 1, size, size + 10}):
        if offset < 0:
            continue
        assert b"".join(small.read_from(blob.blob_id, offset)) == data[offset:], offset


def test_a_ranged_read_detects_a_file_cut_on_a_chunk_boundary_and_a_changed_chunk(tmp_path: Path) -> None:
    small = EvidenceStore(tmp_path / "ev", os.urandom(32), chunk_size=4096)
    blob = small.put_stream(io.BytesIO(os.urandom(3 * 4096 + 7)))
    path = small.path_of(blob.blob_id)
    raw = path.read_bytes()
    path.write_bytes(raw[: HEADER_LEN + 2 * (4096 + TAG_LEN)])  # the tail chunk dropped
    with pytest.raises(CorruptFile):
        b"".join(small.read_from(blob.blob_id, 5000))
    changed = bytearray(raw)
    changed[HEADER_LEN + (4096 + TAG_LEN) + 10] ^= 1
    path.write_bytes(bytes(changed))
    with pytest.raises(CorruptFile):
        b"".join(small.read_from(blob.blob_id, 4096))
