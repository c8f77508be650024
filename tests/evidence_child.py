"""Child process for tests/test_leftovers.py: stores standard input as evidence until killed."""

from __future__ import annotations

import sys
from pathlib import Path

from lishui_desk.storage.profile import open_with_key


def main(root: str, key_hex: str) -> None:
    prof = open_with_key("demo", bytes.fromhex(key_hex), root=Path(root))
    print("ready", flush=True)
    prof.evidence.put_stream(sys.stdin.buffer)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
