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


DEMO_PW = "lishui-demo-2026"


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """A demo profile (20 cases) plus one stored photo, built once; tests copy it with
    ``clone_profile`` before damaging or editing the copy."""
    from PIL import Image

    from lishui_desk.crypto.keyring import KdfParams
    from lishui_desk.edge import CaseDesk, build_demo
    from lishui_desk.errors import DeskError
    from lishui_desk.storage.profile import open_profile

    root = tmp_path_factory.mktemp("demo-template")
    build_demo("demo", DEMO_PW, root=root, kdf_params=KdfParams(8192, 1, 1))
    photo = root / "scene.png"
    Image.new("RGB", (64, 48), (200, 30, 30)).save(photo)
    prof = open_profile("demo", DEMO_PW, root=root)
    try:
        svc = CaseDesk(prof)
        from sqlalchemy import select

        from lishui_desk.models import Case

        with prof.read_session() as s:
            ids = list(s.scalars(select(Case.id).where(Case.is_open.is_(True)).order_by(Case.created_at)))
        for cid in ids:
            try:
                svc.add_evidence_file(cid, photo, "视听资料", "现场照片")
                break
            except DeskError:
                continue
        else:
            raise AssertionError("no demo case accepts evidence")
    finally:
        prof.close()
    photo.unlink()
    return root


@pytest.fixture
def clone_profile(demo_template, tmp_path):
    """``clone_profile()`` -> a fresh copy of the demo template's root for one test."""
    import shutil

    count = iter(range(1000))

    def make() -> Path:
        dst = tmp_path / f"copy{next(count)}"
        shutil.copytree(demo_template, dst)
        return dst

    return make


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


@pytest.fixture(scope="session")
def bare_demo_root(tmp_path_factory) -> Path:
    """The demo profile exactly as ``lishui-desk demo`` builds it (20 cases), built once per run."""
    from lishui_desk.crypto.keyring import KdfParams
    from lishui_desk.edge import build_demo

    root = tmp_path_factory.mktemp("bare-demo")
    build_demo("demo", DEMO_PW, root=root, kdf_params=KdfParams(memory_cost=8192, iterations=1, lanes=1))
    return root


@pytest.fixture
def demo(bare_demo_root: Path, tmp_path: Path):
    """An open copy of the bare demo profile for one test (modules with their own ``demo`` override it)."""
    import shutil

    from lishui_desk.storage.profile import open_profile

    root = tmp_path / "data"
    shutil.copytree(bare_demo_root, root)
    prof = open_profile("demo", DEMO_PW, root=root)
    yield prof
    prof.close()


@pytest.fixture(scope="session")
def template(tmp_path_factory) -> Path:
    """The demo desktop profile the sync tests copy (opened with ``tests.sync_support.PASS``),
    built once per run; every test works on its own copy (``copy_profile``)."""
    from lishui_desk.crypto.keyring import KdfParams
    from tests.sync_support import build_template

    return build_template(tmp_path_factory.mktemp("tpl") / "data", KdfParams(memory_cost=8192, iterations=1, lanes=1))


@pytest.fixture
def desk(template: Path, tmp_path: Path):
    """An open copy of the sync template for one test (modules with their own ``desk`` override it)."""
    from tests.sync_support import copy_profile, open_demo

    prof = open_demo(copy_profile(template, tmp_path / "desk"))
    yield prof
    prof.close()
