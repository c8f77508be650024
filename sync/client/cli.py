"""``lishui-desk sync …`` (registered through the ``lishui_desk.cli`` entry-point group).

    lishui-desk sync enroll CODE          register this profile with the county hub (one-time code)
    lishui-desk sync now                  state check, push the outbox, pull reference data
    lishui-desk sync status [--json]      last success, pending (not yet acknowledged), quarantined
    lishui-desk sync quarantine [--requeue ID]
"""

from __future__ import annotations

import argparse

from lishui_desk.cli.common import emit, opened_profile


def _common(p: argparse.ArgumentParser) -> None:
    """The shared options on a nested parser, without defaults that would hide the parent's value."""
    s = argparse.SUPPRESS
    p.add_argument("--data-dir", default=s, help="档案根目录")
    p.add_argument("--profile", default=s, help="档案名")
    p.add_argument("--passphrase-file", default=s, help="从文件读取口令")
    p.add_argument("--json", action="store_true", default=s, help="以 JSON 输出")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sync", help="与县级平台同步：登记、立即同步、状态、隔离条目")
    ssub = p.add_subparsers(dest="sync_command", required=True, metavar="子命令")
    q = ssub.add_parser("enroll", help="用县级平台给出的一次性登记码登记本档案")
    q.add_argument("code", metavar="CODE", help="登记码（LSE1- 开头）")
    q.add_argument("--label", default="", help="设备名称（默认档案名）")
    q.set_defaults(func=cmd_enroll)
    q = ssub.add_parser("now", help="立即同步：核对状态、推送发件箱、拉取参考数据")
    q.add_argument("--hub-url", help="临时改用的平台地址（默认登记时的地址）")
    q.add_argument("--timeout", type=float, default=30.0, help="单次请求超时（秒）")
    q.set_defaults(func=cmd_now)
    q = ssub.add_parser("status", help="同步状态：上次成功、待确认条数、隔离条数")
    q.set_defaults(func=cmd_status)
    q = ssub.add_parser("quarantine", help="被县级平台隔离的条目；--requeue 重新排队")
    q.add_argument("--requeue", metavar="ID", help="把该隔离条目重新放回待推送")
    q.set_defaults(func=cmd_quarantine)
    from sync.client import bundle_cli

    bundle_cli.register(ssub)
    for parser in ssub.choices.values():
        _common(parser)


def cmd_enroll(args: argparse.Namespace) -> int:
    from sync.client.worker import enroll

    with opened_profile(args) as prof:
        out = enroll(prof, args.code, label=args.label)
    officer = out.get("officer") or {}
    emit(args, out, f"已登记到县级平台：{out['township_name']}，执法人员 {officer.get('name', '')}"
                    f"（{officer.get('cert_no', '')}），设备编号 {out['device_id']}")
    return 0


