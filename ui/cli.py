"""``lishui-desk gui``: registered through the ``lishui_desk.cli`` entry-point group
(``gui = "ui.cli:register"``), so the core never imports Qt. ``--profile`` and ``--data-dir`` are
the common options the core CLI adds to every subcommand."""

from __future__ import annotations

import argparse

from ui.text import tr


def _run(args: argparse.Namespace) -> int:
    from lishui_desk.paths import data_root
    from ui.app import run

    root = data_root(getattr(args, "data_dir", None))
    return run(profile=getattr(args, "profile", None), root=root)


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("gui", help=tr("打开图形界面（解锁界面预选 --profile 指定的档案）"))
    p.set_defaults(func=_run)
