"""Child process for tests/test_lockout_attacks.py: waits until a start file exists (so every
child tries at the same moment), tries one passphrase on a profile, prints the outcome."""

from __future__ import annotations

import sys
from pathlib import Path

from lishui_desk.errors import LockedOut, WrongPassphrase
from lishui_desk.storage.profile import change_passphrase, unlock_data_key


def main(root: str, profile: str, passphrase: str, start_file: str, how: str) -> None:
    start = Path(start_file)
    while not start.exists():
        pass  # spin: the parent creates the file once every child is ready
    try:
        if how == "passwd":
            change_passphrase(profile, passphrase, "a brand new passphrase", root=Path(root))
        else:
            unlock_data_key(profile, passphrase, root=Path(root))
        print("ok", flush=True)
    except WrongPassphrase:
        print("wrong", flush=True)
    except LockedOut:
        print("locked", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:6])
