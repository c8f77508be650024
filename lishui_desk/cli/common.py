"""Shared CLI plumbing: profile location, passphrase sources, JSON/text output."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from lishui_desk.errors import DeskError, InvalidInput
from lishui_desk.paths import data_root, list_profiles

ENV_PASSPHRASE = "LISHUI_DESK_PASSPHRASE"
ENV_NEW_PASSPHRASE = "LISHUI_DESK_NEW_PASSPHRASE"


def add_common(p: argparse.ArgumentParser) -> None:
    if any(a.dest == "data_dir" for a in p._actions):
        return
    p.add_argument("--data-dir", help="档案根目录（默认平台数据目录，或环境变量 LISHUI_DESK_DATA_DIR）")
    p.add_argument("--profile", help="档案名（只有一个档案时可省略）")
    p.add_argument("--passphrase-file", help="从文件读取口令（无人值守）；也可用环境变量 LISHUI_DESK_PASSPHRASE")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")


def root_of(args: argparse.Namespace) -> Path:
    return data_root(getattr(args, "data_dir", None))


def profile_of(args: argparse.Namespace) -> str:
    if getattr(args, "profile", None):
        return args.profile
    found = list_profiles(root_of(args))
    if len(found) == 1:
        return found[0]
    if not found:
        raise InvalidInput(f"{root_of(args)} 下没有档案：请先运行 lishui-desk init 或 lishui-desk demo")
    raise InvalidInput(f"有多个档案（{'、'.join(found)}），请用 --profile 指定")


def _read_file(path: str) -> str:
    from lishui_desk.validation import read_passphrase_file

    return read_passphrase_file(path)


def passphrase(args: argparse.Namespace, *, prompt: str = "口令：", confirm: bool = False) -> str:
    if getattr(args, "passphrase_file", None):
        return _read_file(args.passphrase_file)
    if os.environ.get(ENV_PASSPHRASE):
        return os.environ[ENV_PASSPHRASE]
    return _ask(prompt, confirm)


def new_passphrase(args: argparse.Namespace) -> str:
    if getattr(args, "new_passphrase_file", None):
        return _read_file(args.new_passphrase_file)
    if os.environ.get(ENV_NEW_PASSPHRASE):
        return os.environ[ENV_NEW_PASSPHRASE]
    return _ask("新口令：", True)


def _ask(prompt: str, confirm: bool) -> str:
    if not sys.stdin or not sys.stdin.isatty():
        raise InvalidInput(
            "没有可用的口令：请在终端中运行，或用 --passphrase-file / 环境变量 LISHUI_DESK_PASSPHRASE 提供"
        )
    first = getpass.getpass(prompt)  # never echoed
    if confirm:
        second = getpass.getpass("再次输入以确认：")
        if first != second:
            raise InvalidInput("两次输入的口令不一致")
    return first


@contextmanager
def opened_profile(args: argparse.Namespace) -> Iterator[Any]:
    """The profile named by the arguments, unlocked for one command and locked again after it."""
    from lishui_desk.storage.profile import open_profile

    prof = open_profile(profile_of(args), passphrase(args), root=root_of(args))
    try:
        yield prof
    finally:
        prof.close()


def terminal_safe(text: str) -> str:
    from lishui_desk.validation import visible

    return visible(text)


@contextmanager
def opened_uow(args: argparse.Namespace, *, write: bool = True) -> Iterator[Any]:
    """One command = one unit of work on the profile named by the arguments (the CLI edge):
    committed when the command's work ends normally, rolled back on error."""
    from lishui_desk.unit_of_work import unit_of_work

    with opened_profile(args) as prof, unit_of_work(prof, write=write) as uow:
        yield uow


def emit(args: argparse.Namespace, data: Any, text: str) -> None:
    if getattr(args, "json", False):
        print(json.dumps(data, ensure_ascii=True if _has_surrogates(data) else False, indent=2, default=str))
    else:
        print(terminal_safe(text))


def _has_surrogates(data: Any) -> bool:
    try:
        json.dumps(data, ensure_ascii=False, default=str).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def cli_text(exc: DeskError) -> str:
    """What a terminal user reads: the plain message, or its fuller form naming the command to run."""
    return getattr(exc, "cli_text", None) or exc.message


def fail(exc: DeskError, args: argparse.Namespace) -> int:
    if getattr(args, "json", False):
        print(json.dumps({"error": exc.code, "message": terminal_safe(cli_text(exc))}, ensure_ascii=False),
              file=sys.stderr)
    else:
        print(f"错误：{terminal_safe(cli_text(exc))}", file=sys.stderr)
    return EXIT_CODES.get(exc.code, 2)


# exit codes scripts can rely on: 1 the record was changed (tampered), 3 a procedure refusal (set by
# the case commands), 4 stored data is damaged (restore a backup), 2 any other error
EXIT_CODES = {"integrity_broken": 1, "damaged": 4}


def case_id_of(uow: Any, ref: str) -> str:
    """The case a command names: a full id, a unique id prefix (as ``case list`` prints it) or a
    case number; otherwise a Chinese refusal (``InvalidInput``)."""
    from sqlalchemy import or_, select

    from lishui_desk.models import Case

    ids = list(uow.session.scalars(
        select(Case.id).where(or_(Case.id.like(f"{ref}%"), Case.case_number == ref))))
    if len(ids) == 1:
        return ids[0]
    raise InvalidInput(f"案件“{ref}”{'不存在' if not ids else '不唯一，请给出更长的编号'}")
