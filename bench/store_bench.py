"""Store benchmark: full seed time, and p50/p95 of a verified order lookup and a product search.

Runs on a fresh SQLite file and on a throw-away PostgreSQL server, and prints one
table. The target (design) is p95 under 5 ms for both queries.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from bot.store import search_products, store_session, verify_order
from bot.store.db import create_store_engine
from bot.store.migrate import upgrade_to_head
from bot.store.models import Customer, Order
from bot.store.seed import FULL, seed_store
from tests.pg import postgres_server

SEARCHES = [
    {"words": "zapatillas", "size": "42"},
    {"words": "camiseta algodon", "colour": "negro"},
    {"category": "sudaderas", "size": "M"},
    {"words": "vestido", "colour": "azul"},
    {"words": "bolso piel"},
    {"category": "zapatillas", "size": "38", "colour": "blanco"},
]


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def timed(call: Callable[[], object], runs: int) -> list[float]:
    """Milliseconds per call, after a warm-up of ten calls."""
    for _ in range(10):
        call()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def bench_database(label: str, url: str, runs: int) -> dict[str, float | str]:
    upgrade_to_head(url)
    engine = create_store_engine(url)
    report = seed_store(engine=engine, scale=FULL)
    rng = random.Random(1)
    with store_session(engine) as session:
        pairs = session.execute(
            select(Order.number, Customer.email).join(Customer, Order.customer_id == Customer.id)
        ).all()
    picks = [rng.choice(pairs) for _ in range(runs + 10)]
    searches = iter([SEARCHES[i % len(SEARCHES)] for i in range(runs + 10)])
    orders = iter(picks)

    def lookup() -> None:
        number, email = next(orders)
        with store_session(engine) as session:
            verify_order(session=session, number=number, email=email)

    def search() -> None:
        with store_session(engine) as session:
            search_products(session=session, **next(searches))

    lookups, finds = timed(lookup, runs), timed(search, runs)
    engine.dispose()
    return {
        "database": label,
        "seed_s": report.seconds,
        "lookup_p50": statistics.median(lookups),
        "lookup_p95": percentile(lookups, 95),
        "search_p50": statistics.median(finds),
        "search_p95": percentile(finds, 95),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=500, help="timed calls per query")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        rows.append(bench_database("SQLite", f"sqlite:///{Path(tmp) / 'bench.db'}", args.runs))
    with postgres_server("ruta_bench") as url:
        rows.append(bench_database("PostgreSQL", url, args.runs))

    print(f"Store benchmark ({args.runs} calls each; target p95 < 5 ms)")
    print(
        f"{'database':<11} {'seed':>8} {'lookup p50':>11} {'lookup p95':>11} "
        f"{'search p50':>11} {'search p95':>11}"
    )
    for row in rows:
        print(
            f"{row['database']:<11} {row['seed_s']:>7.1f}s {row['lookup_p50']:>9.2f}ms "
            f"{row['lookup_p95']:>9.2f}ms {row['search_p50']:>9.2f}ms {row['search_p95']:>9.2f}ms"
        )


if __name__ == "__main__":
    main()
