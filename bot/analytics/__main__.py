"""``python -m bot.analytics report|painpoints``: the pain-point analysis from the command line.

    report      [--since DATE] [--until DATE] [--channel C] [--format md|html|csv|json]
                [--out FILE] [--top N] [--nlu FILE]
    painpoints  [--since DATE] [--until DATE] [--channel C] [--top N] [--format ...] [--out FILE]

Without dates the report covers the 30 days up to the last conversation in the log. A
progress bar goes to stderr when it is a terminal. ``--format csv --out DIR`` writes one
file per table into DIR; ``--nlu FILE`` also writes the unrecognised messages as a draft
Rasa NLU file for review.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session
from tqdm import tqdm

from bot.analytics.period import default_period
from bot.analytics.render import FORMATS, render, write_csv_folder
from bot.analytics.report import build_report, pain_point_report
from bot.analytics.unrecognised import draft_nlu
from bot.store.db import get_engine


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"fecha no válida {text!r}: usa AAAA-MM-DD") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot.analytics", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (
        ("report", "el informe completo"),
        ("painpoints", "solo los puntos de dolor"),
    ):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("--since", type=_day, help="primer día (AAAA-MM-DD)")
        command.add_argument("--until", type=_day, help="último día, incluido (AAAA-MM-DD)")
        command.add_argument("--channel", help="solo este canal (rest, socketio…)")
        command.add_argument("--format", choices=FORMATS, default="md")
        command.add_argument("--out", type=Path, help="fichero (o carpeta, con csv) de salida")
        command.add_argument("--top", type=int, default=10, help="puntos de dolor a mostrar")
        if name == "report":
            command.add_argument("--nlu", type=Path, help="borrador NLU de los no entendidos")
    return parser


def _block_tensorflow() -> None:
    """spaCy's thinc imports TensorFlow when it is installed (Rasa installs it) only to offer
    TF layers, which the analysis never uses: blocking it saves seconds of start-up."""
    sys.modules.setdefault("tensorflow", None)  # type: ignore[arg-type]


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    _block_tensorflow()
    with Session(get_engine(), future=True) as session:
        try:
            period = default_period(session, args.since, args.until, args.channel)
        except ValueError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        steps = 5 + args.top if args.command == "report" else 1 + args.top
        with tqdm(total=steps, file=sys.stderr, disable=None, unit="paso", leave=False) as bar:

            def progress(step: str) -> None:
                bar.set_description(step)
                bar.update()

            if args.command == "report":
                report = build_report(
                    session=session, period=period, top=args.top, progress=progress
                )
            else:
                report = pain_point_report(
                    session=session, period=period, top=args.top, progress=progress
                )
    if args.command == "report" and args.nlu:
        args.nlu.write_text(draft_nlu(report.unrecognised), encoding="utf-8")
    if args.format == "csv" and args.out is not None and args.out.suffix != ".csv":
        write_csv_folder(report, args.out)
    elif args.out is not None:
        args.out.write_text(render(report, args.format), encoding="utf-8")
    else:
        sys.stdout.write(render(report, args.format))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
