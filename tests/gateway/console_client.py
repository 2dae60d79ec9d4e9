"""An agent at the console, over real HTTP and a real websocket: log in, read, click, listen."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from sqlalchemy.orm import sessionmaker

from bot.gateway.accounts import add_account
from bot.store.db import create_store_engine

PASSWORD = "cafe con leche 42"
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def make_account(
    database_url: str, username: str, name: str, role: str = "agente", password: str = PASSWORD
) -> None:
    engine = create_store_engine(database_url)
    with sessionmaker(bind=engine, future=True).begin() as session:
        add_account(session, username=username, display_name=name, password=password, role=role)
    engine.dispose()


@dataclass
class Console:
    """One browser: its own cookie jar, the CSRF token the console page would hold."""

    base_url: str
    http: aiohttp.ClientSession = field(init=False)
    csrf: str = ""
    ws: aiohttp.ClientWebSocketResponse | None = None
    events: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.http = aiohttp.ClientSession(self.base_url, cookie_jar=aiohttp.CookieJar(unsafe=True))

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        await self.http.close()

    async def login_form_token(self) -> str:
        async with self.http.get("/console/login") as page:
            match = CSRF_FIELD.search(await page.text())
        assert match, "the log-in page has no CSRF field"
        return match.group(1)

    async def log_in(self, username: str, password: str = PASSWORD) -> aiohttp.ClientResponse:
        token = await self.login_form_token()
        response = await self.http.post(
            "/console/login",
            data={"username": username, "password": password, "csrf_token": token},
            allow_redirects=False,
        )
        await response.read()
        if response.status == 303:
            status, me = await self.call("GET", "/me")
            self.csrf = me.get("csrf_token", "") if status == 200 else ""
        return response

    async def call(
        self, method: str, path: str, body: Any = None, *, csrf: str | None = None
    ) -> tuple[int, Any]:
        headers = {"Accept": "application/json"}
        token = self.csrf if csrf is None else csrf
        if method != "GET" and token:
            headers["X-CSRF-Token"] = token
        async with self.http.request(
            method, f"/console/api{path}", json=body, headers=headers
        ) as response:
            return response.status, await response.json(content_type=None)

    async def api(self, method: str, path: str, body: Any = None) -> Any:
        status, data = await self.call(method, path, body)
        assert status < 300, (status, data)
        return data

    async def listen(self, origin: str | None = None) -> None:
        """Open the console's websocket and keep every event it pushes in ``events``."""
        self.ws = await self.http.ws_connect(
            "/console/ws", headers={"Origin": origin or self.base_url.rstrip("/")}
        )
        asyncio.get_running_loop().create_task(self._collect(self.ws))

    async def _collect(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        async for message in ws:
            if message.type == aiohttp.WSMsgType.TEXT:
                self.events.append(message.json())

    async def wait_for(
        self, check: Callable[[dict[str, Any]], bool], timeout: float = 15.0
    ) -> dict[str, Any]:
        """The first pushed event (already received or still to come) that passes ``check``."""
        deadline = asyncio.get_running_loop().time() + timeout
        seen = 0
        while True:
            for event in self.events[seen:]:
                if check(event):
                    return event
            seen = len(self.events)
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"no such console event in {timeout} s; got {self.events}")
            await asyncio.sleep(0.05)


def queue_event(
    predicate: Callable[[list[int], list[int]], bool],
) -> Callable[[dict[str, Any]], bool]:
    """A check for a queue update whose waiting ids and own ids satisfy ``predicate``."""

    def check(event: dict[str, Any]) -> bool:
        if event.get("type") != "queue":
            return False
        waiting = [item["id"] for item in event["waiting"]]
        mine = [item["id"] for item in event["mine"]]
        return predicate(waiting, mine)

    return check
