"""Hypothesis throws malformed payloads at the case services: every outcome is either a recorded
step or a DeskError with a Chinese message — never another exception — and nothing half-written
stays behind (the record still verifies, refused steps leave no event)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lishui_desk.edge import CaseDesk, create_profile, read
from lishui_desk.errors import DeskError
from lishui_desk.procedure.actions import ACTIONS
from lishui_desk.services.integrity import check_profile
from lishui_desk.services.setup import OfficerSpec, add_officer

STACKING = "331101003000"

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40), st.text(alphabet="0123456789Xx-.", max_size=20),
    st.sampled_from(["2026-11-20", "2026-02-30", "1899-01-01", "not a date", "200", "-5", "1e9", STACKING, ""]),
)
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                       st.dictionaries(st.text(max_size=8), inner, max_size=3)),
                      max_leaves=6)


parties = st.fixed_dictionaries(
    {"kind": st.sampled_from(["individual", "organisation", "sole_trader", "robot", ""]),
     "name": st.text(max_size=30)},
    optional={"id_number": st.text(alphabet="0123456789Xx ", max_size=20),
              "credit_code": st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXYIOSVZ", max_size=20),
              "address": st.text(max_size=30), "phone": st.text(max_size=15), "extra": values})


def payloads(action: str):
    fields = [f.name for f in ACTIONS[action].fields] + ["unexpected"]
    plain = st.dictionaries(st.sampled_from(fields), values, max_size=len(fields))
    if "party" not in fields:
        return plain
    return st.builds(lambda d, party: {**d, "party": party}, plain, st.one_of(parties, values))


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    from lishui_desk.crypto.keyring import KdfParams

    root = tmp_path_factory.mktemp("fuzz")
    prof = create_profile("f", "correct horse battery", root=root, township_code="331181100",
                          officer=OfficerSpec("王建", "ZJ-1", date(2030, 1, 1)), kdf_params=KdfParams(8192, 1, 1))
    with prof.session() as s:
        add_officer(s, "331181100", OfficerSpec("李明", "ZJ-2", date(2030, 1, 1)))
    svc = CaseDesk(prof, today=lambda: date(2026, 11, 26))
    lead = svc.register_lead({"lead_on": "2026-11-20", "source": "巡查发现", "summary": "主街堆放物料",
                              "item_code": STACKING, "violation_date": "2026-11-20"})
    yield prof, svc, lead
    prof.close()


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payload=payloads("register_lead"))
def test_register_lead_with_garbage(env, payload):
    _prof, svc, _lead = env
    try:
        svc.register_lead(payload)
    except DeskError as exc:
        assert exc.message and not exc.message.isascii()


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(action=st.sampled_from(sorted(ACTIONS)), data=st.data())
def test_any_step_with_garbage_is_recorded_or_refused_cleanly(env, action, data):
    _prof, svc, lead = env
    payload = data.draw(payloads(action))
    before = len(svc.view(lead).events)
    try:
        svc.perform(lead, action, payload)
    except DeskError as exc:
        assert exc.message and not exc.message.isascii()
        assert len(svc.view(lead).events) == before  # a refused step leaves nothing behind


def test_record_still_verifies_after_the_fuzzing(env):
    prof, _svc, _lead = env
    assert read(prof, check_profile).ok
