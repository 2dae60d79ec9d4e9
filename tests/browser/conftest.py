"""Real headless Chromium (Debian's) driven by Playwright, against the live gateway.

One browser for the whole session; every test gets fresh contexts, so shoppers never
share storage. A page that throws a JavaScript error fails its test.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    expect,
    sync_playwright,
)

from bot.config import Settings
from bot.store.db import create_store_engine, store_session
from bot.store.demo import DemoOrder, demo_orders
from tests.browser.widget import Widget

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Playwright's own wait for anything on the page; a turn takes well under a second here.
TIMEOUT_MS = 15_000
expect.set_options(timeout=TIMEOUT_MS)


def chromium_path() -> str:
    path = Path("/usr/bin/chromium")
    if path.exists():
        return str(path)
    found = shutil.which("chromium")
    if found:
        return found
    pytest.fail(
        "the browser tests need Debian's chromium at /usr/bin/chromium: "
        "`make test` installs it (scripts/ensure-browser), or run `apt-get install chromium`"
    )


# Module scope, not session: while Playwright's sync API is open its event loop counts as
# running in this thread, and every asyncio test collected after the browser tests would fail.
@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def gateway_url(live_services: Settings) -> str:
    return f"http://localhost:{live_services.gateway_port}"


STORE_PAGE = """<!doctype html>
<html lang="es"><head><meta charset="utf-8"><title>{title}</title><link rel="icon" href="data:,">
</head><body><h1>{title}</h1><p>Zapatillas, bolsos y más.</p>
<script src="{gateway}/widget.js" {attributes} defer></script></body></html>
"""


@pytest.fixture(scope="session")
def store_site(gateway_url: str) -> Iterator[str]:
    """Another store's website (another origin, on this machine) that embeds the widget.

    ``/`` has the plain tag; ``/limite-alto`` sets data-max-chars above the gateway's limit.
    """
    pages = {
        "/": STORE_PAGE.format(title="Tienda Ejemplo", gateway=gateway_url, attributes=""),
        "/limite-alto": STORE_PAGE.format(
            title="Tienda Ejemplo", gateway=gateway_url, attributes='data-max-chars="5000"'
        ),
    }

    class Pages(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path.split("?")[0])
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write((body or "no existe").encode())

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def demo(today_store_url: str) -> dict[str, DemoOrder]:
    """The live store's demo orders (RU-100001…) with what verifies each."""
    engine = create_store_engine(today_store_url)
    try:
        with store_session(engine) as session:
            return {o.number: o for o in demo_orders(session=session, today=date.today())}
    finally:
        engine.dispose()


@pytest.fixture
def new_context(browser: Browser, gateway_url: str) -> Iterator[Callable[..., BrowserContext]]:
    """Open browser contexts (one per person) and close them after the test."""
    contexts: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        context = browser.new_context(
            base_url=gateway_url, locale="es-ES", timezone_id="Europe/Madrid", **options
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page_errors() -> list[str]:
    return []


def watch_errors(page: Page, errors: list[str]) -> Page:
    """Record uncaught exceptions and console errors the page raises.

    The browser's own request for /favicon.ico is not the page's doing and is not counted.
    """

    def on_console(message: ConsoleMessage) -> None:
        url = str(message.location.get("url", ""))
        if message.type == "error" and not url.endswith("/favicon.ico"):
            errors.append(f"console: {message.text} ({url})")

    page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
    page.on("console", on_console)
    return page


@pytest.fixture
def shopper(new_context: Callable[..., BrowserContext], page_errors: list[str]) -> Iterator[Widget]:
    """A shopper on a desktop browser, on the demo store's page, widget still closed."""
    page = watch_errors(new_context().new_page(), page_errors)
    page.goto("/")
    widget = Widget(page)
    yield widget
    assert page_errors == [], "the page raised errors:\n" + "\n".join(page_errors)
