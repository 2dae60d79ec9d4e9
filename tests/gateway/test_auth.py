"""Only agents get into the console: passwords, sessions, CSRF tokens, roles, log-in limits."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from bot.config import PROJECT_ROOT
from bot.gateway.auth import COOKIE_NAME, cookie_key
from bot.gateway.console import STATIC
from bot.gateway.console_state import CONSOLE
from bot.handoff.models import Agent
from bot.store.db import create_store_engine
from tests.gateway.console_client import PASSWORD, Console, make_account
from tests.gateway.helpers import gateway, migrated_database, offline_settings


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    url = migrated_database(tmp_path)
    make_account(url, "lucia", "Lucía")
    make_account(url, "andres", "Andrés", role="analista")
    return url


@pytest.fixture
async def client(database_url: str, tmp_path: Path) -> AsyncIterator[TestClient]:
    async with gateway(offline_settings(database_url, tmp_path / "uploads")) as client:
        yield client


@pytest.fixture
async def browser(client: TestClient) -> AsyncIterator[Console]:
    console = Console(f"http://127.0.0.1:{client.port}")
    yield console
    await console.close()


async def test_console_page_sends_a_stranger_to_the_log_in_page(browser: Console) -> None:
    async with browser.http.get("/console/", allow_redirects=False) as page:
        assert (page.status, page.headers["Location"]) == (302, "/console/login")
    async with browser.http.get("/console/login") as login:
        assert login.status == 200
        assert "Iniciar sesión" in await login.text()


async def test_every_console_route_refuses_a_stranger(client: TestClient, browser: Console) -> None:
    """Walks the console's own routing table, so a route added later cannot be left open."""
    public = {"/console/login", "/console/static/{name}"}
    checked = 0
    for resource in client.app.router.resources():
        path = resource.canonical
        if not path.startswith("/console/") or path in public:
            continue
        url = path.replace("{handoff_id}", "1").replace("{token}", "x" * 32)
        for route in resource:
            if route.method == "HEAD":
                continue
            async with browser.http.request(
                route.method, url, allow_redirects=False, headers={"Origin": browser.base_url}
            ) as response:
                assert response.status in (302, 303, 401, 403), (route.method, url, response.status)
                if response.status in (302, 303):
                    assert response.headers["Location"] == "/console/login"
                if path.startswith("/console/api/"):
                    assert response.status == 401
                    assert (await response.json())["error"] == (
                        "Tienes que iniciar sesión para usar la consola."
                    )
                checked += 1
    assert checked >= 10


async def test_websocket_refuses_a_stranger(browser: Console) -> None:
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await browser.listen()
    assert refused.value.status == 401


async def test_wrong_password_and_unknown_user_get_the_same_answer(browser: Console) -> None:
    wrong = await browser.log_in("lucia", "café sin leche")
    unknown = await browser.log_in("nadie", PASSWORD)
    assert wrong.status == unknown.status == 401
    status, _ = await browser.call("GET", "/me")
    assert status == 401
    async with browser.http.post(
        "/console/login",
        data={"username": "lucia", "password": "x", "csrf_token": await browser.login_form_token()},
    ) as page:
        assert "Usuario o contraseña incorrectos." in await page.text()


async def test_agent_logs_in_with_a_strict_httponly_cookie_and_logs_out(browser: Console) -> None:
    response = await browser.log_in("lucia")
    assert (response.status, response.headers["Location"]) == (303, "/console/")
    cookie = response.cookies[COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    assert not cookie["secure"]  # plain HTTP on localhost unless SECURE_COOKIES is set
    me = await browser.api("GET", "/me")
    assert (me["username"], me["display_name"], me["role"]) == ("lucia", "Lucía", "agente")
    async with browser.http.get("/console/") as page:
        assert page.status == 200 and 'id="queue"' in await page.text()
        assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]

    async with browser.http.post(
        "/console/logout", headers={"X-CSRF-Token": browser.csrf}, allow_redirects=False
    ) as out:
        assert (out.status, out.headers["Location"]) == (303, "/console/login")
    assert (await browser.call("GET", "/me"))[0] == 401


async def test_behind_https_the_session_cookie_is_secure_too(
    database_url: str, tmp_path: Path
) -> None:
    settings = offline_settings(database_url, tmp_path / "uploads", secure_cookies=True)
    async with gateway(settings) as client:
        console = Console(f"http://127.0.0.1:{client.port}")
        try:
            cookie = (await console.log_in("lucia")).cookies[COOKIE_NAME]
            assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Strict"
        finally:
            await console.close()


