"""Regenerate the document page images in docs/img/ (``python -m forms.docimages``).

Builds a demo profile in a temporary directory, issues the documents of real demo cases through
:mod:`forms.service` (a citizen and an organisation party) and renders chosen pages with poppler's
``pdftoppm`` at 60 dpi (A4 → 496 × 702 px), the size the README shows.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from sqlalchemy import select

from forms import service as S
from lishui_desk.crypto.keyring import KdfParams
from lishui_desk.edge import build_demo, read, run
from lishui_desk.models import Case, Officer
from lishui_desk.services.demo import DEMO_PASSPHRASE, STACKING, Crew, DemoBuilder, demo_date, person
from lishui_desk.storage.profile import Profile, open_profile
from lishui_desk.timeutil import today_local
from lishui_desk.unit_of_work import unit_of_work

OUT = Path(__file__).resolve().parents[1] / "docs" / "img"
DPI = 60


def _case(prof: Profile, party: str, stage: str) -> str:
    with prof.read_session() as s:
        return s.scalars(select(Case.id).where(Case.party_name == party, Case.stage == stage)).one()


def _issue(prof: Profile, cid: str, doc_type: str) -> bytes:
    return read(prof, S.reprint, run(prof, S.issue_document, cid, doc_type).id)


def _page(pdf: bytes, page: int, name: str, work: Path) -> Path:
    src = work / f"{name}.pdf"
    src.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", str(page), "-l", str(page), "-singlefile", str(src),
                    str(OUT / name)], check=True)
    return OUT / f"{name}.png"


def _announced_case(prof: Profile) -> str:
    """A case whose 事先告知书 was served by 公告送达 (the party could not be found)."""
    with prof.read_session() as s:
        by_name = {o.name: o.id for o in s.scalars(select(Officer))}
    today = demo_date(today_local())
    with unit_of_work(prof, today=today) as uow:
        b = DemoBuilder(uow, Crew(prof.officer_id, by_name["李明"], by_name["周卫东"], by_name["吴法明"]), today)
        return _announce(b)


def _announce(b: DemoBuilder) -> str:
    party = person("郑建华", date(1969, 4, 2), "066", "龙泉市八都镇溪口村15号")
    cid = b.lead(12, STACKING, party, "巡查发现", "溪口村路边堆放木料", "八都镇溪口村")
    b.file(cid, 11, "在溪口村道路两侧堆放木料约5平方米，经责令限期改正逾期未改正", "八都镇溪口村")
    day = b.d(6)
    b.do(cid, "issue_notice", day, {"issued_on": day.isoformat(), "kinds": ["罚款"], "amount": "400",
                                    "facts": "在溪口村道路两侧堆放木料约5平方米，经责令限期改正逾期未改正",
                                    "basis": "《浙江省城市市容和环境卫生管理条例》第十二条第三款",
                                    "hearing_right_given": False})
    day = b.d(5)
    b.do(cid, "serve_notice", day, {"served_on": day.isoformat(), "method": "公告送达", "receiver": "郑建华",
                                    "unreachable_reason": "当事人下落不明，直接送达、邮寄送达均未成功"})
    return cid


def main(argv: list[str] | None = None) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        build_demo("demo", DEMO_PASSPHRASE, root=work / "data", kdf_params=KdfParams(8192, 1, 1))
        prof = open_profile("demo", DEMO_PASSPHRASE, root=work / "data")
        try:
            firm = _case(prof, "龙泉市八都镇老街餐饮店", "execution")  # an organisation, decided, fine unpaid
            _issue(prof, firm, "penalty_notice")
            decision = _issue(prof, firm, "penalty_decision")
            made = [_page(decision, 1, "forms-decision", work), _page(decision, 3, "forms-decision-last", work)]
            citizen = _case(prof, "叶建国", "notified")  # a citizen, notified without a hearing right
            notice = _issue(prof, citizen, "penalty_notice")
            made.append(_page(notice, 1, "forms-notice", work))
            made.append(_page(_issue(prof, citizen, "inquiry_record"), 1, "forms-inquiry-record", work))
            made.append(_page(_issue(prof, citizen, "inspection_record"), 2, "forms-inspection-record-last", work))
            made.append(_page(_issue(prof, citizen, "service_receipt"), 1, "forms-service-receipt", work))
            made.append(_page(_issue(prof, firm, "case_handling_approval"), 1, "forms-approval", work))
            casefile = read(prof, S.casefile, firm)
            made.append(_page(casefile, 2, "forms-casefile-contents", work))
            announced = _announced_case(prof)
            _issue(prof, announced, "penalty_notice")
            made.append(_page(_issue(prof, announced, "service_announcement"), 1, "forms-service-announcement", work))
        finally:
            prof.close()
    for p in made:
        print(p.relative_to(OUT.parents[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
