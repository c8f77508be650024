"""``lishui-desk reference …``: reference data (policy, calendar, catalog, definitions, roster,
number blocks) through the one way in, ``services.reference.apply_batch``."""

from __future__ import annotations

import argparse

from lishui_desk.cli.common import emit, opened_uow


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("reference", help="参考数据：导入县级下发的政策参数、工作日历、目录、文书定义、名册、号段")
    rsub = p.add_subparsers(dest="reference_command", required=True, metavar="子命令")
    from lishui_desk.cli.common import add_common

    q = rsub.add_parser("import", help="导入一批参考数据（整批校验，任一项有误则整批不导入）")
    q.add_argument("file", help="批次 JSON 文件：{\"stream\": ..., \"cursor\": ..., \"items\": [...]}")
    q.set_defaults(func=cmd_import)
    q = rsub.add_parser("list", help="本档案已有的参考数据版本")
    q.set_defaults(func=cmd_list)
    for q in rsub.choices.values():
        add_common(q)


def cmd_import(args: argparse.Namespace) -> int:
    from lishui_desk.services import reference

    stream, items, cursor = reference.load_batch_file(args.file)
    with opened_uow(args) as uow:
        result = reference.apply_batch(uow, stream, items, cursor, source="file")
    label = reference.STREAM_LABELS[stream]
    emit(args, {"stream": result.stream, "applied": result.applied, "unchanged": result.unchanged,
                "cursor": result.cursor},
         f"已导入{label}：新版本 {result.applied} 项，已有且相同 {result.unchanged} 项")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from lishui_desk.services import reference

    with opened_uow(args, write=False) as uow:
        rows = reference.held_versions(uow)
    source = {"bundled": "内置", "file": "文件导入", "hub": "县级同步"}
    lines = [f"{r['stream_label']}  {r['key']}  第{r['version']}版  生效 {r['effective_from'] or '—'}  "
             f"来源 {source.get(r['source'], r['source'])}{'（已签名）' if r['signed'] else ''}" for r in rows]
    emit(args, rows, "\n".join(lines) or "无")
    return 0
