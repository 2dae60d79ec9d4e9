"""``python -m bot.journey export|retention|replay|check``: the journey log's command line."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from bot.config import get_settings
from bot.journey.export import FORMATS, RECORDS, export
from bot.journey.retention import apply_retention
from bot.journey.stages import JourneyConfigError, load_journey
from bot.journey.writer import JourneyWriter
from bot.store.db import get_engine


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.journey", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    out = commands.add_parser("export", help="turns or conversations as CSV or JSON Lines")
    out.add_argument("--format", choices=FORMATS, default="csv")
    out.add_argument("--records", choices=RECORDS, default="turns")
    out.add_argument("--since", type=date.fromisoformat, help="YYYY-MM-DD, inclusive")
    out.add_argument("--stage", help="only turns in this stage (conversations that visit it)")
    out.add_argument("--out", help="file to write (default: standard output)")
    keep = commands.add_parser("retention", help="anonymise or delete what is older than N days")
    keep.add_argument("--days", type=int, required=True)
    keep.add_argument("--delete", action="store_true", help="delete instead of anonymising")
    commands.add_parser("replay", help="fill the log from Rasa's tracker store (idempotent)")
    commands.add_parser("check", help="validate journey.yml against domain.yml")
    args = parser.parse_args(argv)

    try:
        journey = load_journey()
    except JourneyConfigError as error:
        print(error, file=sys.stderr)
        return 2
    if args.command == "check":
        print(f"journey.yml is valid: stages {', '.join(journey.names)}")
        return 0
    if args.command == "export" and args.stage is not None and args.stage not in journey.names:
        parser.error(f"unknown stage {args.stage!r}; stages: {', '.join(journey.names)}")
    settings = get_settings()
    engine = get_engine()
    if args.command == "export":
        if args.out:
            with open(args.out, "w", encoding="utf-8", newline="") as handle:
                count = export(
                    engine,
                    handle,
                    fmt=args.format,
                    records=args.records,
                    since=args.since,
                    stage=args.stage,
                )
        else:
            count = export(
                engine,
                sys.stdout,
                fmt=args.format,
                records=args.records,
                since=args.since,
                stage=args.stage,
            )
        print(f"{count} {args.records} exported", file=sys.stderr)
    elif args.command == "retention":
        report = apply_retention(
            engine, args.days, delete_rows=args.delete, uploads_dir=settings.uploads_dir
        )
        verb = "deleted" if args.delete else "anonymised"
        print(
            f"{report.conversations} conversations {verb}, {report.tracker_events} tracker "
            f"events deleted, {report.feedback} feedback texts cleared, "
            f"{report.gateway_messages} gateway messages and {report.photos} photos deleted"
        )
    else:
        writer = JourneyWriter(engine, journey, settings.secret_key, settings.journey_idle_seconds)
        behind = writer.behind()
        writer.sync(behind)
        closed = writer.close_idle()
        print(f"{len(behind)} conversations brought up to date, {closed} outcomes settled")
    return 0


if __name__ == "__main__":
    sys.exit(main())
