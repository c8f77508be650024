"""``lishui-desk doc …`` on a demo profile: issue → verify → reprint → case file, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lishui_desk.cli import main
from lishui_desk.services.demo import DEMO_PASSPHRASE
from tests.test_forms_service import copy_demo, demo_template  # noqa: F401  (module fixture)


@pytest.fixture
def cli(demo_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys):  # noqa: F811
    root = copy_demo(demo_template, tmp_path / "data")
    monkeypatch.setenv("LISHUI_DESK_DATA_DIR", str(root))
    monkeypatch.setenv("LISHUI_DESK_PASSPHRASE", DEMO_PASSPHRASE)

    def run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        rc = main(list(argv))
        out, err = capsys.readouterr()
        return rc, out, err

    return run


def _case(run, party: str, stage: str) -> str:
    rc, out, _ = run("case", "list", "--stage", stage, "--json")
    assert rc == 0
    rows = [c for c in json.loads(out)["cases"] if c["party_name"] == party]
    assert len(rows) == 1
    return rows[0]["case_number"]


def test_issue_then_verify_pdf_and_qr(cli, tmp_path):
    number = _case(cli, "叶建国", "notified")
    rc, out, err = cli("doc", "issue", "penalty_notice", "--case", number, "--out", str(tmp_path / "n.pdf"), "--json")
    assert rc == 0, err
    row = json.loads(out)
    assert row["number"].startswith("龙八综执罚先告〔") and row["case_number"] == number
    pdf = tmp_path / "n.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")

    rc, out, _ = cli("doc", "verify", "--pdf", str(pdf), "--json")
    assert rc == 0 and json.loads(out)["ok"] and json.loads(out)["number"] == row["number"]
    rc, out, _ = cli("doc", "verify", "--qr", f"LSD1|{row['number']}|{row['content_digest'][:16]}")
    assert rc == 0 and "校验通过" in out
    rc, out, _ = cli("doc", "verify", "--qr", f"LSD1|{row['number']}|{'f' * 16}")
    assert rc == 1 and "校验不通过" in out
    tampered = tmp_path / "t.pdf"
    tampered.write_bytes(pdf.read_bytes() + b"\n%tampered\n")
    rc, out, _ = cli("doc", "verify", "--pdf", str(tampered))
    assert rc == 1 and "SHA-256" in out

    rc, _, _ = cli("doc", "reprint", row["number"], "--out", str(tmp_path / "again.pdf"))
    assert rc == 0 and (tmp_path / "again.pdf").read_bytes() == pdf.read_bytes()
    rc, out, _ = cli("doc", "list", "--case", number, "--json")
    assert [d["number"] for d in json.loads(out)] == [row["number"]]


def test_refusals_exit_2_with_a_chinese_message(cli, tmp_path):
    decided = _case(cli, "周秀英", "execution")
    rc, _, err = cli("doc", "issue", "penalty_decision", "--case", decided, "--out", str(tmp_path / "d.pdf"))
    assert rc == 2 and "事先告知文号" in err and not (tmp_path / "d.pdf").exists()
    rc, _, err = cli("doc", "issue", "no_such_type", "--case", decided, "--out", str(tmp_path / "x.pdf"))
    assert rc == 2 and "没有名为“no_such_type”的文书定义" in err


def test_available_preview_settings_and_casefile(cli, tmp_path):
    archived = _case(cli, "叶建国", "archived")
    rc, out, _ = cli("doc", "available", "--case", archived, "--json")
    ready = [c["doc_type"] for c in json.loads(out) if c["ready"]]
    assert "case_filing" in ready and "penalty_notice" in ready
    rc, _, _ = cli("doc", "preview", "penalty_notice", "--case", archived, "--out", str(tmp_path / "p.pdf"))
    assert rc == 0 and (tmp_path / "p.pdf").stat().st_size > 1000
    rc, out, _ = cli("doc", "list", "--json")
    assert json.loads(out) == []  # a preview stores nothing
    for t in ("case_filing", "penalty_notice", "penalty_decision"):
        rc, _, err = cli("doc", "issue", t, "--case", archived, "--out", str(tmp_path / f"{t}.pdf"))
        assert rc == 0, err
    rc, out, err = cli("doc", "casefile", "--case", archived, "--out", str(tmp_path / "case.pdf"), "--json")
    assert rc == 0, err
    assert json.loads(out)["pages"] >= 6
    rc, out, _ = cli("doc", "settings", "--set", "agency.postcode=323700", "--json")
    assert rc == 0 and json.loads(out)["agency.postcode"]["value"] == "323700"
    rc, _, err = cli("doc", "settings", "--set", "agency.nickname=x")
    assert rc == 2 and "没有文书设置项" in err
    rc, out, _ = cli("doc", "types", "--json")
    assert {"penalty_decision", "casefile_cover"} <= {t["doc_type"] for t in json.loads(out)}
