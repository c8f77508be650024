"""Document services on a demo profile: issue, reprint, verify, numbering, case file, concurrency."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from forms import service as S
from forms.render import qr_text
from lishui_desk.crypto.keyring import KdfParams
from lishui_desk.edge import CaseDesk, build_demo, read, run
from lishui_desk.errors import InvalidInput
from lishui_desk.models import Case, IssuedDocument, ProfileMeta
from lishui_desk.services.demo import DEMO_PASSPHRASE
from lishui_desk.storage.profile import open_profile
from lishui_desk.timeutil import today_local

REPO = Path(__file__).resolve().parents[1]
SETTINGS = {
    "agency.address": "浙江省龙泉市八都镇八都大街1号", "agency.phone": "0578-7000000",
    "payment.bank": "中国农业银行龙泉市支行", "payment.account": "19-600101040000000",
    "payment.account_name": "龙泉市财政局非税收入汇缴结算户", "casefile.retention": "长期", "casefile.keeper": "吴敏",
}


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo profile per module (20 cases), copied for each test so tests stay independent."""
    root = tmp_path_factory.mktemp("demo")
    build_demo("demo", DEMO_PASSPHRASE, root=root, kdf_params=KdfParams(memory_cost=8192, iterations=1, lanes=1))
    prof = open_profile("demo", DEMO_PASSPHRASE, root=root)
    try:
        for k, v in SETTINGS.items():
            run(prof, S.set_setting, k, v)
    finally:
        prof.close()
    return root


def copy_demo(template: Path, dest: Path) -> Path:
    shutil.copytree(template, dest)
    return dest


@pytest.fixture
def demo(demo_template: Path, tmp_path: Path):
    root = copy_demo(demo_template, tmp_path / "data")
    prof = open_profile("demo", DEMO_PASSPHRASE, root=root)
    yield prof
    prof.close()


def case_id(prof, party: str, stage: str) -> str:
    with prof.read_session() as s:
        ids = list(s.scalars(select(Case.id).where(Case.party_name == party, Case.stage == stage)))
    assert len(ids) == 1, (party, stage, ids)
    return ids[0]


def case_number(prof, cid: str) -> str:
    with prof.read_session() as s:
        return s.get(Case, cid).case_number


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """Text of a PDF with line breaks removed (pdftotext), so wrapped phrases can be searched."""
    src = tmp_path / f"t{hashlib.sha256(pdf).hexdigest()[:8]}.pdf"
    src.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(src), "-"], capture_output=True, check=True).stdout
    text = re.sub(r"\s+", "", out.decode("utf-8"))
    return re.sub(r"—\d+—(正本|副本)?", "", text)  # page furniture between pages


def test_decided_case_gets_filing_notice_and_decision_with_real_data(demo, tmp_path):
    cid = case_id(demo, "周秀英", "execution")  # decided, served, unpaid: fine 550 yuan
    number = case_number(demo, cid)
    filing = run(demo, S.issue_document, cid, "case_filing")
    notice = run(demo, S.issue_document, cid, "penalty_notice")
    decision = run(demo, S.issue_document, cid, "penalty_decision")
    year = r"〔\d{4}〕"
    assert filing.number == number  # the 立案审批表 carries the case number, not a second one
    assert re.fullmatch(f"龙八综执罚先告{year}第1号", notice.number)
    assert re.fullmatch(f"龙八综执罚决{year}第1号", decision.number)

    text = pdf_text(read(demo, S.reprint, decision.id), tmp_path)
    for expected in ("周秀英", decision.number, notice.number, "¥550.00", "人民币伍佰伍拾元整",
                     "六十日内向龙泉市人民政府申请行政复议", "六个月内依法向龙泉市人民法院提起行政诉讼",
                     "每日按罚款数额的百分之三加处罚款", "中国农业银行龙泉市支行", "19-600101040000000",
                     "《浙江省城市市容和环境卫生管理条例》第十二条第三款", "执法证号：ZJ-3311-0001"):
        assert expected in text, expected
    notice_text = pdf_text(read(demo, S.reprint, notice.id), tmp_path)
    assert "周秀英" in notice_text and notice.number in notice_text and "五日内" in notice_text
    assert "浙江省龙泉市八都镇八都大街1号" in notice_text
    filing_text = pdf_text(read(demo, S.reprint, filing.id), tmp_path)
    assert number in filing_text and "巡查发现" in filing_text and "周秀英" in filing_text
    assert "周卫东" in filing_text  # the leader who approved the filing (立案 approval, Art. 54)

    # the issue is part of the whole-process record, and the chain still verifies
    view = CaseDesk(demo).view(cid)
    issued = [e for e in view.events if e.type == "document.issued"]
    assert [e.payload["number"] for e in issued] == [filing.number, notice.number, decision.number]
    assert issued[-1].payload["pdf_sha256"] == decision.pdf_sha256
    assert issued[-1].payload["definition_version"] == S.get_definition("penalty_decision").version
    assert view.chain_ok
    assert [d.number for d in read(demo, S.list_documents, cid)] == [filing.number, notice.number, decision.number]
    assert {d.case_number for d in read(demo, S.list_documents)} == {number}


