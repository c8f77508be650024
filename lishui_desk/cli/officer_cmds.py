"""``lishui-desk officer …``: the township's 执法人员名册 (list, add, retire) through
``services.officers``; a legal reviewer's 法律职业资格 and the day they first took up 法制审核
(《行政处罚法》第五十八条第二款) are recorded with them."""

from __future__ import annotations

import argparse
from datetime import date

from lishui_desk.cli.common import emit, opened_uow
from lishui_desk.errors import InvalidInput

ROLE_LABELS = {"officer": "执法人员", "leader": "负责人", "reviewer": "法制审核", "auxiliary": "辅助人员"}


def register(sub: argparse._SubParsersAction) -> None:
    from lishui_desk.cli.common import add_common

    p = sub.add_parser("officer", help="执法人员名册：列出、添加、停用")
    osub = p.add_subparsers(dest="officer_command", required=True, metavar="子命令")
    q = osub.add_parser("list", help="列出名册（含法制审核资格和开始从事法制审核的日期）")
    q.add_argument("--all", action="store_true", help="包括已停用人员")
    q.set_defaults(func=cmd_list)
    q = osub.add_parser("add", help="添加执法人员")
    q.add_argument("--name", required=True, help="姓名")
    q.add_argument("--cert-no", required=True, help="执法证号（辅助人员填工作证号）")
    q.add_argument("--cert-valid-until", help="执法证有效期至（YYYY-MM-DD）")
    q.add_argument("--role", default="officer", choices=sorted(ROLE_LABELS), help="人员类别")
    q.add_argument("--legal-qualification", action="store_true", help="具有法律职业资格（《行政处罚法》第五十八条第二款）")
    q.add_argument("--reviewer-since", help="开始从事法制审核的日期（YYYY-MM-DD；2021-07-15前已从事的，不属于初次从事）")
    q.set_defaults(func=cmd_add)
    q = osub.add_parser("retire", help="停用执法人员（记录中的署名保留）")
    q.add_argument("officer_id", help="人员编号")
    q.set_defaults(func=cmd_retire)
    for q in osub.choices.values():
        add_common(q)


def _day(value: str | None, label: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{label}“{value}”不是日期（YYYY-MM-DD）") from None


def _data(o: object) -> dict:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in vars(o).items()}


def _line(o: object) -> str:
    d = _data(o)
    parts = [d["name"], d.get("cert_no") or "—", ROLE_LABELS.get(d["role"], d["role"]),
             f"有效期至 {d.get('cert_valid_until') or '—'}"]
    if d.get("legal_qualification"):
        parts.append("具有法律职业资格")
    if d.get("reviewer_since"):
        parts.append(f"自 {d['reviewer_since']} 从事法制审核")
    if not d.get("active"):
        parts.append("已停用")
    return "  ".join(parts)


def cmd_list(args: argparse.Namespace) -> int:
    from lishui_desk.services import officers

    with opened_uow(args, write=False) as uow:
        rows = officers.list_officers(uow, include_inactive=args.all)
    emit(args, [_data(r) for r in rows], "\n".join(_line(r) for r in rows) or "名册为空")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    from lishui_desk.services import officers
    from lishui_desk.services.setup import OfficerSpec

    spec = OfficerSpec(args.name, args.cert_no, _day(args.cert_valid_until, "执法证有效期"), role=args.role,
                       legal_qualification=args.legal_qualification,
                       reviewer_since=_day(args.reviewer_since, "开始从事法制审核的日期"))
    with opened_uow(args) as uow:
        row = officers.create_officer(uow, spec)
    emit(args, _data(row), f"已添加：{_line(row)}")
    return 0


def cmd_retire(args: argparse.Namespace) -> int:
    from lishui_desk.services import officers

    with opened_uow(args) as uow:
        row = officers.retire_officer(uow, args.officer_id)
    emit(args, _data(row), f"已停用：{_line(row)}")
    return 0
