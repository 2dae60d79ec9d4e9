"""A shopper sends a photo of a broken item: checked by its bytes, stored, linked to the ticket."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from bot.handoff.models import Upload
from bot.store.db import create_store_engine
from bot.store.tickets import create_ticket
from tests.gateway.helpers import ANA, LUIS, gateway, migrated_database, offline_settings

# The smallest real files of each kind a phone could send (headers are what is checked).
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02" + b"\0" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\0" * 64
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\0" * 64


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return migrated_database(tmp_path)


def _form(session_id: str, data: bytes, filename: str, content_type: str) -> aiohttp.FormData:
    form = aiohttp.FormData()
    form.add_field("session_id", session_id)
    form.add_field("file", data, filename=filename, content_type=content_type)
    return form


def _uploads(url: str) -> list[Upload]:
    engine = create_store_engine(url)
    with sessionmaker(bind=engine, future=True)() as session:
        rows = list(session.scalars(select(Upload).order_by(Upload.id)))
    engine.dispose()
    return rows


async def _send(client: Any, form: aiohttp.FormData) -> tuple[int, dict[str, Any]]:
    response = await client.post("/widget/upload", data=form)
    return response.status, await response.json()


async def test_photo_of_a_broken_item_is_stored_under_a_random_name(
    database_url: str, tmp_path: Path
) -> None:
    settings = offline_settings(database_url, tmp_path / "uploads")
    async with gateway(settings) as client:
        status, first = await _send(client, _form(ANA, JPEG, "../../taza rota.jpg", "image/jpeg"))
        assert status == 200 and len(first["token"]) >= 32
        status, _ = await _send(client, _form(ANA, PNG, "captura.png", "image/png"))
        assert status == 200
        status, _ = await _send(client, _form(ANA, WEBP, "foto.webp", "image/webp"))
        assert status == 200
    jpeg, png, webp = _uploads(database_url)
    assert (jpeg.session_id, jpeg.filename, jpeg.content_type) == (
        ANA,
        "taza rota.jpg",
        "image/jpeg",
    )
    assert jpeg.token == first["token"] and jpeg.size_bytes == len(JPEG)
    stored = settings.uploads_dir / jpeg.path
    assert stored.read_bytes() == JPEG and jpeg.sha256 == hashlib.sha256(JPEG).hexdigest()
    assert stored.resolve().is_relative_to(settings.uploads_dir.resolve())
    assert "rota" not in jpeg.path and jpeg.path.endswith(".jpg")
    assert png.content_type == "image/png" and webp.content_type == "image/webp"
    assert jpeg.ticket_number is None


async def test_a_file_that_only_claims_to_be_a_photo_is_refused(
    database_url: str, tmp_path: Path
) -> None:
    settings = offline_settings(database_url, tmp_path / "uploads")
    page = b"<html><script>alert(1)</script></html>"
    async with gateway(settings) as client:
        status, body = await _send(client, _form(ANA, page, "foto.jpg", "image/jpeg"))
    assert (
        status == 415 and body["error"] == "Solo puedo recibir fotos en formato JPEG, PNG o WebP."
    )
    assert _uploads(database_url) == []
    assert not (tmp_path / "uploads").exists() or not any((tmp_path / "uploads").rglob("*.*"))


async def test_a_photo_over_the_size_limit_is_refused_in_spanish(
    database_url: str, tmp_path: Path
) -> None:
    settings = offline_settings(database_url, tmp_path / "uploads", upload_max_bytes=1024 * 1024)
    big = JPEG + b"\0" * (1024 * 1024)
    async with gateway(settings) as client:
        status, body = await _send(client, _form(ANA, big, "grande.jpg", "image/jpeg"))
        assert status == 413 and body["error"] == "La foto es demasiado grande: el máximo son 1 MB."
        status, _ = await _send(client, _form(ANA, JPEG, "pequeña.jpg", "image/jpeg"))
        assert status == 200
    assert [u.filename for u in _uploads(database_url)] == ["pequeña.jpg"]


async def test_an_upload_needs_the_shoppers_unguessable_session(
    database_url: str, tmp_path: Path
) -> None:
    settings = offline_settings(database_url, tmp_path / "uploads")
    async with gateway(settings) as client:
        status, body = await _send(client, _form("ana", JPEG, "foto.jpg", "image/jpeg"))
    assert status == 400 and "conversación" in body["error"]
    assert _uploads(database_url) == []


async def test_a_photo_sent_after_the_ticket_is_linked_to_it(
    database_url: str, tmp_path: Path
) -> None:
    """The bot opened the problem ticket, then asked for a photo: the photo joins that ticket."""
    engine = create_store_engine(database_url)
    with sessionmaker(bind=engine, future=True).begin() as session:
        other = create_ticket(
            session=session,
            category="otro",
            description="Otra conversación, otro cliente.",
            conversation_id=LUIS,
        )
        ticket = create_ticket(
            session=session,
            category="danado",
            description="La taza llegó rota.",
            conversation_id=ANA,
        )
    engine.dispose()
    settings = offline_settings(database_url, tmp_path / "uploads")
    async with gateway(settings) as client:
        status, body = await _send(client, _form(ANA, PNG, "caja.png", "image/png"))
        assert status == 200 and body["ticket_number"] == ticket.number
        status, body = await _send(client, _form(LUIS, JPEG, "otra.jpg", "image/jpeg"))
        assert status == 200 and body["ticket_number"] == other.number
    assert [u.ticket_number for u in _uploads(database_url)] == [ticket.number, other.number]