def test_reprint_gives_the_same_bytes_and_verify_checks_the_record(demo, tmp_path):
    cid = case_id(demo, "叶建国", "notified")
    row = run(demo, S.issue_document, cid, "penalty_notice")
    first, second = read(demo, S.reprint, row.id), read(demo, S.reprint, row.number)
    assert first == second
    assert hashlib.sha256(first).hexdigest() == row.pdf_sha256
    with demo.read_session() as s:
        stored = s.get(IssuedDocument, row.id)
        assert json.loads(stored.snapshot)["party"]["name"] == "叶建国"

    good = read(demo, S.verify, qr_text(row.number, row.content_digest))
    assert good.ok and good.number == row.number and good.doc_type == "penalty_notice"
    assert good.case_number == case_number(demo, cid)
    bad = read(demo, S.verify, qr_text(row.number, "0" * 64))
    assert not bad.ok and "摘要" in bad.reason
    unknown = read(demo, S.verify, qr_text("龙八综执罚先告〔2026〕第99号", row.content_digest))
    assert not unknown.ok and "没有" in unknown.reason
    assert not read(demo, S.verify, "not a code").ok

    pdf = tmp_path / "n.pdf"
    pdf.write_bytes(first)
    assert read(demo, S.verify, pdf).ok
    changed = tmp_path / "changed.pdf"
    changed.write_bytes(first.replace(b"/Creator", b"/Creatox", 1))
    res = read(demo, S.verify, changed)
    assert not res.ok and "SHA-256" in res.reason


def test_reprint_refuses_a_definition_version_this_machine_does_not_have_or_a_changed_snapshot(demo):
    cid = case_id(demo, "叶建国", "notified")
    row = run(demo, S.issue_document, cid, "penalty_notice")
    printed = read(demo, S.reprint, row.id)
    current = S.get_definition("penalty_notice").version
    with demo.session() as s:
        s.get(IssuedDocument, row.id).definition_version = 99  # issued under a version not installed here
    # the printed bytes kept at issuance still reprint without the definition ...
    assert read(demo, S.reprint, row.id) == printed
    with demo.session() as s:  # ... a document issued before the bytes were kept has to be rendered again
        s.delete(s.get(ProfileMeta, f"docpdf.{row.id}"))
    demo._meta_cache.pop(f"docpdf.{row.id}", None)
    with pytest.raises(S.ReprintMismatch, match=rf"第99版，本机现为第{current}版且没有第99版"):
        read(demo, S.reprint, row.id)
    with demo.session() as s:
        stored = s.get(IssuedDocument, row.id)
        stored.definition_version = current
        stored.snapshot = stored.snapshot.replace("叶建国", "叶建民")
    with pytest.raises(S.ReprintMismatch, match="摘要不一致"):
        read(demo, S.reprint, row.id)
    other = run(demo, S.issue_document, case_id(demo, "吴丽华", "statement"), "penalty_notice")
    with demo.session() as s:  # a changed snapshot is refused even when the printed bytes are kept
        stored = s.get(IssuedDocument, other.id)
        stored.snapshot = stored.snapshot.replace("吴丽华", "吴丽芳")
    with pytest.raises(S.ReprintMismatch, match="摘要不一致"):
        read(demo, S.reprint, other.id)


def test_a_document_issued_under_a_superseded_definition_reprints_byte_for_byte(demo, monkeypatch):
    """Revising a definition (new version, new layout) must not break reprinting documents issued
    years ago: the old version is kept in forms/definitions/history/ and used for the reprint."""
    from forms.loader import definition_version

    cid = case_id(demo, "叶建国", "archived")
    old = definition_version("penalty_notice", 1)
    assert old is not None and old.layout == 1 and S.get_definition("penalty_notice").version > 1
    real = S.get_definition
    monkeypatch.setattr(S, "get_definition", lambda t: old if t == "penalty_notice" else real(t))
    row = run(demo, S.issue_document, cid, "penalty_notice")  # issued while version 1 was current
    issued_sha = row.pdf_sha256
    monkeypatch.setattr(S, "get_definition", real)
    assert row.definition_version == 1
    again = read(demo, S.reprint, row.id)
    assert hashlib.sha256(again).hexdigest() == issued_sha
    assert read(demo, S.casefile, cid)  # the case file renders it with its own (old) definition too


