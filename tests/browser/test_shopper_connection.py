"""The connection drops, or the page is another site's: nothing is lost, nothing doubled."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from playwright.sync_api import BrowserContext, Page, Route, WebSocketRoute, expect
from sqlalchemy import func, select

from bot.handoff.models import GatewayMessage
from bot.store.db import create_store_engine, store_session
from tests.browser.conftest import watch_errors
from tests.browser.widget import Widget

SOCKET = re.compile(r".*/socket\.io/.*")


class Line:
    """The shopper's network, between the widget and the gateway's socket.io, under our control.

    ``cut()`` drops the live connection and refuses new ones until ``restore()``;
    with ``lose_next_answer`` set, the next message reaches the gateway but its replies and
    acknowledgement are dropped and the line is cut: the shopper never hears back;
    ``hold()`` keeps what the gateway says from the page until ``release()``: a slow network.
    """

    def __init__(self, page: Page) -> None:
        self.down = False
        self.lose_next_answer = False
        self.held: list[tuple[WebSocketRoute, str | bytes]] | None = None
        self.open: list[WebSocketRoute] = []
        page.route_web_socket(SOCKET, self._connect)
        page.route(SOCKET, self._poll)  # no long-polling detour around a cut line

    def _poll(self, route: Route) -> None:
        if self.down:
            route.abort()
        else:
            route.continue_()

    def _connect(self, page_side: WebSocketRoute) -> None:
        if self.down:
            page_side.close()
            return
        server = page_side.connect_to_server()
        page_side.on_message(server.send)
        server.on_message(lambda frame: self._to_page(page_side, frame))
        self.open.append(page_side)

    def _to_page(self, page_side: WebSocketRoute, frame: str | bytes) -> None:
        if self.lose_next_answer and isinstance(frame, str):
            if frame.startswith('42["bot_uttered"'):
                return  # a reply, lost
            if frame.startswith("43"):  # the acknowledgement, lost, and the line goes down
                self.lose_next_answer = False
                self.cut()
                return
        if self.held is not None:
            self.held.append((page_side, frame))
            return
        page_side.send(frame)

    def hold(self) -> None:
        self.held = []

    def release(self) -> None:
        held, self.held = self.held or [], None
        for page_side, frame in held:
            page_side.send(frame)

    def cut(self) -> None:
        self.down = True
        for page_side in self.open:
            page_side.close()
        self.open.clear()

    def restore(self) -> None:
        self.down = False


def gateway_rows(store_url: str, text: str) -> int:
    """Rows the gateway kept for ``text``, once its message log has flushed (about 1 s)."""
    deadline = time.monotonic() + 10
    while _rows(store_url, text) == 0 and time.monotonic() < deadline:
        time.sleep(0.3)
    time.sleep(1.5)  # a second copy, if there were one, would be in the next flush
    return _rows(store_url, text)


def _rows(store_url: str, text: str) -> int:
    engine = create_store_engine(store_url)
    try:
        with store_session(engine) as session:
            return int(
                session.scalar(
                    select(func.count())
                    .select_from(GatewayMessage)
                    .where(GatewayMessage.text == text)
                )
                or 0
            )
    finally:
        engine.dispose()


def on_the_line(
    new_context: Callable[..., BrowserContext], page_errors: list[str]
) -> tuple[Page, Line, Widget]:
    """A shopper with the chat open on the demo page, over a line the test can cut."""
    page = watch_errors(new_context().new_page(), page_errors)
    line = Line(page)
    page.goto("/")
    shopper = Widget(page)
    shopper.open()
    return page, line, shopper


def test_a_message_written_while_offline_is_sent_once_when_the_connection_is_back(
    new_context: Callable[..., BrowserContext], page_errors: list[str], today_store_url: str
) -> None:
    page, line, shopper = on_the_line(new_context, page_errors)
    assert shopper.say("hola").startswith("¡Hola! Soy Ruta")

    line.cut()
    expect(shopper.status).to_contain_text("Reconectando…")
    expect(shopper.typing).to_be_hidden()
    question = "¿Cuánto tarda en llegar un pedido a Valencia? (escrito sin conexión)"
    shopper.input.fill(question)
    shopper.input.press("Enter")
    expect(page.locator(".ruta-pending")).to_have_text("Pendiente de envío")
    assert shopper.texts("shopper") == ["hola", question]

    line.restore()
    expect(shopper.status).to_be_hidden()
    expect(page.locator(".ruta-pending")).to_have_count(0)
    assert shopper.last_reply(), "the bot answered the queued message"
    expect(shopper.typing).to_be_hidden()
    said = shopper.messages()

    page.reload()
    shopper.open()
    expect(page.locator(".ruta-msg")).to_have_count(len(said))
    assert shopper.messages() == said
    assert gateway_rows(today_store_url, question) == 1
    # Reconnecting makes the browser log the refused socket; nothing else may appear.
    page_errors[:] = [e for e in page_errors if "WebSocket" not in e and "socket.io" not in e]


def test_the_typing_indicator_shows_while_the_answer_travels_and_clears_with_it(
    new_context: Callable[..., BrowserContext], page_errors: list[str]
) -> None:
    page, line, shopper = on_the_line(new_context, page_errors)
    shopper.say("hola")
    expect(shopper.typing).to_be_hidden()

    line.hold()  # a slow network: the answer is on its way but has not arrived
    shopper.input.fill("¿Cuánto cuesta el envío a Canarias?")
    shopper.input.press("Enter")
    expect(shopper.typing).to_be_visible()
    expect(shopper.typing).to_have_text("Ruta está escribiendo…")
    expect(page.locator(".ruta-pending")).to_have_text("Enviando…")

    line.release()
    expect(page.locator(".ruta-pending")).to_have_count(0)
    expect(shopper.typing).to_be_hidden()
    assert shopper.last_reply(), "the answer arrived"


def test_an_answer_lost_with_the_connection_is_shown_once_after_reconnecting(
    new_context: Callable[..., BrowserContext], page_errors: list[str], today_store_url: str
) -> None:
    page, line, shopper = on_the_line(new_context, page_errors)
    shopper.say("hola")

    line.lose_next_answer = True
    question = "¿Dónde está mi pedido? (la respuesta se pierde por el camino)"
    shopper.input.fill(question)
    shopper.input.press("Enter")
    expect(shopper.status).to_contain_text("Reconectando…")
    expect(page.locator(".ruta-pending")).to_have_count(1)  # no word back: still pending
    assert "número de tu pedido" not in shopper.last_reply()

    line.restore()
    expect(page.locator(".ruta-pending")).to_have_count(0)
    expect(shopper.log).to_contain_text("número de tu pedido")
    texts = shopper.texts()
    assert texts.count(question) == 1
    assert sum("número de tu pedido" in t for t in texts) == 1, "the answer, exactly once"
    assert gateway_rows(today_store_url, question) == 1
    page_errors[:] = [e for e in page_errors if "WebSocket" not in e and "socket.io" not in e]


def test_the_widget_works_on_a_store_site_served_from_another_origin(
    new_context: Callable[..., BrowserContext], page_errors: list[str], store_site: str
) -> None:
    """One script tag on the store's own site: chat, reload, history, all across origins."""
    page = watch_errors(new_context().new_page(), page_errors)
    page.goto(store_site)
    expect(page).to_have_title("Tienda Ejemplo")
    shopper = Widget(page)
    shopper.open()
    assert shopper.say("hola").startswith("¡Hola! Soy Ruta")
    said = shopper.messages()
    page.reload()
    shopper.open()
    expect(page.locator(".ruta-msg")).to_have_count(len(said))
    assert shopper.messages() == said
