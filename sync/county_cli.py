"""``lishui-county``: county-side commands.

    lishui-county keygen --out county            writes county.pem (private, keep offline) and county.pub
    lishui-county recover-key KEYRING --key county.pem --out data.key | --print-key
                                                 unwraps a departed officer's data key (hex) from the
                                                 profile's keyring.json with the recovery private key

The private-key password is never an argument (it would show in the process list and the shell
history): it is asked for on the terminal, or read from ``--password-file FILE`` or
``--password-fd N`` (a descriptor the calling script opened). ``keygen --no-password`` makes an
unencrypted key on purpose. The data key is written only to ``--out`` (created 0600, atomically)
or shown with the explicit ``--print-key``.

The county hub (see docs/SYNC.md); each takes ``--data-dir``, ``--db-url`` and ``--json``, before
or after the subcommand:

    lishui-county init [--recovery-key]          hub signing key, database, epoch
    lishui-county serve --host H --port P [--db-url URL]
    lishui-county restored                       after restoring the database from a backup: new epoch
    lishui-county township add --code CODE       (name from the divisions table)
    lishui-county officer add --township CODE --cert-no N --name NAME
    lishui-county enroll --township CODE --cert-no N [--hub-url URL] [--qr FILE]
                                                 (the one-time code is the last line printed)
    lishui-county device list | device revoke ID
    lishui-county cases [--json]
    lishui-county quarantine list | quarantine reprocess [ID]
    lishui-county publish catalog|definitions|policy|calendar|roster FILE [--township CODE]
                  [--effective-from DATE] [--min-client-version V] [--version N]
    lishui-county review record CASE --result 同意|不同意 --opinion TEXT [--reviewer NAME]
    lishui-county blocks reserve --device ID --doc-code 代字 [--year YYYY] [--count N]
    lishui-county task assign --township CODE --summary TEXT [--item-code C] [--lead-on D] [--device ID]
    lishui-county bundle import FILE | bundle export --device ID --out FILE
    lishui-county bundle import-profile PROFILE_DIR --key county.pem   (docs/SYNC_FIELD.md)
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from lishui_desk.crypto import PRIVATE_UMASK, atomic_write_bytes, keyring, recovery
from lishui_desk.errors import DeskError, InvalidInput
from sync import county_bundle_cmds, county_document_cmds, county_hub_cmds, county_ops_cmds


def _read_secret_file(path: str) -> bytes:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InvalidInput(f"无法读取私钥密码文件 {path}：{exc.strerror}") from None
    return _strip_line(data)


def _strip_line(data: bytes) -> bytes:
    if data.startswith(b"\xef\xbb\xbf"):  # a BOM from a Windows editor is not part of the password
        data = data[3:]
    return data.rstrip(b"\r\n")


def _read_fd(fd: int) -> bytes:
    try:
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return _strip_line(fh.read())
    except OSError as exc:
        raise InvalidInput(f"无法从文件描述符 {fd} 读取私钥密码：{exc.strerror}") from None


def _password(args: argparse.Namespace, *, confirm: bool, required: bool) -> bytes | None:
    """The private-key password: file, descriptor or terminal prompt; never the command line."""
    if getattr(args, "password_file", None):
        pw = _read_secret_file(args.password_file)
    elif getattr(args, "password_fd", None) is not None:
        pw = _read_fd(args.password_fd)
    elif sys.stdin is not None and sys.stdin.isatty():
        first = getpass.getpass("私钥密码：")
        if confirm and getpass.getpass("再次输入以确认：") != first:
            raise InvalidInput("两次输入的私钥密码不一致")
        pw = first.encode("utf-8")
    elif required:
        raise InvalidInput("需要私钥密码：请在终端中运行，或用 --password-file / --password-fd 提供")
    else:
        return None
    if not pw:
        raise InvalidInput("私钥密码不能为空（不设密码请用 --no-password）")
    return pw


def _keygen(args: argparse.Namespace) -> int:
    base = Path(args.out)
    priv_path, pub_path = base.with_suffix(".pem"), base.with_suffix(".pub")
    for p in (priv_path, pub_path):
        if p.exists():
            raise InvalidInput(f"{p} 已存在，不会覆盖")
    password = None if args.no_password else _password(args, confirm=True, required=True)
    private_pem, public_raw = recovery.generate_recovery_keypair(password)
    recovery.save_private_key(priv_path, private_pem, password)
    recovery.save_public_key(pub_path, public_raw)
    print(f"已生成县级恢复密钥：私钥 {priv_path}（请离线保管），公钥 {pub_path}")
    print(f"公钥指纹：{recovery.format_fingerprint(recovery.fingerprint(public_raw))}")
    return 0


def _pem_is_encrypted(pem: bytes) -> bool:
    return b"ENCRYPTED" in pem.split(b"\n", 1)[0]


def _recover(args: argparse.Namespace) -> int:
    if not args.out and not args.print_key:
        raise InvalidInput("数据密钥只写入文件或按明确要求显示：请用 --out 文件，或加 --print-key 在屏幕上显示")
    try:
        pem = Path(args.key).read_bytes()
    except OSError as exc:
        raise InvalidInput(f"无法读取县级恢复私钥 {args.key}：{exc.strerror}") from None
    password = _password(args, confirm=False, required=True) if _pem_is_encrypted(pem) else None
    key = keyring.recover_data_key(args.keyring, pem, password=password)
    if args.out:
        out = Path(args.out)
        if out.exists():
            raise InvalidInput(f"{out} 已存在，不会覆盖")
        atomic_write_bytes(out, key.hex().encode("ascii") + b"\n", mode=0o600)  # 0600 before any byte
        print(f"数据密钥已写入 {out}（仅本账户可读；请妥善保管，用后销毁）")
    if args.print_key:
        print(key.hex())
    return 0


def _password_args(p: argparse.ArgumentParser) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument("--password-file", help="从文件读取私钥密码（不在命令行上给出密码）")
    g.add_argument("--password-fd", type=int, help="从已打开的文件描述符读取私钥密码")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lishui-county", description="丽水乡镇综合执法 县级端工具")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("keygen", help="生成县级恢复密钥对")
    p.add_argument("--out", required=True, help="输出文件名（不含扩展名）")
    _password_args(p)
    p.add_argument("--no-password", action="store_true", help="不给私钥设密码（不推荐）")
    p.set_defaults(func=_keygen)
    p = sub.add_parser("recover-key", help="用恢复私钥解出档案的数据密钥")
    p.add_argument("keyring", help="档案的 keyring.json")
    p.add_argument("--key", required=True, help="县级恢复私钥 PEM")
    _password_args(p)
    p.add_argument("--out", help="把数据密钥写入文件（新建，仅本账户可读）")
    p.add_argument("--print-key", action="store_true", help="在屏幕上显示数据密钥（十六进制）")
    p.set_defaults(func=_recover)
    county_hub_cmds.register(parser, sub)
    county_bundle_cmds.register(sub, county_hub_cmds._common)
    county_ops_cmds.register(sub, county_hub_cmds._common)
    county_document_cmds.register(sub, county_hub_cmds._common)
    return parser


def main(argv: list[str] | None = None) -> int:
    os.umask(PRIVATE_UMASK)  # key files: owner-only from the start
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except DeskError as exc:
        if getattr(args, "json", False):
            import json

            print(json.dumps({"error": exc.code, "message": exc.message}, ensure_ascii=False), file=sys.stderr)
        else:
            print(f"错误：{exc.message}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"错误：无法读写文件 {exc.filename}：{exc.strerror}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
