"""The encrypted store: SQLCipher with a raw key, append-only events, tamper detection."""

from __future__ import annotations

import sqlite3

import pytest
import sqlcipher3
from sqlalchemy import text

from lishui_desk.errors import CorruptFile, WrongPassphrase
from lishui_desk.models import Case, Township
from lishui_desk.storage import event_store
from lishui_desk.storage.profile import open_profile, open_with_key
from lishui_desk.timeutil import now_local


def _append(s, case_id, actor_id, events):
    """The storage primitives under ``record.append`` (no projection: these tests are about storage)."""
    seq, prev = event_store.head(s, case_id)
    records = event_store.build_records(case_id, actor_id, seq, prev, events)
    event_store.write(s, records)
    return records


def _township(s) -> None:
    s.add(
        Township(
            code="331181100", name="八都镇", county_code="331181", county_name="龙泉市",
            agency_name="龙泉市八都镇人民政府", agency_code="龙八综执",
            review_government="龙泉市人民政府", court="龙泉市人民法院",
        )
    )
    s.flush()


def _case(s, case_id: str = "c1") -> None:
    now = now_local().isoformat()
    s.add(Case(id=case_id, township_code="331181100", stage="lead", stage_label="线索", head_hash="0" * 64,
               created_at=now, updated_at=now))


def test_database_file_is_unreadable_without_the_key(empty_profile):
    with empty_profile.session() as s:
        _township(s)
    empty_profile.engine.dispose()
    raw = empty_profile.paths.db.read_bytes()
    assert b"SQLite format 3" not in raw[:16]
    assert "八都镇".encode() not in raw
    con = sqlite3.connect(empty_profile.paths.db)
    with pytest.raises(sqlite3.DatabaseError):
        con.execute("select * from townships").fetchall()


def test_wrong_data_key_is_reported_as_corrupt_or_wrong_key(empty_profile, data_root):
    empty_profile.close()
    with pytest.raises(CorruptFile) as info:
        open_with_key("t1", b"\x01" * 32, root=data_root)
    assert "desk.db" in info.value.message


def test_reopen_with_passphrase_and_wrong_passphrase_writes_nothing(empty_profile, data_root):
    with empty_profile.session() as s:
        _township(s)
    empty_profile.close()
    before = (data_root / "profiles" / "t1" / "desk.db").read_bytes()
    with pytest.raises(WrongPassphrase):
        open_profile("t1", "not the passphrase", root=data_root)
    assert (data_root / "profiles" / "t1" / "desk.db").read_bytes() == before
    prof = open_profile("t1", "correct horse battery", root=data_root)
    with prof.read_session() as s:
        assert s.get(Township, "331181100").agency_name == "龙泉市八都镇人民政府"
    prof.close()


def test_events_are_append_only_in_sqlite(empty_profile):
    with empty_profile.session() as s:
        _township(s)
        _case(s)
        _append(s, "c1", "o1", [event_store.NewEvent("lead.registered", {"facts": "占道经营"})])
    for stmt in ("UPDATE case_events SET type = 'x'", "DELETE FROM case_events"):
        with pytest.raises(Exception, match="append-only"), empty_profile.session() as s:
            s.execute(text(stmt))
    with empty_profile.read_session() as s:
        assert [e.type for e in event_store.load_events(s, "c1")] == ["lead.registered"]


def test_changed_byte_breaks_the_chain_and_names_the_event(empty_profile):
    with empty_profile.session() as s:
        _township(s)
        _case(s)
        recs = _append(
            s, "c1", "o1",
            [event_store.NewEvent("lead.registered", {"facts": "占道经营"}),
             event_store.NewEvent("case.filed", {"amount": "200.00"})],
        )
    with empty_profile.read_session() as s:
        assert event_store.verify_case(s, "c1") == []
    # tamper through a raw SQLCipher connection, bypassing the triggers
    empty_profile.engine.dispose()
    con = sqlcipher3.connect(str(empty_profile.paths.db))
    con.execute(f"PRAGMA key = \"x'{empty_profile.data_key.hex()}'\"")
    con.execute("DROP TRIGGER case_events_no_update")
    con.execute("UPDATE case_events SET payload = replace(payload, '200.00', '20.00') WHERE id = ?", (recs[1].id,))
    con.commit()
    con.close()
    with empty_profile.read_session() as s:
        breaks = event_store.verify_case(s, "c1")
    assert [(b.seq, b.event_id) for b in breaks] == [(2, recs[1].id)]
    assert "篡改" in breaks[0].reason


def test_outbox_entry_written_with_each_event(empty_profile):
    from sqlalchemy import func, select

    from lishui_desk.models import OutboxEntry

    with empty_profile.session() as s:
        _township(s)
        _case(s)
        _append(s, "c1", "o1", [event_store.NewEvent("a"), event_store.NewEvent("b")])
    with empty_profile.read_session() as s:
        assert s.scalar(select(func.count()).select_from(OutboxEntry)) == 2


def test_failed_unit_of_work_leaves_nothing(empty_profile):
    with empty_profile.session() as s:
        _township(s)
    with pytest.raises(RuntimeError), empty_profile.session() as s:
        _case(s)
        _append(s, "c1", "o1", [event_store.NewEvent("a")])
        raise RuntimeError("power cut")
    with empty_profile.read_session() as s:
        assert s.get(Case, "c1") is None
        assert event_store.load_events(s, "c1") == []


def test_orm_refuses_to_edit_or_delete_an_event(empty_profile):
    from lishui_desk.errors import IntegrityBroken
    from lishui_desk.models import CaseEvent

    with empty_profile.session() as s:
        _township(s)
        _case(s)
        rec = _append(s, "c1", "o1", [event_store.NewEvent("lead.registered", {"facts": "x"})])[0]
    with pytest.raises(IntegrityBroken, match="只能追加"), empty_profile.session() as s:
        s.get(CaseEvent, rec.id).type = "forged"
    with pytest.raises(IntegrityBroken, match="不得删除"), empty_profile.session() as s:
        s.delete(s.get(CaseEvent, rec.id))
    with empty_profile.read_session() as s:
        assert event_store.verify_case(s, "c1") == []


@pytest.mark.parametrize("damage", ["truncate", "garbage"])
def test_damaged_database_file_is_a_clear_error_naming_it(empty_profile, data_root, damage):
    with empty_profile.session() as s:
        _township(s)
    empty_profile.close()
    db = data_root / "profiles" / "t1" / "desk.db"
    if damage == "truncate":
        with db.open("r+b") as fh:
            fh.truncate(db.stat().st_size // 2)
    else:
        db.write_bytes(b"not a database at all" * 100)
    with pytest.raises(CorruptFile) as info:
        open_profile("t1", "correct horse battery", root=data_root)
    assert str(db) in info.value.message and "损坏" in info.value.message


def test_a_closed_profile_refuses_new_work(empty_profile):
    from lishui_desk.errors import DeskError

    empty_profile.close()
    with pytest.raises(DeskError, match="已锁定"), empty_profile.read_session():
        pass
