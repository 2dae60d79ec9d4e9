"""Gateway benchmark: what the gateway adds to a shopper's turn, under 1, 10 and 50 shoppers.

Each simulated shopper holds whole conversations (greeting, an order lookup with
verification against the store, shipping and payment questions, thanks) over the
gateway's REST webhook, over its socket.io channel (a websocket, as browsers use),
and straight against Rasa's REST channel, all in the same run on the same servers.
Targets: the gateway adds under 10 % to p95 and loses no message.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import aiohttp

from bench.store_bench import percentile
from bot.config import Settings
from bot.services import DEFAULT_MODEL, running_services
from bot.store.db import create_store_engine, store_session
from bot.store.demo import DemoOrder, demo_orders
from bot.store.seed import create_seeded_store
from tests.pg import free_port

TURN_TIMEOUT = 60.0
SETTLE_SECONDS = 2.0  # after a burst of 20 or more shoppers; less after smaller ones
# Replies that mean the gateway could not get an answer from Rasa in time.
FAILURE_MARKS = ("el asistente no puede responderte", "Vas muy rápido")
# (concurrent shoppers, conversations each): about 140, 700 and 1,400 turns per channel.
# With 10 or 50 shoppers both cores are saturated and a p95 is a queueing figure: over
# 140 turns it moved by ±8 points between identical runs, over 700 by ±4 (four runs).
LOADS = ((1, 30), (10, 15), (50, 6))
BOOTSTRAP_SAMPLES = 2000


def conversations(orders: list[DemoOrder]) -> list[list[str]]:
    """Short, realistic conversations; the order lookups run database-backed actions."""
    lookups = [
        ["hola", "¿dónde está mi pedido?", o.number, o.email, "gracias"]
        for o in orders
        if o.status in ("enviado", "en_reparto", "entregado")
    ]
    questions = [
        ["hola", "¿puedo pagar con paypal?", "¿cuánto tarda el envío a canarias?", "gracias"],
        ["buenas", "¿tenéis la camiseta en talla m?", "¿hacéis envíos a méxico?", "adiós"],
    ]
    return [c for pair in zip(lookups, questions * len(lookups), strict=False) for c in pair]


@dataclass
class Tally:
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    lost: int = 0  # a turn that got no answer at all
    rounds: list[int] = field(default_factory=list)  # where each round's latencies start

    def by_round(self) -> list[list[float]]:
        ends = [*self.rounds[1:], len(self.latencies_ms)]
        return [self.latencies_ms[a:b] for a, b in zip(self.rounds, ends, strict=True)]


def p95_ratio_interval(mine: Tally, rasa: Tally) -> tuple[float, float]:
    """95 % bootstrap interval of the p95 ratio, resampling whole rounds.

    The channels take turns round by round, so round i of each ran in the same minute of
    the machine's life: resampling rounds as pairs keeps that pairing, and the interval
    shows how far the figure could move in an identical run.
    """
    pairs = list(zip(mine.by_round(), rasa.by_round(), strict=True))
    rng = random.Random(0)
    ratios = []
    for _ in range(BOOTSTRAP_SAMPLES):
        drawn = rng.choices(pairs, k=len(pairs))
        a = [x for pair in drawn for x in pair[0]]
        b = [x for pair in drawn for x in pair[1]]
        if a and b:
            ratios.append(percentile(a, 95) / percentile(b, 95))
    if not ratios:
        return float("nan"), float("nan")
    return percentile(ratios, 2.5), percentile(ratios, 97.5)


Turn = Callable[[str], Awaitable[list[Any]]]
Opener = Callable[
    [aiohttp.ClientSession, str], Awaitable[tuple[Turn, Callable[[], Awaitable[None]]]]
]


def rest_opener(url: str) -> Opener:
    async def open_rest(
        http: aiohttp.ClientSession, sender: str
    ) -> tuple[Turn, Callable[[], Awaitable[None]]]:
        async def turn(text: str) -> list[Any]:
            async with http.post(url, json={"sender": sender, "message": text}) as response:
                response.raise_for_status()
                replies: list[Any] = await response.json()
                return replies

        async def close() -> None:
            return None

        return turn, close

    return open_rest


class SocketShopper:
    """Socket.IO v5 over Engine.IO v4 on a websocket, framed by hand as socket.io-client does.

    (python-engineio's asyncio client needs aiohttp 3.10 for websockets; Rasa pins 3.9.)
    """

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.said: list[dict[str, Any]] = []
        self.acks: dict[int, asyncio.Future[Any]] = {}
        self.confirmed: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self.next_ack = 0
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for frame in self.ws:
            data = frame.data
            if not isinstance(data, str):
                continue
            if data == "2":
                await self.ws.send_str("3")  # Engine.IO pong
            elif data.startswith("42"):
                name, *args = json.loads(data[2:])
                if name == "bot_uttered":
                    self.said.append(args[0])
                elif name == "session_confirm" and not self.confirmed.done():
                    self.confirmed.set_result(args[0])
            elif data.startswith("43"):
                body = data[2:]
                digits = len(body) - len(body.lstrip("0123456789"))
                future = self.acks.pop(int(body[:digits]), None)
                if future is not None and not future.done():
                    future.set_result(json.loads(body[digits:]))

    async def turn(self, text: str, session_id: str) -> list[Any]:
        self.next_ack += 1
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.acks[self.next_ack] = future
        self.said = []
        payload = json.dumps(
            ["user_uttered", {"message": text, "session_id": session_id}], ensure_ascii=False
        )
        await self.ws.send_str(f"42{self.next_ack}{payload}")
        await future  # the ack follows every bot_uttered of this turn
        return self.said


def socket_opener(base_url: str) -> Opener:
    url = f"{base_url}/socket.io/?EIO=4&transport=websocket"

    async def open_socket(
        http: aiohttp.ClientSession, sender: str
    ) -> tuple[Turn, Callable[[], Awaitable[None]]]:
        ws = await http.ws_connect(url)
        opened = await ws.receive_str()
        if not opened.startswith("0"):
            raise RuntimeError(f"unexpected Engine.IO open packet {opened[:40]!r}")
        await ws.send_str("40")
        shopper = SocketShopper(ws)
        await ws.send_str('42["session_request",{"session_id":"' + sender + '"}]')
        session_id = await asyncio.wait_for(shopper.confirmed, TURN_TIMEOUT)

        async def turn(text: str) -> list[Any]:
            return await shopper.turn(text, session_id)

        async def close() -> None:
            await ws.close()
            shopper.reader.cancel()

        return turn, close

    return open_socket


async def shopper(
    http: aiohttp.ClientSession, opener: Opener, scripts: list[list[str]], tally: Tally
) -> None:
    for script in scripts:
        try:
            turn, close = await opener(http, uuid.uuid4().hex)
        except (aiohttp.ClientError, asyncio.TimeoutError, RuntimeError):
            tally.errors += len(script)
            continue
        try:
            for text in script:
                start = time.perf_counter()
                try:
                    replies = await asyncio.wait_for(turn(text), TURN_TIMEOUT)
                except (aiohttp.ClientError, asyncio.TimeoutError):
                    tally.errors += 1
                    tally.lost += 1
                    continue
                tally.latencies_ms.append((time.perf_counter() - start) * 1000)
                said = " ".join(str(r.get("text", "")) for r in replies if isinstance(r, dict))
                if not replies:
                    tally.lost += 1
                elif any(mark in said for mark in FAILURE_MARKS):
                    tally.errors += 1
        finally:
            await close()


async def load(
    opener: Opener, scripts: list[list[str]], shoppers: int, offset: int, tally: Tally
) -> float:
    """``shoppers`` at once, each holding one conversation; adds to ``tally``, returns seconds."""
    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=TURN_TIMEOUT)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:
        start = time.perf_counter()
        await asyncio.gather(
            *(
                shopper(http, opener, [scripts[(offset + i) % len(scripts)]], tally)
                for i in range(shoppers)
            )
        )
        return time.perf_counter() - start


def peak_rss_mb(pid: int) -> tuple[float, float]:
    """(current, peak) resident memory of a process, from /proc, in MB."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return (int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024)


def _line(label: str, tally: Tally, seconds: float) -> str:
    samples = tally.latencies_ms or [float("nan")]
    p50, p95, p99 = statistics.median(samples), percentile(samples, 95), percentile(samples, 99)
    rate = len(tally.latencies_ms) / seconds
    return (
        f"  {label:<18} p50 {p50:7.1f}  p95 {p95:7.1f}  p99 {p99:7.1f} ms   "
        f"{rate:6.1f} turns/s   errors {tally.errors}   lost {tally.lost}"
    )


async def run(settings: Settings, scripts: list[list[str]], gateway_pid: int, scale: int) -> None:
    gateway = f"http://{settings.host}:{settings.gateway_port}"
    channels: dict[str, Opener] = {
        "Rasa REST": rest_opener(f"{settings.rasa_url}/webhooks/rest/webhook"),
        "gateway REST": rest_opener(f"{gateway}/webhooks/rest/webhook"),
        "gateway socket.io": socket_opener(gateway),
    }
    for opener in channels.values():  # warm-up: first turns load caches and connections
        await load(opener, scripts, 2, 0, Tally())
    rss_before, _ = peak_rss_mb(gateway_pid)
    print(f"gateway memory before the load: {rss_before:.0f} MB", flush=True)
    for shoppers, rounds in LOADS:
        rounds *= scale
        print(f"{shoppers} concurrent shopper(s), {rounds} conversation(s) each", flush=True)
        tallies = {label: Tally() for label in channels}
        seconds = dict.fromkeys(channels, 0.0)
        # Rounds alternate between the channels, in a rotating order with a pause between
        # them (Rasa's journey broker writes after each burst), so no channel always runs
        # in another's wake and a busy moment on the machine hits all three.
        labels = list(channels)
        for round_ in range(rounds):
            for label in labels[round_ % 3 :] + labels[: round_ % 3]:
                await asyncio.sleep(SETTLE_SECONDS * min(1.0, shoppers / 20))
                tallies[label].rounds.append(len(tallies[label].latencies_ms))
                seconds[label] += await load(
                    channels[label], scripts, shoppers, round_ * shoppers, tallies[label]
                )
        for label in channels:
            print(_line(label, tallies[label], seconds[label]), flush=True)
        rasa = tallies["Rasa REST"].latencies_ms or [float("nan")]
        for label in ("gateway REST", "gateway socket.io"):
            mine = tallies[label].latencies_ms or [float("nan")]
            p50 = statistics.median(mine) / statistics.median(rasa)
            p95 = percentile(mine, 95) / percentile(rasa, 95)
            low, high = p95_ratio_interval(tallies[label], tallies["Rasa REST"])
            print(
                f"  {label} / Rasa   p50 ratio {p50:.2f}   p95 ratio {p95:.2f} "
                f"(95 % interval over rounds {low:.2f}–{high:.2f})",
                flush=True,
            )
    current, peak = peak_rss_mb(gateway_pid)
    print(f"gateway memory after the load: {current:.0f} MB, peak {peak:.0f} MB", flush=True)
    limit = settings.gateway_timeout_seconds
    print(f"(after GATEWAY_TIMEOUT = {limit:g} s the gateway answers honestly: counted as errors)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=1, help="multiply conversations per shopper")
    args = parser.parse_args()
    print("Gateway benchmark (target: the gateway adds < 10 % to p95 and loses no message)")
    with tempfile.TemporaryDirectory() as tmp:
        url = create_seeded_store(f"sqlite:///{Path(tmp) / 'store.db'}")
        engine = create_store_engine(url)
        with store_session(engine) as session:
            orders = demo_orders(session=session, today=date.today())
        engine.dispose()
        settings = Settings(url, "localhost", free_port(), free_port(), free_port(), "bench", 11)
        # Each simulated conversation is its own session, well under the per-session limit.
        settings = replace(settings, agent_hours="24/7", uploads_dir=Path(tmp) / "uploads")
        with running_services(settings, DEFAULT_MODEL) as services:
            gateway_pid = services[-1].process.pid if services[-1].process else 0
            asyncio.run(run(settings, conversations(orders), gateway_pid, args.scale))


if __name__ == "__main__":
    main()
