"""The one writer of the whole-process record: head check, outbox, projection, vocabulary."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from lishui_desk.crypto.keyring import KdfParams
from lishui_desk.edge import CaseDesk, build_demo, run
from lishui_desk.errors import IntegrityBroken
from lishui_desk.models import Case, CaseEvent, OutboxEntry
from lishui_desk.procedure.state import KNOWN_EVENT_TYPES
from lishui_desk.record import NewEvent, append
from lishui_desk.services.demo import DEMO_PASSPHRASE
from lishui_desk.storage import event_store
from lishui_desk.storage.profile import open_profile
from lishui_desk.unit_of_work import unit_of_work


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("record") / "data"
    build_demo("demo", DEMO_PASSPHRASE, root=root, kdf_params=KdfParams(memory_cost=8192, iterations=1, lanes=1))
    prof = open_profile("demo", DEMO_PASSPHRASE, root=root)
    yield prof
    prof.close()


def _a_case(prof, stage: str) -> str:
    with prof.read_session() as s:
        return s.scalars(select(Case.id).where(Case.stage == stage).limit(1)).one()


def test_every_event_type_in_a_demo_profile_is_known_to_fold(demo):
    from forms import service as S

    run(demo, S.issue_document, _a_case(demo, "notified"), "penalty_notice")  # a document.issued event
    with demo.read_session() as s:
        types = set(s.scalars(select(CaseEvent.type).distinct()))
    assert "document.issued" in types
    assert types - KNOWN_EVENT_TYPES == set()


def test_an_issued_document_is_in_the_folded_state_and_the_case_row_follows_the_record(demo):
    from forms import service as S

    cid = _a_case(demo, "statement")
    row = run(demo, S.issue_document, cid, "penalty_notice")
    view = CaseDesk(demo).view(cid)
    issued = [e for e in view.events if e.type == "document.issued"]
    assert [e.payload["document_id"] for e in issued] == [row.id]
    assert [r.event_id for r in view.state.documents_issued] == [issued[0].id]
    with demo.read_session() as s:
        case = s.get(Case, cid)
        assert (case.event_count, case.head_hash) == (len(view.events), view.events[-1].hash)
        outbox = set(s.scalars(select(OutboxEntry.ref_id).where(OutboxEntry.kind == "case_event")))
    assert issued[0].id in outbox


def test_append_refuses_a_stale_record_and_writes_nothing(demo):
    cid = _a_case(demo, "investigation")
    with demo.read_session() as s:
        stale = event_store.load_events(s, cid)
    with unit_of_work(demo) as uow:  # another writer got there first
        append(uow, cid, [NewEvent("education.recorded", {"content": "法治宣传"})], loaded=stale)
    with demo.read_session() as s:
        before = s.scalar(select(func.count()).select_from(CaseEvent))
    with pytest.raises(IntegrityBroken, match="已变化"), unit_of_work(demo) as uow:
        append(uow, cid, [NewEvent("education.recorded", {"content": "第二次"})], loaded=stale)
    with demo.read_session() as s:
        assert s.scalar(select(func.count()).select_from(CaseEvent)) == before
        assert s.get(Case, cid).event_count == len(stale) + 1


def test_append_refuses_an_event_type_fold_does_not_know(demo):
    from lishui_desk.errors import DeskError

    cid = _a_case(demo, "investigation")
    with pytest.raises(DeskError, match="未登记的事件类型"), unit_of_work(demo) as uow:
        append(uow, cid, [NewEvent("made.up", {})])


def test_pushed_outbox_entries_are_acknowledged_together_or_not_at_all(demo):
    from lishui_desk.edge import read
    from lishui_desk.errors import InvalidInput
    from lishui_desk.services import outbox

    first = read(demo, outbox.pending, 3)
    assert len(first) == 3 and [e.created_at for e in first] == sorted(e.created_at for e in first)
    with pytest.raises(InvalidInput, match="本批确认未记入"), unit_of_work(demo) as uow:
        outbox.acknowledge(uow, [first[0].id, "not-an-entry"])
    assert [e.id for e in read(demo, outbox.pending, 3)] == [e.id for e in first]
    assert run(demo, outbox.acknowledge, [e.id for e in first[:2]]) == 2
    assert read(demo, outbox.pending, 1)[0].id == first[2].id
