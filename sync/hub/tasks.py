"""County tasks (交办): a lead the county hands to a township (``lishui-county task assign``),
published on the ``tasks`` stream for the township's devices — or for one device, so that two
laptops of the same township do not both open it. The desktop registers it as a lead with source
上级交办 (``sync.client.tasks``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from lishui_desk.errors import InvalidInput
from lishui_desk.models import new_id, utcnow_iso
from lishui_desk.timeutil import today_local
from lishui_desk.validation import check_text
from sync.hub.models import Device, HubTownship
from sync.hub.refs import Publication, publish
from sync.hub.service import Hub


def assign(hub: Hub, township: str, summary: str, *, item_code: str | None = None, lead_on: date | None = None,
           place: str | None = None, assigned_by: str = "县综合行政执法局", device: str | None = None) -> dict[str, Any]:
    summary = check_text(summary, "交办事项", multiline=True).strip()
    if not summary:
        raise InvalidInput("交办事项不能为空")
    day = lead_on or today_local()
    if day > today_local():
        raise InvalidInput(f"交办日期 {day.isoformat()} 晚于今天")
    with hub.session() as s:
        if s.get(HubTownship, township) is None:
            raise InvalidInput(f"平台上没有乡镇 {township}（先 lishui-county township add）")
        dev_id = None
        if device:
            rows = s.scalars(select(Device).where(Device.id.startswith(device, autoescape=True),
                                                  Device.township_code == township)).all()
            if len(rows) != 1:
                raise InvalidInput(f"乡镇 {township} 没有设备“{device}”（用 lishui-county device list 查看）")
            dev_id = rows[0].id
    task_id = new_id()
    body: dict[str, Any] = {"task_id": task_id, "township_code": township, "summary": summary,
                            "lead_on": day.isoformat(), "assigned_by": assigned_by.strip() or "县级平台",
                            "assigned_at": utcnow_iso()}
    for key, value in (("item_code", item_code), ("place", place), ("device_id", dev_id)):
        if value:
            body[key] = value
    out = publish(hub, "tasks", [Publication(key=task_id, body=body, township_code=township)])[0]
    return {**out, **body}
