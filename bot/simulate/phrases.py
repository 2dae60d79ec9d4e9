"""How simulated shoppers answer the bot's questions, in the Spanish of a chat window.

Each tuple is a set of interchangeable ways to say the same thing; the shopper picks one
with its own seeded random generator. ``{numero}``, ``{email}``, ``{cp}`` and
``{producto}`` are filled from the shopper's own order.
"""

from __future__ import annotations

ORDER_NUMBER = (
    "{numero}",
    "{numero}",
    "es el {numero}",
    "mi pedido es el {numero}",
    "el número es {numero}",
    "pedido {numero}",
    "{numero_minusculas}",
)
EMAIL = ("{email}", "{email}", "mi email es {email}", "es {email}", "el mail es {email}")
POSTAL_CODE = ("{cp}", "{cp}", "el código postal es {cp}", "cp {cp}", "mi código postal es el {cp}")
WHICH_ITEMS = ("todos", "todo", "{producto}", "quiero devolver {producto}", "todo el pedido")
RATING = {
    "contento": ("5", "un 5", "cinco", "4", "un 4", "5!!"),
    "normal": ("3", "un 3", "4"),
    "molesto": ("1", "2", "un 2", "un 1"),
}
THANKS = ("gracias", "muchas gracias!", "vale, gracias", "genial, gracias", "perfecto, gracias")
NOTHING_ELSE = ("no, gracias", "nada más, gracias", "no, eso es todo", "no, ya está")
HANDOFF = (
    "quiero hablar con una persona",
    "pásame con una persona, por favor",
    "¿me puede atender alguien de verdad?",
    "necesito hablar con alguien del equipo",
    "prefiero hablar con un humano",
    "quiero hablar con un agente",
)
# Questions a shopper slips in while a form waits for an answer.
SIDE_QUESTIONS = (
    "por cierto, ¿cuánto cuesta el envío a Canarias?",
    "una pregunta antes: ¿aceptáis Bizum?",
    "¿a qué hora atendéis por teléfono?",
    "¿tenéis tienda física en Madrid?",
    "espera, ¿cuánto tarda un envío normal?",
    "¿se puede pagar a plazos?",
)
CANCEL_YES = ("sí", "sí, cancélalo", "si porfa", "vale, cancélalo")
CANCEL_NO = ("no, déjalo", "mejor no, déjalo como está")
AFTER_HANDOFF = ("vale, espero", "ok, gracias", "de acuerdo")
