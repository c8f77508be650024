"""``lishui-county``: county-side commands.

    lishui-county keygen --out county            writes county.pem (private, keep offline) and county.pub
    lishui-county recover-key KEYRING --key county.pem [--out data.key]
                                                 unwraps a departed officer's data key (hex) from the
                                                 profile's keyring.json with the recovery private key

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
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lishui_desk.crypto import keyring, recovery
from lishui_desk.errors import DeskError, InvalidInput
from sync import county_bundle_cmds, county_hub_cmds


def _keygen(args: argparse.Namespace) -> int:
    base = Path(args.out)
    priv_path, pub_path = base.with_suffix(".pem"), base.with_suffix(".pub")
    for p in (priv_path, pub_path):
        if p.exists():
            raise InvalidInput(f"{p} 已存在，不会覆盖")
    password = args.password.encode("utf-8") if args.password else None
    private_pem, public_raw = recovery.generate_recovery_keypair(password)
    recovery.save_private_key(priv_path, private_pem)
    recovery.save_public_key(pub_path, public_raw)
    print(f"已生成县级恢复密钥：私钥 {priv_path}（请离线保管），公钥 {pub_path}")
    print(f"公钥指纹：{recovery.format_fingerprint(recovery.fingerprint(public_raw))}")
    return 0


def _recover(args: argparse.Namespace) -> int:
    pem = Path(args.key).read_bytes()
    password = args.password.encode("utf-8") if args.password else None
    key = keyring.recover_data_key(args.keyring, pem, password=password)
    if args.out:
        out = Path(args.out)
        out.write_text(key.hex() + "\n", encoding="ascii")
        out.chmod(0o600)
        print(f"数据密钥已写入 {out}（请妥善保管，用后销毁）")
    else:
        print(key.hex())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lishui-county", description="丽水乡镇综合执法 县级端工具")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("keygen", help="生成县级恢复密钥对")
    p.add_argument("--out", required=True, help="输出文件名（不含扩展名）")
    p.add_argument("--password", help="私钥口令（可选）")
    p.set_defaults(func=_keygen)
    p = sub.add_parser("recover-key", help="用恢复私钥解出档案的数据密钥")
    p.add_argument("keyring", help="档案的 keyring.json")
    p.add_argument("--key", required=True, help="县级恢复私钥 PEM")
    p.add_argument("--password", help="私钥口令（如有）")
    p.add_argument("--out", help="把数据密钥写入文件（默认打印）")
    p.set_defaults(func=_recover)
    county_hub_cmds.register(parser, sub)
    county_bundle_cmds.register(sub, county_hub_cmds._common)
    return parser


def main(argv: list[str] | None = None) -> int:
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
