"""``lishui-desk`` command line.

Every command also runs unattended: the passphrase comes from ``--passphrase-file`` or the
``LISHUI_DESK_PASSPHRASE`` environment variable (never from an argument, which would show in the
process list), the profile root from ``--data-dir``/``LISHUI_DESK_DATA_DIR``, and ``--json`` prints
machine-readable output. Errors print their Chinese message without a traceback and exit 2
(a record that was changed exits 1, a procedure refusal 3, damaged storage 4).

Packages outside the core add subcommands through the ``lishui_desk.cli`` entry-point group
(``forms`` adds ``doc``, ``ui`` adds ``gui``), so the core never imports them.
"""

from __future__ import annotations

import argparse
import sys
from importlib.metadata import entry_points

from lishui_desk.cli import backup_cmds, case_cmds, officer_cmds, profile_cmds, reference_cmds
from lishui_desk.cli.common import add_common, fail
from lishui_desk.errors import Damaged, DeskError

_DAMAGED_DB = (
    "档案数据库已损坏，部分页面无法解密或读取（{detail}）。请运行 lishui-desk check 查看全部问题，"
    "并用最近的备份恢复档案"
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lishui-desk", description="丽水乡镇综合执法办案桌面端")
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")
    profile_cmds.register(sub)
    case_cmds.register(sub)
    backup_cmds.register(sub)
    reference_cmds.register(sub)
    officer_cmds.register(sub)
    for ep in entry_points(group="lishui_desk.cli"):
        try:
            ep.load()(sub)
        except Exception as exc:  # a broken plugin must not take the core commands down
            print(f"警告：子命令 {ep.name} 无法加载：{exc}", file=sys.stderr)
    for p in sub.choices.values():
        add_common(p)
    return parser


_GLOBAL_VALUED = ("--data-dir", "--profile", "--passphrase-file")


def hoist_global_options(argv: list[str]) -> list[str]:
    """``lishui-desk --data-dir D --json sync now`` = ``lishui-desk sync now --data-dir D --json``: the
    shared options given before the subcommand move behind it, where every (nested) parser has them."""
    front: list[str] = []
    i = 0
    while i < len(argv):
        tok = argv[i]
        if tok == "--json":
            front.append(tok)
            i += 1
        elif tok in _GLOBAL_VALUED and i + 1 < len(argv):
            front += argv[i:i + 2]
            i += 2
        elif tok.split("=", 1)[0] in _GLOBAL_VALUED:
            front.append(tok)
            i += 1
        else:
            break
    return argv[i:] + front if front else argv


def main(argv: list[str] | None = None) -> int:
    import os

    from lishui_desk.crypto import PRIVATE_UMASK

    os.umask(PRIVATE_UMASK)  # PDFs, exports, profiles: owner-only from the start
    parser = build_parser()
    args = parser.parse_args(hoist_global_options(list(sys.argv[1:] if argv is None else argv)))
    try:
        return int(args.func(args) or 0)
    except DeskError as exc:
        return fail(exc, args)
    except BrokenPipeError:  # output piped into `head`: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as exc:
        from lishui_desk.storage.engine import is_damage_error

        if not is_damage_error(exc):  # a page SQLCipher cannot decrypt, a broken b-tree
            raise
        from lishui_desk.storage.engine import describe_db_error

        return fail(Damaged(_DAMAGED_DB.format(detail=describe_db_error(exc))), args)
    except KeyboardInterrupt:
        print("已取消", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
