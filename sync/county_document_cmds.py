"""``lishui-county document``: the issued documents the county holds, and the exact printed PDF.

    lishui-county document list [--case CASE]
    lishui-county document show NUMBER --out FILE    (文号 or document id; the bytes checked against
                                                      the issued record's SHA-256)
"""

from __future__ import annotations

import argparse
from typing import Any

from sync.county_hub_cmds import _emit, _opened_hub


def register(sub: argparse._SubParsersAction, common: Any) -> None:
    p = sub.add_parser("document", help="已出具的文书：列表，取出与打印件一致的 PDF")
    dsub = p.add_subparsers(dest="document_command", required=True)
    q = dsub.add_parser("list", help="列出平台记录中的已出具文书及其 PDF 是否已送达")
    q.add_argument("--case", help="只列某案件（案件 ID 或其前缀）")
    q.set_defaults(func=cmd_list)
    common(q)
    q = dsub.add_parser("show", help="取出某文书出具时的 PDF（按出具记录的哈希核对）")
    q.add_argument("number", metavar="NUMBER", help="文号或文书编号")
    q.add_argument("--out", required=True, metavar="FILE", help="保存 PDF 的文件")
    q.set_defaults(func=cmd_show)
    common(q)
    common(p)


def cmd_list(args: argparse.Namespace) -> int:
    from sync.hub.media import documents

    with _opened_hub(args) as hub:
        rows = documents(hub, args.case)
    lines = [f"{r['number'] or '（不编号）'}  案件 {r['case_id'][:8]}  {r['document_date'] or ''}  "
             + ("PDF 已送达" if r["pdf_held"] else "PDF 未送达（媒体不完整）") for r in rows]
    _emit(args, {"documents": rows}, "\n".join(lines) or "平台尚未收到已出具的文书")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from lishui_desk.crypto import atomic_writer
    from lishui_desk.errors import NotFound
    from sync.hub.media import document_pdf

    with _opened_hub(args) as hub:
        try:
            doc, data = document_pdf(hub, args.number)
        except LookupError as exc:
            raise NotFound(str(exc.args[0])) from None
    with atomic_writer(args.out, mode=0o600) as out:
        out.write(data)
    _emit(args, {**doc, "out": str(args.out), "bytes": len(data)},
          f"已取出文书 {doc['number'] or doc['document_id']} 的 PDF：{args.out}（{len(data)} 字节，"
          f"SHA-256 {doc['pdf_sha256']}，与出具记录一致）")
    return 0
