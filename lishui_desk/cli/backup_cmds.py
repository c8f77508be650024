"""``lishui-desk backup`` / ``restore``: one encrypted archive per backup, verified before restore.

    lishui-desk backup --out DIR        (USB stick or folder; the program may keep running)
    lishui-desk backup --auto           (daily rolling copy under <root>/backups/<profile>, keep N)
    lishui-desk restore FILE [--allow-other-profile]   (into the profile root of --data-dir)
    lishui-desk rekey                   (a new data key: database, evidence, seals, keyring rewritten)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lishui_desk.cli.common import emit, opened_profile, passphrase, root_of
from lishui_desk.errors import InvalidInput


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("backup", help="加密备份整个档案（数据库、证据、密钥文件、档案头）到一个文件")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--out", help="备份到的文件夹（如U盘）")
    g.add_argument("--auto", action="store_true", help="每日滚动备份到档案根目录下 backups/，保留最近几份")
    p.set_defaults(func=cmd_backup)
    p = sub.add_parser("restore", help="校验备份文件后恢复档案（原档案另存，不删除）")
    p.add_argument("file", help="备份文件（.lsdbak）")
    p.add_argument("--allow-other-profile", action="store_true", help="允许用另一个档案的备份替换现有档案")
    p.set_defaults(func=cmd_restore)
    p = sub.add_parser("rekey", help="更换数据密钥（重写数据库与证据；旧密钥文件副本从此打不开新数据）")
    p.set_defaults(func=cmd_rekey)


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty() and total:
        print(f"\r{done * 100 // total:3d}%", end="", file=sys.stderr, flush=True)


def cmd_backup(args: argparse.Namespace) -> int:
    from lishui_desk.services.backup import auto_backup, backup_profile

    with opened_profile(args) as prof:
        info = auto_backup(prof) if args.auto else backup_profile(prof, Path(args.out), progress=_progress)
    if info is None:
        emit(args, {"created": False}, "今天已有自动备份，未重复备份")
        return 0
    emit(args, {"created": True, "path": str(info.path), "size": info.size, "files": info.members},
         f"已备份到 {info.path}（{info.size / 1048576:.1f} MiB，{info.members} 个文件）")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from lishui_desk.restore import restore_profile

    path = Path(args.file)
    if not path.is_file():
        raise InvalidInput(f"找不到备份文件 {path}")
    result = restore_profile(path, passphrase(args, prompt="备份时的口令："), root=root_of(args),
                             profile_id=args.profile, allow_other_profile=args.allow_other_profile,
                             progress=_progress)
    text = (f"已从备份（{result.created_at}）恢复档案 {result.profile}：案件 {result.cases} 件、事件 {result.events} 条，"
            "全部校验通过")
    if result.replaced:
        text += f"\n原档案已另存为 {result.replaced}"
    text += "\n提示：恢复的档案在与县级同步确认前暂停编号，以免重复使用文书编号"
    emit(args, {"profile": result.profile, "created_at": result.created_at, "cases": result.cases,
                "events": result.events, "replaced": str(result.replaced) if result.replaced else None}, text)
    return 0


def cmd_rekey(args: argparse.Namespace) -> int:
    from lishui_desk.cli.common import profile_of
    from lishui_desk.rekey import rekey_profile

    result = rekey_profile(profile_of(args), passphrase(args), root=root_of(args), progress=_progress)
    emit(args, {"profile": result.profile, "evidence_files": result.evidence_files, "events": result.events},
         f"已更换档案 {result.profile} 的数据密钥：数据库、{result.evidence_files} 个证据文件和 {result.events} 条事件的"
         "认证码已按新密钥重写，旧的密钥文件副本从此打不开本档案。请立即做一次新的备份")
    return 0
