"""Scripted shoppers per journey stage: what they come for and how they say it.

``stage`` is where the shopper really is in the journey; the journey log records the stage
the bot's understanding gives each turn (journey.yml), which is what the simulation
exercises. Openings mix Spain and Latin America, tú and vosotros/ustedes, with and without
accents; ``bot.simulate.typos`` adds the slips on top.
"""

from __future__ import annotations

from dataclasses import dataclass

STAGES = ("descubrimiento", "consideracion", "compra", "postventa", "recomendacion")


@dataclass(frozen=True)
class Persona:
    """One kind of shopper. ``flow`` says which questions of the bot they can answer:
    ``pregunta`` (a question answered at once), ``pedido`` (an order form), ``opinion``."""

    name: str
    stage: str
    topic: str
    flow: str
    openings: tuple[str, ...]
    follow_ups: tuple[str, ...] = ()  # a second question after the first answer
    order_statuses: tuple[str, ...] = ()  # the shopper's order is in one of these
    reasons: tuple[str, ...] = ()  # why they return it, or what went wrong
    details: tuple[str, ...] = ()  # a problem's description, or an opinion
    weight: float = 1.0  # how often this shopper turns up, relative to the others


PERSONAS: tuple[Persona, ...] = (
    # --- descubrimiento: what the store is and sells ---
    Persona(
        name="explora_catalogo",
        stage="descubrimiento",
        topic="producto",
        flow="pregunta",
        openings=(
            "¿qué zapatillas tenéis?",
            "busco una mochila para el cole",
            "¿vendéis chaquetas de invierno?",
            "hola, ¿tienen camperas?",
            "quiero ver bolsos",
            "¿qué tenéis de ropa de deporte?",
        ),
        follow_ups=("¿tenéis algún descuento?", "¿cuánto cuesta el envío?"),
        weight=1.2,
    ),
    Persona(
        name="busca_promociones",
        stage="descubrimiento",
        topic="promociones",
        flow="pregunta",
        openings=(
            "¿tenéis algún código de descuento?",
            "hay rebajas ahora?",
            "¿hay alguna promo para el primer pedido?",
            "¿tienen ofertas esta semana?",
        ),
        follow_ups=("¿cómo uso el código?", "¿puedo pagar con PayPal?"),
    ),
    Persona(
        name="conoce_la_tienda",
        stage="descubrimiento",
        topic="tienda",
        flow="pregunta",
        openings=(
            "¿tenéis tienda física?",
            "¿a qué hora atendéis?",
            "¿cómo os puedo contactar?",
            "¿tienen local en Barcelona?",
        ),
        weight=0.7,
    ),
    # --- consideracion: doubts about a product, shipping, payment ---
    Persona(
        name="talla_y_color",
        stage="consideracion",
        topic="producto",
        flow="pregunta",
        openings=(
            "¿tenéis las zapatillas de running en la talla 42?",
            "busco una camiseta negra talla M",
            "¿la chaqueta vaquera la tenéis en azul?",
            "¿hay botines en la 38 en marrón?",
            "quiero una sudadera gris en talla L",
            "tienen tenis blancos talla 40?",
        ),
        follow_ups=("¿cuánto tarda el envío?", "¿y si no me queda bien puedo devolverla?"),
        weight=1.3,
    ),
    Persona(
        name="dudas_envio",
        stage="consideracion",
        topic="envio",
        flow="pregunta",
        openings=(
            "¿cuánto cuesta el envío a Canarias?",
            "¿cuánto tarda en llegar un pedido a Valencia?",
            "¿hacéis envíos a México?",
            "¿el envío es gratis?",
            "cuanto tardan los envios?",
            "¿mandan a Colombia?",
        ),
        follow_ups=("¿y a partir de cuánto es gratis?", "¿con qué transportista enviáis?"),
        weight=1.2,
    ),
    Persona(
        name="dudas_pago",
        stage="consideracion",
        topic="pago",
        flow="pregunta",
        openings=(
            "¿puedo pagar con PayPal?",
            "¿aceptáis Bizum?",
            "¿se puede pagar a plazos?",
            "¿es seguro pagar con tarjeta en vuestra web?",
            "¿qué formas de pago tienen?",
        ),
        follow_ups=("¿y contra reembolso?", "¿hay algún descuento si pago con tarjeta?"),
    ),
    # --- compra: paying, the order on its way, cancelling ---
    Persona(
        name="donde_esta_mi_pedido",
        stage="compra",
        topic="seguimiento",
        flow="pedido",
        openings=(
            "¿dónde está mi pedido?",
            "hola, quiero saber cuándo me llega el pedido",
            "mi paquete no llega",
            "¿me dices por dónde va mi pedido {numero}?",
            "quiero rastrear mi pedido",
            "¿ya enviaron mi compra?",
        ),
        order_statuses=("enviado", "en_reparto", "preparando", "pagado", "entregado"),
        weight=1.6,
    ),
    Persona(
        name="pedido_con_retraso",
        stage="compra",
        topic="retraso",
        flow="pedido",
        openings=(
            "mi pedido va con retraso",
            "tenía que llegar el lunes y todavía nada",
            "el paquete lleva días sin moverse, creo que se ha perdido",
        ),
        order_statuses=("enviado",),
        reasons=("va con retraso", "creo que se ha perdido"),
        details=("tenía que llegar hace días y el seguimiento no se mueve",),
        weight=0.8,
    ),
    Persona(
        name="cancela_pedido",
        stage="compra",
        topic="cancelacion",
        flow="pedido",
        openings=(
            "quiero cancelar mi pedido",
            "me equivoqué de talla, ¿puedo anular el pedido?",
            "¿puedo cancelar la compra que hice ayer?",
            "cancelar pedido {numero}",
        ),
        order_statuses=("pagado", "preparando", "pendiente_pago", "enviado"),
        weight=0.9,
    ),
    Persona(
        name="problema_al_pagar",
        stage="compra",
        topic="pago",
        flow="pregunta",
        openings=(
            "me da error al pagar con tarjeta",
            "no me deja pagar con PayPal",
            "el código de descuento no me funciona al pagar",
            "¿por qué me rechaza la tarjeta?",
        ),
        follow_ups=("¿puedo pagar con Bizum entonces?",),
        weight=0.7,
    ),
    # --- postventa: returns, refunds, what arrived ---
    Persona(
        name="devuelve_talla",
        stage="postventa",
        topic="devolucion",
        flow="pedido",
        openings=(
            "quiero devolver unas zapatillas, me quedan pequeñas",
            "quiero hacer una devolución",
            "¿cómo devuelvo un pedido?",
            "hola, quería devolver el pedido {numero}",
            "la chaqueta me queda grande, ¿la puedo devolver?",
            "quiero devolver algo que compré",
        ),
        order_statuses=("entregado",),
        reasons=("me queda pequeño", "me queda grande", "no me gusta", "no es lo que esperaba"),
        weight=1.3,
    ),
    Persona(
        name="llego_roto",
        stage="postventa",
        topic="danado",
        flow="pedido",
        openings=(
            "me ha llegado la taza rota",
            "el pedido llegó dañado",
            "me han mandado otra talla, no es lo que pedí",
            "falta un artículo en mi pedido",
        ),
        order_statuses=("entregado",),
        reasons=("ha llegado dañado", "no es lo que pedí", "falta algo"),
        details=(
            "la caja venía aplastada y el artículo está roto",
            "pedí una M y me ha llegado una XL",
            "en el paquete solo venía una de las dos cosas",
        ),
    ),
    Persona(
        name="espera_reembolso",
        stage="postventa",
        topic="reembolso",
        flow="pedido",
        openings=(
            "¿cuándo me devolvéis el dinero?",
            "ya devolví el paquete y no veo el reembolso",
            "estado de mi reembolso",
            "cancelé el pedido y todavía no me devuelven la plata",
        ),
        order_statuses=("devuelto", "cancelado", "entregado"),
        weight=0.9,
    ),
    # --- recomendacion: what they think of the store ---
    Persona(
        name="da_su_opinion",
        stage="recomendacion",
        topic="opinion",
        flow="opinion",
        openings=(
            "la web es muy fácil de usar, ¡enhorabuena!",
            "el envío fue rapidísimo, os felicito",
            "deberíais tener más tallas grandes",
            "la web va lentísima desde el móvil",
            "muy buena experiencia de compra, repetiré",
        ),
        weight=0.6,
    ),
    Persona(
        name="valora_la_ayuda",
        stage="recomendacion",
        topic="valoracion",
        flow="opinion",
        openings=("os doy un 5", "le pongo un 4 al chat", "un 2, no me habéis ayudado nada"),
        weight=0.4,
    ),
)


def personas_for(stage: str) -> list[Persona]:
    """The personas of one journey stage."""
    return [p for p in PERSONAS if p.stage == stage]
