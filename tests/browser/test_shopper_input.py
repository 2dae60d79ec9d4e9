"""What a shopper types or attaches: markup stays text, limits are explained, photos arrive."""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Dialog, expect
from sqlalchemy import select

from bot.handoff.models import Upload
from bot.store.db import create_store_engine, store_session
from tests.browser.conftest import watch_errors
from tests.browser.widget import Widget


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A real PNG of one colour (what a phone's screenshot would be, only smaller)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def session_id(shopper: Widget) -> str:
    return str(shopper.page.evaluate("() => localStorage.getItem('ruta.session_id')"))


def test_script_tags_a_shopper_types_show_as_text_and_run_nothing(shopper: Widget) -> None:
    page = shopper.page
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    shopper.open()
    attacks = [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(2);window.__pwned=1">',
        "mi pedido <b>RU-100004</b> <a href=javascript:alert(3)>aquí</a>",
    ]
    for attack in attacks:
        shopper.say(attack)
    assert shopper.texts("shopper") == attacks, "shown exactly as typed, as text"
    assert page.locator(".ruta-log img, .ruta-log script, .ruta-log b").count() == 0
    page.reload()
    shopper.open()
    expect(page.locator(".ruta-msg--shopper")).to_have_count(len(attacks))
    assert shopper.texts("shopper") == attacks, "and as text again when the history comes back"
    assert page.locator(".ruta-log img, .ruta-log script, .ruta-log b").count() == 0
    assert page.evaluate("() => window.__pwned") is None
    assert dialogs == []


def test_an_overlong_message_is_stopped_in_the_widget_with_the_count(shopper: Widget) -> None:
    shopper.open()
    shopper.input.fill("a" * 700)
    expect(shopper.counter).to_be_hidden()
    shopper.input.fill("Os cuento lo que pasó. " + "b" * 800)
    expect(shopper.counter).to_have_text("823 de 1000 caracteres")
    text = "c" * 1001
    shopper.input.fill(text)
    expect(shopper.counter).to_have_text("1001 de 1000 caracteres")
    shopper.input.press("Enter")
    expect(shopper.error).to_have_text(
        "Tu mensaje tiene 1001 caracteres y el máximo es 1000. ¿Puedes acortarlo un poco?"
    )
    expect(shopper.input).to_have_value(text)  # kept, so the shopper can shorten it
    expect(shopper.page.locator(".ruta-msg")).to_have_count(0)

    shopper.input.press("Backspace")
    expect(shopper.error).to_have_text("")
    shopper.say(shopper.input.input_value())  # 1000 characters are fine
    assert shopper.texts("shopper") == ["c" * 1000]


def test_the_gateway_refuses_an_overlong_message_the_page_let_through(
    new_context: Callable[..., BrowserContext], page_errors: list[str], store_site: str
) -> None:
    """A store that set a higher data-max-chars than the gateway's: the gateway still says no."""
    page = watch_errors(new_context().new_page(), page_errors)
    page.goto(f"{store_site}/limite-alto")
    shopper = Widget(page)
    shopper.open()
    refusal = shopper.say("¿Me ayudas? " + "d" * 1500)
    assert refusal.startswith("Tu mensaje es demasiado largo: admito hasta 1000 caracteres.")
    assert page_errors == []


def test_a_photo_of_a_broken_item_is_uploaded_and_shown_as_a_thumbnail(
    shopper: Widget, today_store_url: str
) -> None:
    photo = png(64, 48, (200, 40, 40))
    shopper.open()
    shopper.say("hola")  # the chat is connected and has a session
    with shopper.page.expect_file_chooser() as chooser:
        shopper.attach_button.click()
    chooser.value.set_files({"name": "caja-rota.png", "mimeType": "image/png", "buffer": photo})

    thumbnail = shopper.page.get_by_role("img", name="Foto que has enviado: caja-rota.png")
    expect(thumbnail).to_be_visible()
    expect(shopper.page.locator(".ruta-msg--shopper .ruta-note")).to_have_count(0)
    assert thumbnail.evaluate("img => img.naturalWidth") == 64
    assert shopper.messages()[-1].speaker == "shopper"

    engine = create_store_engine(today_store_url)
    try:
        with store_session(engine) as session:
            stored = session.scalars(
                select(Upload).where(Upload.session_id == session_id(shopper))
            ).one()
    finally:
        engine.dispose()
    assert stored.sha256 == hashlib.sha256(photo).hexdigest()
    assert stored.filename == "caja-rota.png" and stored.content_type == "image/png"


@pytest.mark.parametrize(
    ("name", "mime", "data", "explained", "sent"),
    [
        (
            "factura.png",
            "image/png",
            b"%PDF-1.7 not a picture at all",
            "Solo puedo recibir fotos en formato JPEG, PNG o WebP.",  # the gateway's word
            True,
        ),
        ("factura.pdf", "application/pdf", b"%PDF-1.7", "Solo puedo recibir fotos en JPEG", False),
        (
            "enorme.jpg",
            "image/jpeg",
            b"\xff\xd8\xff" + bytes(6 * 1024 * 1024),
            "La foto ocupa 6 MB y el máximo es 5 MB.",
            False,
        ),
    ],
    ids=["not-an-image-inside", "not-an-image", "too-big"],
)
def test_a_file_that_is_not_a_photo_or_too_big_is_refused_in_spanish(
    shopper: Widget,
    page_errors: list[str],
    name: str,
    mime: str,
    data: bytes,
    explained: str,
    sent: bool,
) -> None:
    shopper.open()
    shopper.say("hola")
    with shopper.page.expect_file_chooser() as chooser:
        shopper.attach_button.click()
    chooser.value.set_files({"name": name, "mimeType": mime, "buffer": data})
    expect(shopper.error).to_contain_text(explained)
    failed = shopper.page.locator(".ruta-msg--failed")
    if sent:  # it went to the gateway, which looked inside and said no
        expect(failed).to_have_count(1)
        expect(failed).to_contain_text("No se ha enviado")
    else:  # stopped before leaving the browser
        expect(failed).to_have_count(0)
        assert shopper.messages()[-1].speaker == "bot"
    # The browser logs the gateway's 415 as a failed resource; that one is expected.
    page_errors[:] = [e for e in page_errors if "status of 415" not in e]
