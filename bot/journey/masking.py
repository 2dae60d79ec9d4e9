"""Personal data out of the journey log: emails, phones, cards, IDs and addresses as placeholders.

Analysts read every turn, so what a shopper types must reach them without data that names a person.
Order numbers (``RU-100004``), prices, sizes, dates and lone postal codes stay: analysts group by
them. Every pattern is linear (no nested ambiguous repeats), so a 100,000-character paste is cheap.
Patterns run over a lower-cased copy: Python's case-blind flag makes literal searches ten times
slower, and lower-casing keeps every offset (see :func:`_fold`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

EMAIL = "[email]"
PHONE = "[teléfono]"
CARD = "[tarjeta]"
DOCUMENT = "[documento]"
ADDRESS = "[dirección]"
PLACEHOLDERS = (EMAIL, PHONE, CARD, DOCUMENT, ADDRESS)

Span = tuple[int, int, str]
# Nothing below can match without one of these, and most chat turns have none: the fast path.
_WORTH_A_LOOK = re.compile(r"[\d@]|[sS]/[nN]")

# A carrier's code right after "seguimiento" or "guía" is kept: a 10-digit DHL code is not a phone.
_TRACKING_RE = re.compile(
    r"(?<!\w)(?:seguimiento|tracking|gu[íi]a|localizador)(?:[ \t:#.,]|es\b|n[º°o]|n[úu]mero\b"
    r"|del?\b|env[íi]o\b)*(?=[a-z\-]*\d)[a-z0-9][a-z0-9\-]{5,29}(?!\w)"
)
_EMAIL_RE = re.compile(r"(?<![\w.%+\-])[\w.%+\-]+@[\w\-]+(?:\.[\w\-]+)+")

# Cards: runs of digit groups; which groups form a card is decided in Python, with Luhn.
_DIGIT_RUN_RE = re.compile(r"(?<![\w+])\d+(?:[ \-]\d+)*")
_GROUP_RE = re.compile(r"\d+")

# Identity documents: after a keyword anything ID-shaped goes; without one, only strict shapes.
_DOC_KEYWORD_RE = re.compile(
    r"(?<![\w.])(?:dni|nif|nie|cuit|cuil|curp|rfc|rut|c[ée]dula|c\.?c\.?|c\.?i\.?|documento"
    r"|pasaporte|ine)(?!\w)(?:[ \t:#.,\-]|es\b|era\b|n[º°o]|n[úu]m(?:ero)?\b|nro\b"
    r"|de[ \t]+(?:identidad|ciudadan[íi]a|extranjer[íi]a)\b)*"
    r"(?P<val>[a-z]{0,6}\d[a-z0-9]*(?:[./\-][a-z0-9]+)*(?:[ \t][a-z](?!\w))?)"
)
_ID_RE = re.compile(
    r"(?<![\w.\-])(?:[a-z]{4}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])[hmx][a-z]{5}[a-z\d]\d"
    r"|(?:2[0347]|3[034])-\d{8}-\d|\d{1,2}\.\d{3}\.\d{3}-[\dk]"  # CURP, CUIT/CUIL, dotted RUT
    r"|(?P<nie>[xyz])[ \-]?(?P<nie_digits>\d{7})[ \-]?(?P<nie_letter>[a-z])"
    r"|(?P<digits>\d{7,8}|\d{1,2}\.\d{3}\.\d{3})(?:-(?P<rut>[\dk])|[ \-]?(?P<letter>[a-z])))(?!\w)"
)
_DNI_LETTERS = "trwagmyfpdxbnjzsqvhlcke"
_NIE_DIGITS = str.maketrans("xyz", "012")

# Phones: one digit at a time with optional separators, so each repeat is unambiguous.
_D = r"(?:\)?[ .\-]?\(?\d)"
_PHONE_KEYWORD_RE = re.compile(
    r"(?<!\w)(?:tel[ée]fono|telf?\.?|tlf\.?|tfno\.?|m[óo]vil|celular|cel\.?|whats?app|wasap|wsp)"
    r"(?:[ \t:.,\-]|es\b|al\b|el\b|n[úu]mero\b|de[ \t]+contacto\b)*"
    rf"(?P<val>\+?\(?\d{_D}{{6,14}})(?!\d)"
)
_PHONE_RE = re.compile(
    r"(?<![\w+])(?<!\d[.,:/])(?:"
    rf"(?:\+|00)[ ]?\(?\d{_D}{{7,14}}"  # international, any country
    rf"|\(?[6-9]{_D}{{8}}"  # Spain; Chilean and Peruvian mobiles
    rf"|\(?[1-9]{_D}{{9}}"  # Mexico, Colombia, Argentina: ten digits
    rf"|\(?0{_D}{{8,12}}"  # a national trunk prefix
    r")(?!\d)"
)

# Addresses: street type, name, number; then floor, door, district, postal code and town.
_STREET = (
    r"calle|c/|cl\.|avenida|avda\.?|av\.?|paseo|p[º°]\.?|plaza|pza\.?|pl\.|carrera|cra\.?|kra\.?"
    r"|ronda|camino|carretera|ctra\.?|traves[íi]a|trav\.|jir[óo]n|jr\.|pasaje|psje\.?|calzada"
    r"|calz\.|boulevard|bulevar|blvd\.?|diagonal|transversal|glorieta|rambla|callej[óo]n"
    r"|prolongaci[óo]n|gran[ \t]+v[íi]a|v[íi]a|urbanizaci[óo]n|urb\."
)
_WORD = r"[^\W\d_][\w'’.ºª\-]*"  # a number is a name only first: "Calle 72 # 10-20"
_UNITS = (
    r"[ \t]*(?:€|\$|%|(?:euros?|eur|pesos|d[íi]as?|semanas?|mes(?:es)?|a[ñn]os?|horas?|h|min"
    r"|minutos|veces|unidades|uds?|pares|piezas|paquetes|cajas|art[íi]culos|productos|kg|cm|ml"
    r"|x)(?!\w))"
)
_ADDRESS_RE = re.compile(
    rf"(?<![\w/])(?P<street>{_STREET})(?:(?<=[./º°])[ \t]*|[ \t]+)"
    rf"(?P<name>(?:{_WORD}|\d{{1,3}}[a-z]?(?!\w))(?:[ \t]+{_WORD}){{0,5}}"
    r"(?:[ \t]*,[ \t]*|[ \t]+))?(?:(?:n[º°o]\.?|n[úu]m(?:ero)?\.?|#)[ \t]*)?"
    r"(?:\d{1,5}[a-z]?(?:[ \t]*[-–][ \t]*\d{1,4}[a-z]?)?|s/n)"
    rf"(?![\w:/]|\.\d|{_UNITS})"
)
_CAP = r"(?-i:[A-ZÁÉÍÓÚÑ])[^\W\d_]*"  # the trail runs on the original text: towns are capitalised
_PLACE = rf"{_CAP}(?:[ \t]+(?:(?:de|del|la|las|los|el)[ \t]+)?{_CAP}){{0,3}}"
_TRAIL_RE = re.compile(
    r"(?:[ \t]*,[ \t]*|[ \t]+)(?:"
    r"\d{1,2}[ \t]*[ºª°](?:[ \t]*(?:[a-h]|izq\w*\.?|dcha\.?|der\w*|centro|int\w*\.?|ext\w*\.?"
    r"|\d{1,2}[ºª°]?)(?!\w))?"  # 2ºB, 3º izq, 4º 1ª
    r"|(?:piso|planta|puerta|pta\.?|esc(?:alera)?\.?|bloque|blq\.?|portal|dpto\.?|depto\.?"
    r"|departamento|apto\.?|apartamento|interior|int\.|oficina|of\.|local|casa|lote|manzana"
    r"|mza?\.?|torre|edificio|edif\.?|bis)(?!\w)(?:[ \t]*(?:n[º°o]\.?[ \t]*)?"
    r"(?:\d{1,4}[a-z]?[ºª°]?|[a-z])(?!\w))?"
    r"|(?:bajo|entresuelo|[áa]tico|izq(?:uierda|da)?\.?|dcha\.?|derecha)(?!\w)"
    r"|(?:col(?:onia)?\.?|barrio|b[º°]\.?|fracc(?:ionamiento)?\.?|urb(?:anizaci[óo]n)?\.?|sector"
    rf"|comuna|municipio|alcald[íi]a|delegaci[óo]n)[ \t]+[^\W\d_][\w.'\-]*(?:[ \t]+{_CAP}){{0,3}}"
    r"|(?:c\.?[ \t]?p\.?[ \t]*:?[ \t]*)?(?:\d{4,5}|\d{7}|[a-z]\d{4}[a-z]{3})(?!\w)"
    rf"(?!{_UNITS})(?:[ \t]+{_PLACE})?"  # postal code, and the town after it
    rf"|{_PLACE}(?=[ \t]*(?:[.,;:!?)\n]|$))"  # a town that ends the clause: ", CABA."
    r")",
    re.IGNORECASE,
)
# A street's name neither starts nor ends on these: "va de camino y llega el 23" is no address.
_FIRST_STOP = frozenset({
    "y", "e", "o", "u", "que", "desde", "hasta", "para", "por", "con", "sin", "a", "al", "en", "es",
    "son", "está", "esta", "están", "hace", "ya", "no", "se", "me", "te", "le", "lo", "mi", "tu",
    "su", "pero", "porque", "cuando", "como", "hoy", "mañana", "ayer", "pedido", "paquete", "envío",
    "envio", "llega", "llegó", "llegará", "tarda", "va", "sigue", "unos", "unas", "cada", "más",
    "mas", "solo", "sólo", "todavía", "aún",
})  # fmt: skip
_LAST_STOP = frozenset({
    "el", "la", "los", "las", "lo", "de", "del", "y", "e", "o", "u", "a", "al", "en", "es", "son",
    "hace", "unos", "unas", "cada", "hasta", "desde", "por", "para", "con", "sin", "más", "mas",
    "solo", "sólo", "que",
})  # fmt: skip


def mask(text: str) -> str:
    """Replace personal data in a shopper's or bot's message with placeholders.

    Repeats until nothing changes, so ``mask(mask(x)) == mask(x)`` even for glued tokens.
    """
    for _ in range(4):
        masked = _mask_once(text)
        if masked == text:
            break
        text = masked
    return text


def contains_pii(text: str) -> bool:
    """True when :func:`mask` would change ``text``: what end-to-end tests assert never leaks."""
    return mask(text) != text


def _fold(text: str) -> str:
    """Lower-case with offsets kept: U+0130 (İ) is the only character ``lower()`` lengthens."""
    return text.replace("İ", "i").lower()


def _mask_once(text: str) -> str:
    """One sweep over the text between tracking codes."""
    if not _WORTH_A_LOOK.search(text):
        return text
    pieces, kept_from = [], 0
    for code in _TRACKING_RE.finditer(_fold(text)):
        pieces += [_mask_between(text[kept_from : code.start()]), text[code.start() : code.end()]]
        kept_from = code.end()
    pieces.append(_mask_between(text[kept_from:]))
    return "".join(pieces)


def _mask_between(text: str) -> str:
    """Most specific first: an email's digits must not be read as a phone, nor a card's."""
    for find in (_emails, _cards, _keyword_documents, _documents, _addresses, _phones, _bare):
        pieces, kept_from = [], 0
        for start, end, placeholder in find(text, _fold(text)):
            pieces += [text[kept_from:start], placeholder]
            kept_from = end
        if pieces:
            text = "".join(pieces) + text[kept_from:]
    return text


def _emails(text: str, folded: str) -> Iterator[Span]:
    if "@" in folded:  # most turns have none: skip the scan
        yield from ((m.start(), m.end(), EMAIL) for m in _EMAIL_RE.finditer(folded))


def _cards(text: str, folded: str) -> Iterator[Span]:
    for run in _DIGIT_RUN_RE.finditer(folded):
        if len(run[0]) < 13:
            continue
        groups = list(_GROUP_RE.finditer(folded, run.start(), run.end()))
        i = 0
        while i < len(groups):
            j = _card_end(groups, i, folded)
            if j >= 0:
                yield groups[i].start(), groups[j].end(), CARD
            i = max(i, j) + 1


def _card_end(groups: list[re.Match[str]], i: int, folded: str) -> int:
    """Index of the last group of a card that starts at group ``i``, or -1.

    A card is one unbroken 13–19 digit group, or a 4-digit group followed by groups of 4–6
    (the last one 3–6) joined by one kind of separator: ``4111 1111 1111 1111``, ``3782 822463
    10005``. Anything else (``pedido 100004 612345678``) is left for the other patterns.
    """
    first = groups[i][0]
    if first[0] == "0":
        return -1
    if len(first) != 4:
        return i if 13 <= len(first) <= 19 and _luhn_ok(first) else -1
    for j in range(min(i + 4, len(groups) - 1), i, -1):
        parts = [g[0] for g in groups[i : j + 1]]
        digits = "".join(parts)
        if (
            13 <= len(digits) <= 19
            and len({folded[g.end()] for g in groups[i:j]}) == 1
            and all(4 <= len(p) <= 6 for p in parts[:-1])
            and 3 <= len(parts[-1]) <= 6
            and _luhn_ok(digits)
        ):
            return j
    return -1


def _luhn_ok(digits: str) -> bool:
    """The check digit every payment card carries; a random digit string passes one time in ten."""
    doubled = (int(d) * 2 if i % 2 else int(d) for i, d in enumerate(reversed(digits)))
    return sum(v - 9 if v > 9 else v for v in doubled) % 10 == 0


def _keyword_documents(text: str, folded: str) -> Iterator[Span]:
    """Keep "DNI es", hide the value; six digits at least, so "DNI 2 copias" stays."""
    for match in _DOC_KEYWORD_RE.finditer(folded):
        value, end = match["val"], match.end()
        if sum(char.isdigit() for char in value) < 6:
            continue
        if len(value) > 2 and value[-2] in " \t" and not text[end - 1].isupper():
            end -= 2  # "12345678 y ...": the "y" is a word, "12345678 Z" a check letter
        yield match.start("val"), end, DOCUMENT


def _documents(text: str, folded: str) -> Iterator[Span]:
    """IDs without a keyword: strict shapes, and check letters or digits where they have one."""
    for match in _ID_RE.finditer(folded):
        if match["nie"]:
            valid = _dni_ok(match["nie"] + match["nie_digits"], match["nie_letter"])
        elif match["digits"]:
            body, check = match["digits"].replace(".", ""), match["rut"] or match["letter"]
            valid = _dni_ok(body, check) or (match["rut"] is not None and _rut_ok(body, check))
        else:
            valid = True
        if valid:
            yield match.start(), match.end(), DOCUMENT


def _dni_ok(digits: str, letter: str) -> bool:
    """Spanish DNI/NIE check letter (a NIE's x, y, z count as 0, 1, 2): "12345678A" is no ID."""
    return _DNI_LETTERS[int(digits.translate(_NIE_DIGITS)) % 23] == letter


def _rut_ok(body: str, check: str) -> bool:
    """Chilean RUT modulo-11 check digit (k stands for 10)."""
    expected = 11 - sum(int(d) * (2 + i % 6) for i, d in enumerate(reversed(body))) % 11
    return check == {10: "k", 11: "0"}.get(expected, str(expected))


def _addresses(text: str, folded: str) -> Iterator[Span]:
    """Street and number, then the floor, door, postal code and town that follow them."""
    pos = 0
    while match := _ADDRESS_RE.search(folded, pos):
        if not _named_street(match):
            pos = match.start() + 1
            continue
        pos = match.end()
        while trail := _TRAIL_RE.match(text, pos):
            pos = trail.end()
        yield match.start(), pos, ADDRESS


def _named_street(match: re.Match[str]) -> bool:
    """Only Gran Vía goes without a name; a name neither starts nor ends on a particle."""
    words = (match["name"] or "").replace(",", " ").split()
    if not words:
        return match["street"].startswith("gran")
    return words[0] not in _FIRST_STOP and words[-1] not in _LAST_STOP


def _phones(text: str, folded: str) -> Iterator[Span]:
    """After "móvil", "tel." or "WhatsApp" seven digits are enough ("mi cel es 4321-1234")."""
    yield from ((m.start("val"), m.end("val"), PHONE) for m in _PHONE_KEYWORD_RE.finditer(folded))


def _bare(text: str, folded: str) -> Iterator[Span]:
    yield from ((m.start(), m.end(), PHONE) for m in _PHONE_RE.finditer(folded))
