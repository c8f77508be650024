"""Officer roster and drafts services (used by the GUI's settings and auto-lock)."""

from __future__ import annotations

from datetime import date

import pytest

from lishui_desk.edge import create_profile, read, run
from lishui_desk.errors import InvalidInput
from lishui_desk.services import drafts, officers
from lishui_desk.services.setup import OfficerSpec


@pytest.fixture
def prof(data_root, fast_kdf):
    p = create_profile("p", "correct horse battery", root=data_root, township_code="331123002",
                       officer=OfficerSpec("蓝海", "ZJ-1"), kdf_params=fast_kdf)
    yield p
    p.close()


def test_add_list_retire_officer(prof):
    added = run(prof, officers.create_officer, OfficerSpec("雷晓", "ZJ-2", date(2028, 1, 1), role="leader"))
    assert {o.name for o in read(prof, officers.list_officers)} == {"蓝海", "雷晓"}
    with pytest.raises(InvalidInput, match="已登记"):
        run(prof, officers.create_officer, OfficerSpec("另一人", "ZJ-2"))
    run(prof, officers.retire_officer, added.id)
    assert [o.name for o in read(prof, officers.list_officers)] == ["蓝海"]
    assert {o.name for o in read(prof, officers.list_officers, include_inactive=True)} == {"蓝海", "雷晓"}


def test_drafts_survive_close_and_are_taken_once(prof, data_root):
    from lishui_desk.storage.profile import open_profile

    run(prof, drafts.save_drafts, {"case:1:record_inquiry": {"person": "林志强", "summary": "询问经过"}})
    prof.close()
    again = open_profile("p", "correct horse battery", root=data_root)
    try:
        assert run(again, drafts.take_drafts) == {"case:1:record_inquiry": {"person": "林志强", "summary": "询问经过"}}
        assert run(again, drafts.take_drafts) == {}
    finally:
        again.close()
