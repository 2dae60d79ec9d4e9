"""Photos a shopper sent, as the handoff and the ticket paths see them.

The gateway stores the files and their rows; here they are found by conversation and tied to
the ticket that conversation ended in, so the person who follows the ticket sees the photo.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.handoff.models import Upload


@dataclass(frozen=True)
class UploadInfo:
    token: str
    filename: str
    content_type: str
    size_bytes: int
    ticket_number: str | None
    created_at: datetime


def session_uploads(session: Session, session_id: str) -> list[UploadInfo]:
    """The conversation's photos, oldest first."""
    rows = session.scalars(
        select(Upload).where(Upload.session_id == session_id).order_by(Upload.id)
    )
    return [
        UploadInfo(u.token, u.filename, u.content_type, u.size_bytes, u.ticket_number, u.created_at)
        for u in rows
    ]


def link_uploads(session: Session, session_id: str, ticket_number: str) -> int:
    """Tie the conversation's photos that have no ticket yet to ``ticket_number``.

    A photo already linked to an earlier ticket keeps it: it was evidence for that one.
    """
    result = session.execute(
        update(Upload)
        .where(Upload.session_id == session_id, Upload.ticket_number.is_(None))
        .values(ticket_number=ticket_number)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)
