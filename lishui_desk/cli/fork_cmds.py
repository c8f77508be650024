"""``lishui-desk case fork`` / ``case resolve-fork``: a case two laptops wrote offline.

    lishui-desk case fork CASE [--json]                                  (both branches)
    lishui-desk case resolve-fork CASE (--adopt HEAD_PREFIX | --both) --reason TEXT

The acting officer is the profile's own (``uow.actor_id``): the township's 负责人 or an officer of
the case (``lishui_desk.forks``). A refusal exits 2 with a Chinese message and writes nothing.
"""

from __future__ import annotations

import argparse
from typing import Any

from lishui_desk.cli.common import case_id_of, emit, opened_uow


def register(csub: argparse._SubParsersAction) -> None:
    q = csub.add_parser("fork", help="查看案件全过程记录的分叉（两台设备分别记录的两条分支）")
    q.add_argument("case_id")
    q.set_defaults(func=cmd_fork)
    q = csub.add_parser("resolve-fork", help="处理分叉：采用一条分支（或两条都保留），须写明理由")
    q.add_argument("case_id")
    how = q.add_mutually_exclusive_group(required=True)
    how.add_argument("--adopt", metavar="HEAD_PREFIX", help="采用的分支末端编号（case fork 列出，至少 6 位）")
    how.add_argument("--both", action="store_true", help="两条都保留（另一条只有检查、询问、证据等记录时）")
    q.add_argument("--reason", required=True, help="处理理由")
    q.set_defaults(func=cmd_resolve)


def _event_label(event_type: str) -> str:
    from lishui_desk.procedure.actions import ACTIONS, EVENT_ACTION
    from lishui_desk.procedure.vocabulary import COUNTY_EVENT_LABELS, FORK_EVENT_LABELS

    if event_type in EVENT_ACTION:
        return ACTIONS[EVENT_ACTION[event_type]].label_zh
    return COUNTY_EVENT_LABELS.get(event_type) or FORK_EVENT_LABELS.get(event_type) or "其他记录"


def _view_data(view: Any) -> dict[str, Any]:
    return {
        "case_id": view.case_id, "case_number": view.case_number, "fork_seq": view.fork_seq,
        "fork_hash": view.fork_hash, "both_allowed": view.both_allowed, "both_refusal": view.both_refusal,
        "branches": [{"head_hash": b.head_hash, "head_seq": b.head_seq, "mine": b.mine, "has_steps": b.has_steps,
                      "followed": b.followed, "stage_label": b.stage_label, "actor_names": b.actor_names,
                      "issued_numbers": b.issued_numbers,
                      "events": [{"seq": e.seq, "id": e.id, "type": e.type, "label": _event_label(e.type),
                                  "occurred_at": e.occurred_at, "recorded_at": e.recorded_at, "hash": e.hash}
                                 for e in b.events]} for b in view.branches],
    }


def cmd_fork(args: argparse.Namespace) -> int:
    from lishui_desk import forks

    with opened_uow(args, write=False) as uow:
        case_id = case_id_of(uow, args.case_id)
        view = forks.describe(uow, case_id)
    if view is None:
        emit(args, {"case_id": case_id, "fork": None}, "该案件的全过程记录没有分叉")
        return 0
    lines = [f"案件 {view.case_number or view.case_id} 的全过程记录在第 {view.fork_seq} 条之后分叉"
             "（两台设备分别记录）；新的办案步骤已暂停，须处理分叉（全过程记录须为单一链条，《行政处罚法》第四十七条）"]
    for i, b in enumerate(view.branches, start=1):
        tags = [t for t, on in (("本机记录", b.mine), ("当前显示", b.followed), ("含办案步骤", b.has_steps)) if on]
        lines.append(f"分支 {i}：末端 {b.head_hash[:12]}  {len(b.events)} 条  记录人：{'、'.join(b.actor_names)}"
                     f"  采用后环节：{b.stage_label}" + (f"  （{'，'.join(tags)}）" if tags else ""))
        lines += [f"    #{e.seq} {e.occurred_at} {_event_label(e.type)}" for e in b.events]
        if b.issued_numbers:
            lines.append(f"    已使用文号：{'、'.join(b.issued_numbers)}")
    lines.append("可以两条都保留" if view.both_allowed else f"不能两条都保留：{view.both_refusal}")
    lines.append(f"处理：lishui-desk case resolve-fork {args.case_id} --adopt 末端编号 --reason 理由")
    emit(args, _view_data(view), "\n".join(lines))
    return 0


def cmd_resolve(args: argparse.Namespace) -> int:
    from lishui_desk import forks

    with opened_uow(args) as uow:
        case_id = case_id_of(uow, args.case_id)
        done = forks.resolve(uow, case_id, adopt=forks.ADOPT_BOTH if args.both else args.adopt, reason=args.reason)
    data = {"case_id": case_id, "event": {"seq": done.record.seq, "hash": done.record.hash},
            "adopted": done.adopted, "set_aside": done.set_aside}
    text = ("已处理分叉：两条分支都保留" if done.adopted == forks.ADOPT_BOTH
            else f"已处理分叉：采用末端为 {done.adopted[:12]} 的分支，另一条分支的 {len(done.set_aside)} 条记录保留在"
                 "全过程记录中但不再计入办案程序")
    emit(args, data, text + "；同步后其他设备也将看到此处理")
    return 0
