"""Turn what a shopper types into canonical values, or refuse it, before any query runs.

Shoppers write "#ru 482913", "pedido RU-482913", " Ana@Correo.ES. " or "28 013";
the database holds ``RU-482913``, ``ana@correo.es`` and ``28013``.
"""

from __future__ import annotations

import re
import unicodedata

from bot.store.errors import InvalidInput

ORDER_PREFIX = "RU"
ORDER_NUMBER_RE = re.compile(r"^RU-\d{6}$")
MAX_FIELD_LENGTH = 120

_ORDER_WORDS = re.compile(
    r"^(?:(?:el|mi|la|es|de|del|n[uú]mero|num|nro|n\.?\s*[º°o]|pedido|orden|compra|order)"
    r"(?:\b|(?<=[º°]))[\s:.]*)+",
    re.IGNORECASE,
)
_DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−"), "-")
_EMAIL_RE = re.compile(r"^[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}$")
_POSTAL_RE = re.compile(r"^[A-Z0-9]{4,8}$")


def fold(text: str) -> str:
    """Lower-case ``text`` and drop accents (ñ becomes n), for accent-blind matching."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalize_order_number(raw: str) -> str:
    """``RU-`` plus six digits from any way a shopper writes it; bare six digits are accepted."""
    text = (raw or "").translate(_DASHES).strip()
    if not text or len(text) > MAX_FIELD_LENGTH:
        raise InvalidInput("order_number", text)
    text = _ORDER_WORDS.sub("", text.lstrip("#").strip()).lstrip("#:").strip()
    compact = re.sub(r"[\s\-#.]", "", text).upper()
    match = re.fullmatch(rf"(?:{ORDER_PREFIX})?(\d{{6}})", compact)
    if not match:
        raise InvalidInput("order_number", raw)
    return f"{ORDER_PREFIX}-{match.group(1)}"


def normalize_email(raw: str) -> str:
    """A lower-case address without surrounding spaces, ``mailto:`` or trailing punctuation."""
    text = (raw or "").strip()
    if len(text) > 254:
        raise InvalidInput("email", text)
    text = text.removeprefix("mailto:").strip().strip("<>").rstrip(".,;:!?)").lower()
    if not _EMAIL_RE.match(text) or ".." in text:
        raise InvalidInput("email", raw)
    return text


def normalize_postal_code(raw: str) -> str:
    """Upper-case, without spaces or hyphens: 4 to 8 letters and digits (Spain, Chile, ...)."""
    text = (raw or "").strip()
    if len(text) > MAX_FIELD_LENGTH:
        raise InvalidInput("postal_code", text)
    text = re.sub(r"^(?:c\.?\s*p\.?|codigo postal|código postal)\s*:?\s*", "", text, flags=re.I)
    compact = re.sub(r"[\s\-]", "", text).upper()
    if not _POSTAL_RE.match(compact) or not any(ch.isdigit() for ch in compact):
        raise InvalidInput("postal_code", raw)
    return compact


def normalize_code(raw: str, allowed: tuple[str, ...], field: str) -> str:
    """One of ``allowed``, matched accent- and case-blind ("Dañado" is ``danado``)."""
    code = fold((raw or "").strip()).replace(" ", "_")
    if code not in allowed:
        raise InvalidInput(field, raw or "")
    return code


def clean_text(raw: str, *, limit: int = 2000) -> str:
    """Free text with control characters removed and runs of space collapsed, cut to ``limit``."""
    text = "".join(ch for ch in (raw or "") if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    text = re.sub(r"[ \t]+", " ", text).strip()
    return text[:limit]