def cmd_now(args: argparse.Namespace) -> int:
    from sync.client.worker import sync_now
    from sync.hub_labels import STREAM_NAMES

    with opened_profile(args) as prof:
        rep = sync_now(prof, timeout=args.timeout, hub_url=args.hub_url)
    pulled = "、".join(f"{STREAM_NAMES.get(k, k)} {v} 条" for k, v in rep.pulled.items() if v) or "无更新"
    if rep.pull_quarantined:
        pulled += f"（{rep.pull_quarantined} 条无法应用，已搁置，见 sync quarantine）"
    emit(args, rep.as_dict(),
         f"同步完成：推送 {rep.pushed} 条（接收 {rep.accepted}，重复 {rep.duplicate}，冲突 {rep.conflict}，"
         f"等待前序 {rep.held}，拒收 {rep.rejected}），参考数据 {pulled}；待确认 {rep.pending} 条")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from lishui_desk.edge import read
    from sync.client.numbering import block_status, field_status
    from sync.client.worker import status

    with opened_profile(args) as prof:
        data = status(prof)
        data.update(read(prof, field_status))  # numbering hold, 媒体不完整, USB bundles
        data["number_blocks"] = read(prof, block_status)  # county 文号 blocks, warned when running low
    if not data["enrolled"]:
        text = "尚未登记到县级平台（lishui-desk sync enroll 登记码）"
    else:
        text = (f"县级平台 {data['hub_url']}；上次成功同步 {data['last_success'] or '从未'}；"
                f"待确认 {data['pending']} 条，已确认 {data['acked']} 条，隔离 {data['quarantined']} 条"
                + (f"，搁置的参考数据 {data['reference_quarantined']} 条" if data["reference_quarantined"] else "")
                + ("；本设备已被县级平台停用" if data["revoked"] else "")
                + (f"；全过程记录分叉的案件 {len(data['forked_cases'])} 件（"
                   + "、".join(c["case_number"] or "未立案" for c in data["forked_cases"][:5])
                   + "），新的办案步骤暂停，lishui-desk case fork 查看并处理" if data["forked_cases"] else "")
                + "".join(f"；案件 {c['case_number'] or c['case_id'][:8]}：{c['note']}"
                          f"（lishui-desk case resolve-fork {c['case_number'] or c['case_id'][:8]} --adopt 末端编号 --reason 理由）"
                          for c in data["forked_cases"] if c.get("note"))
                + (f"；上次错误：{data['last_error']}" if data["last_error"] else "")
                + (f"；暂停编号（{data['numbering_reason']}），同步或导入县级数据包后恢复" if data["numbering_held"] else "")
                + (f"；媒体不完整的案件 {data['media_incomplete_cases']} 件（尚余 {data['media_bytes_owed']} 字节，"
                   "lishui-desk sync media 上传）" if data["media_incomplete_cases"] else "")
                + "".join(f"；{_block_warning(b)}" for b in data["number_blocks"] if b["low"])
                + "".join(f"；“{b['doc_code']}”字号段中已取用但没有任何文书使用的号（作废）："
                          f"{'、'.join(map(str, b['spoiled']))}" for b in data["number_blocks"] if b["spoiled"]))
    emit(args, data, text)
    return 0


def _block_warning(b: dict) -> str:
    code = f"“{b['doc_code']}”字" if b["doc_code"] else "无代字文书的"
    return (f"{code}文号号段即将用完：只剩 {b['remaining']} 个，按本年用量（每天约 {b['per_day']} 个）和最长的同步间隔"
            f"（{b['longest_gap_days']} 天）约需 {b['needed_until_next_sync']} 个，请县级平台预留新号段")


def cmd_quarantine(args: argparse.Namespace) -> int:
    from sync.client.worker import cases_set_aside, quarantined, reference_set_aside, requeue, status
    from sync.hub_labels import STREAM_NAMES

    with opened_profile(args) as prof:
        if args.requeue:
            requeue(prof, args.requeue)
            emit(args, {"requeued": args.requeue}, "已重新放回待推送，下次同步时重发")
            return 0
        rows = quarantined(prof)
        refs = reference_set_aside(prof)
        remote = cases_set_aside(prof)
        differ = [c for c in status(prof)["forked_cases"] if c.get("note")]
    lines = [f"{r['id']}  案件 {r['case_id'][:8]} 第 {r['seq']} 条记录（{r['occurred_at'][:10]}）：{r['reason']}"
             for r in rows]
    lines += [f"县级下发的{STREAM_NAMES.get(r['stream'], r['stream'])}“{r['key']}”第 {r['version']} 版未应用：{r['reason']}"
              for r in refs]
    lines += [f"其他设备记录的案件 {r['case_id'][:8]} 第 {r['seq']} 条记录未接收：{r['reason']}" for r in remote]
    lines += [f"案件 {c['case_number'] or c['case_id'][:8]}：{c['note']}；处理：lishui-desk case fork "
              f"{c['case_number'] or c['case_id'][:8]} 查看，lishui-desk case resolve-fork … --adopt 末端编号 --reason 理由"
              for c in differ]
    emit(args, {"items": rows, "reference": refs, "cases": remote, "resolutions_differ": differ}, "\n".join(lines) if lines else "没有被隔离的条目")
    return 0
