"""Shared fixtures. Profiles are created with cheap Argon2id parameters (the default parameters
are tested once in tests/test_keyring.py) so the suite stays fast on two cores."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The suite's working date (lishui_desk.timeutil.today_local): demo cases and deadlines are dated
# relative to it, so results do not depend on the day CI runs or on which years the holiday
# calendar covers. Subprocesses (CLI tests) inherit it.
os.environ.setdefault("LISHUI_DESK_TODAY", "2026-11-26")

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "artifacts"


@pytest.fixture
def fast_kdf():
    from lishui_desk.crypto.keyring import KdfParams

    return KdfParams(memory_cost=8192, iterations=1, lanes=1)


@pytest.fixture
def data_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "data"
    monkeypatch.setenv("LISHUI_DESK_DATA_DIR", str(root))
    return root


@pytest.fixture
def empty_profile(data_root: Path, fast_kdf):
    from lishui_desk.storage.profile import create_empty_profile

    prof = create_empty_profile("t1", "correct horse battery", root=data_root, kdf_params=fast_kdf)
    yield prof
    prof.close()


@pytest.fixture
def desk_look(qapp):
    """The desk's own fonts (11 pt, CJK) and style sheet, as ``ui.app.make_app`` sets them, for
    tests that judge sizes; restored afterwards."""
    from ui.app import apply_look

    font, sheet = qapp.font(), qapp.styleSheet()
    apply_look(qapp)
    yield
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)
