"""County tasks (交办) pulled from the hub's ``tasks`` stream become leads of this profile.

Each task is registered once through the core's case service (``services.cases.register_lead``,
source 上级交办, in the pull's unit of work, so the lead and the stream's cursor commit together);
the task id → case id map (``sync.tasks_applied``) makes a re-pull (a new hub epoch) a no-op.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from lishui_desk.errors import DeskError
from lishui_desk.services import cases
from lishui_desk.unit_of_work import UnitOfWork
from sync.client import state as st

SOURCE = "上级交办"


def apply_task(uow: UnitOfWork, env: dict[str, Any]) -> str | None:
    """Register the task's lead; returns why not, if not."""
    body = env.get("body")
    if not isinstance(body, dict) or not isinstance(body.get("task_id"), str) or not str(body.get("summary") or "").strip():
        return "县级交办任务内容不完整"
    if body.get("township_code") not in (None, uow.township_code):
        return "县级交办任务不属于本乡镇"
    done = st.get_json(uow, "tasks_applied", {}) or {}
    if body["task_id"] in done:
        return None
    try:
        lead_on = date.fromisoformat(str(body.get("lead_on") or uow.today.isoformat()))
    except ValueError:
        return "县级交办任务的日期无效"
    lead_on = min(lead_on, uow.today)  # a township PC behind the county's date: not in its future
    by = str(body.get("assigned_by") or "县级平台")
    payload: dict[str, Any] = {"lead_on": lead_on.isoformat(), "source": SOURCE,
                               "summary": f"{by}交办：{body['summary'].strip()}"}
    if body.get("item_code"):
        payload["item_code"] = str(body["item_code"])
    if body.get("place"):
        payload["place"] = str(body["place"])
    try:
        case_id = cases.register_lead(uow, payload)
    except DeskError as exc:
        return exc.message
    done[body["task_id"]] = case_id
    st.put(uow, tasks_applied=done)
    return None
