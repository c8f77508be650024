"""A departed officer's profile, opened at the county with the recovery key, imported like a
bundle through the real hub's ingest (CLI); importing it twice changes nothing."""

from __future__ import annotations

import json
from datetime import date

from lishui_desk.crypto import recovery
from lishui_desk.edge import CaseDesk, create_profile
from lishui_desk.services.setup import OfficerSpec
from sync import county_cli
from tests.sync_support import CERT, TOWN, enroll, hub_events, local_events, running_hub

PARTY = {"kind": "individual", "name": "叶建国", "id_number": "11010519491231002X", "address": "龙泉市八都镇八都村12号"}


def test_departed_officers_profile_is_imported_with_the_recovery_key(tmp_path, fast_kdf, capsys):
    private_pem, public_raw = recovery.generate_recovery_keypair(None)
    (tmp_path / "county.pem").write_bytes(private_pem)
    root = tmp_path / "laptop"
    prof = create_profile("gone", "correct horse battery", root=root, township_code=TOWN,
                          officer=OfficerSpec("王建", CERT, date(2030, 1, 1)), recovery_public_key=public_raw,
                          kdf_params=fast_kdf)
    try:
        with running_hub("sqlite", tmp_path) as server:
            enroll(prof, server)
            desk = CaseDesk(prof, today=lambda: date(2026, 11, 26))
            for summary in ("主街堆放木料", "河道旁堆放砂石"):
                desk.register_lead({"lead_on": "2026-11-20", "source": "巡查发现", "summary": summary,
                                    "item_code": "331101003000", "party": PARTY, "violation_date": "2026-11-20"})
            mine = local_events(prof)
            prof.close()  # the officer left; the laptop comes to the county, never synced again
            argv = ["--data-dir", str(server.hub.root), "bundle", "import-profile", str(root / "profiles" / "gone"),
                    "--key", str(tmp_path / "county.pem"), "--json"]
            capsys.readouterr()
            assert county_cli.main(argv) == 0
            out = json.loads(capsys.readouterr().out)
            assert out["counts"] == {"accepted": len(mine)}
            assert hub_events(server) == mine
            assert county_cli.main(argv) == 0  # twice: every event a duplicate, nothing changes
            assert json.loads(capsys.readouterr().out)["counts"] == {"duplicate": len(mine)}
            assert hub_events(server) == mine
            # a key that does not belong to the profile is refused
            other_pem, _ = recovery.generate_recovery_keypair(None)
            (tmp_path / "other.pem").write_bytes(other_pem)
            argv[argv.index(str(tmp_path / "county.pem"))] = str(tmp_path / "other.pem")
            assert county_cli.main(argv) == 2
            assert "指纹" in capsys.readouterr().err
    finally:
        if not prof.closed:
            prof.close()


def test_a_departed_profile_brings_the_printed_pdfs_of_the_documents_it_issued(tmp_path, fast_kdf, capsys):
    from forms import service as S
    from lishui_desk.edge import read, run
    from lishui_desk.services import demo
    from lishui_desk.timeutil import today_local
    from lishui_desk.unit_of_work import unit_of_work
    from sync.hub import media as hub_media

    private_pem, public_raw = recovery.generate_recovery_keypair(None)
    (tmp_path / "county.pem").write_bytes(private_pem)
    root = tmp_path / "laptop"
    today = demo.demo_date(today_local())
    prof = create_profile("gone", "correct horse battery", root=root, township_code=demo.TOWN,
                          officer=OfficerSpec("王建", CERT, date(today.year + 3, 12, 31)),
                          recovery_public_key=public_raw, kdf_params=fast_kdf)
    try:
        with unit_of_work(prof, today=today) as uow:
            demo.populate(uow)
        with running_hub("sqlite", tmp_path) as server:
            enroll(prof, server)
            from sqlalchemy import select

            from lishui_desk.models import Case

            with prof.read_session() as s:
                cid = s.scalars(select(Case.id).where(Case.party_name == "叶建国", Case.stage == "notified")).one()
            row = run(prof, S.issue_document, cid, "penalty_notice")
            printed = read(prof, S.reprint, row.id)
            prof.close()  # never synced again: the laptop comes to the county
            argv = ["--data-dir", str(server.hub.root), "bundle", "import-profile", str(root / "profiles" / "gone"),
                    "--key", str(tmp_path / "county.pem"), "--json"]
            capsys.readouterr()
            assert county_cli.main(argv) == 0, capsys.readouterr().err
            assert json.loads(capsys.readouterr().out)["media_files"] >= 1
            doc, data = hub_media.document_pdf(server.hub, row.number)
            assert data == printed and doc["pdf_sha256"] == row.pdf_sha256
    finally:
        if not prof.closed:
            prof.close()
