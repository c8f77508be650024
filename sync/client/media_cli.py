"""``lishui-desk sync media``: upload evidence files (resumable), show 媒体不完整, flag "USB only"."""

from __future__ import annotations

import argparse

from lishui_desk.cli.common import emit, opened_profile


def register(ssub: argparse._SubParsersAction) -> None:
    q = ssub.add_parser("media", help="上传证据文件（断点续传，文书、照片、录音、录像依次），或查看媒体不完整的案件")
    q.add_argument("--status", action="store_true", help="只列出媒体不完整的案件，不上传")
    q.add_argument("--usb-only", metavar="EVIDENCE_ID",
                   help="把该证据文件（或文书编号对应的文书 PDF）标为“仅 U 盘传送”（不经网络上传）")
    q.add_argument("--allow-network", metavar="EVIDENCE_ID", help="取消该证据文件或文书 PDF 的“仅 U 盘传送”标记")
    q.add_argument("--fetch", action="store_true",
                   help="从县级平台下载本机缺少的证据文件（其他设备记录的、或恢复备份后缺少的；断点续传，整文件哈希核对后才保存）")
    q.add_argument("--max-mb", type=float, help="本次最多上传（或下载）的数据量（MB），用完即停，下次续传")
    q.add_argument("--hub-url", help="临时改用的平台地址")
    q.add_argument("--timeout", type=float, default=30.0, help="单次请求超时（秒）")
    q.set_defaults(func=cmd_media)


def _status_text(rows: list[dict], not_held: list[dict] | None = None) -> str:
    if not rows:
        return "所有证据文件和文书 PDF 均已送达县级平台"
    lines = [f"媒体不完整  案件 {r['case_number'] or r['case_id'][:8]}：缺 {r['missing']} 个文件，"
             f"共 {r['bytes']} 字节" + (f"（其中 {r['usb_only']} 个仅 U 盘传送）" if r["usb_only"] else "")
             + (f"（含文书 PDF {r.get('documents', 0)} 份）" if r.get("documents") else "")
             for r in rows]
    lines += [f"文书 {d['number'] or d['document_id'][:8]}：{d['reason']}" for d in not_held or []]
    return "\n".join(lines)


def _wanted_text(rows: list[dict]) -> str:
    if not rows:
        return ""
    size = sum(r["size"] for r in rows)
    begun = sum(r["held_bytes"] for r in rows)
    return (f"\n待下载  {len(rows)} 个证据文件（其他设备记录或本机缺少），共 {size} 字节"
            + (f"，已下载 {begun} 字节（下次续传）" if begun else "") + "（lishui-desk sync media --fetch）")


def _fetch(args: argparse.Namespace, prof) -> int:
    from sync.client import media_fetch

    cap = int(args.max_mb * 1024 * 1024) if args.max_mb else None
    rep = media_fetch.fetch_all(prof, timeout=args.timeout, hub_url=args.hub_url, max_bytes=cap)
    rows = media_fetch.status(prof)
    refused = "".join(f"\n未保存：{r['reason']}" for r in rep.refused)
    waiting = f"，{rep.not_at_hub} 个县级平台尚未收齐" if rep.not_at_hub else ""
    emit(args, {**rep.as_dict(), "wanted": rows},
         f"下载证据文件：完成 {rep.files_done} 个，接收 {rep.bytes_received} 字节（续传 {rep.resumed} 次）{waiting}"
         + refused + _wanted_text(rows))
    return 1 if rep.refused else 0


def cmd_media(args: argparse.Namespace) -> int:
    from lishui_desk.edge import read, run
    from sync.client import media, media_fetch

    with opened_profile(args) as prof:
        if args.fetch and not args.status:
            return _fetch(args, prof)
        if args.usb_only or args.allow_network:
            run(prof, media.set_usb_only, args.usb_only or args.allow_network, bool(args.usb_only))
            emit(args, {"evidence_id": args.usb_only or args.allow_network, "usb_only": bool(args.usb_only)},
                 "已标为仅 U 盘传送" if args.usb_only else "已取消仅 U 盘传送标记")
            return 0
        if not args.status:
            cap = int(args.max_mb * 1024 * 1024) if args.max_mb else None
            rep = media.upload_all(prof, timeout=args.timeout, hub_url=args.hub_url, max_bytes=cap)
        rows = read(prof, media.incomplete_cases)
        not_held = read(prof, media.documents_not_held)
        wanted = media_fetch.status(prof)
    if args.status:
        emit(args, {"cases": rows, "documents_not_held": not_held, "wanted": wanted},
             _status_text(rows, not_held) + _wanted_text(wanted))
        return 0
    eta = f"，按本次速率约 {rep.eta_s / 60:.0f} 分钟传完" if rep.eta_s and rep.remaining_bytes else ""
    emit(args, {**rep.as_dict(), "cases": rows, "documents_not_held": not_held},
         f"上传证据文件：完成 {rep.files_done} 个，发送 {rep.bytes_sent} 字节（续传 {rep.resumed} 次），"
         f"尚余 {rep.remaining_bytes} 字节{eta}\n" + _status_text(rows, not_held))
    return 0
