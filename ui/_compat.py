"""Work around a PySide6 6.12 reference-count bug on Python 3.11.

PySide6 6.12 drops one reference to ``None`` on every call of a void C++ method (``setText``,
``processEvents``, ``exec`` …) and sometimes to ``True``/``False``. Python 3.12+ makes these objects
immortal so nothing happens there; on 3.11 the count reaches zero after some ten thousand calls and
the interpreter aborts ("none_dealloc: deallocating None"). Until the project moves to Python 3.12
or pins an unaffected PySide6, give these singletons a huge reference count (what 3.12 does).
"""

from __future__ import annotations

import ctypes
import sys

_BUMP = 1 << 40


def immortalize_singletons() -> bool:
    if sys.version_info >= (3, 12) or hasattr(sys, "gettotalrefcount"):  # immortal already / debug build
        return False
    for obj in (None, True, False):
        ctypes.c_ssize_t.from_address(id(obj)).value += _BUMP  # ob_refcnt is the first field
    return True


APPLIED = immortalize_singletons()
