"""Pinned versions that must keep working together (what a fresh `make setup` installs)."""

from __future__ import annotations

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer


async def test_aiohttp_handlers_can_read_the_request_url() -> None:
    """yarl newer than aiohttp 3.9.5 knows breaks ``request.url`` (a 500 on every such page)."""

    async def where(request: web.Request) -> web.Response:
        return web.Response(text=str(request.url.with_query(None)))

    app = web.Application()
    app.router.add_get("/aqui", where)
    async with TestClient(TestServer(app)) as client:
        response = await client.get("/aqui?x=1")
        assert response.status == 200
        assert (await response.text()).endswith(f":{client.port}/aqui")
