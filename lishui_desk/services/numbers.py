"""Case and document sequence numbers (文号) from number blocks.

The county hub reserves blocks per township × document code × year for each device (DESIGN.md
§5). Until a device is enrolled with a hub (profile meta ``numbering = "local"``, the default of
a stand-alone profile), the device opens its own next block of ``LOCAL_BLOCK_SIZE`` numbers when
the previous one is used up; those numbers are final. Once enrolled (``numbering = "hub"``), a
missing block yields a provisional number (``临`` prefix) that ``is_provisional`` recognises and
that is never printed on a final document.

Allocation happens inside the caller's unit of work; the database's ``BEGIN IMMEDIATE`` makes a
second process wait, so two processes never receive the same number.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lishui_desk.models import NumberBlock, ProfileMeta
from lishui_desk.services import number_guard
from lishui_desk.unit_of_work import UnitOfWork

LOCAL_BLOCK_SIZE = 100
PROVISIONAL_PREFIX = "临"
LOW_WATER = 10  # warn when fewer numbers than this remain in the current block


@dataclass(frozen=True)
class Allocated:
    seq: int
    provisional: bool
    remaining_in_block: int


def is_provisional(number: str | None) -> bool:
    return number is not None and number.startswith(PROVISIONAL_PREFIX)


def _mode(session: Session) -> str:
    row = session.get(ProfileMeta, "numbering")
    return row.value if row else "local"


def allocate(uow: UnitOfWork, township_code: str, doc_code: str, year: int) -> Allocated:
    """The next number of the township × document code × year, in the caller's unit of work."""
    uow.require_write()
    number_guard.check(uow)  # refused after a restore or copy until the county confirms what was used
    session = uow.session
    block = session.scalars(
        select(NumberBlock)
        .where(
            NumberBlock.township_code == township_code,
            NumberBlock.doc_code == doc_code,
            NumberBlock.year == year,
            NumberBlock.next_seq <= NumberBlock.last,
        )
        .order_by(NumberBlock.provisional, NumberBlock.first)
        .limit(1)
    ).first()
    if block is None:
        top = session.scalar(
            select(func.max(NumberBlock.last)).where(
                NumberBlock.township_code == township_code,
                NumberBlock.doc_code == doc_code,
                NumberBlock.year == year,
            )
        ) or 0
        provisional = _mode(session) == "hub"
        block = NumberBlock(
            township_code=township_code, doc_code=doc_code, year=year, first=top + 1,
            last=top + LOCAL_BLOCK_SIZE, next_seq=top + 1, provisional=provisional,
            source="provisional" if provisional else "local",
        )
        session.add(block)
        session.flush()
    seq = block.next_seq
    block.next_seq = seq + 1
    session.flush()
    return Allocated(seq, block.provisional, block.last - seq)


def format_number(agency_code: str, doc_code: str, year: int, seq: int, *, use_di: bool = True,
                  pad: int = 0, provisional: bool = False) -> str:
    """``{机关代字}{文书代字}〔{YYYY}〕第{N}号`` with 六角括号; "第" and zero padding configurable."""
    n = str(seq).zfill(pad) if pad else str(seq)
    text = f"{agency_code}{doc_code}〔{year}〕{'第' if use_di else ''}{n}号"
    return f"{PROVISIONAL_PREFIX}{text}" if provisional else text
