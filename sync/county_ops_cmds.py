"""``lishui-county blocks reserve`` (文号号段 for one device) and, later, ``task assign``."""

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


def cmd_blocks_reserve(args: argparse.Namespace) -> int:
    from lishui_desk.timeutil import today_local
    from sync.county_hub_cmds import _emit, _hub
    from sync.hub.blocks import reserve

    hub = _hub(args)
    try:
        out = reserve(hub, args.device, args.doc_code, args.year or today_local().year, args.count)
    finally:
        hub.close()
    _emit(args, out, f"已为设备 {out['device_id'][:8]} 预留“{out['doc_code'] or '（无代字）'}”{out['year']} 年第 "
                     f"{out['first']}—{out['last']} 号，{out['expires_on']} 失效；该设备下次同步时收到")
    return 0
