"""``lishui-desk gui``: registered through the ``lishui_desk.cli`` entry-point group
(``gui = "ui.cli:register"``), so the core never imports Qt. ``--profile`` and ``--data-dir`` are
the common options the core CLI adds to every subcommand."""

from __future__ import annotations

import argparse

from ui.text import tr


def _no_display() -> bool:
    """Linux without X11/Wayland and no offscreen platform asked for: Qt would abort."""
    import os
    import sys

    return (sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM")
            and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"))


def _run(args: argparse.Namespace) -> int:
    from lishui_desk.errors import DeskError
    from lishui_desk.paths import data_root
    from ui.app import run

    if _no_display():
        raise DeskError(tr("没有可用的图形显示（DISPLAY 未设置）：请在桌面环境中运行，或用 xvfb-run -a lishui-desk gui"))

    root = data_root(getattr(args, "data_dir", None))
    return run(profile=getattr(args, "profile", None), root=root)


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("gui", help=tr("打开图形界面（解锁界面预选 --profile 指定的档案）"))
    p.set_defaults(func=_run)
