"""What synthetic shoppers and the bot say, per intent and problem category (Spanish)."""

from __future__ import annotations

import random

REQUESTS = {
    "consultar_tienda": ["¿tenéis tienda física en Madrid?", "¿a qué hora abrís?"],
    "consultar_promociones": ["¿hay algún descuento esta semana?", "¿qué ofertas tenéis?"],
    "consultar_producto": ["¿tenéis la sudadera gris en talla M?", "busco zapatillas blancas"],
    "consultar_envio": ["¿cuánto tarda el envío a Canarias?", "¿el envío es gratis?"],
    "consultar_pago": ["¿puedo pagar con PayPal?", "¿aceptáis contra reembolso?"],
    "rastrear_pedido": ["¿dónde está mi pedido RU-{n}?", "mi pedido RU-{n} no ha llegado"],
    "cancelar_pedido": ["quiero cancelar el pedido RU-{n}", "anula mi compra por favor"],
    "estado_reembolso": ["¿cuándo me devolvéis el dinero?", "no veo el reembolso en mi cuenta"],
    "opinar": ["la web es muy cómoda", "el chat me ha ayudado mucho"],
    "valorar": ["un 5", "le doy un 4"],
    "reportar_problema": ["tengo un problema con el pedido RU-{n}"],
    "solicitar_devolucion": ["quiero devolver el pedido RU-{n}"],
}
PROBLEMS = {
    "retraso": ["el paquete viene con retraso", "debía llegar el lunes y sigue sin llegar"],
    "perdido": ["el seguimiento no se mueve desde hace días", "creo que se ha perdido el paquete"],
    "danado": ["la caja llegó rota", "el jarrón venía roto"],
    "incorrecto": ["me habéis mandado otro modelo", "la talla no es la que pedí"],
    "incompleto": ["falta un artículo en el paquete", "solo ha llegado una parte"],
    "talla": ["me quedan pequeñas", "necesito una talla más"],
    "no_gusta": ["el color no es como en la foto", "no me gusta cómo queda"],
    "otro": ["lo compré dos veces sin querer", "ya no lo necesito"],
}
FALLBACK_TEXTS = [
    "¿hacéis envíos a Andorra?",
    "¿puedo recoger en tienda el mismo día?",
    "¿tenéis tarjeta regalo?",
    "¿me podéis hacer factura a nombre de empresa?",
    "¿el precio incluye IVA?",
    "asdfg",
    "¿trabajáis con Bizum?",
    "¿puedo cambiar la dirección de entrega?",
]
BOT_TEXTS = [
    "Tu pedido está en reparto con SEUR; llega mañana.",
    "Te he abierto la devolución RMA-{n}. Te llegará una etiqueta por email.",
    "Lo siento mucho. He abierto la incidencia TK-{n}.",
    "Sí, la tenemos en gris en las tallas S, M y L, a 39,95 €.",
]


def request_text(rng: random.Random, intent: str, category: str | None, order: int) -> str:
    """A shopper message for the intent, naming the problem when there is one."""
    if category is not None and category in PROBLEMS and rng.random() < 0.6:
        return rng.choice(PROBLEMS[category])
    return rng.choice(REQUESTS.get(intent, ["hola"])).format(n=order)
