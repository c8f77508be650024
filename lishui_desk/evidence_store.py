"""Encrypted evidence files (证据材料: photos, audio, video, scans), DESIGN.md §2.

Evidence lives outside the database in ``<profile>/evidence/<blob_id>.lsev``, where ``blob_id`` is
a random UUID4 (hex) — no personal data in file names. The database keeps the plaintext SHA-256,
size, type and who/when/where captured; this module only stores and returns bytes.

Encryption: the store key is ``HKDF-SHA256(data_key, salt=file_id, info=b"lishui-desk evidence
v1")`` — one key per file — and the plaintext is cut into chunks (1 MiB by default), each
sealed with AES-256-GCM. File layout::

    offset  size  field
    0       6     magic b"LSDEVI"
    6       1     format version (1)
    7       1     reserved (0)
    8       4     chunk size in plaintext bytes (big-endian u32)
    12      16    file id (= the UUID bytes of blob_id)
    28      8     random nonce prefix
    36      …     chunks: ciphertext ‖ 16-byte tag; every chunk but the last holds exactly
                  ``chunk size`` plaintext bytes, the last holds 0…chunk size (an empty file
                  is one empty final chunk)

Chunk ``i`` uses nonce ``prefix ‖ u32(i)`` and associated data ``header ‖ u64(i) ‖ final-flag``.
So a flipped byte, a reordered chunk, a chunk copied from another file, a dropped last chunk, an
appended chunk or a renamed file all fail verification and surface as ``CorruptFile`` naming
the file. Memory stays bounded by two chunks whatever the file size; files are written to a
temporary name, fsync-ed and renamed. There is deliberately no delete: evidence is never deleted.
"""

from __future__ import annotations

import hashlib
import os
import re
import struct
import uuid
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from lishui_desk.crypto import atomic_writer, private_dir
from lishui_desk.errors import CorruptFile, InvalidInput, NotFound

MAGIC = b"LSDEVI"
FORMAT_VERSION = 1
DEFAULT_CHUNK_SIZE = 1024 * 1024
MIN_CHUNK_SIZE = 1024
MAX_CHUNK_SIZE = 16 * 1024 * 1024
HKDF_INFO = b"lishui-desk evidence v1"
SUFFIX = ".lsev"
TAG_LEN = 16
_HEADER = struct.Struct(">6sBBI16s8s")
HEADER_LEN = _HEADER.size  # 36
_MAX_CHUNKS = 2**32
_BLOB_ID = re.compile(r"^[0-9a-f]{32}$")

__all__ = ["EvidenceStore", "StoredBlob"]


@dataclass(frozen=True)
class StoredBlob:
    """One stored evidence file: its id, the SHA-256 (hex) and size of the plaintext."""

    blob_id: str
    sha256: str
    size: int


def _read_full(stream: BinaryIO, n: int) -> bytes:
    """Read exactly ``n`` bytes unless EOF comes first (pipes and sockets return short reads)."""
    data = stream.read(n)
    if data is None:
        data = b""
    if len(data) == n or not data:
        return bytes(data)
    parts = [data]
    got = len(data)
    while got < n:
        more = stream.read(n - got)
        if not more:
            break
        parts.append(more)
        got += len(more)
    return b"".join(parts)


