"""What shoppers type, masked before analysts read it; what analysts group by, left alone."""

from __future__ import annotations

import pytest

from bot.journey.masking import PLACEHOLDERS, contains_pii, mask

EMAILS = [
    ("el correo es Ana.Garcia+tienda@gmail.com", "el correo es [email]"),
    ("escribidme a PEDRO.LOPEZ@CORREO.TIENDA.ES.", "escribidme a [email]."),
    ("mi email: josé.pérez@correo.mx", "mi email: [email]"),
    ("lucia_88@mail.example.com.ar, gracias", "[email], gracias"),
]
PHONES = [
    ("mi móvil es 612 34 56 78, llamadme", "mi móvil es [teléfono], llamadme"),
    ("llamadme al 612345678 por la tarde", "llamadme al [teléfono] por la tarde"),
    ("tel. +34 612 345 678", "tel. [teléfono]"),
    ("desde fuera: 0034 612-34-56-78", "desde fuera: [teléfono]"),
    ("el fijo de casa es 91 123 45 67", "el fijo de casa es [teléfono]"),
    ("mi cel es +52 55 1234 5678", "mi cel es [teléfono]"),
    ("mándame whatsapp al 55 1234 5678", "mándame whatsapp al [teléfono]"),
    ("márcame al (55) 1234-5678 porfa", "márcame al [teléfono] porfa"),
    ("soy de Buenos Aires, +54 9 11 1234-5678", "soy de Buenos Aires, [teléfono]"),
    ("mi número es 310 123 4567", "mi número es [teléfono]"),
    ("+57 310 123 4567", "[teléfono]"),
    ("en Chile: +56 9 8765 4321", "en Chile: [teléfono]"),
    ("el mío es +51 987 654 321", "el mío es [teléfono]"),
    ("vivo en Londres, +44 20 7946 0958", "vivo en Londres, [teléfono]"),
    ("mi celular es 4321-1234", "mi celular es [teléfono]"),
    ("tlf612345678", "tlf[teléfono]"),
    ("İrem aquí, mi móvil 612345678", "İrem aquí, mi móvil [teléfono]"),
    ("0034612345678", "[teléfono]"),  # 13 digits, but a card never starts with 0
]
CARDS = [
    ("pagué con la 4111 1111 1111 1111", "pagué con la [tarjeta]"),
    ("la tarjeta 5500-0000-0000-0004 no pasa", "la tarjeta [tarjeta] no pasa"),
    ("con la amex 3782 822463 10005", "con la amex [tarjeta]"),
    ("4111111111111111", "[tarjeta]"),
    ("me cobraron 2 veces en la 4111 1111 1111 1111", "me cobraron 2 veces en la [tarjeta]"),
    ("pedido 100004, tarjeta 4111 1111 1111 1111", "pedido 100004, tarjeta [tarjeta]"),
]
DOCUMENTS = [
    ("mi DNI es 12345678Z", "mi DNI es [documento]"),
    ("DNI 12345678 y mi móvil 612345678", "DNI [documento] y mi móvil [teléfono]"),
    ("dni: 12.345.678-Z", "dni: [documento]"),
    ("a nombre de Ana, 12345678-Z", "a nombre de Ana, [documento]"),
    ("NIE X1234567L", "NIE [documento]"),
    ("soy extranjero, Y1234567X", "soy extranjero, [documento]"),
    ("mi RUT 12.345.678-5", "mi RUT [documento]"),
    ("mi RUT es 12345678-K", "mi RUT es [documento]"),
    ("15432109-8", "[documento]"),
    ("CUIT 20-12345678-3", "CUIT [documento]"),
    ("factura a 27-28765432-9", "factura a [documento]"),
    ("DNI 30.123.456, a nombre de mi madre", "DNI [documento], a nombre de mi madre"),
    ("mi CURP es GOMA800101HDFRRN09", "mi CURP es [documento]"),
    ("GOMA800101HDFRRN09", "[documento]"),
    ("RFC GOMA800101AB1 para la factura", "RFC [documento] para la factura"),
    ("cédula 1.020.304.050", "cédula [documento]"),
    ("CC 52123456", "CC [documento]"),
    ("número de documento: 1020304050", "número de documento: [documento]"),
]
ADDRESSES = [
    ("vivo en Calle Mayor 23, 2ºB, 28013 Madrid", "vivo en [dirección]"),
    ("envíalo a Av. Corrientes 1234, piso 3, CABA", "envíalo a [dirección]"),
    ("Av. Insurgentes Sur 1602, Col. Crédito Constructor", "[dirección]"),
    ("c/ de la Princesa 5, 3º izq", "[dirección]"),
    ("mándalo a calle mayor 23 bajo A, gracias", "mándalo a [dirección], gracias"),
    ("Carrera 7 # 72-41, Bogotá", "[dirección]"),
    ("Cra. 15 No. 93-60 apto 301", "[dirección]"),
    ("Jr. de la Unión 456, Lima", "[dirección]"),
    ("Pasaje Los Olivos 123, Providencia", "[dirección]"),
    ("estoy en Gran Vía 32, 5º", "estoy en [dirección]"),
    ("Paseo de la Castellana 100, 28046 Madrid. ¿Llega mañana?", "[dirección]. ¿Llega mañana?"),
    ("Calzada de Tlalpan 2500, C.P. 04220, CDMX", "[dirección]"),
    ("calle Mayor s/n", "[dirección]"),
    ("CALLE MAYOR 23, 2ºB, MADRID", "[dirección]"),
    (
        "Avda. de la Constitución 12, 41001 Sevilla y mi móvil 612345678",
        "[dirección] y mi móvil [teléfono]",
    ),
    (
        "cámbiala a Calle Mayor 23, pero no estoy hasta las 5",
        "cámbiala a [dirección], pero no estoy hasta las 5",
    ),
]
MASKED = EMAILS + PHONES + CARDS + DOCUMENTS + ADDRESSES

