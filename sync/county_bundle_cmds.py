"""``lishui-county bundle import FILE`` and ``lishui-county bundle export --device ID --out FILE``."""

from __future__ import annotations

import argparse
from typing import Any

from sync.county_hub_cmds import _opened_hub


def register(sub: argparse._SubParsersAction, common: Any) -> None:
    p = sub.add_parser("bundle", help="U 盘数据包：导入乡镇桌面端的数据包，为设备导出返回数据包")
    bsub = p.add_subparsers(dest="bundle_command", required=True)
    q = bsub.add_parser("import", help="导入乡镇桌面端导出的数据包（与网络推送相同的逐条处理）")
    q.add_argument("file", metavar="FILE", help="乡镇桌面端导出的数据包文件")
    q.set_defaults(func=cmd_import)
    common(q)
    q = bsub.add_parser("export", help="为某设备导出返回数据包（逐条结果、参考数据、已用文号）")
    q.add_argument("--device", required=True, metavar="ID", help="设备编号（见 device list --json）")
    q.add_argument("--out", required=True, metavar="FILE", help="返回数据包文件")
    q.add_argument("--days", type=int, default=30, help="数据包有效天数（默认 30）")
    q.set_defaults(func=cmd_export)
    common(q)
    q = bsub.add_parser("import-profile", help="用县级恢复私钥打开离任人员的档案，按数据包导入其全部记录与证据")
    q.add_argument("profile_dir", metavar="PROFILE_DIR", help="档案目录（含 keyring.json 与 desk.db）")
    q.add_argument("--key", required=True, help="县级恢复私钥 PEM")
    from sync.county_cli import _password_args

    _password_args(q)  # the key's password from a file or descriptor, never the command line
    q.set_defaults(func=cmd_import_profile)
    common(q)
    common(p)


def cmd_import(args: argparse.Namespace) -> int:
    from sync import bundle as B
    from sync.county_hub_cmds import _emit
    from sync.hub.bundles import import_bundle

    data = B.read_file(args.file)
    with _opened_hub(args) as hub:
        out = import_bundle(hub, data)
    if out["already_imported"]:
        _emit(args, out, f"此数据包（设备 {out['device_id']} 第 {out['seq']} 号）已导入过，本次未作任何改动")
        return 0
    c = out["counts"]
    text = (f"已导入设备 {out['device_id']} 的数据包（第 {out['seq']} 号，{out['items']} 条）：接收 {c.get('accepted', 0)}，"
            f"重复 {c.get('duplicate', 0)}，冲突 {c.get('conflict', 0)}，等待前序 {c.get('held', 0)}，拒收 {c.get('rejected', 0)}"
            + (f"；设备已停用，{c.get('quarantined', 0)} 条留待复核" if out["revoked"] else "")
            + f"；请用 lishui-county bundle export --device {out['device_id']} 导出返回数据包")
    _emit(args, out, text)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from lishui_desk.errors import InvalidInput
    from sync import bundle as B
    from sync.county_hub_cmds import _emit
    from sync.hub.bundles import export_bundle

    if not 1 <= args.days <= 365:
        raise InvalidInput("数据包有效天数应在 1 到 365 之间")
    with _opened_hub(args) as hub:
        data, info = export_bundle(hub, args.device, ttl_days=args.days)
    B.write_file(args.out, data)
    info["file"] = args.out
    _emit(args, info, f"已为设备 {info['device_id']} 导出返回数据包 {args.out}（第 {info['seq']} 号，逐条结果 "
                      f"{info['answers']} 批，参考数据 {info['reference_items']} 条，{info['bytes']} 字节）")
    return 0


def cmd_import_profile(args: argparse.Namespace) -> int:
    from pathlib import Path

    from lishui_desk.errors import InvalidInput
    from sync.county_hub_cmds import _emit
    from sync.hub.departed import import_profile

    try:
        pem = Path(args.key).read_bytes()
    except OSError as exc:
        raise InvalidInput(f"无法读取恢复私钥 {args.key}：{exc.strerror}") from None
    from sync.county_cli import _password, _pem_is_encrypted

    password = _password(args, confirm=False, required=True) if _pem_is_encrypted(pem) else None
    with _opened_hub(args) as hub:
        out = import_profile(hub, Path(args.profile_dir), pem, password)
    c = out["counts"]
    _emit(args, out, f"已导入离任人员档案 {out['profile']}（设备 {out['device_id']}）：{out['events']} 条记录，"
                     f"接收 {c.get('accepted', 0)}，重复 {c.get('duplicate', 0)}，冲突 {c.get('conflict', 0)}，"
                     f"等待前序 {c.get('held', 0)}，拒收 {c.get('rejected', 0)}；证据文件 {out['media_files']} 个")
    return 0
