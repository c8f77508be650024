"""An incomplete media file, encrypted as it is written: an upload at the hub
(``media/<sha256>.part``) and a download on the desk (``media-fetch/<sha256>.part``) share this format.

Layout: ``LSPART1\\n`` then records, each ``u32 plaintext length ‖ 12-byte random nonce ‖
AES-256-GCM ciphertext ‖ 16-byte tag`` holding at most ``RECORD`` plaintext bytes. The key is
HKDF-SHA256 of the hub key (salt: the file's SHA-256, info ``lishui hub media part v1``); the
associated data binds each record to its file and its plaintext offset (``sha256 ‖ u64 offset ‖
u32 length``), so a record moved, replayed or copied from another file fails when it is read back.

The plaintext bytes held (the offset the hub answers) are the sum of the complete records' lengths;
a record torn by a crash before its fsync is not counted and is cut off by the next write. A chunk
arriving from the network is encrypted in records as its pieces come (bounded memory: one record),
never written in clear. A part file without the header (written before encryption at rest of
incomplete uploads) is held as empty and restarted.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"LSPART1\n"
RECORD = 256 * 1024
_REC = struct.Struct(">I12s")
TAG = 16


class PartCorrupt(Exception):
    """A record of the part file does not decrypt (changed on disk)."""


def cipher(hub_private: bytes, sha: str) -> AESGCM:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=bytes.fromhex(sha),
               info=b"lishui hub media part v1").derive(hub_private)
    return AESGCM(key)


def _aad(sha: str, offset: int, n: int) -> bytes:
    return bytes.fromhex(sha) + struct.pack(">QI", offset, n)


def scan(path: Path) -> tuple[int, int]:
    """(plaintext bytes held, file position after the last complete record)."""
    try:
        fh = open(path, "rb")
    except FileNotFoundError:
        return 0, 0
    with fh:
        size = os.fstat(fh.fileno()).st_size
        if fh.read(len(MAGIC)) != MAGIC:
            return 0, 0
        pos, held = len(MAGIC), 0
        while pos + _REC.size <= size:
            fh.seek(pos)
            n, _nonce = _REC.unpack(fh.read(_REC.size))
            end = pos + _REC.size + n + TAG
            if n > RECORD or end > size:
                break
            pos, held = end, held + n
        return held, pos


class Writer:
    """Appends plaintext to a part file as encrypted records, starting at ``held`` bytes (file
    position ``end``); ``fh`` is the open, locked part file."""

    def __init__(self, fh: BinaryIO, aead: AESGCM, sha: str, held: int, end: int) -> None:
        self.fh, self.aead, self.sha = fh, aead, sha
        self.offset, self.buf = held, bytearray()
        fh.truncate(end)  # a torn record of an earlier crash
        fh.seek(end)
        if end == 0:
            fh.write(MAGIC)

    def add(self, piece: bytes) -> None:
        self.buf += piece
        while len(self.buf) >= RECORD:
            self._record(bytes(self.buf[:RECORD]))
            del self.buf[:RECORD]

    def close(self) -> None:
        if self.buf:
            self._record(bytes(self.buf))
            self.buf.clear()

    def _record(self, plain: bytes) -> None:
        nonce = os.urandom(12)
        self.fh.write(_REC.pack(len(plain), nonce) + self.aead.encrypt(nonce, plain, _aad(self.sha, self.offset,
                                                                                           len(plain))))
        self.offset += len(plain)


def plaintext(path: Path, aead: AESGCM, sha: str) -> Iterator[bytes]:
    """The held plaintext record by record, each verified; ``PartCorrupt`` on a changed record."""
    held, end = scan(path)
    with open(path, "rb") as fh:
        fh.seek(len(MAGIC))
        offset = 0
        while fh.tell() < end:
            n, nonce = _REC.unpack(fh.read(_REC.size))
            try:
                yield aead.decrypt(nonce, fh.read(n + TAG), _aad(sha, offset, n))
            except InvalidTag:
                raise PartCorrupt(str(path)) from None
            offset += n


class Stream:
    """``read(n)`` over :func:`plaintext` (what the evidence store's ``put_stream`` reads)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self.chunks, self.buf = chunks, b""

    def read(self, n: int = -1) -> bytes:
        while n < 0 or len(self.buf) < n:
            try:
                self.buf += next(self.chunks)
            except StopIteration:
                break
        if n < 0:
            out, self.buf = self.buf, b""
        else:
            out, self.buf = self.buf[:n], self.buf[n:]
        return out
