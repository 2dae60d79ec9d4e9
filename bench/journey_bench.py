"""Journey-log benchmark: what the broker adds to a turn, and exporting a million turns.

Targets: the broker adds under 5 % to whole-turn p50/p95; the export streams, so its
peak memory stays flat from 100,000 to 1,000,000 turns.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path

from bench.measure import run_measured
from bench.store_bench import percentile
from bench.synthetic_log import generate
from bot.config import Settings
from bot.services import DEFAULT_MODEL, running_services
from bot.store.db import create_store_engine
from bot.store.migrate import upgrade_to_head
from bot.store.seed import create_seeded_store
from tests.pg import free_port

CONVERSATION = [
    "hola",
    "¿puedo pagar con paypal?",
    "¿cuánto tarda el envío a canarias?",
    "¿tenéis tienda física?",
    "gracias",
]


def _report(line: str) -> None:
    print(line, flush=True)


def _turn(settings: Settings, sender: str, text: str) -> float:
    """One REST turn; its wall time in milliseconds."""
    body = json.dumps({"sender": sender, "message": text}).encode()
    request = urllib.request.Request(
        f"{settings.rasa_url}/webhooks/rest/webhook",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
    return (time.perf_counter() - start) * 1000


def paired_turn_latencies(
    without_url: str, with_url: str, conversations: int
) -> tuple[list[float], list[float]]:
    """Milliseconds per REST turn without and with the broker, measured side by side.

    Both stacks run at once (each on its own copy of the store) and the conversations
    alternate between them, turn by turn, so whatever else the machine is doing weighs
    on both samples alike; five warm-up conversations each are not counted.
    """
    stacks = {
        journey: Settings(url, "localhost", free_port(), free_port(), free_port(), "bench", 11)
        for journey, url in ((False, without_url), (True, with_url))
    }
    samples: dict[bool, list[float]] = {False: [], True: []}
    with ExitStack() as stack:
        for journey, settings in stacks.items():
            stack.enter_context(running_services(settings, DEFAULT_MODEL, journey=journey))
        for index in range(conversations + 5):
            order = (False, True) if index % 2 == 0 else (True, False)
            for text in CONVERSATION:
                for journey in order:
                    sender = f"bench-{'j' if journey else 'n'}-{index}"
                    elapsed = _turn(stacks[journey], sender, text)
                    if index >= 5:
                        samples[journey].append(elapsed)
    return samples[False], samples[True]


def timed_export(url: str, target: Path, *extra: str) -> tuple[float, float, int]:
    """Run the export command; return (seconds, peak RSS in MB, lines written)."""
    seconds, peak = run_measured(
        url, "bot.journey", "export", "--format", "csv", "--out", str(target), *extra
    )
    with target.open("rb") as handle:
        lines = sum(1 for _ in handle) - 1
    return seconds, peak, lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--conversations", type=int, default=40)
    parser.add_argument("--turns", type=int, default=1_000_000)
    args = parser.parse_args()
    _report("Journey-log benchmark (targets: broker adds < 5 % to turn latency; export streams)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        without, with_broker = paired_turn_latencies(
            create_seeded_store(f"sqlite:///{folder / 'plain.db'}"),
            create_seeded_store(f"sqlite:///{folder / 'logged.db'}"),
            args.conversations,
        )
        for name, samples in (("without broker", without), ("with broker", with_broker)):
            _report(
                f"whole turn, {name:<15} p50 {statistics.median(samples):6.1f} ms   "
                f"p95 {percentile(samples, 95):6.1f} ms   ({len(samples)} turns)"
            )
        added50 = statistics.median(with_broker) / statistics.median(without) - 1
        added95 = percentile(with_broker, 95) / percentile(without, 95) - 1
        _report(f"broker overhead          p50 {added50:+.1%}   p95 {added95:+.1%}")

        log_url = f"sqlite:///{folder / 'journey.db'}"
        upgrade_to_head(log_url)
        engine = create_store_engine(log_url)
        start = time.perf_counter()
        written = generate(engine, turns=args.turns)
        engine.dispose()
        _report(
            f"synthetic log            {written:,} turns in {time.perf_counter() - start:.0f} s"
        )
        for label, extra in (("~10 %", ("--since", "2026-11-10")), ("all", ())):
            seconds, peak, lines = timed_export(log_url, folder / "turns.csv", *extra)
            _report(
                f"export to CSV ({label:>5})    {lines:>9,} turns in {seconds:5.1f} s   "
                f"peak memory {peak:5.0f} MB"
            )


if __name__ == "__main__":
    main()
