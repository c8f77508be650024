"""Lishui Desk desktop GUI (PySide6 widgets): a thin shell over the core services."""

from ui import _compat  # noqa: F401  (PySide6 6.12 / Python 3.11 refcount workaround, see ui/_compat.py)