async def test_state_change_without_the_csrf_token_is_refused(browser: Console) -> None:
    await browser.log_in("lucia")
    status, data = await browser.call("POST", "/handoffs/1/claim", csrf="")
    assert status == 403 and "recárgala" in data["error"]
    status, _ = await browser.call("POST", "/handoffs/1/claim", csrf="a" * 43)
    assert status == 403
    status, data = await browser.call("POST", "/handoffs/1/claim")  # the right token gets through
    assert (status, data["error"]) == (404, "Esa conversación no existe.")


async def test_log_in_form_without_its_csrf_token_is_refused(browser: Console) -> None:
    async with browser.http.post(
        "/console/login", data={"username": "lucia", "password": PASSWORD}
    ) as page:
        assert page.status == 403
    assert (await browser.call("GET", "/me"))[0] == 401


async def test_analyst_can_log_in_but_not_use_the_console(browser: Console) -> None:
    assert (await browser.log_in("andres")).status == 303
    async with browser.http.get("/console/") as page:
        assert page.status == 403
        assert "tu cuenta es de analista" in await page.text()
    status, data = await browser.call("GET", "/queue")
    assert status == 403 and "solo para agentes" in data["error"]
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await browser.listen()
    assert refused.value.status == 403


async def test_websocket_opened_from_another_site_is_refused(browser: Console) -> None:
    await browser.log_in("lucia")
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await browser.listen(origin="https://tienda-falsa.example")
    assert refused.value.status == 403
    await browser.listen()
    hello = await browser.wait_for(lambda e: e["type"] == "hello")
    assert hello["agent"] == "Lucía"


async def test_five_wrong_passwords_lock_the_name_even_for_the_right_one(
    client: TestClient, browser: Console
) -> None:
    for _ in range(5):
        assert (await browser.log_in("lucia", "no me acuerdo")).status == 401
    assert (await browser.log_in("lucia")).status == 429
    assert (await browser.call("GET", "/me"))[0] == 401
    client.app[CONSOLE].limiter.succeeded("lucia")  # the window has passed
    assert (await browser.log_in("lucia")).status == 303


async def test_disabled_agent_is_out_on_the_next_request(
    database_url: str, browser: Console
) -> None:
    await browser.log_in("lucia")
    assert (await browser.call("GET", "/queue"))[0] == 200
    _cli(database_url, "agent", "disable", "lucia")
    assert (await browser.call("GET", "/queue"))[0] == 401
    assert (await browser.log_in("lucia")).status == 401


def _cli(database_url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "bot.gateway", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env={"DATABASE_URL": database_url, "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    return result


def test_operator_adds_lists_and_disables_accounts_from_the_shell(tmp_path: Path) -> None:
    url = migrated_database(tmp_path)
    added = _cli(
        url,
        "agent",
        "add",
        "Marta",
        "--name",
        "Marta Gil",
        "--password-stdin",
        stdin="una clave larga\n",
    )
    assert added.returncode == 0, added.stderr
    assert "Cuenta creada: marta (agente)" in added.stdout
    short = _cli(url, "agent", "add", "pepe", "--name", "Pepe", "--password-stdin", stdin="corta\n")
    assert short.returncode == 1 and "al menos 10 caracteres" in short.stderr
    again = _cli(
        url, "agent", "add", "marta", "--name", "M", "--password-stdin", stdin="otra clave larga\n"
    )
    assert again.returncode == 1 and "Ya existe" in again.stderr

    listed = _cli(url, "agent", "list")
    assert "marta" in listed.stdout and "Marta Gil" in listed.stdout and "activa" in listed.stdout
    assert _cli(url, "agent", "disable", "marta").returncode == 0
    assert "desactivada" in _cli(url, "agent", "list").stdout

    engine = create_store_engine(url)
    with sessionmaker(bind=engine, future=True)() as session:
        stored = session.scalars(select(Agent.password_hash)).one()
    engine.dispose()
    assert stored.startswith("$argon2id$") and "una clave larga" not in stored


def test_cookie_key_is_derived_from_the_secret_not_the_secret_itself() -> None:
    key = cookie_key("ruta-dev-secret")
    assert len(key) == 32 and b"ruta-dev-secret" not in key
    assert key != cookie_key("another secret") and key == cookie_key("ruta-dev-secret")


def test_console_script_never_writes_html() -> None:
    """Shoppers' words reach the console as text: the script has no way to insert markup."""
    script = (STATIC / "console.js").read_text()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script
    assert "textContent" in script