def test_numbers_run_per_document_code_and_a_second_issue_is_refused(demo):
    cases = [case_id(demo, "叶建国", "notified"), case_id(demo, "吴丽华", "statement"),
             case_id(demo, "季小龙", "notified")]
    notices = [run(demo, S.issue_document, c, "penalty_notice") for c in cases]
    assert [re.search(r"第(\d+)号", n.number).group(1) for n in notices] == ["1", "2", "3"]
    decided = case_id(demo, "周秀英", "execution")
    run(demo, S.issue_document, decided, "penalty_notice")
    decision = run(demo, S.issue_document, decided, "penalty_decision")
    assert decision.number.endswith("第1号")  # 罚决 has its own sequence
    with pytest.raises(InvalidInput, match="不重复出具"):
        run(demo, S.issue_document, cases[0], "penalty_notice")
    choices = {c.doc_type: c for c in read(demo, S.available_documents, cases[0])}
    assert not choices["penalty_notice"].ready and choices["penalty_notice"].issued == notices[0].number


def test_provisional_number_is_never_printed_on_a_final_document(demo):
    cid = case_id(demo, "叶建国", "notified")
    demo.set_meta("numbering", "hub")  # enrolled with a hub, no block received yet
    with pytest.raises(InvalidInput, match="临时文号"):
        run(demo, S.issue_document, cid, "penalty_notice")
    assert read(demo, S.list_documents) == []
    assert not [e for e in CaseDesk(demo).view(cid).events if e.type == "document.issued"]
    demo.set_meta("numbering", "local")
    assert run(demo, S.issue_document, cid, "penalty_notice").number.endswith("第1号")  # nothing was used up


def test_preview_is_an_unnumbered_draft_and_stores_nothing(demo, tmp_path):
    cid = case_id(demo, "叶建国", "notified")
    text = pdf_text(read(demo, S.preview, cid, "penalty_notice"), tmp_path)
    assert "叶建国" in text and "罚先告" not in text
    assert read(demo, S.list_documents) == []
    decided = case_id(demo, "周秀英", "execution")
    with pytest.raises(InvalidInput, match="事先告知文号"):  # the notice has not been issued yet
        read(demo, S.preview, decided, "penalty_decision")


def test_missing_agency_settings_are_named(demo_template, tmp_path):
    root = copy_demo(demo_template, tmp_path / "bare")
    prof = open_profile("demo", DEMO_PASSPHRASE, root=root)
    try:
        with prof.session() as s:
            from lishui_desk.models import ProfileMeta

            s.query(ProfileMeta).filter(ProfileMeta.key == "forms.agency.phone").delete()
        cid = case_id(prof, "叶建国", "notified")
        choice = {c.doc_type: c for c in read(prof, S.available_documents, cid)}["penalty_notice"]
        assert not choice.ready and any("机关联系电话" in m and "agency.phone" in m for m in choice.missing)
        with pytest.raises(InvalidInput, match="机关联系电话"):
            run(prof, S.issue_document, cid, "penalty_notice")
    finally:
        prof.close()


def test_case_file_has_cover_contents_documents_and_evidence_index(demo, tmp_path):
    cid = case_id(demo, "叶建国", "archived")
    rows = [run(demo, S.issue_document, cid, t) for t in
            ("case_filing", "penalty_notice", "penalty_decision", "service_receipt", "case_closing")]
    pdf = read(demo, S.casefile, cid)
    from pypdf import PdfReader

    reader = PdfReader(__import__("io").BytesIO(pdf))
    toc = re.sub(r"\s+", "", reader.pages[1].extract_text())
    cover = re.sub(r"\s+", "", reader.pages[0].extract_text())
    assert "卷内目录" in toc and "行政处罚案卷" in cover
    assert f"{len(reader.pages) - 2}页" in cover and "八都执法-" in cover  # archived: its 归档号
    for r in rows:  # every issued document is filed, with its number
        assert r.title.split("（")[0] in toc and (r.number or "") in toc, r.title
    last = re.sub(r"\s+", "", reader.pages[-1].extract_text())
    assert "证据目录" in last and "现场照片3张" in last and "王建" in last


