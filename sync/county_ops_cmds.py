"""``lishui-county blocks reserve`` (文号号段 for one device) and ``task assign`` (交办)."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: argparse._SubParsersAction, common: Any) -> None:
    p = sub.add_parser("blocks", help="文号号段：为某设备预留（按文书代字和年度，到年底失效）")
    bsub = p.add_subparsers(dest="blocks_command", required=True)
    q = bsub.add_parser("reserve", help="为某设备预留一段文号，下次同步时送达该设备")
    q.add_argument("--device", required=True, metavar="ID", help="设备编号或其前缀（见 device list）")
    q.add_argument("--doc-code", required=True, metavar="代字", help="文书代字，如“立”（立案编号）；无代字的文书用空字符串")
    q.add_argument("--year", type=int, metavar="YYYY", help="年度（默认今年；只能是今年或明年）")
    q.add_argument("--count", type=int, default=50, help="号段长度（默认 50）")
    q.set_defaults(func=cmd_blocks_reserve)
    common(q)
    common(p)

    p = sub.add_parser("task", help="交办：把一条线索交给乡镇办理")
    tsub = p.add_subparsers(dest="task_command", required=True)
    q = tsub.add_parser("assign", help="交办一条线索，乡镇下次同步时登记为线索（来源：上级交办）")
    q.add_argument("--township", required=True, metavar="CODE", help="乡镇代码")
    q.add_argument("--summary", required=True, metavar="TEXT", help="交办事项（线索内容）")
    q.add_argument("--item-code", metavar="CODE", help="执法事项代码（可选）")
    q.add_argument("--lead-on", metavar="YYYY-MM-DD", help="交办日期（默认今天）")
    q.add_argument("--place", metavar="TEXT", help="地点（可选）")
    q.add_argument("--assigned-by", default="县综合行政执法局", metavar="NAME", help="交办单位")
    q.add_argument("--device", metavar="ID", help="只交给该乡镇的某一台设备（默认该乡镇全部设备）")
    q.set_defaults(func=cmd_task_assign)
    common(q)
    common(p)


def cmd_task_assign(args: argparse.Namespace) -> int:
    from lishui_desk.timeutil import parse_iso_date
    from sync.county_hub_cmds import _emit, _opened_hub
    from sync.hub.tasks import assign

    try:
        day = parse_iso_date(args.lead_on) if args.lead_on else None
    except ValueError:
        from lishui_desk.errors import InvalidInput

        raise InvalidInput(f"交办日期“{args.lead_on}”不是日期（YYYY-MM-DD）") from None
    with _opened_hub(args) as hub:
        out = assign(hub, args.township, args.summary, item_code=args.item_code, lead_on=day, place=args.place,
                     assigned_by=args.assigned_by, device=args.device)
    _emit(args, out, f"已交办乡镇 {args.township}：{out['summary']}（乡镇下次同步时登记为线索）")
    return 0


def cmd_blocks_reserve(args: argparse.Namespace) -> int:
    from lishui_desk.timeutil import today_local
    from sync.county_hub_cmds import _emit, _opened_hub
    from sync.hub.blocks import reserve

    with _opened_hub(args) as hub:
        out = reserve(hub, args.device, args.doc_code, args.year or today_local().year, args.count)
    _emit(args, out, f"已为设备 {out['device_id'][:8]} 预留“{out['doc_code'] or '（无代字）'}”{out['year']} 年第 "
                     f"{out['first']}—{out['last']} 号，{out['expires_on']} 失效；该设备下次同步时收到")
    return 0
