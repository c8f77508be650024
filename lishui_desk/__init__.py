"""Lishui Desk core: domain, procedure rules, deadlines, storage, crypto, services and CLI.

This package never imports PySide6, ``ui``, ``forms`` or ``sync`` (tests/test_architecture.py).
"""

__version__ = "0.1.0"
