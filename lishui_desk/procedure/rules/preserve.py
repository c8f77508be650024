"""Evidence registered and preserved (《行政处罚法》第五十六条)."""

from __future__ import annotations

from typing import Any

from lishui_desk.law import APL
from lishui_desk.procedure import calc
from lishui_desk.procedure.rules.base import MIXED, Check, rule, v
from lishui_desk.procedure.state import CaseState
from lishui_desk.procedure.types import BLOCK, WARN, Violation

# === 先行登记保存 (《行政处罚法》第五十六条) ===


@rule("preserve.target", f"{APL}第五十六条", "处理对应的先行登记保存",
      checks="处理决定对应一项尚未处理的先行登记保存")
def _preserve_target(c: Check) -> list[Violation]:
    if c.preview:
        return [] if _unhandled(c.state) else [v("preserve.target", "没有待处理的先行登记保存")]
    target = str(c.payload.get("preservation_event_id") or "")
    ids = {p.event_id for p in c.state.preservations}
    if target not in ids:
        return [v("preserve.target", "请选择要处理的先行登记保存记录")]
    if target in c.state.preservation_handling:
        return [v("preserve.target", "该先行登记保存已作出处理决定")]
    return []


def _unhandled(state: CaseState) -> list[Any]:
    return [p for p in state.preservations if p.event_id not in state.preservation_handling]


@rule("preserve.in_time", f"{APL}第五十六条、第八十五条", "七日内作出处理决定", severity=WARN,
      checks="先行登记保存后七个工作日内作出处理决定（逾期提醒）")
def _preserve_in_time(c: Check) -> list[Violation]:
    out = []
    for p in _unhandled(c.state):
        if not c.preview and c.payload.get("preservation_event_id") not in (None, p.event_id):
            continue
        start = p.day("preserved_on")
        if start is None:
            continue
        due = calc.period_end(c.ctx, "preservation_decision", start)
        if c.day > due:
            out.append(v("preserve.in_time", f"{start.isoformat()}先行登记保存的物品应在{due.isoformat()}前作出处理决定，已逾期", WARN))
    return out


@rule("preserve.unhandled", f"{APL}第五十六条", "先行登记保存已处理", severity=MIXED,
      checks="先行登记保存均已处理；结案时阻止，决定时提醒")
def _preserve_unhandled(c: Check) -> list[Violation]:
    pending = _unhandled(c.state)
    if not pending:
        return []
    severity = BLOCK if c.action == "close_case" else WARN
    return [v("preserve.unhandled", f"有{len(pending)}项先行登记保存尚未作出处理决定", severity)]