class _ChunkStream:
    """``read(n)`` over an iterator of byte chunks."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self.chunks, self.buf = chunks, b""

    def read(self, n: int) -> bytes:
        while len(self.buf) < n:
            try:
                self.buf += next(self.chunks)
            except StopIteration:
                break
        out, self.buf = self.buf[:n], self.buf[n:]
        return out


class EvidenceStore:
    """Chunked AES-256-GCM evidence files in ``directory``, keyed from the profile's data key."""

    def __init__(
        self, directory: Path | str, data_key: bytes, *, chunk_size: int = DEFAULT_CHUNK_SIZE
    ) -> None:
        if not isinstance(data_key, bytes | bytearray) or len(data_key) != 32:
            raise InvalidInput("数据密钥格式错误：应为32字节")
        if not (MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE):
            raise InvalidInput(f"证据分块大小应在 {MIN_CHUNK_SIZE}–{MAX_CHUNK_SIZE} 字节之间")
        self.directory = Path(directory)
        self._data_key = bytes(data_key)
        self.chunk_size = chunk_size

    # -- naming and keys -------------------------------------------------------------------

    def path_of(self, blob_id: str) -> Path:
        """The file holding ``blob_id`` (the id is checked: 32 lowercase hex digits)."""
        if not isinstance(blob_id, str) or not _BLOB_ID.match(blob_id):
            raise InvalidInput(f"证据编号“{blob_id}”无效：应为32位小写十六进制")
        return self.directory / f"{blob_id}{SUFFIX}"

    def _cipher(self, file_id: bytes) -> AESGCM:
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=file_id, info=HKDF_INFO).derive(
            self._data_key
        )
        return AESGCM(key)

    @staticmethod
    def _nonce(prefix: bytes, index: int) -> bytes:
        return prefix + struct.pack(">I", index)

    @staticmethod
    def _aad(header: bytes, index: int, final: bool) -> bytes:
        return header + struct.pack(">QB", index, 1 if final else 0)

    # -- writing ---------------------------------------------------------------------------

    def put_file(self, path: Path | str) -> StoredBlob:
        """Encrypt and store a file from disk (streamed)."""
        path = Path(path)
        try:
            fh = path.open("rb")
        except FileNotFoundError as exc:
            raise NotFound(f"找不到要保存的证据文件：{path}") from exc
        with fh:
            return self.put_stream(fh)

    def put_stream(self, fileobj: BinaryIO, *, blob_id: str | None = None) -> StoredBlob:
        """Encrypt and store everything readable from ``fileobj``; memory bounded by two chunks.
        ``blob_id`` is given only when re-encrypting an existing file under a new key (rekey)."""
        blob_id = blob_id or uuid.uuid4().hex
        file_id = uuid.UUID(hex=blob_id).bytes
        prefix = os.urandom(8)
        header = _HEADER.pack(MAGIC, FORMAT_VERSION, 0, self.chunk_size, file_id, prefix)
        cipher = self._cipher(file_id)
        digest = hashlib.sha256()
        size = 0
        target = self.path_of(blob_id)
        private_dir(self.directory)
        with atomic_writer(target, mode=0o600) as out:
            out.write(header)
            current = _read_full(fileobj, self.chunk_size)
            index = 0
            while True:
                nxt = _read_full(fileobj, self.chunk_size) if len(current) == self.chunk_size else b""
                final = not nxt
                if index >= _MAX_CHUNKS:
                    raise InvalidInput("证据文件过大，超出单个文件的分块上限")
                digest.update(current)
                size += len(current)
                out.write(cipher.encrypt(self._nonce(prefix, index), current, self._aad(header, index, final)))
                if final:
                    break
                current = nxt
                index += 1
        return StoredBlob(blob_id=blob_id, sha256=digest.hexdigest(), size=size)

    # -- reading ---------------------------------------------------------------------------

    def _corrupt(self, path: Path, detail: str) -> CorruptFile:
        return CorruptFile(f"证据文件 {path} 已损坏或被篡改：{detail}。请从备份恢复该证据", path)

    @contextmanager
    def _opened(self, blob_id: str) -> Iterator[tuple[BinaryIO, Path, bytes, int, bytes, AESGCM]]:
        """(file, path, header, chunk size, nonce prefix, cipher) of a stored blob whose header
        checks out; ``NotFound`` / ``CorruptFile`` otherwise."""
        path = self.path_of(blob_id)
        try:
            fh = path.open("rb")
        except FileNotFoundError as exc:
            raise NotFound(f"找不到证据文件：{path}（编号 {blob_id}）") from exc
        with fh:
            header = fh.read(HEADER_LEN)
            if len(header) != HEADER_LEN:
                raise self._corrupt(path, "文件头不完整")
            magic, version, _reserved, chunk_size, file_id, prefix = _HEADER.unpack(header)
            if magic != MAGIC:
                raise self._corrupt(path, "不是本程序的证据文件")
            if version != FORMAT_VERSION:
                raise self._corrupt(path, f"不支持的格式版本 {version}")
            if not (MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE):
                raise self._corrupt(path, "分块大小字段异常")
            if file_id != uuid.UUID(hex=blob_id).bytes:
                raise self._corrupt(path, "文件头中的编号与文件名不符")
            yield fh, path, header, chunk_size, prefix, self._cipher(file_id)

    def _open_block(self, cipher: AESGCM, path: Path, header: bytes, prefix: bytes, index: int,
                    block: bytes, final: bool) -> bytes:
        """One chunk's plaintext, its tag verified against its position and final flag."""
        if len(block) < TAG_LEN:
            raise self._corrupt(path, f"第{index + 1}块不完整（文件被截断）")
        try:
            return cipher.decrypt(self._nonce(prefix, index), block, self._aad(header, index, final))
        except InvalidTag:
            raise self._corrupt(
                path, f"第{index + 1}块校验失败（内容被改动、截断、重排或混入其他文件的数据）"
            ) from None

    def read_chunks(self, blob_id: str) -> Generator[bytes, None, None]:
        """Yield the plaintext chunk by chunk, verifying each; ``CorruptFile`` on any failure.

        A chunk is only yielded after its tag verified, but a caller that consumes the chunks
        must still discard what it got if ``CorruptFile`` is raised later (see ``export``).
        """
        with self._opened(blob_id) as (fh, path, header, chunk_size, prefix, cipher):
            block = chunk_size + TAG_LEN
            current = _read_full(fh, block)
            index = 0
            while True:
                nxt = _read_full(fh, block) if len(current) == block else b""
                final = not nxt
                yield self._open_block(cipher, path, header, prefix, index, current, final)
                if final:
                    return
                current = nxt
                index += 1

    def read_from(self, blob_id: str, offset: int) -> Generator[bytes, None, None]:
        """The plaintext from ``offset`` on, seeking straight to the chunk that holds it (a ranged
        read costs what it returns, not the whole file before it); every chunk read is verified as
        in :meth:`read_chunks` (its position and final flag are bound by the associated data)."""
        with self._opened(blob_id) as (fh, path, header, chunk_size, prefix, cipher):
            block = chunk_size + TAG_LEN
            body = os.fstat(fh.fileno()).st_size - HEADER_LEN
            blocks = max(1, -(-body // block))
            index = max(0, offset) // chunk_size
            skip = max(0, offset) - index * chunk_size
            fh.seek(HEADER_LEN + index * block)
            while index < blocks:
                plain = self._open_block(cipher, path, header, prefix, index, _read_full(fh, block),
                                         index == blocks - 1)
                if skip:
                    plain, skip = plain[skip:], 0
                if plain:
                    yield plain
                index += 1

    def export(self, blob_id: str, dest: Path | str) -> str:
        """Decrypt ``blob_id`` to ``dest`` atomically; returns the plaintext SHA-256 (hex).

        On ``CorruptFile`` nothing is left at ``dest`` (an existing file there is untouched).
        """
        dest = Path(dest)
        digest = hashlib.sha256()
        chunks = self.read_chunks(blob_id)
        try:
            with atomic_writer(dest, mode=0o600) as out:
                for chunk in chunks:
                    digest.update(chunk)
                    out.write(chunk)
        finally:
            chunks.close()
        return digest.hexdigest()

    def verify(self, blob_id: str, expected_sha256: str) -> bool:
        """True when the file decrypts cleanly and its plaintext SHA-256 equals ``expected_sha256``.

        A damaged file (``CorruptFile``) answers False; a missing one raises ``NotFound``.
        """
        digest = hashlib.sha256()
        try:
            for chunk in self.read_chunks(blob_id):
                digest.update(chunk)
        except CorruptFile:
            return False
        return digest.hexdigest() == expected_sha256.strip().lower()

    def reencrypt_from(self, other: EvidenceStore, blob_id: str) -> StoredBlob:
        """Copy ``blob_id`` from ``other`` (another key) into this store under the same id."""
        return self.put_stream(_ChunkStream(other.read_chunks(blob_id)), blob_id=blob_id)  # type: ignore[arg-type]

    def discard_unrecorded(self, blob_id: str) -> None:
        """Remove a blob this process has just written when the step recording it was refused.
        Evidence in the record is never deleted; this is only for a file no row or event names."""
        try:
            self.path_of(blob_id).unlink()
        except FileNotFoundError:
            pass

    def list_ids(self) -> list[str]:
        """Ids of every stored file (for integrity sweeps)."""
        if not self.directory.is_dir():
            return []
        return sorted(
            p.name[: -len(SUFFIX)]
            for p in self.directory.iterdir()
            if p.name.endswith(SUFFIX) and _BLOB_ID.match(p.name[: -len(SUFFIX)])
        )

