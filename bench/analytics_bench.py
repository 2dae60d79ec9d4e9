"""Analytics benchmark: the full report over a synthetic log of a million turns.

Runs on a SQLite file and on a throw-away PostgreSQL server. The report runs as its own
process (``python -m bot.analytics report``), so its time and peak memory are its own,
spaCy's start-up included. Targets: under 10 s and under 1 GB.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from bench.measure import run_measured
from bench.synthetic_log import Plant, generate
from bot.store.db import create_store_engine
from bot.store.migrate import upgrade_to_head
from tests.pg import postgres_server

PLANT = Plant("postventa", "solicitar_devolucion", "talla", 0.5, "la etiqueta no me llega")


def timed_report(url: str, target: Path) -> tuple[float, float]:
    """Run the full report over the whole log; return (seconds, peak RSS in MB)."""
    return run_measured(
        url,
        "bot.analytics",
        "report",
        "--since",
        "2026-08-01",
        "--until",
        "2026-11-30",
        "--format",
        "html",
        "--out",
        str(target),
    )


def bench(label: str, url: str, turns: int, folder: Path) -> None:
    upgrade_to_head(url)
    engine = create_store_engine(url)
    start = time.perf_counter()
    written = generate(engine, turns=turns, plant=PLANT)
    if engine.dialect.name == "postgresql":
        # Autovacuum would analyse tables this size within a minute of the load; without
        # statistics the planner takes the fresh tables for empty and nests loops.
        with engine.connect() as connection:
            connection.execute(text("ANALYZE"))
            connection.commit()
    engine.dispose()
    print(f"{label:<10} synthetic log {written:,} turns in {time.perf_counter() - start:.0f} s")
    seconds, peak = timed_report(url, folder / f"{label}.html")
    print(f"{label:<10} full report  {seconds:5.1f} s   peak memory {peak:5.0f} MB", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=1_000_000)
    parser.add_argument("--database", choices=("all", "sqlite", "postgresql"), default="all")
    args = parser.parse_args()
    print("Analytics benchmark (targets: full report < 10 s and < 1 GB)", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.database in ("all", "sqlite"):
            bench("SQLite", f"sqlite:///{folder / 'journey.db'}", args.turns, folder)
        if args.database in ("all", "postgresql"):
            with postgres_server() as url:
                bench("PostgreSQL", url, args.turns, folder)


if __name__ == "__main__":
    main()
