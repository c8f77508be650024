"""A document type is a definition plus at most one registered data source: a county can publish a
new type at run time that prints existing context fields, and it works with no code change —
offered for the right cases, in its place in the procedure, issued, reprinted and filed in the 案卷."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forms import service as S
from forms import sources
from forms.casefile import page_count
from forms.loader import bundled_definitions
from lishui_desk.edge import read, run
from lishui_desk.errors import InvalidInput
from lishui_desk.models import Case
from tests.test_forms_content import flat, pages

# a 现场照片说明 the county adds after the bundled 现场检查笔录 (order 40) and before the 询问笔录 (50),
# recording the same act as the inspection: every field it prints already exists in the context
PHOTO_RECORD = {
    "type": "site_photo_record", "version": 1, "layout": 3, "title": "现场照片说明", "stage": "调查取证",
    "order": 45, "act": "inspection_record",
    "blocks": [
        {"kind": "paragraph", "indent": False, "text": "案由：{case.title}"},
        {"kind": "paragraph", "indent": False, "text": "拍摄地点：{inspection.place}"},
        {"kind": "paragraph", "indent": False, "text": "拍摄时间：{inspection.start|datetime_cn}"},
        {"kind": "paragraph", "indent": False, "text": "拍摄人：{officer1.name}、{officer2.name}"},
        {"kind": "paragraph", "text": "照片反映：{inspection.findings}"},
        {"kind": "signature", "lines": ["当事人签名：　　　　　　　　　年　　月　　日"]},
    ],
}
# a 权利义务告知书 that prints only what every case has (no act of its own)
RIGHTS_LETTER = {
    "type": "rights_letter", "version": 1, "layout": 3, "title": "当事人权利义务告知书", "stage": "立案", "order": 15,
    "blocks": [
        {"kind": "paragraph", "indent": False, "text": "{party.name}："},
        {"kind": "paragraph", "text": "本机关正在办理{case.title|default:涉嫌违法}一事。{party.you}依法享有陈述、申辩的权利"
                                      "（《中华人民共和国行政处罚法》第七条）。"},
        {"kind": "seal", "name": "{agency.name}", "date": "{document.date|date_cn}"},
    ],
}




def _types(prof) -> list[str]:
    return read(prof, lambda uow: [t.doc_type for t in S.document_types(S._county_definitions(uow))])


def _offered(prof, cid: str) -> dict:
    return {c.doc_type: c for c in read(prof, S.available_documents, cid)}


def _case(prof, party: str, stage: str) -> str:
    with prof.read_session() as s:
        return s.scalars(select(Case.id).where(Case.party_name == party, Case.stage == stage)).one()


def test_a_type_published_at_run_time_sharing_an_act_is_offered_issued_and_filed_in_its_place(demo, tmp_path):
    assert "site_photo_record" not in bundled_definitions()
    cid = _case(demo, "叶建国", "notified")
    assert "site_photo_record" not in _offered(demo, cid)

    run(demo, S.publish_definition, PHOTO_RECORD)

    order = _types(demo)
    assert order.index("inspection_record") < order.index("site_photo_record") < order.index("inquiry_record")
    offered = _offered(demo, cid)
    assert offered["site_photo_record"].ready, offered["site_photo_record"].missing
    assert offered["site_photo_record"].title == "现场照片说明"
    row = run(demo, S.issue_document, cid, "site_photo_record")
    text = flat("".join(pages(read(demo, S.reprint, row.id), tmp_path)))
    assert "现场照片说明" in text and "拍摄地点：八都镇八都村" in text and "拍摄人：王建、李明" in text
    assert "照片反映：现场检查：在八都村主街两侧擅自堆放木料" in text
    with pytest.raises(InvalidInput, match="不重复出具"):  # one per act, as for a bundled type
        run(demo, S.issue_document, cid, "site_photo_record")
    assert read(demo, S.list_documents, cid)[-1].title == "现场照片说明"

    # a case without an inspection is not offered it
    lead = _case(demo, "林志强", "transferred")
    assert "site_photo_record" not in _offered(demo, lead)

    # the 案卷 files it after the 现场检查笔录, its pages counted in the contents
    pdf = read(demo, S.casefile, cid)
    toc = flat(pages(pdf, tmp_path)[1])
    assert toc.index("现场检查（勘验）笔录") < toc.index("现场照片说明") < toc.index("行政处罚事先告知书")
    assert page_count(pdf) > 3


def test_a_type_using_only_the_common_context_needs_no_source(demo, tmp_path):
    run(demo, S.publish_definition, RIGHTS_LETTER)
    for party, stage, you in (("叶建国", "notified", "你依法"), ("龙泉市八都镇老街餐饮店", "execution", "你单位依法")):
        cid = _case(demo, party, stage)
        offered = _offered(demo, cid)
        assert offered["rights_letter"].ready, offered["rights_letter"].missing
        row = run(demo, S.issue_document, cid, "rights_letter")
        text = flat("".join(pages(read(demo, S.reprint, row.id), tmp_path)))
        assert f"{party}：" in text and you in text and "龙泉市八都镇人民政府" in text


def test_a_published_type_naming_an_unknown_act_or_field_is_refused_and_stores_nothing(demo):
    bad_act = {**PHOTO_RECORD, "type": "bad_one", "act": "no_such_type"}
    with pytest.raises(InvalidInput, match="act"):
        run(demo, S.publish_definition, bad_act)
    bad_field = {**RIGHTS_LETTER, "type": "bad_two",
                 "blocks": [{"kind": "paragraph", "text": "{party.shoe_size}"}]}
    with pytest.raises(InvalidInput, match=r"party\.shoe_size"):
        run(demo, S.publish_definition, bad_field)
    assert not set(_types(demo)) & {"bad_one", "bad_two"}


def test_every_bundled_record_type_has_exactly_one_registered_source():
    kinds = {t for t, d in bundled_definitions().items() if d.stage != "归档"}
    assert kinds == set(sources.REGISTRY)
