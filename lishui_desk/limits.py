"""Input limits shared by the engine, the services and the forms (one limit each)."""

from __future__ import annotations

MAX_TEXT = 20_000  # characters in one free-text field (a 笔录 answer may be long, not unbounded)
