"""``rekey``: replace the data key itself (an edge operation; see SECURITY.md "passwd vs rekey").

``passwd`` rewraps the same data key, so an old copy of ``keyring.json`` with the old passphrase
keeps opening the data. ``rekey`` builds a complete copy of the profile under a fresh data key in
a hidden staging folder next to it —

1. the record is checked first (a rekey must not launder an edited record);
2. the database is exported with ``sqlcipher_export`` into a database keyed with the new key;
3. every evidence file is re-encrypted (same file ids, keys derived from the new data key);
4. every event is re-sealed and the anchor rewritten under the new record key;
5. the keyring is rewritten with the new key wrapped by the same passphrase and county key;
6. the copy passes the full check under the new key —

and only then swaps the folders and deletes the old one (files under the old key must not stay
on the disk; on an SSD deletion is not a secure erase). A crash at any step leaves the profile as
it was and a hidden staging folder that the next rekey removes.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lishui_desk.crypto import keyring as keyring_mod
from lishui_desk.errors import IntegrityBroken
from lishui_desk.evidence_store import EvidenceStore
from lishui_desk.paths import ProfilePaths, profile_paths
from lishui_desk.storage import backup as store
from lishui_desk.storage import seal
from lishui_desk.storage.engine import raw_key_pragma_value
from lishui_desk.storage.profile import Profile, _open_engine, open_with_key, passphrase_attempt


@dataclass(frozen=True)
class RekeyResult:
    profile: str
    evidence_files: int
    events: int


def _check(prof: Profile, when: str) -> None:
    from lishui_desk.services.integrity import check_profile
    from lishui_desk.unit_of_work import unit_of_work

    with unit_of_work(prof, write=False) as uow:
        report = check_profile(uow)
    if not report.ok:
        lines = "；".join(p.message for p in report.problems[:5])
        raise IntegrityBroken(f"{when}完整性检查未通过，未更换数据密钥：{lines}")


def rekey_profile(profile_id: str, passphrase: str, *, root: Path,
                  progress: Callable[[int, int], None] | None = None) -> RekeyResult:
    paths = profile_paths(profile_id, root)
    old_key = passphrase_attempt(paths, lambda: keyring_mod.unlock(paths.keyring, passphrase))
    for stale in paths.root.parent.glob(f".rekey-{profile_id}-*"):  # a rekey that was interrupted
        shutil.rmtree(stale, ignore_errors=True)
    new_key = secrets.token_bytes(keyring_mod.DATA_KEY_LEN)
    staging = Path(tempfile.mkdtemp(prefix=f".rekey-{profile_id}-", dir=paths.root.parent))
    target = ProfilePaths(staging)
    try:
        prof = open_with_key(profile_id, old_key, root=root)
        try:
            _check(prof, "更换前的")
            raw = prof.engine.raw_connection()
            try:
                con = raw.driver_connection
                assert con is not None  # a fresh pool connection is open
                con.execute(f"ATTACH DATABASE ? AS rekeyed KEY \"{raw_key_pragma_value(new_key)}\"",
                            (str(target.db),))
                con.execute("SELECT sqlcipher_export('rekeyed')")
                con.execute("DETACH DATABASE rekeyed")
            finally:
                raw.close()
            blobs = prof.evidence.list_ids()
            new_store = EvidenceStore(target.evidence, new_key)
            for n, blob_id in enumerate(blobs, 1):
                new_store.reencrypt_from(prof.evidence, blob_id)
                if progress:
                    progress(n, len(blobs))
        finally:
            prof.close()
        keyring_mod.rekeyed_copy(paths.keyring, target.keyring, passphrase, new_key)
        if paths.lockout.exists():
            shutil.copy2(paths.lockout, target.lockout)
        copy = Profile(profile_id, target, _open_engine(target, new_key), new_key, EvidenceStore(target.evidence, new_key))
        try:
            with copy.session() as s:
                state = seal.reseal_all(s)
            _check(copy, "更换后的")
        finally:
            copy.close()
        aside = store.swap_in(paths, staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)  # nothing under the old key stays behind
    return RekeyResult(profile_id, len(blobs), state.event_count)
