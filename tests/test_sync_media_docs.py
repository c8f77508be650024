"""Issued documents' printed PDFs travel to the county as media (real profiles, a real hub on
loopback): kept at issuance, uploaded before photos, 媒体不完整 at both ends until they arrive,
checked against the issued record's hash, shown at the county byte for byte; documents issued
before the bytes were kept; by USB bundle. And an incomplete upload is encrypted on the hub's disk."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from datetime import date

import pytest
from sqlalchemy import select

from forms import service as S
from lishui_desk.edge import CaseDesk, read, run
from lishui_desk.models import Case, IssuedDocument, ProfileMeta
from sync import county_cli, protocol
from sync.client import media
from sync.client import state as st
from sync.client.worker import sync_now
from sync.hub import media as hub_media
from tests.sync_support import BACKENDS, PASS, enroll, running_hub

TODAY = date(2026, 11, 26)
JPEG_HEAD = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"


def _case(prof, party: str, stage: str) -> str:
    with prof.read_session() as s:
        ids = list(s.scalars(select(Case.id).where(Case.party_name == party, Case.stage == stage)))
    assert len(ids) == 1
    return ids[0]


def _photo(prof, tmp_path, cid: str, size: int = 120_000) -> bytes:
    data = JPEG_HEAD + random.Random(7).randbytes(size)[len(JPEG_HEAD):]
    (tmp_path / "site.jpg").write_bytes(data)
    CaseDesk(prof, today=lambda: TODAY).add_evidence_file(cid, tmp_path / "site.jpg", "视听资料", "现场照片")
    return data


def _county(capsys, server, *argv: str) -> tuple[int, str]:
    """Exit code and what the county's terminal showed (stdout and stderr)."""
    capsys.readouterr()
    rc = county_cli.main(["--data-dir", str(server.hub.root), *argv])
    got = capsys.readouterr()
    return rc, got.out + got.err


def _forget_kept_pdf(prof, doc_id: str) -> None:
    """As a document issued before the printed bytes were kept: no copy, no name for it."""
    with prof.session() as s:
        s.delete(s.get(ProfileMeta, f"docpdf.{doc_id}"))
    prof._meta_cache.pop(f"docpdf.{doc_id}", None)


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_issued_documents_printed_pdf_reaches_the_county_before_photos_and_byte_for_byte(
        backend, desk, tmp_path, capsys):
    cid = _case(desk, "叶建国", "notified")
    with running_hub(backend, tmp_path) as server:
        enroll(desk, server)
        photo = _photo(desk, tmp_path, cid)
        row = run(desk, S.issue_document, cid, "penalty_notice")
        printed = read(desk, S.reprint, row.id)
        assert protocol.sha256_hex(printed) == row.pdf_sha256
        assert printed not in b"".join(p.read_bytes() for p in desk.evidence.directory.iterdir())  # kept encrypted
        sync_now(desk)  # case text first: the issued record names the PDF's hash
        assert hub_media.incomplete_by_case(server.hub)[cid] == 2  # the document and the photo
        here = {r["case_id"]: r for r in read(desk, media.incomplete_cases)}[cid]
        assert here["missing"] == 2 and here["documents"] == 1
        rc, out = _county(capsys, server, "document", "show", row.number, "--out", str(tmp_path / "x.pdf"))
        assert rc == 2 and "尚未送达" in out and not (tmp_path / "x.pdf").exists()

        rep = media.upload_all(desk)
        assert [sha for sha, _ in rep.offsets_seen][:2] == [row.pdf_sha256, protocol.sha256_hex(photo)]  # documents first
        assert cid not in hub_media.incomplete_by_case(server.hub)
        assert cid not in {r["case_id"] for r in read(desk, media.incomplete_cases)}
        rc, out = _county(capsys, server, "document", "show", row.number, "--out", str(tmp_path / "county.pdf"))
        assert rc == 0 and "与出具记录一致" in out
        assert (tmp_path / "county.pdf").read_bytes() == printed  # exactly what was printed
        rc, out = _county(capsys, server, "document", "list", "--case", cid[:8], "--json")
        docs = json.loads(out)["documents"]
        assert [(d["number"], d["pdf_held"]) for d in docs] == [(row.number, True)]


