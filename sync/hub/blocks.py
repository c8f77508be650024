"""Number blocks (文号号段) reserved by the county for one device, one document code and one year
(``lishui-county blocks reserve``), published on the ``number_blocks`` stream.

A block starts after every block already reserved for the same township, code and year and after
every final number the hub has registered for them (``sync.hub.numbers``), computed under the
stream's lock so two reservations never overlap. A block is valid until the end of its year
(``expires_on``): the desktop numbers a document of year Y only from blocks of year Y, and a block
of a past year cannot be reserved. The body carries ``device_id``; the pull gives it to that device
only (``refs._for_device``).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lishui_desk.errors import InvalidInput
from lishui_desk.timeutil import today_local
from sync.hub.models import Device, HubNumber, RefItem
from sync.hub.refs import Publication, publish
from sync.hub.service import Hub

MAX_BLOCK = 10_000
_DOC_CODE_MAX = 16


def _top(s: Session, town: str, doc_code: str, year: int) -> int:
    top = 0
    prefix = f"{town}/{doc_code}/{year}/"
    for body in s.scalars(select(RefItem.body).where(RefItem.stream == "number_blocks",
                                                     RefItem.key.startswith(prefix, autoescape=True))):
        b = json.loads(body).get("body", {})
        top = max(top, int(b.get("last", 0)))
    if doc_code:  # final numbers the hub registered for this code and year (prefix = 机关代字 + 文书代字)
        used = s.scalar(select(func.max(HubNumber.seq)).where(
            HubNumber.township_code == town, HubNumber.year == year, HubNumber.prefix.endswith(doc_code)))
        top = max(top, used or 0)
    return top


def reserve(hub: Hub, device_id: str, doc_code: str, year: int, count: int) -> dict[str, Any]:
    doc_code = doc_code.strip()
    if len(doc_code) > _DOC_CODE_MAX:
        raise InvalidInput(f"文书代字“{doc_code}”过长（最多 {_DOC_CODE_MAX} 个字）")
    if not 1 <= count <= MAX_BLOCK:
        raise InvalidInput(f"号段长度应在 1 到 {MAX_BLOCK} 之间")
    this_year = today_local().year
    if year < this_year:
        raise InvalidInput(f"{year} 年已过：号段到所属年度的 12 月 31 日失效，不能再为往年预留")
    if year > this_year + 1:
        raise InvalidInput(f"只能为今年或明年预留号段，{year} 年太远")
    with hub.session() as s:
        device = s.get(Device, device_id)
        if device is None:
            matches = s.scalars(select(Device).where(Device.id.startswith(device_id, autoescape=True))).all()
            device = matches[0] if len(matches) == 1 else None
        if device is None:
            raise InvalidInput(f"没有设备“{device_id}”（用 lishui-county device list 查看）")
        if device.revoked_at:
            raise InvalidInput("该设备已停用，不能为其预留号段")
        dev_id, town = device.id, device.township_code
    placed: dict[str, Any] = {}

    def items(s: Session) -> list[Publication]:
        first = _top(s, town, doc_code, year) + 1
        last = first + count - 1
        placed.update(first=first, last=last)
        body = {"township_code": town, "doc_code": doc_code, "year": year, "first": first, "last": last,
                "device_id": dev_id, "expires_on": f"{year}-12-31"}
        return [Publication(key=f"{town}/{doc_code}/{year}/{first}", body=body, township_code=town)]

    out = publish(hub, "number_blocks", items)[0]
    return {**out, "device_id": dev_id, "township_code": town, "doc_code": doc_code, "year": year,
            "first": placed["first"], "last": placed["last"], "expires_on": f"{year}-12-31"}
