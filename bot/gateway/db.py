"""Database work from the gateway's handlers: one transaction, on a worker thread.

The engine is synchronous SQLAlchemy (shared with Rasa's tracker store and the actions), so
every query leaves the event loop; a shopper's socket never waits on an agent's page.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

from aiohttp import web
from sqlalchemy.orm import Session

from bot.gateway.keys import ENGINE
from bot.store.db import store_session

T = TypeVar("T")


async def in_db(request: web.Request, work: Callable[[Session], T]) -> T:
    """Run ``work`` in one committed transaction on the gateway's engine."""
    engine = request.config_dict[ENGINE]

    def run() -> T:
        with store_session(engine) as session:
            return work(session)

    return await asyncio.to_thread(run)