def test_documents_issued_before_the_bytes_were_kept_are_rerendered_only_when_identical(desk, tmp_path, capsys,
                                                                                        monkeypatch):
    from lishui_desk import cli as desk_cli

    same = _case(desk, "叶建国", "notified")
    other = _case(desk, "吴丽华", "statement")
    with running_hub("sqlite", tmp_path) as server:
        enroll(desk, server)
        a = run(desk, S.issue_document, same, "penalty_notice")
        b = run(desk, S.issue_document, other, "penalty_notice")
        printed_a = read(desk, S.reprint, a.id)
        for doc in (a, b):
            _forget_kept_pdf(desk, doc.id)
        with desk.session() as s:  # b's definition version is no longer installed: it cannot be rendered again
            s.get(IssuedDocument, b.id).definition_version = 99
        sync_now(desk)
        owed = {d["document_id"] for d in read(desk, media.documents_not_held)}
        assert owed == {a.id, b.id}
        assert {r["case_id"] for r in read(desk, media.incomplete_cases)} >= {same, other}

        # the terminal's `sync media` (its own process: forms is loaded only as the CLI loads it)
        # re-renders a (identical: kept and sent); b is marked as not reproducible
        env = {**os.environ, "LISHUI_DESK_PASSPHRASE": PASS}
        done = subprocess.run([sys.executable, "-m", "lishui_desk.cli", "--data-dir", str(tmp_path / "desk"),
                               "sync", "media", "--json"], capture_output=True, text=True, env=env, timeout=300)
        assert done.returncode == 0, done.stderr
        assert [d["document_id"] for d in json.loads(done.stdout)["documents_not_held"]] == [b.id]
        rc, out = _county(capsys, server, "document", "show", a.number, "--out", str(tmp_path / "a.pdf"))
        assert rc == 0 and (tmp_path / "a.pdf").read_bytes() == printed_a
        left = read(desk, media.documents_not_held)
        assert [d["document_id"] for d in left] == [b.id] and "无法重新生成相同文件" in left[0]["reason"]
        assert other in hub_media.incomplete_by_case(server.hub)  # the county is still owed b's PDF
        assert {r["case_id"]: r["documents_not_held"] for r in read(desk, media.incomplete_cases)}[other] == 1
        rc, _ = _county(capsys, server, "document", "show", b.number, "--out", str(tmp_path / "b.pdf"))
        assert rc == 2 and not (tmp_path / "b.pdf").exists()
        monkeypatch.setenv("LISHUI_DESK_PASSPHRASE", PASS)
        capsys.readouterr()
        assert desk_cli.main(["--data-dir", str(tmp_path / "desk"), "sync", "media", "--status"]) == 0
        shown = capsys.readouterr().out
        assert f"文书 {b.number}：本机未保存出具时的 PDF" in shown and "媒体不完整" in shown and a.number not in shown


def test_issued_documents_pdfs_travel_by_usb_bundle(desk, tmp_path):
    from sync.client.bundle import export_bundle, import_bundle
    from sync.hub.bundles import export_bundle as hub_export
    from sync.hub.bundles import import_bundle as hub_import

    cid = _case(desk, "叶建国", "notified")
    with running_hub("sqlite", tmp_path) as server:
        enroll(desk, server)
        row = run(desk, S.issue_document, cid, "penalty_notice")
        printed = read(desk, S.reprint, row.id)
        out = export_bundle(desk, tmp_path / "to-county.lsb")  # no link at all: not "USB only", still carried
        assert out["media_files"] == 1
        got = hub_import(server.hub, (tmp_path / "to-county.lsb").read_bytes())
        assert got["media_files"] == 1
        doc, data = hub_media.document_pdf(server.hub, row.number)
        assert data == printed and doc["pdf_sha256"] == row.pdf_sha256
        assert cid not in hub_media.incomplete_by_case(server.hub)
        data, _ = hub_export(server.hub, read(desk, st.get, "device_id"))
        (tmp_path / "to-desk.lsb").write_bytes(data)
        import_bundle(desk, tmp_path / "to-desk.lsb")
        assert cid not in {r["case_id"] for r in read(desk, media.incomplete_cases)}


