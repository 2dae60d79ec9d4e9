"""``python -m bot.gateway serve | agent add|list|disable``: run the gateway, manage accounts.

Accounts are for the agent console (role ``agente``) and the analytics dashboard
(``analista``). Passwords are asked at a prompt, or read from standard input with
``--password-stdin`` for scripts; they never appear on the command line.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from sqlalchemy.orm import Session

from bot.config import load_settings
from bot.gateway.accounts import (
    MIN_PASSWORD_CHARS,
    AccountError,
    add_account,
    disable_account,
    list_accounts,
)
from bot.handoff.models import ROLES
from bot.store.db import create_store_engine, store_session


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(f"Contraseña (mínimo {MIN_PASSWORD_CHARS} caracteres): ")
    if getpass.getpass("Repite la contraseña: ") != first:
        raise AccountError("Las contraseñas no coinciden.")
    return first


def _agent(args: argparse.Namespace) -> int:
    engine = create_store_engine(load_settings().database_url)
    try:
        with store_session(engine) as session:
            if args.action == "add":
                account = add_account(
                    session,
                    username=args.username,
                    display_name=args.name,
                    password=_password(args.password_stdin),
                    role=args.role,
                )
                print(
                    f"Cuenta creada: {account.username} ({account.role}), «{account.display_name}»."
                )
            elif args.action == "disable":
                account = disable_account(session, args.username)
                print(f"Cuenta desactivada: {account.username}. Su sesión deja de funcionar ya.")
            else:
                _print_accounts(session)
    except AccountError as exc:
        print(exc, file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    return 0


def _print_accounts(session: Session) -> None:
    accounts = list_accounts(session)
    if not accounts:
        print('No hay cuentas. Crea una con: python -m bot.gateway agent add <usuario> --name "…"')
        return
    rows = [("Usuario", "Nombre", "Rol", "Estado", "Última conexión")]
    for a in accounts:
        seen = a.last_seen_at.strftime("%Y-%m-%d %H:%M UTC") if a.last_seen_at else "-"
        state = "desactivada" if not a.active else "activa" if a.available else "ausente"
        rows.append((a.username, a.display_name, a.role, state, seen))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.gateway", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="serve the gateway on GATEWAY_PORT")
    agent = commands.add_parser("agent", help="console and dashboard accounts")
    actions = agent.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="create an account (the password is asked for)")
    add.add_argument("username")
    add.add_argument("--name", required=True, help='the name shoppers see, e.g. "Lucía"')
    add.add_argument("--role", choices=ROLES, default="agente")
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    actions.add_parser("list", help="list the accounts")
    disable = actions.add_parser("disable", help="disable an account and end its sessions")
    disable.add_argument("username")
    args = parser.parse_args(argv)
    if args.command == "serve":
        from bot.gateway.app import run

        run(load_settings())
        return 0
    return _agent(args)


if __name__ == "__main__":
    sys.exit(main())
