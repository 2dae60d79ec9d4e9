"""``python -m bot.simulate``: realistic shopper conversations against the running gateway.

Start Ruta first (``make run``), then, in another terminal::

    python -m bot.simulate --conversations 200
    python -m bot.simulate --conversations 300 --plant postventa:devolucion

Defaults come from the same settings as the services (``GATEWAY_PORT``, ``DATABASE_URL``).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time

from bot.config import get_settings
from bot.simulate.orders import load_orders
from bot.simulate.plants import PLANTS, parse_plant
from bot.simulate.runner import SimulationConfig, format_summary, run_simulation


def parser() -> argparse.ArgumentParser:
    settings = get_settings()
    plants = "; ".join(f"{key}: {plant.description}" for key, plant in PLANTS.items())
    cli = argparse.ArgumentParser(
        prog="python -m bot.simulate",
        description="Conversaciones simuladas de clientes contra el gateway en marcha.",
    )
    cli.add_argument("--conversations", "-n", type=int, default=200, help="cuántas (200)")
    cli.add_argument(
        "--gateway",
        default=f"http://{settings.host}:{settings.gateway_port}",
        help="URL del gateway (por defecto la de GATEWAY_PORT)",
    )
    cli.add_argument("--concurrency", "-c", type=int, default=4, help="a la vez (4)")
    cli.add_argument("--seed", type=int, default=settings.seed, help="semilla (RUTA_SEED)")
    cli.add_argument("--plant", help=f"punto de dolor que plantar. {plants}")
    cli.add_argument(
        "--pause", type=float, default=0.0, help="segundos entre mensajes de un cliente (0)"
    )
    cli.add_argument(
        "--settle",
        action="store_true",
        help="esperar al final JOURNEY_IDLE_SECONDS para que el registro cierre las conversaciones",
    )
    cli.add_argument(
        "--database-url",
        default=settings.database_url,
        help="tienda de la que leer los pedidos de los clientes (DATABASE_URL)",
    )
    return cli


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.conversations < 1 or args.concurrency < 1:
        print("--conversations y --concurrency tienen que ser 1 o más", file=sys.stderr)
        return 2
    try:
        plant = parse_plant(args.plant) if args.plant else None
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    book = load_orders(args.database_url)
    if not book.orders:
        print(f"La tienda de {args.database_url} no tiene pedidos: make seed", file=sys.stderr)
        return 1
    config = SimulationConfig(
        gateway_url=args.gateway,
        conversations=args.conversations,
        concurrency=args.concurrency,
        seed=args.seed,
        plant=plant,
        pause_seconds=args.pause,
    )
    summary = asyncio.run(run_simulation(config, book))
    idle = get_settings().journey_idle_seconds
    print(format_summary(summary, idle))
    if args.settle:
        print(f"Esperando {idle + 5} s a que se cierren las conversaciones…", file=sys.stderr)
        time.sleep(idle + 5)
    if summary.conversations and summary.endings["error"] == summary.conversations:
        print(f"Ninguna conversación llegó al gateway ({args.gateway}): ¿está en marcha?",
              file=sys.stderr)  # fmt: skip
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
