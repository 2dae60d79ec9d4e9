"""Photos shoppers send with a problem report: checked, stored, linked to their ticket.

The type is read from the file's first bytes, never from its name or the browser's
word for it, and the file is stored under a random token so its name tells nothing
and cannot climb out of the uploads folder.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.handoff.models import Upload
from bot.store.models import Ticket

# content type → file extension, for the three formats a phone camera or screenshot gives.
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
MAX_FILENAME_CHARS = 120


class UploadRefused(ValueError):
    """The file is not one we take; ``str()`` is the Spanish reason for the shopper."""


def sniff_image(head: bytes) -> str:
    """The image type from its magic bytes; UploadRefused for anything else."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    raise UploadRefused("Solo puedo recibir fotos en formato JPEG, PNG o WebP.")


def too_big_text(limit_bytes: int) -> str:
    megabytes = limit_bytes / (1024 * 1024)
    size = f"{megabytes:.0f}" if megabytes >= 1 else f"{megabytes:.1f}".replace(".", ",")
    return f"La foto es demasiado grande: el máximo son {size} MB."


def clean_filename(name: str | None) -> str:
    """The shopper's file name, for agents to read: no folders, no control characters.

    Browsers percent-encode some characters in the multipart header (``"`` as ``%22``).
    """
    base = unquote(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    return base[:MAX_FILENAME_CHARS] or "foto"


@dataclass(frozen=True)
class StoredUpload:
    token: str
    content_type: str
    size_bytes: int
    ticket_number: str | None


def save_upload(
    session: Session,
    *,
    uploads_dir: Path,
    session_id: str,
    filename: str | None,
    data: bytes,
    now: datetime | None = None,
) -> StoredUpload:
    """Write the checked file and its row; link it to the session's latest ticket, if any."""
    content_type = sniff_image(data[:16])
    now = now or datetime.utcnow()
    token = secrets.token_urlsafe(24)
    relative = Path(f"{now:%Y}") / f"{now:%m}" / f"{token}.{EXTENSIONS[content_type]}"
    target = uploads_dir / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    ticket = latest_ticket(session, session_id)
    session.add(
        Upload(
            token=token,
            session_id=session_id,
            filename=clean_filename(filename),
            content_type=content_type,
            size_bytes=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            path=str(relative),
            ticket_number=ticket,
            created_at=now,
        )
    )
    session.flush()
    return StoredUpload(token, content_type, len(data), ticket)


def latest_ticket(session: Session, session_id: str) -> str | None:
    """The newest ticket this conversation opened (a problem report or a handoff), if any."""
    return session.scalars(
        select(Ticket.number)
        .where(Ticket.conversation_id == session_id)
        .order_by(Ticket.created_at.desc(), Ticket.id.desc())
        .limit(1)
    ).first()
