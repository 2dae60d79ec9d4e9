"""``python -m bot.store migrate|seed|demo [--json]``: set up and inspect the store database."""

from __future__ import annotations

import argparse
import sys

from bot.config import get_settings
from bot.store.db import get_engine, store_session
from bot.store.errors import StoreUnavailable
from bot.store.migrate import upgrade_to_head


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.store", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="upgrade the schema to the newest revision")
    commands.add_parser("seed", help="fill an empty store with the demo catalogue and orders")
    demo = commands.add_parser("demo", help="list demo orders with what verifies each")
    demo.add_argument("--json", action="store_true", help="print JSON for scripts and tests")
    args = parser.parse_args(argv)

    settings = get_settings()
    try:
        if args.command == "migrate":
            before, after = upgrade_to_head(settings.database_url)
            if before == after:
                print(f"Database schema is up to date (revision {after}).")
            else:
                print(f"Database schema upgraded from {before or 'empty'} to {after}.")
        elif args.command == "seed":
            from bot.store.seed import seed_store

            report = seed_store(engine=get_engine(), seed=settings.seed)
            if report.seeded:
                summary = ", ".join(f"{n} {t}" for t, n in sorted(report.counts.items()))
                print(f"Seeded in {report.seconds:.1f} s: {summary}")
            else:
                print("The store is already seeded; nothing to do.")
        else:
            from bot.store.demo import demo_as_json, demo_as_table, demo_orders

            with store_session() as session:
                orders = demo_orders(session=session)
            print(demo_as_json(orders) if args.json else demo_as_table(orders))
    except StoreUnavailable:
        print(f"Cannot reach the database at {settings.database_url}.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
