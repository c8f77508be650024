"""``lishui-desk sync export --out FILE`` and ``lishui-desk sync import FILE`` (USB bundles)."""

from __future__ import annotations

import argparse

from lishui_desk.cli.common import emit, opened_profile


def register(ssub: argparse._SubParsersAction) -> None:
    q = ssub.add_parser("export", help="没有网络时：把待同步的内容导出为加密数据包（U 盘带到县级平台导入）")
    q.add_argument("--out", required=True, metavar="FILE", help="数据包文件")
    q.add_argument("--days", type=int, default=30, help="数据包有效天数（默认 30）")
    q.set_defaults(func=cmd_export)
    q = ssub.add_parser("import", help="导入县级平台导出给本机的数据包（逐条确认、参考数据、已用文号）")
    q.add_argument("file", metavar="FILE", help="数据包文件")
    q.set_defaults(func=cmd_import)
    from sync.client import media_cli

    media_cli.register(ssub)


def cmd_export(args: argparse.Namespace) -> int:
    from lishui_desk.errors import InvalidInput
    from sync.client.bundle import export_bundle

    if not 1 <= args.days <= 365:
        raise InvalidInput("数据包有效天数应在 1 到 365 之间")
    with opened_profile(args) as prof:
        out = export_bundle(prof, args.out, ttl_days=args.days)
    emit(args, out, f"已导出数据包 {out['file']}（第 {out['seq']} 号，{out['items']} 条待同步记录，"
                    f"{out['bytes']} 字节，{args.days} 天内有效）；县级平台导入并返回数据包后，"
                    "本机导入返回的数据包才确认这些记录")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from sync.client.bundle import import_bundle
    from sync.hub_labels import STREAM_NAMES

    with opened_profile(args) as prof:
        out = import_bundle(prof, args.file)
    if out["already_imported"]:
        emit(args, out, f"此数据包（第 {out['seq']} 号）已导入过，本次未作任何改动")
        return 0
    pulled = "、".join(f"{STREAM_NAMES.get(k, k)} {v} 条" for k, v in out["pulled"].items() if v) or "无更新"
    emit(args, out, f"已导入县级数据包（第 {out['seq']} 号）：确认接收 {out['accepted']} 条、重复 {out['duplicate']} 条，"
                    f"冲突 {out['conflict']} 条，等待前序 {out['held']} 条，拒收 {out['rejected']} 条；参考数据 {pulled}；"
                    f"待确认 {out['pending']} 条" + ("；已确认已用文号，恢复编号" if out["numbering_released"] else ""))
    return 0