def test_an_incomplete_upload_is_encrypted_on_the_hubs_disk_and_resumes(desk, tmp_path):
    cid = _case(desk, "叶建国", "notified")
    with running_hub("sqlite", tmp_path) as server:
        enroll(desk, server)
        data = _photo(desk, tmp_path, cid, size=700_000)
        sha = protocol.sha256_hex(data)
        sync_now(desk)
        media.upload_all(desk, max_bytes=300_000)  # the link ends part way
        held = hub_media._held_bytes(server.hub, sha)
        assert 0 < held < len(data)
        part = hub_media._part(server.hub, sha).read_bytes()
        for at in (0, 1000, held - 64):  # no run of the photo's bytes is on the disk in clear
            assert data[at:at + 64] not in part
        with open(hub_media._part(server.hub, sha), "ab") as fh:  # a record torn by a crash before its fsync
            fh.write(b"\x00\x00\x10\x00" + b"x" * 500)
        assert hub_media._held_bytes(server.hub, sha) == held  # not counted
        rep = media.upload_all(desk)
        assert rep.resumed >= 1 and (sha, held) in rep.offsets_seen  # went on from the hub's offset
        assert hub_media.read_media(server.hub, sha) == data
        assert not hub_media._part(server.hub, sha).exists()
        with open(hub_media._part(server.hub, sha), "wb") as fh:  # a part file from before encryption at rest
            fh.write(data[:5000])
        assert hub_media._held_bytes(server.hub, sha) == 0


def test_a_document_not_reproducible_is_tried_again_once_its_definition_arrives(desk, tmp_path):
    """A document issued under a county definition version this laptop no longer holds is marked
    not reproducible; further rounds do not render it again (cheap); when that version arrives
    again (a definitions update applied), the next round re-renders it identically and keeps it."""
    import copy

    from forms.loader import get_definition
    from lishui_desk.models import DocumentDefinition, ReferenceVersion
    from lishui_desk.services import issued_pdfs

    body = copy.deepcopy(get_definition("penalty_notice").raw)
    body["version"] = get_definition("penalty_notice").version + 1
    body["blocks"].append({"kind": "note", "text": "本表依县级发布的新版格式填写。"})
    run(desk, S.publish_definition, copy.deepcopy(body))
    doc = run(desk, S.issue_document, _case(desk, "吴丽华", "statement"), "penalty_notice")
    assert doc.definition_version == body["version"]
    printed = read(desk, S.reprint, doc.id)
    _forget_kept_pdf(desk, doc.id)
    with desk.session() as s:  # this laptop lost that version (e.g. the profile came back without it)
        for row in s.scalars(select(DocumentDefinition).where(DocumentDefinition.doc_type == "penalty_notice")):
            s.delete(row)
        for row in s.scalars(select(ReferenceVersion).where(ReferenceVersion.stream == "definitions",
                                                            ReferenceVersion.key == "penalty_notice")):
            s.delete(row)
    assert media.keep_documents(desk)["unreproducible"] == 1
    assert [d["document_id"] for d in read(desk, media.documents_not_held)] == [doc.id]
    assert read(desk, issued_pdfs.unchecked) == []  # nothing new: the next round does not render it again
    assert media.keep_documents(desk) == {"kept": 0, "unreproducible": 0, "no_renderer": 0}
    run(desk, S.publish_definition, copy.deepcopy(body))  # the county's version arrives again
    assert [r.id for r in read(desk, issued_pdfs.unchecked)] == [doc.id]
    assert media.keep_documents(desk)["kept"] == 1
    assert read(desk, media.documents_not_held) == []
    assert read(desk, issued_pdfs.read, doc.id, doc.pdf_sha256) == printed  # the printed bytes, byte for byte