LEFT_ALONE = [
    "RU-100004",
    "ru100004",
    "¿dónde está mi pedido 100004?",
    "tengo dos: RU-100004 y RU-123456",
    "49,99 €",
    "me costó 1.299,00€ y aún no llega",
    "pagué $1,250.50 MXN",
    "120 euros",
    "quiero cambiar la talla 42 por la 43",
    "2 pares y 3 unidades del calcetín",
    "lo pedí el 23/11/2026 a las 14:30",
    "en 2026 volveré a comprar",
    "¿llegáis al 28013?",
    "el seguimiento de UPS es 1Z999AA10123456784",
    "1Z999AA10123456784",
    "el paquete va de camino y llega el 23",
    "está en camino desde el lunes 24",
    "la calle estaba cortada y el repartidor no pudo pasar",
    "la tarjeta acaba en 1111",
    "¿hace falta el DNI para recogerlo en 2 días?",
    "4111 1111 1111 1112",  # fails Luhn: not a card, and no phone either
    "12345678A",  # DNI-shaped, wrong check letter, no keyword
    "¡Hola! ¿Tenéis zapatillas de pádel en azul? 😊👟 Gracias, Begoña",
    "Ñandú, pingüino, acción: ¿qué tal? — «muy bien» ✨",
    " ".join(PLACEHOLDERS),
    "Tu pedido RU-100004 está en reparto.\nTransportista: DHL Express, número de seguimiento "
    "4012345678.\nLlegará a Calle Ma***, 28*** Madrid el jueves 26 de noviembre.",
]


@pytest.mark.parametrize(("typed", "logged"), EMAILS)
def test_emails_are_masked(typed: str, logged: str) -> None:
    assert mask(typed) == logged


@pytest.mark.parametrize(("typed", "logged"), PHONES)
def test_spanish_and_latin_american_phones_are_masked(typed: str, logged: str) -> None:
    assert mask(typed) == logged


@pytest.mark.parametrize(("typed", "logged"), CARDS)
def test_card_numbers_that_pass_luhn_are_masked(typed: str, logged: str) -> None:
    assert mask(typed) == logged


@pytest.mark.parametrize(("typed", "logged"), DOCUMENTS)
def test_identity_documents_are_masked(typed: str, logged: str) -> None:
    assert mask(typed) == logged


@pytest.mark.parametrize(("typed", "logged"), ADDRESSES)
def test_street_addresses_are_masked_with_floor_postcode_and_town(typed: str, logged: str) -> None:
    assert mask(typed) == logged


@pytest.mark.parametrize("text", LEFT_ALONE)
def test_order_numbers_prices_sizes_dates_and_plain_text_are_left_byte_for_byte(text: str) -> None:
    assert mask(text) == text
    assert not contains_pii(text)


@pytest.mark.parametrize(("typed", "logged"), MASKED)
def test_masking_twice_changes_nothing_more(typed: str, logged: str) -> None:
    assert contains_pii(typed)
    assert mask(logged) == logged
    assert not contains_pii(mask(typed))


def test_a_phone_glued_to_an_nie_is_masked_whole_in_one_call() -> None:
    assert mask("612345678X1234567L") == "[teléfono][documento]"


def test_a_luhn_valid_carrier_code_is_kept_after_seguimiento_but_read_as_a_card_alone() -> None:
    """A bare 16-digit code that passes Luhn cannot be told from a card: masking it is accepted."""
    assert (
        mask("número de seguimiento 4111111111111111") == "número de seguimiento 4111111111111111"
    )
    assert mask("4111111111111111") == "[tarjeta]"


def test_a_card_in_the_middle_of_a_long_message_keeps_the_rest() -> None:
    text = "Hola, " * 150 + "pagué con la 4111 1111 1111 1111 y me cobraron 49,99 € dos veces."
    masked = mask(text)
    assert masked == "Hola, " * 150 + "pagué con la [tarjeta] y me cobraron 49,99 € dos veces."


@pytest.mark.parametrize(
    "pasted",
    [
        "1 " * 50_000,
        "7" * 100_000,
        "a" * 100_000,
        "calle " * 16_000 + "Mayor 5",
        "DNI" + " " * 100_000 + "x",
        "x@" + "a" * 100_000,
        "Calle Mayor 23" + " " * 100_000 + ",",
        "4111 " * 20_000,
        "+34" + " 6" * 50_000,
    ],
    ids=[
        "digits-and-spaces",
        "digits",
        "letters",
        "streets",
        "keyword",
        "email",
        "trail",
        "groups",
        "plus",
    ],
)
def test_a_huge_paste_is_masked_in_one_linear_sweep(pasted: str) -> None:
    """No timing assert: a quadratic pattern would make this test hang instead."""
    assert isinstance(mask(pasted), str)