def test_every_document_the_demo_says_is_ready_can_be_issued_reprinted_and_verified(demo, tmp_path):
    with demo.read_session() as s:
        cases = list(s.scalars(select(Case.id)))
    issued: list[S.IssuedDocRow] = []
    for cid in cases:
        while True:  # issuing one document can make the next ready (事先告知书 → 决定书)
            ready = [c for c in read(demo, S.available_documents, cid) if c.ready]
            if not ready:
                break
            issued.append(run(demo, S.issue_document, cid, ready[0].doc_type, ready[0].act))
    kinds = {r.doc_type for r in issued}
    assert {"case_filing", "penalty_notice", "penalty_decision", "non_penalty_decision", "onsite_penalty_decision",
            "service_receipt", "case_closing"} <= kinds
    assert len({r.number for r in issued if r.number}) == len([r for r in issued if r.number])
    for r in issued:
        pdf = read(demo, S.reprint, r.id)
        assert hashlib.sha256(pdf).hexdigest() == r.pdf_sha256
        f = tmp_path / f"{r.id}.pdf"
        f.write_bytes(pdf)
        assert read(demo, S.verify, f).ok, r


_WORKER = """
import json, sys
from pathlib import Path
from forms.service import issue_document
from lishui_desk.edge import run
from lishui_desk.storage.profile import open_profile
prof = open_profile("demo", sys.argv[2], root=Path(sys.argv[1]))
out = [run(prof, issue_document, cid, "correction_order").number for cid in sys.argv[3:]]
prof.close()
print(json.dumps(out, ensure_ascii=False))
"""


def test_two_processes_issuing_at_once_never_share_or_skip_numbers(demo, tmp_path):
    me = demo.officer_id
    with demo.read_session() as s:
        from lishui_desk.models import Officer

        li = s.scalar(select(Officer.id).where(Officer.name == "李明"))
        cases = list(s.scalars(select(Case.id).where(Case.stage.in_(("filed", "investigation", "notified",
                                                                            "statement", "legal_review")))))
    n = 4
    assert len(cases) >= 2 * n
    day = today_local() - timedelta(days=1)
    svc = CaseDesk(demo)
    for cid in cases[: 2 * n]:
        svc.perform(cid, "order_correction", {"ordered_on": day.isoformat(), "content": "立即清除堆放物",
                                              "deadline": (day + timedelta(days=3)).isoformat(),
                                              "officer_ids": [me, li]})
    root = demo.paths.root.parent.parent
    demo.close()
    cmd = [sys.executable, "-c", _WORKER, str(root), DEMO_PASSPHRASE]
    procs = [subprocess.Popen([*cmd, *cases[i * n:(i + 1) * n]], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              cwd=REPO) for i in range(2)]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
        results += json.loads(out)
    seqs = sorted(int(re.search(r"第(\d+)号", num).group(1)) for num in results)
    assert seqs == list(range(1, 2 * n + 1))
    assert all(num.startswith("龙八综执责改〔") for num in results)


def test_check_finds_an_issued_document_row_changed_behind_the_record(demo):
    import sqlcipher3

    from lishui_desk.services.integrity import check_profile

    cid = case_id(demo, "周秀英", "execution")
    row = run(demo, S.issue_document, cid, "case_filing")
    assert read(demo, check_profile).ok
    demo.engine.dispose()
    con = sqlcipher3.connect(str(demo.paths.db))
    con.execute(f"PRAGMA key = \"x'{demo.data_key.hex()}'\"")
    con.execute("UPDATE issued_documents SET pdf_sha256 = ? WHERE id = ?", ("0" * 64, row.id))
    con.commit()
    con.close()
    report = read(demo, check_profile)
    assert [p.kind for p in report.problems] == ["document"]
    assert row.number in report.problems[0].message and "PDF 哈希" in report.problems[0].message


def test_the_printed_pdf_kept_at_issuance_is_checked_and_never_taken_for_an_orphan(demo):
    from lishui_desk.services import integrity, issued_pdfs

    cid = case_id(demo, "叶建国", "notified")
    row = run(demo, S.issue_document, cid, "penalty_notice")
    kept = read(demo, issued_pdfs.kept, row.id)
    assert kept is not None and kept.sha256 == row.pdf_sha256 and kept.size > 0
    assert kept.blob_id not in read(demo, integrity.orphan_blobs)
    assert run(demo, integrity.remove_orphan_blobs) == 0 and demo.evidence.path_of(kept.blob_id).exists()
    assert read(demo, integrity.check_profile).ok
    path = demo.evidence.path_of(kept.blob_id)
    raw = bytearray(path.read_bytes())
    raw[-40] ^= 0x01  # one flipped bit in the kept copy
    path.write_bytes(bytes(raw))
    report = read(demo, integrity.check_profile)
    assert not report.ok and any("保存的 PDF 副本" in p.message for p in report.problems)
    again = read(demo, S.reprint, row.id)  # the damaged copy is not printed; the identical re-render is
    assert hashlib.sha256(again).hexdigest() == row.pdf_sha256
