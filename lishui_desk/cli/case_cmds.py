"""``lishui-desk case …``: the case services for scripts (same services as the GUI).

    lishui-desk case list [--stage S] [--search TEXT] [--overdue]
    lishui-desk case create --payload lead.json        (线索登记; prints the new case id)
    lishui-desk case step CASE ACTION --payload p.json  (one procedure action)
    lishui-desk case show CASE                          (summary, next steps, missing, deadlines)
    lishui-desk case actions [ACTION]                   (the action table and its fields)
    lishui-desk case fork CASE / case resolve-fork CASE (--adopt HEAD | --both) --reason TEXT
                                                        (two laptops wrote the case: cli/fork_cmds.py)

Payloads are JSON objects (a file path, or ``-`` for standard input). A refused step exits 3 and
lists each rule with its article.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import Any

from lishui_desk.cli.common import case_id_of, emit, opened_uow
from lishui_desk.errors import InvalidInput, RuleViolation


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("case", help="案件：登记、办理步骤、查看（下一步、缺少事项、期限）")
    csub = p.add_subparsers(dest="case_command", required=True, metavar="子命令")
    from lishui_desk.cli.common import add_common

    q = csub.add_parser("list", help="案件列表")
    q.add_argument("--stage")
    q.add_argument("--search", help="案件编号、当事人、身份证号（精确）、事项")
    q.add_argument("--overdue", action="store_true")
    q.add_argument("--limit", type=int, default=50)
    q.set_defaults(func=cmd_list)
    q = csub.add_parser("create", help="登记线索（新建案件）")
    q.add_argument("--payload", required=True, help="JSON 文件，或 - 表示标准输入")
    q.set_defaults(func=cmd_create)
    q = csub.add_parser("step", help="执行一个办案步骤")
    q.add_argument("case_id")
    q.add_argument("action")
    q.add_argument("--payload", required=True, help="JSON 文件，或 - 表示标准输入")
    q.add_argument("--place", help="地点")
    q.set_defaults(func=cmd_step)
    q = csub.add_parser("check", help="只检查某步骤能否执行（不写入）")
    q.add_argument("case_id")
    q.add_argument("action")
    q.add_argument("--payload", required=True)
    q.set_defaults(func=cmd_check)
    q = csub.add_parser("show", help="案件详情：下一步、缺少事项、期限、记录")
    q.add_argument("case_id")
    q.add_argument("--events", action="store_true", help="同时列出全过程记录")
    q.set_defaults(func=cmd_show)
    q = csub.add_parser("disclosure", help="生成处罚决定公示记录（遮蔽个人信息）")
    q.add_argument("case_id")
    q.set_defaults(func=cmd_disclosure)
    q = csub.add_parser("actions", help="可用的办案步骤及其字段")
    q.add_argument("action", nargs="?")
    q.set_defaults(func=cmd_actions)
    from lishui_desk.cli import fork_cmds

    fork_cmds.register(csub)
    for parser in csub.choices.values():
        add_common(parser)


def _payload(spec: str) -> dict[str, Any]:
    from lishui_desk.validation import MAX_PAYLOAD_FILE_BYTES, parse_json_payload

    try:
        raw = sys.stdin.buffer.read(MAX_PAYLOAD_FILE_BYTES + 1) if spec == "-" else Path(spec).read_bytes()
    except OSError as exc:
        raise InvalidInput(f"无法读取 {spec}：{exc.strerror}") from None
    return parse_json_payload(raw, f"{'标准输入' if spec == '-' else spec} ")


def _violations(vs: list) -> list[dict[str, str]]:
    return [{"rule_id": v.rule_id, "message": v.message, "article": v.article, "severity": v.severity} for v in vs]


def _refused(args: argparse.Namespace, exc: RuleViolation) -> int:
    data = {"refused": True, "violations": _violations(exc.violations)}
    lines = ["该步骤被拒绝："] + [f"  ✗ [{v.rule_id}] {v.message}（{v.article}）" for v in exc.violations]
    emit(args, data, "\n".join(lines))
    return 3


def cmd_list(args: argparse.Namespace) -> int:
    from lishui_desk.services.queries import CaseFilter, count_cases, list_cases
    from lishui_desk.validation import check_text

    for value, what in ((args.search, "搜索内容"), (args.stage, "阶段")):
        if value is not None:
            check_text(value, what, multiline=False, limit=200)
    with opened_uow(args, write=False) as uow:
        f = CaseFilter(stage=args.stage, text=args.search, overdue=args.overdue, today=uow.today)
        total = count_cases(uow, f)
        rows = list_cases(uow, f, 0, args.limit)
    data = {"total": total, "cases": [dataclasses.asdict(r) for r in rows]}
    lines = [f"共 {total} 件"] + [
        f"{r.id[:8]}  {r.case_number or '（未立案）':<24} {r.stage_label:<8} {r.party_name or '':<12} "
        f"{(r.item_name or '')[:24]}  {r.next_deadline or ''} {r.next_deadline_label or ''}"
        for r in rows
    ]
    emit(args, data, "\n".join(lines))
    return 0


def cmd_create(args: argparse.Namespace) -> int:
    from lishui_desk.services import cases

    payload = _payload(args.payload)
    try:
        with opened_uow(args) as uow:
            case_id = cases.register_lead(uow, payload)
    except RuleViolation as exc:
        return _refused(args, exc)
    emit(args, {"case_id": case_id}, f"已登记线索，案件 {case_id}")
    return 0


def cmd_step(args: argparse.Namespace) -> int:
    from lishui_desk.services import cases

    payload = _payload(args.payload)
    try:
        with opened_uow(args) as uow:
            case_id = case_id_of(uow, args.case_id)
            records = cases.perform(uow, case_id, args.action, payload, place=args.place)
    except RuleViolation as exc:
        return _refused(args, exc)
    data = {"case_id": case_id, "events": [{"seq": r.seq, "type": r.type, "hash": r.hash} for r in records]}
    emit(args, data, "已记录：" + "，".join(f"#{r.seq} {r.type}" for r in records))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from lishui_desk.services import cases

    payload = _payload(args.payload)
    with opened_uow(args, write=False) as uow:
        vs = cases.check(uow, case_id_of(uow, args.case_id), args.action, payload)
    blocking = [v for v in vs if v.blocks]
    emit(args, {"allowed": not blocking, "violations": _violations(vs)},
         "\n".join(["可以执行" if not blocking else "不能执行"] + [f"  {'✗' if v.blocks else '!'} {v.message}（{v.article}）" for v in vs]))
    return 0 if not blocking else 3


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: _jsonable(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    return value


def cmd_show(args: argparse.Namespace) -> int:
    from lishui_desk.services import cases

    with opened_uow(args, write=False) as uow:
        view = cases.view(uow, case_id_of(uow, args.case_id))
    data = {
        "case_id": view.case_id,
        "summary": _jsonable(view.summary),
        "chain_ok": view.chain_ok,
        "next_steps": [{"action": n.action, "label": n.label_zh, "allowed": n.allowed,
                        "violations": _violations(n.violations)} for n in view.next_steps],
        "missing": _violations(view.missing),
        "deadlines": [_jsonable(d) for d in view.deadlines],
        "evidence": [_jsonable(e) for e in view.evidence],
        "documents": [_jsonable(d) for d in view.documents],
        "fork": "fork" in (view.summary.get("flags") or []),
    }
    if args.events:
        data["events"] = [_jsonable(e) for e in view.events]
    s = view.summary
    lines = [
        f"案件 {s.get('case_number') or view.case_id}  阶段：{s.get('stage_label')}  程序：{s.get('procedure') or '—'}",
        f"当事人：{s.get('party_name') or '—'}  事项：{s.get('item_name') or '—'}",
        f"记录链：{'完整' if view.chain_ok else '已被改动！'}（{len(view.events)} 条事件）",
        *(["全过程记录分叉：两台设备分别记录了本案，新的办案步骤已暂停（全过程记录须为单一链条，《行政处罚法》第四十七条）；"
           f"查看：lishui-desk case fork {args.case_id}"] if "fork" in (view.summary.get("flags") or []) else []),
        "下一步：",
        *[f"  {'✓' if n.allowed else '✗'} {n.label_zh}（{n.action}）"
          + ("" if n.allowed else "：" + "；".join(v.message for v in n.violations if v.blocks)) for n in view.next_steps],
        "缺少：", *([f"  - {v.message}（{v.article}）" for v in view.missing] or ["  无"]),
        "期限：", *([f"  {d.label_zh}：{d.due or d.error}{f'（{d.error}）' if d.due and d.error else ''}"
                    f"{'（已超期）' if d.overdue else ''}{'（已完成）' if d.done else ''}  {d.article}"
                    for d in view.deadlines] or ["  无"]),
    ]
    if args.events:
        lines.append("全过程记录：")
        lines += [f"  #{e.seq} {e.occurred_at} {e.type} {e.actor_id[:8]} {e.hash[:12]}" for e in view.events]
    emit(args, data, "\n".join(lines))
    return 0


def cmd_disclosure(args: argparse.Namespace) -> int:
    from lishui_desk.services.disclosure import build_record

    with opened_uow(args, write=False) as uow:
        rec = build_record(uow, case_id_of(uow, args.case_id))
    labels = {"decision_number": "决定书文号", "party": "当事人", "party_code": "证件号码/信用代码",
              "violation": "违法行为", "penalty": "处罚内容", "basis": "处罚依据", "agency": "作出决定机关",
              "decided_on": "决定日期", "publish_by": "公示期限", "published": "已公示"}
    emit(args, rec.as_dict(), "\n".join(f"{labels[k]}：{v if v is not None else '—'}" for k, v in rec.as_dict().items()))
    return 0


def cmd_actions(args: argparse.Namespace) -> int:
    from lishui_desk.procedure.actions import ACTIONS

    specs = [ACTIONS[args.action]] if args.action else list(ACTIONS.values())
    if args.action and args.action not in ACTIONS:
        raise InvalidInput(f"没有步骤 {args.action}")
    data = [{"action": a.key, "label": a.label_zh, "fields": [
        {"name": f.name, "label": f.label_zh, "kind": f.kind, "required": f.required, "choices": list(f.choices or [])}
        for f in a.fields]} for a in specs]
    lines = []
    for a in specs:
        lines.append(f"{a.key}  {a.label_zh}")
        if args.action:
            lines += [f"    {f.name:<22} {f.label_zh}{'（必填）' if f.required else ''} [{f.kind}]"
                      + (f" 可选：{'、'.join(f.choices)}" if f.choices else "") for f in a.fields]
    emit(args, data, "\n".join(lines))
    return 0
