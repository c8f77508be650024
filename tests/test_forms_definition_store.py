"""County-published document definitions: validated on import, stored immutably in the profile,
used for new documents, while documents issued under an older version still reprint unchanged."""

from __future__ import annotations

import copy
import json
import shutil

import pytest
from sqlalchemy import select

from forms import service as S
from forms.loader import get_definition
from lishui_desk.crypto.keyring import KdfParams
from lishui_desk.edge import build_demo, read, run
from lishui_desk.errors import InvalidInput
from lishui_desk.models import Case
from lishui_desk.storage.profile import open_profile
from tests.test_forms_service import pdf_text

PW = "lishui-demo-2026"


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    root = tmp_path_factory.mktemp("defs")
    build_demo("demo", PW, root=root, kdf_params=KdfParams(8192, 1, 1))
    return root


@pytest.fixture
def prof(template, tmp_path):
    root = tmp_path / "data"
    shutil.copytree(template, root)
    p = open_profile("demo", PW, root=root)
    yield p
    p.close()


def _county_version(marker: str) -> dict:
    body = copy.deepcopy(get_definition("case_filing").raw)
    body["version"] = get_definition("case_filing").version + 1
    body["blocks"].append({"kind": "note", "text": marker})
    return body


def _filed_case(p) -> str:
    with p.read_session() as s:
        return s.scalars(select(Case.id).where(Case.case_number.like("%立〔%")).order_by(Case.case_number)).first()


def test_a_county_version_is_used_for_new_documents_and_old_ones_still_reprint(prof, tmp_path):
    cid = _filed_case(prof)
    old = run(prof, S.issue_document, cid, "case_filing")
    old_pdf = read(prof, S.reprint, old.id)
    path = tmp_path / "case_filing.json"
    path.write_text(json.dumps(_county_version("本表依县级发布的新版格式填写。"), ensure_ascii=False), encoding="utf-8")
    d = run(prof, S.publish_definition, path)
    assert d.version == old.definition_version + 1
    assert read(prof, S.reprint, old.id) == old_pdf  # the issued document keeps its own version
    cid2 = next(c for c in _all_filed(prof) if c != cid)
    new = run(prof, S.issue_document, cid2, "case_filing")
    assert new.definition_version == d.version
    assert "本表依县级发布的新版格式填写。" in pdf_text(read(prof, S.reprint, new.id), tmp_path)


def _all_filed(p) -> list[str]:
    with p.read_session() as s:
        return list(s.scalars(select(Case.id).where(Case.case_number.like("%立〔%"))))


def test_unknown_placeholder_refused_at_import_and_nothing_stored(prof):
    from lishui_desk.services import definitions as store

    bad = _county_version("当事人：{party.nickname}")
    with pytest.raises(InvalidInput, match=r"party\.nickname"):
        run(prof, S.publish_definition, bad)
    assert read(prof, store.list_stored) == []


def test_a_published_version_cannot_be_changed(prof):
    run(prof, S.publish_definition, _county_version("第一稿"))
    run(prof, S.publish_definition, _county_version("第一稿"))  # the same body again is harmless
    with pytest.raises(InvalidInput, match="不得修改"):
        run(prof, S.publish_definition, _county_version("改过的第一稿"))


def test_signature_seam_refuses_a_bad_signature(prof):
    from lishui_desk.services import definitions as store

    with pytest.raises(InvalidInput, match="签名无效"):
        run(prof, store.store, _county_version("x"), source="county", signature="forged", verify=lambda _b, _s: False)
    assert read(prof, store.list_stored) == []
