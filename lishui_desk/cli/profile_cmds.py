"""Profile commands: init, demo, info, check, passwd, recover."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from lishui_desk.cli.common import (
    emit,
    new_passphrase,
    opened_profile,
    passphrase,
    profile_of,
    root_of,
)
from lishui_desk.crypto import keyring
from lishui_desk.errors import IntegrityBroken, InvalidInput
from lishui_desk.paths import profile_paths
from lishui_desk.storage import migrate
from lishui_desk.storage.profile import counts, profile_exists

DEMO_PROFILE = "demo"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help="新建档案（乡镇 × 执法人员）")
    p.add_argument("--township", required=True, help="乡镇/街道区划代码，如 331181100（龙泉市八都镇）")
    p.add_argument("--officer-name", required=True, help="执法人员姓名")
    p.add_argument("--cert-no", required=True, help="执法证号")
    p.add_argument("--cert-valid-until", help="执法证有效期至（YYYY-MM-DD）")
    p.add_argument("--recovery-key", help="县级恢复公钥文件（lishui-county keygen 生成的 .pub）")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("demo", help="生成演示档案（三个丽水试点乡镇的目录与约20件案件）")
    p.add_argument("--if-missing", action="store_true", help="演示档案已存在时什么也不做")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("info", help="档案概况：结构版本、各类记录数")
    p.set_defaults(func=cmd_info)

    p = sub.add_parser("check", help="完整性检查：数据库、每件案件的记录链、证据文件、已出具文书")
    p.add_argument("--remove-orphans", action="store_true",
                   help="删除没有任何记录引用的证据文件（被拒绝或中断的导入留下的）")
    p.add_argument("--reseal", action="store_true",
                   help="核实后以现有数据库为准重新封存档案头（数据库比封存的档案头旧、档案头缺失时）")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("passwd", help="修改口令（只重新包装数据密钥，不改写数据库）")
    p.add_argument("--new-passphrase-file", help="从文件读取新口令；也可用环境变量 LISHUI_DESK_NEW_PASSPHRASE")
    p.set_defaults(func=cmd_passwd)

    p = sub.add_parser("recover", help="县级用恢复私钥为离职人员档案设置新口令")
    p.add_argument("--county-key", required=True, help="县级恢复私钥 PEM 文件")
    p.add_argument("--county-key-password-file", help="县级恢复私钥的密码文件（私钥有密码时；不在命令行上给出）")
    p.add_argument("--new-passphrase-file", help="新口令文件；也可用环境变量 LISHUI_DESK_NEW_PASSPHRASE")
    p.set_defaults(func=cmd_recover)


def _read_bytes(path: str, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise InvalidInput(f"无法读取{what} {path}：{exc.strerror}") from None


def cmd_init(args: argparse.Namespace) -> int:
    from lishui_desk.crypto.recovery import load_public_key
    from lishui_desk.edge import create_profile
    from lishui_desk.services.setup import OfficerSpec

    profile_id = args.profile or "default"
    recovery = load_public_key(args.recovery_key) if args.recovery_key else None
    valid = date.fromisoformat(args.cert_valid_until) if args.cert_valid_until else None
    pw = passphrase(args, prompt="设置口令（至少8位）：", confirm=True)
    prof = create_profile(
        profile_id, pw, root=root_of(args), township_code=args.township,
        officer=OfficerSpec(args.officer_name, args.cert_no, valid), recovery_public_key=recovery,
    )
    try:
        c = counts(prof)
    finally:
        prof.close()
    emit(args, {"profile": profile_id, "path": str(prof.paths.root), **c},
         f"已创建档案 {profile_id}（{prof.paths.root}），载入事项 {c['items']} 项")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from lishui_desk.edge import build_demo
    from lishui_desk.services.demo import DEMO_PASSPHRASE

    profile_id = args.profile or DEMO_PROFILE
    root = root_of(args)
    if profile_exists(profile_id, root):
        if args.if_missing:
            emit(args, {"profile": profile_id, "created": False}, f"演示档案 {profile_id} 已存在")
            return 0
        raise InvalidInput(f"档案“{profile_id}”已存在；如需重建请先删除 {profile_paths(profile_id, root).root}")
    import os

    given = args.passphrase_file or os.environ.get("LISHUI_DESK_PASSPHRASE")
    pw = passphrase(args) if given else DEMO_PASSPHRASE
    summary = build_demo(profile_id, pw, root=root)
    text = (
        f"已生成演示档案 {profile_id}：{summary['townships']} 个乡镇，事项 {summary['items']} 项，"
        f"案件 {summary['cases']} 件，事件 {summary['events']} 条（按 {summary['demo_date']} 编排）"
    )
    if not given:
        text += f"\n演示口令：{DEMO_PASSPHRASE}（仅用于演示数据）"
    emit(args, {"profile": profile_id, "created": True, **summary}, text)
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    with opened_profile(args) as prof:
        data = {
            "profile": prof.profile_id,
            "path": str(prof.paths.root),
            "schema": migrate.current_revision(prof.engine),
            "schema_head": migrate.head_revision(),
            "township_code": prof.meta("township_code"),
            "township": prof.meta("township_name"),
            "officer": prof.meta("officer_name"),
            "recovery_key": keyring.recovery_fingerprint(prof.paths.keyring),
            **counts(prof),
        }
    lines = [
        f"档案：{data['profile']}（{data['path']}）",
        f"乡镇：{data['township']}（{data['township_code']}）  执法人员：{data['officer']}",
        f"结构版本：{data['schema']}",
        f"事项 {data['items']} 项 · 案件 {data['cases']} 件 · 事件 {data['events']} 条 · "
        f"证据 {data['evidence']} 件 · 文书 {data['documents']} 份 · 待同步 {data['outbox_pending']} 条",
        f"县级恢复密钥指纹：{data['recovery_key'] or '未设置'}",
    ]
    emit(args, data, "\n".join(lines))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from lishui_desk.errors import CorruptFile, Damaged
    from lishui_desk.services.integrity import check_profile, check_unopenable
    from lishui_desk.storage.engine import is_damage_error
    from lishui_desk.storage.profile import open_with_key, unlock_data_key
    from lishui_desk.unit_of_work import unit_of_work

    profile_id, root = profile_of(args), root_of(args)
    key = unlock_data_key(profile_id, passphrase(args), root=root)
    paths = profile_paths(profile_id, root)
    try:
        prof = open_with_key(profile_id, key, root=root)
    except CorruptFile as exc:  # the key is right (the keyring opened): the file is damaged
        report = check_unopenable(paths.db, exc)
    except Exception as exc:
        if not is_damage_error(exc):
            raise
        report = check_unopenable(paths.db, exc)
    else:
        try:
            if args.reseal:
                from lishui_desk.services.integrity_record import reseal

                with unit_of_work(prof) as uow:
                    state = reseal(uow)
                emit(args, {"resealed": state.as_dict()},
                     f"已以现有数据库为准重新封存档案头（案件 {state.case_count} 件、事件 {state.event_count} 条）")
            try:
                with unit_of_work(prof, write=False) as uow:
                    report = check_profile(uow)
            except Exception as exc:
                if not is_damage_error(exc):
                    raise
                from lishui_desk.services.integrity import check_pages_only

                report = check_pages_only(prof, exc)
            if args.remove_orphans and not report.problems:
                from lishui_desk.services.integrity import remove_orphan_blobs

                with unit_of_work(prof, write=False) as uow:
                    removed = remove_orphan_blobs(uow)
                report.notices = [f"已删除 {removed} 个没有记录引用的证据文件"] if removed else []
        finally:
            prof.close()
    text = [
        f"检查案件 {report.cases_checked} 件、事件 {report.events_checked} 条、证据文件 {report.evidence_checked} 个、"
        f"已出具文书 {report.documents_checked} 份"
    ]
    text += [f"✗ {p.message}" for p in report.problems] or ["✓ 全部通过"]
    text += [f"提示：{n}" for n in report.notices]
    text += [f"处理建议：{a}" for a in report.advice]
    emit(args, report.as_dict(), "\n".join(text))
    if report.tampered:
        raise IntegrityBroken(f"完整性检查发现 {len(report.problems)} 处问题，记录可能被改动")
    if report.damaged:
        raise Damaged(f"完整性检查发现 {len(report.problems)} 处问题：档案已损坏，请从备份恢复")
    return 0


def cmd_passwd(args: argparse.Namespace) -> int:
    from lishui_desk.storage.profile import change_passphrase

    old = passphrase(args, prompt="当前口令：")
    new = new_passphrase(args)
    change_passphrase(profile_of(args), old, new, root=root_of(args))
    emit(args, {"changed": True}, "口令已修改（数据库未改写）")
    return 0


def cmd_recover(args: argparse.Namespace) -> int:
    from lishui_desk.storage.profile import reset_with_county_key

    pem = _read_bytes(args.county_key, "恢复私钥")
    password = None
    if args.county_key_password_file:
        password = _read_bytes(args.county_key_password_file, "恢复私钥密码文件")
        password = password.removeprefix(b"\xef\xbb\xbf").rstrip(b"\r\n")
    new = new_passphrase(args)
    reset_with_county_key(profile_of(args), pem, new, root=root_of(args), password=password)
    emit(args, {"recovered": True}, "已用县级恢复密钥为档案设置新口令")
    return 0
