"""Run many simulated shoppers against the gateway, a few at a time, and sum up how it went.

Each conversation draws from its own generator, seeded with the run's seed and its index,
so a seed reproduces the same shoppers whatever the concurrency. Progress goes to stderr;
the summary is returned (and printed by the CLI).
"""

from __future__ import annotations

import asyncio
import random
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import aiohttp

from bot.simulate.client import BotMessage, Channel, RestChannel, SocketChannel
from bot.simulate.orders import OrderBook
from bot.simulate.plants import Plant
from bot.simulate.shopper import Outcome, Shopper, draw_plan

Progress = Callable[[int, int, Counter[str]], None]


@dataclass(frozen=True)
class SimulationConfig:
    gateway_url: str
    conversations: int = 200
    concurrency: int = 4
    seed: int = 1
    plant: Plant | None = None
    pause_seconds: float = 0.0  # between a shopper's messages: reading and typing time


@dataclass
class Summary:
    """What the run did, per ending and per stage (as each shopper meant it)."""

    conversations: int = 0
    turns: int = 0
    seconds: float = 0.0
    endings: Counter[str] = field(default_factory=Counter)
    stages: Counter[str] = field(default_factory=Counter)
    channels: Counter[str] = field(default_factory=Counter)
    planted: Counter[str] = field(default_factory=Counter)  # endings of planted shoppers
    misunderstood: int = 0  # conversations with at least one "no te he entendido"
    errors: list[str] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        self.conversations += 1
        self.turns += outcome.turns
        self.endings[outcome.ending] += 1
        self.stages[outcome.stage] += 1
        self.channels[outcome.channel] += 1
        self.misunderstood += outcome.misunderstood > 0
        if outcome.planted:
            self.planted[outcome.ending] += 1
        if outcome.error:
            self.errors.append(f"{outcome.persona}: {outcome.error}")
        self.outcomes.append(outcome)


def stderr_progress(done: int, total: int, endings: Counter[str]) -> None:
    """One line on stderr, rewritten in place on a terminal, every tenth otherwise."""
    tty = sys.stderr.isatty()
    if not tty and done != total and done % max(1, total // 10):
        return
    parts = ", ".join(f"{n} {name}" for name, n in sorted(endings.items()))
    start = "\r" if tty else ""
    sys.stderr.write(f"{start}{done}/{total} conversaciones ({parts})")
    sys.stderr.write("\n" if not tty or done == total else "")
    sys.stderr.flush()


class _Paced:
    """A channel that waits before each message, as a person reading and typing would."""

    def __init__(self, inner: Channel, pause: float, rng: random.Random) -> None:
        self.inner, self.pause, self.rng = inner, pause, rng
        self.channel = inner.channel
        self.session_id = inner.session_id

    async def open(self) -> None:
        await self.inner.open()
        self.session_id = self.inner.session_id

    async def say(self, text: str) -> list[BotMessage]:
        await asyncio.sleep(self.rng.uniform(0.5, 1.5) * self.pause)
        return await self.inner.say(text)

    async def close(self) -> None:
        await self.inner.close()


async def run_simulation(
    config: SimulationConfig, book: OrderBook, progress: Progress | None = stderr_progress
) -> Summary:
    """Hold ``config.conversations`` conversations, at most ``config.concurrency`` at once."""
    summary = Summary()
    started = time.monotonic()
    gate = asyncio.Semaphore(max(1, config.concurrency))
    connector = aiohttp.TCPConnector(limit=max(4, config.concurrency * 2))
    async with aiohttp.ClientSession(connector=connector) as http:

        async def one(index: int) -> None:
            rng = random.Random(f"{config.seed}:{index}")
            plan = draw_plan(rng, book, config.plant)
            channel: Channel = (
                SocketChannel(config.gateway_url)
                if plan.channel == "widget"
                else RestChannel(config.gateway_url, http)
            )
            if config.pause_seconds > 0:
                channel = _Paced(channel, config.pause_seconds, rng)
            async with gate:
                outcome = await Shopper(plan, rng).converse(channel)
            summary.add(outcome)
            if progress is not None:
                progress(summary.conversations, config.conversations, summary.endings)

        await asyncio.gather(*(one(i) for i in range(config.conversations)))
    summary.seconds = time.monotonic() - started
    return summary


ENDING_WORDS = {
    "completa": "llegaron al final",
    "derivada": "pasadas a una persona",
    "abandonada": "abandonadas a medias",
    "error": "con error del gateway",
}


def format_summary(summary: Summary, idle_seconds: int) -> str:
    """The run in a few Spanish lines, for the terminal."""
    lines = [
        f"{summary.conversations} conversaciones, {summary.turns} mensajes, "
        f"{summary.seconds:.0f} s",
    ]
    for ending, count in summary.endings.most_common():
        lines.append(f"  {count:4d} {ENDING_WORDS.get(ending, ending)}")
    lines.append("Por etapa: " + ", ".join(f"{s} {n}" for s, n in summary.stages.most_common()))
    lines.append("Por canal: " + ", ".join(f"{c} {n}" for c, n in summary.channels.most_common()))
    lines.append(f"Con algún mensaje no entendido: {summary.misunderstood}")
    if summary.planted:
        planted = ", ".join(f"{n} {ENDING_WORDS.get(e, e)}" for e, n in summary.planted.items())
        lines.append(f"Punto de dolor plantado: {sum(summary.planted.values())} ({planted})")
    for error in summary.errors[:5]:
        lines.append(f"  error: {error}")
    minutes = idle_seconds / 60
    lines.append(
        "El registro del journey da por cerradas las conversaciones tras "
        f"{idle_seconds} s sin mensajes (JOURNEY_IDLE_SECONDS, {minutes:.0f} min): "
        "entonces aparecen en el panel con su resultado."
    )
    return "\n".join(lines)
