"""``lishui-desk doc …``: 执法文书 from the command line (the same services as the GUI).

    lishui-desk doc types                                  (bundled definitions)
    lishui-desk doc available --case ID                    (documents that fit the case, what is missing)
    lishui-desk doc preview TYPE --case ID --out x.pdf     (样稿: unnumbered, watermarked, not stored)
    lishui-desk doc issue TYPE --case ID --out x.pdf       (出具: number, frozen snapshot, case event)
    lishui-desk doc reprint DOC_ID_OR_NUMBER --out x.pdf   (补打: same bytes as at issue)
    lishui-desk doc verify (--qr TEXT | --pdf FILE)        (exit 0 when it matches the record, 1 otherwise)
    lishui-desk doc casefile --case ID --out file.pdf      (案卷: cover, 卷内目录, documents, 证据目录)
    lishui-desk doc list [--case ID]
    lishui-desk doc settings [--set KEY=VALUE …]           (agency address, bank account, archive facts)

The case may be given as a full id, a unique id prefix (as ``case list`` prints it) or a case number.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
from pathlib import Path
from typing import Any

from lishui_desk.cli.common import add_common, emit, opened_uow
from lishui_desk.errors import InvalidInput
from lishui_desk.unit_of_work import UnitOfWork


def _rerender_issued(uow: UnitOfWork, row: Any) -> bytes:
    """The forms renderer for ``issued_pdfs.backfill``, loaded only when a document needs it."""
    from forms.service import _rerender_for_keeping

    return _rerender_for_keeping(uow, row)


def register(sub: argparse._SubParsersAction) -> None:
    import forms.reference_check  # noqa: F401  (checks definitions in `lishui-desk reference import` too)
    from lishui_desk.services import issued_pdfs

    # `lishui-desk sync media` / `sync export` keep the PDFs of documents issued before the printed
    # bytes were kept: the core calls back into forms without importing it
    issued_pdfs.register_renderer(_rerender_issued)

    p = sub.add_parser("doc", help="执法文书：样稿、出具、补打、校验、案卷")
    dsub = p.add_subparsers(dest="doc_command", required=True, metavar="子命令")
    q = dsub.add_parser("types", help="文书种类（内置定义）")
    q.set_defaults(func=cmd_types)
    q = dsub.add_parser("available", help="本案可出具的文书及缺少的数据")
    q.add_argument("--case", required=True, help="案件编号、案件 ID 或其前缀")
    q.set_defaults(func=cmd_available)
    for name, helptext, func in (("preview", "生成样稿（不编号、带“样稿”水印、不保存）", cmd_preview),
                                 ("issue", "出具文书（取号、冻结数据、记入全过程记录）", cmd_issue)):
        q = dsub.add_parser(name, help=helptext)
        q.add_argument("doc_type", metavar="TYPE", help="文书种类，见 doc types")
        q.add_argument("--case", required=True, help="案件编号、案件 ID 或其前缀")
        q.add_argument("--out", required=True, help="输出 PDF 文件")
        q.add_argument("--act", help="同类文书有多份时所对应的办案记录（doc available 列出的记录号），默认最新一份")
        q.set_defaults(func=func)
    q = dsub.add_parser("reprint", help="补打已出具的文书（与出具时字节相同）")
    q.add_argument("doc", metavar="DOC_ID_OR_NUMBER")
    q.add_argument("--out", required=True)
    q.set_defaults(func=cmd_reprint)
    q = dsub.add_parser("verify", help="校验文书（扫描的二维码文本或 PDF 文件）")
    g = q.add_mutually_exclusive_group(required=True)
    g.add_argument("--qr", help="二维码文本 LSD1|文号|摘要")
    g.add_argument("--pdf", help="PDF 文件")
    q.set_defaults(func=cmd_verify)
    q = dsub.add_parser("casefile", help="生成案卷 PDF（封面、卷内目录、文书、证据目录）")
    q.add_argument("--case", required=True)
    q.add_argument("--out", required=True)
    q.set_defaults(func=cmd_casefile)
    q = dsub.add_parser("list", help="已出具的文书")
    q.add_argument("--case")
    q.set_defaults(func=cmd_list)
    q = dsub.add_parser("definitions", help="文书定义版本（内置与县级发布）；--import 导入县级发布的定义")
    q.add_argument("--import", dest="import_file", help="县级发布的文书定义 JSON 文件")
    q.set_defaults(func=cmd_definitions)
    q = dsub.add_parser("fonts", help="本机文书字体（按角色）与汉字覆盖；--set 角色=字体文件 指定字体")
    q.add_argument("--set", dest="font_set", action="append", default=[], metavar="角色=字体文件",
                   help="如 body=C:\\Windows\\Fonts\\simfang.ttf（可多次）；角色：title body kai heading song")
    q.set_defaults(func=cmd_fonts)
    q = dsub.add_parser("settings", help="文书设置（机关地址、电话、缴款账户、案卷保管）")
    q.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    q.set_defaults(func=cmd_settings)
    for parser in dsub.choices.values():
        add_common(parser)


def _case(uow: UnitOfWork, ref: str) -> str:
    from lishui_desk.cli.common import case_id_of

    return case_id_of(uow, ref)


def _write(path: str, data: bytes) -> Path:
    out = Path(path)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
    except OSError as exc:
        raise InvalidInput(f"无法写入 {path}：{exc.strerror}") from None
    return out


def _plain(obj: Any) -> Any:
    return dataclasses.asdict(obj) if dataclasses.is_dataclass(obj) and not isinstance(obj, type) else obj


def cmd_types(args: argparse.Namespace) -> int:
    from forms.service import document_types

    types = document_types()
    emit(args, [_plain(t) for t in types],
         "\n".join(f"{t.doc_type:<30} {t.title}{'（编号：' + t.code + '）' if t.numbered else ''}"
                   f"  [{t.stage}] 第{t.version}版" for t in types))
    return 0


def cmd_definitions(args: argparse.Namespace) -> int:
    from forms.service import document_types, publish_definition
    from lishui_desk.services import definitions as store

    with opened_uow(args) as uow:
        imported = publish_definition(uow, Path(args.import_file)) if args.import_file else None
        stored = store.list_stored(uow)
    county: dict[str, list[int]] = {}
    for sd in stored:
        county.setdefault(sd.doc_type, []).append(sd.version)
    rows: list[dict[str, Any]] = [
        {"doc_type": t.doc_type, "title": t.title, "bundled": t.version, "county": county.get(t.doc_type, [])}
        for t in document_types()]
    lines = [f"已导入：{imported.title} 第{imported.version}版"] if imported else []
    lines += [f"{r['doc_type']:<30} {r['title']}  内置第{r['bundled']}版"
              + (f"，县级发布：{'、'.join(f'第{v}版' for v in r['county'])}" if r["county"] else "") for r in rows]
    emit(args, {"imported": imported.type if imported else None, "definitions": rows}, "\n".join(lines))
    return 0


def cmd_fonts(args: argparse.Namespace) -> int:
    from forms import fonts

    saved = None
    if args.font_set:
        settings = dict(fonts.explicit_font_settings()) if not os.environ.get(fonts.FONTS_ENV) else {}
        for item in args.font_set:
            role, sep, path = item.partition("=")
            if not sep:
                raise InvalidInput(f"--set 应为“角色=字体文件”，无法识别“{item}”")
            settings[role.strip()] = path.strip()
        saved = fonts.save_font_settings(settings)
    fs = fonts.default_fontset()
    report = fonts.coverage_report(fs)
    roles = {role: f"{face.path}#{face.index}" for role, face in fs.roles.items()}
    lines = ([f"已保存字体设置：{saved}"] if saved else []) + [f"{r:<8} {p}" for r, p in roles.items()]
    lines.append(f"汉字覆盖：CJK 基本区 {report['cjk_unified_covered']}/{report['cjk_unified_total']}；"
                 f"GB 2312 一级 {report['gb2312_level1_covered']}/{report['gb2312_level1_total']}，"
                 f"二级 {report['gb2312_level2_covered']}/{report['gb2312_level2_total']}")
    emit(args, {"roles": roles, "coverage": report, "settings_file": str(fonts.font_settings_path())},
         "\n".join(lines))
    return 0


def cmd_available(args: argparse.Namespace) -> int:
    from forms.service import available_documents

    with opened_uow(args, write=False) as uow:
        choices = available_documents(uow, _case(uow, args.case))
    lines = []
    for c in choices:
        which = f"  --act {c.act[:8]}" if c.act and not c.latest else ""
        lines.append(f"{'✓' if c.ready else '✗'} {c.doc_type:<30} {c.title}{which}")
        lines += [f"      缺少：{m}" for m in c.missing]
    emit(args, [{**_plain(c), "key": c.key} for c in choices], "\n".join(lines) or "本案目前没有可出具的文书")
    return 0


def cmd_preview(args: argparse.Namespace) -> int:
    from forms.service import preview

    with opened_uow(args, write=False) as uow:
        pdf = preview(uow, _case(uow, args.case), args.doc_type, args.act)
    out = _write(args.out, pdf)
    emit(args, {"out": str(out), "bytes": len(pdf)}, f"已生成样稿 {out}（未编号，不作为正式文书）")
    return 0


def cmd_issue(args: argparse.Namespace) -> int:
    from forms.service import issue_document, reprint

    with opened_uow(args) as uow:
        row = issue_document(uow, _case(uow, args.case), args.doc_type, args.act)
        pdf = reprint(uow, row.id)
    out = _write(args.out, pdf)
    emit(args, {**_plain(row), "out": str(out)},
         f"已出具《{row.title}》{row.number or '（不编号）'}，文书编号 {row.id}\n"
         f"PDF：{out}  SHA-256 {row.pdf_sha256}")
    return 0


def cmd_reprint(args: argparse.Namespace) -> int:
    from forms.service import reprint

    with opened_uow(args, write=False) as uow:
        pdf = reprint(uow, args.doc)
    out = _write(args.out, pdf)
    emit(args, {"out": str(out), "bytes": len(pdf)}, f"已补打 {out}（与出具时的文件一致）")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from forms.service import verify

    with opened_uow(args, write=False) as uow:
        res = verify(uow, args.qr if args.qr else Path(args.pdf))
    text = (f"{'✓ 校验通过' if res.ok else '✗ 校验不通过'}：{res.reason}"
            + (f"\n文号：{res.number}  案件：{res.case_number or '—'}  出具时间：{res.issued_at}" if res.number else ""))
    emit(args, _plain(res), text)
    return 0 if res.ok else 1


def cmd_casefile(args: argparse.Namespace) -> int:
    from forms.casefile import page_count
    from forms.service import casefile

    with opened_uow(args, write=False) as uow:
        pdf = casefile(uow, _case(uow, args.case))
    out = _write(args.out, pdf)
    pages = page_count(pdf)
    emit(args, {"out": str(out), "pages": pages}, f"已生成案卷 {out}（共 {pages} 页）")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from forms.service import list_documents

    with opened_uow(args, write=False) as uow:
        rows = list_documents(uow, _case(uow, args.case) if args.case else None)
    emit(args, [_plain(r) for r in rows],
         "\n".join([f"共 {len(rows)} 份"] + [f"{r.id[:8]}  {r.number or '（不编号）':<28} {r.title:<16} "
                                            f"{r.case_number or '':<24} {r.document_date or ''}" for r in rows]))
    return 0


def cmd_settings(args: argparse.Namespace) -> int:
    from forms.service import set_setting, settings

    with opened_uow(args) as uow:
        for item in args.set:
            key, sep, value = item.partition("=")
            if not sep:
                raise InvalidInput(f"设置应写作 KEY=VALUE：{item}")
            set_setting(uow, key.strip(), value)
        current = settings(uow)
    emit(args, current, "\n".join(f"{k:<24} {v['label']}：{v['value'] or '（未设置）'}" for k, v in current.items()))
    return 0
