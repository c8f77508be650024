"""The hub subcommands of ``lishui-county`` (see ``sync.county_cli`` for the list)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from lishui_desk.errors import InvalidInput, NotFound
from sync.hub.publishing import PUBLISHABLE

REVIEW_RESULTS = ("同意", "不同意")


def _common(p: argparse.ArgumentParser, *, top: bool = False) -> None:
    d = None if top else argparse.SUPPRESS
    p.add_argument("--data-dir", default=d, help="平台数据目录（默认环境变量 LISHUI_COUNTY_DATA_DIR 或平台数据目录）")
    p.add_argument("--db-url", default=d, help="数据库地址（默认数据目录下的 SQLite；PostgreSQL：postgresql://…）")
    p.add_argument("--json", action="store_true", default=False if top else argparse.SUPPRESS, help="以 JSON 输出")


def register(parser: argparse.ArgumentParser, sub: argparse._SubParsersAction) -> None:
    _common(parser, top=True)
    p = sub.add_parser("init", help="初始化县级平台：签名密钥、数据库")
    p.add_argument("--recovery-key", action="store_true", help="同时生成县级恢复密钥对（county.pem / county.pub）")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--password-file", help="恢复私钥的密码从文件读取（不在命令行上给出密码）")
    g.add_argument("--password-fd", type=int, help="恢复私钥的密码从已打开的文件描述符读取")
    g.add_argument("--no-password", action="store_true", help="恢复私钥不设密码（不推荐）")
    p.set_defaults(func=cmd_init)
    p = sub.add_parser("serve", help="运行县级平台服务")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8470)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("restored", help="平台数据库从备份恢复后运行：换新纪元，各桌面端下次同步时重新拉取全部参考数据并补发平台缺少的记录")
    p.set_defaults(func=cmd_restored)

    p = sub.add_parser("township", help="乡镇")
    tsub = p.add_subparsers(dest="township_command", required=True)
    q = tsub.add_parser("add", help="登记乡镇（名称取自区划表）")
    q.add_argument("--code", required=True, help="9 位统计用区划代码")
    q.set_defaults(func=cmd_township_add)
    _common(q)

    p = sub.add_parser("officer", help="执法人员")
    osub = p.add_subparsers(dest="officer_command", required=True)
    q = osub.add_parser("add", help="登记执法人员")
    q.add_argument("--township", required=True)
    q.add_argument("--cert-no", required=True, help="执法证号")
    q.add_argument("--name", required=True)
    q.set_defaults(func=cmd_officer_add)
    _common(q)

    p = sub.add_parser("enroll", help="为（乡镇，执法人员）签发一次性登记码（最后一行）")
    p.add_argument("--township", required=True)
    p.add_argument("--cert-no", required=True)
    p.add_argument("--hub-url", default="http://127.0.0.1:8470", help="桌面端连接平台用的地址")
    p.add_argument("--qr", help="同时把登记码写成二维码 PNG")
    p.set_defaults(func=cmd_enroll)

    p = sub.add_parser("device", help="已登记的设备")
    dsub = p.add_subparsers(dest="device_command", required=True)
    q = dsub.add_parser("list", help="列出设备")
    q.set_defaults(func=cmd_device_list)
    _common(q)
    q = dsub.add_parser("revoke", help="停用设备（其后提交的内容留待复核）")
    q.add_argument("device_id", metavar="ID")
    q.set_defaults(func=cmd_device_revoke)
    _common(q)

    p = sub.add_parser("cases", help="已接收的案件：事件数、记录链状态、标记")
    p.set_defaults(func=cmd_cases)

    p = sub.add_parser("quarantine", help="隔离条目")
    qsub = p.add_subparsers(dest="quarantine_command", required=True)
    q = qsub.add_parser("list", help="列出隔离条目")
    q.add_argument("--all", action="store_true", help="包括已处理的")
    q.set_defaults(func=cmd_quarantine_list)
    _common(q)
    q = qsub.add_parser("reprocess", help="按当前记录链重新处理隔离条目")
    q.add_argument("item_id", nargs="?", metavar="ID", help="只处理这一条（默认全部）")
    q.set_defaults(func=cmd_quarantine_reprocess)
    _common(q)

    p = sub.add_parser("publish", help="签名发布参考数据（版本只增不减）")
    p.add_argument("stream", choices=PUBLISHABLE)
    p.add_argument("file", metavar="FILE")
    p.add_argument("--township", help="只发给该乡镇（目录默认取文件中的乡镇）")
    p.add_argument("--effective-from", help="生效日期 YYYY-MM-DD（目录默认取文件中的生效日期）")
    p.add_argument("--min-client-version", default="0.1.0", help="能应用此条的最低桌面端版本")
    p.add_argument("--version", type=int, help="版本号（默认上一版本 + 1）")
    p.set_defaults(func=cmd_publish)

    p = sub.add_parser("review", help="法制审核意见")
    rsub = p.add_subparsers(dest="review_command", required=True)
    q = rsub.add_parser("record", help="记录对某案件的法制审核意见（同步后回到乡镇）")
    q.add_argument("case", metavar="CASE", help="案件 ID、其前缀或案件编号")
    q.add_argument("--result", required=True, choices=REVIEW_RESULTS)
    q.add_argument("--opinion", required=True)
    q.add_argument("--reviewer", default="县司法局法制审核", help="审核机构或人员")
    q.set_defaults(func=cmd_review_record)
    _common(q)

    for name in ("init", "serve", "restored", "township", "officer", "enroll", "device", "cases", "quarantine", "publish",
                 "review"):
        _common(sub.choices[name])


def _emit(args: argparse.Namespace, data: Any, text: str) -> None:
    if getattr(args, "json", False):
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        print(text)


def _root(args: argparse.Namespace) -> Path:
    from sync.hub.keys import data_dir

    return data_dir(getattr(args, "data_dir", None))


def _hub(args: argparse.Namespace):
    from sync.hub.service import open_hub

    return open_hub(_root(args), getattr(args, "db_url", None))


@contextmanager
def _opened_hub(args: argparse.Namespace) -> Iterator[Any]:
    """The hub of ``--data-dir`` / ``--db-url`` for one command, closed however the command ends."""
    hub = _hub(args)
    try:
        yield hub
    finally:
        hub.close()


def cmd_init(args: argparse.Namespace) -> int:
    from lishui_desk.crypto import recovery
    from sync.county_cli import _password
    from sync.hub.service import init_hub

    root = _root(args)
    password = None
    if args.recovery_key:
        for f in (root / "county.pem", root / "county.pub"):
            if f.exists():
                raise InvalidInput(f"{f} 已存在，不会覆盖")
        password = None if args.no_password else _password(args, confirm=True, required=True)
    hub = init_hub(root, getattr(args, "db_url", None))
    fp, epoch = hub.fingerprint, hub.epoch()
    hub.close()
    data: dict[str, Any] = {"data_dir": str(root), "hub_key_fingerprint": fp, "hub_epoch": epoch}
    text = f"县级平台已初始化：{root}；平台签名密钥指纹 {fp}"
    if args.recovery_key:
        priv, pub = root / "county.pem", root / "county.pub"
        private_pem, public_raw = recovery.generate_recovery_keypair(password)
        recovery.save_private_key(priv, private_pem, password)
        recovery.save_public_key(pub, public_raw)
        data["recovery_public_key"] = str(pub)
        text += f"\n县级恢复密钥：私钥 {priv}（请离线保管），公钥 {pub}"
    _emit(args, data, text)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from sync.hub.server import serve

    hub = _hub(args)
    print(f"县级平台运行于 http://{args.host}:{args.port}/v1（Ctrl+C 停止）", flush=True)
    try:
        serve(hub, args.host, args.port)
    finally:
        hub.close()
    return 0


def cmd_restored(args: argparse.Namespace) -> int:
    from sync.hub.service import renew_epoch

    with _opened_hub(args) as hub:
        epoch = renew_epoch(hub)
    _emit(args, {"hub_epoch": epoch}, "已换新纪元：各桌面端下次同步时会核对并补发平台缺少的记录、重新拉取参考数据")
    return 0


def cmd_township_add(args: argparse.Namespace) -> int:
    from sync.hub.service import add_township

    with _opened_hub(args) as hub:
        row = add_township(hub, args.code)
    _emit(args, {"code": row.code, "name": row.name, "county_name": row.county_name},
          f"已登记乡镇：{row.county_name}{row.name}（{row.code}）")
    return 0


def cmd_officer_add(args: argparse.Namespace) -> int:
    from sync.hub.service import add_officer

    with _opened_hub(args) as hub:
        row = add_officer(hub, args.township, args.cert_no, args.name)
    _emit(args, {"id": row.id, "township_code": row.township_code, "cert_no": row.cert_no, "name": row.name},
          f"已登记执法人员：{row.name}（执法证号 {row.cert_no}）")
    return 0


def cmd_enroll(args: argparse.Namespace) -> int:
    from sync.hub.service import issue_enrollment

    with _opened_hub(args) as hub:
        code = issue_enrollment(hub, args.township, args.cert_no, args.hub_url)
    if args.qr:
        import qrcode

        try:
            qrcode.make(code).save(args.qr)
        except OSError as exc:
            raise InvalidInput(f"无法写入二维码文件 {args.qr}：{exc.strerror}") from None
    if getattr(args, "json", False):
        print(json.dumps({"code": code, "qr": args.qr}, ensure_ascii=False))
        print(code)
    else:
        print(f"一次性登记码（7 天内有效，只能使用一次）{'，二维码已写入 ' + args.qr if args.qr else ''}：")
        print(code)
    return 0


def cmd_device_list(args: argparse.Namespace) -> int:
    from sync.hub.service import list_devices

    with _opened_hub(args) as hub:
        rows = list_devices(hub)
    lines = [f"{r['id']}  {r['township_code']}  {r['officer']}（{r['cert_no']}）  登记于 {r['enrolled_at'][:19]}"
             + ("  已停用" if r["revoked"] else "")
             + (f"  时钟偏差 {r['clock_drift_s']} 秒" if abs(r["clock_drift_s"] or 0) > 60 else "") for r in rows]
    _emit(args, {"devices": rows}, "\n".join(lines) or "尚无登记的设备")
    return 0


def cmd_device_revoke(args: argparse.Namespace) -> int:
    from sync.hub.service import revoke_device

    with _opened_hub(args) as hub:
        d = revoke_device(hub, args.device_id)
    _emit(args, {"id": d.id, "revoked_at": d.revoked_at}, f"设备 {d.id} 已停用")
    return 0


CHAIN_LABELS = {"ok": "记录链完整", "quarantine": "有隔离条目"}


def cmd_cases(args: argparse.Namespace) -> int:
    from sync.hub.service import list_cases

    with _opened_hub(args) as hub:
        rows = list_cases(hub)
        from sync.hub.media import incomplete_by_case

        missing = incomplete_by_case(hub)
        for r in rows:  # 媒体不完整: evidence files named by the record not yet held complete
            r["media_incomplete"] = missing.get(r["case_id"], 0)
    lines = [f"{r['case_number'] or '（未立案）'}  {r['case_id'][:8]}  {r['township_code']}  事件 {r['event_count']} 条  "
             f"{CHAIN_LABELS.get(r['chain'], r['chain'])}" + (f"  隔离 {r['quarantined']} 条" if r["quarantined"] else "")
             + (f"  媒体不完整（缺 {r['media_incomplete']} 个文件）" if r["media_incomplete"] else "")
             + ("  文号重复（已隔离待复核）" if "number_reused" in r["flags"] else "")
             + (f"  {r['note']}" if r.get("note")
                else f"  分叉（{len(r['heads'])} 条分支，待处理）" if "fork" in r["flags"] and len(r["heads"]) > 1
                else "  分叉（已隔离待复核）" if "fork" in r["flags"] else "")
             for r in rows]
    _emit(args, {"cases": rows}, "\n".join(lines) or "尚未收到案件")
    return 0


def cmd_quarantine_list(args: argparse.Namespace) -> int:
    from sync.hub.service import list_quarantine

    with _opened_hub(args) as hub:
        rows = list_quarantine(hub, include_resolved=args.all)
    lines = [f"{r['id']}  案件 {r['case_id'][:8]}  {r['reason']}  ({r['received_at'][:19]})" for r in rows]
    _emit(args, {"items": rows}, "\n".join(lines) or "没有隔离条目")
    return 0


def cmd_quarantine_reprocess(args: argparse.Namespace) -> int:
    from sync.hub.service import reprocess_quarantine

    with _opened_hub(args) as hub:
        out = reprocess_quarantine(hub, args.item_id)
    if args.item_id and not out:
        raise NotFound(f"没有编号为 {args.item_id} 的未处理隔离条目")
    done = sum(1 for _, status in out if status in ("accepted", "duplicate", "held"))
    _emit(args, {"results": [{"id": i, "status": s} for i, s in out]},
          f"重新处理 {len(out)} 条：{done} 条已接入记录链，{len(out) - done} 条仍需复核")
    return 0


def _read_json(path: str) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidInput(f"无法读取 {path}：{exc.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"{path} 不是有效的 JSON：{exc}") from None


def cmd_publish(args: argparse.Namespace) -> int:
    from sync.hub.publishing import items_from_file
    from sync.hub.refs import STREAM_NAMES, publish

    content = _read_json(args.file)
    effective = date.fromisoformat(args.effective_from) if args.effective_from else None
    items = items_from_file(args.stream, content, township=args.township, effective_from=effective,
                            version=args.version)
    with _opened_hub(args) as hub:
        out = publish(hub, args.stream, items, min_client_version=args.min_client_version)
    lines = [f"已发布{STREAM_NAMES[args.stream]}“{o['key']}”第 {o['version']} 版（游标 {o['cursor']}）" for o in out]
    _emit(args, {"published": out}, "\n".join(lines))
    return 0


def cmd_review_record(args: argparse.Namespace) -> int:
    from sync.hub.refs import record_review

    with _opened_hub(args) as hub:
        out = record_review(hub, args.case, args.result, args.opinion, args.reviewer)
    _emit(args, out, f"已记录法制审核意见（{args.result}），乡镇同步后送达案件 {out['case_number'] or out['case_id'][:8]}")
    return 0
