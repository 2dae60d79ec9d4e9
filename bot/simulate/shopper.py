"""One simulated shopper: a plan drawn up front, then replies read to decide what to say next.

The bot's questions are recognised by their wording (domain.yml's responses), so the
shopper answers what was actually asked: the order number, the email or postal code, which
items, why, a 1–5 score. The plan decides where, if anywhere, the shopper slips in another
question, gives up (stops answering: the journey log settles that as abandoned after
``JOURNEY_IDLE_SECONDS``) or asks for a person.
"""

from __future__ import annotations

import random
import re
import time
from dataclasses import dataclass, field

from bot.simulate import phrases
from bot.simulate.client import BotMessage, Channel
from bot.simulate.orders import OrderBook, ShopperOrder
from bot.simulate.personas import PERSONAS, Persona
from bot.simulate.plants import Plant
from bot.simulate.typos import add_typos
from bot.store.normalize import fold

MAX_TURNS = 14
# What the bot is asking, by the words of its responses (accents and case folded).
CUES = (
    ("persona", r"te paso con una persona del equipo: te atendera|he abierto la incidencia tk-"
     r"[^ ]+ con esta conversacion"),
    ("numero", r"numero de tu pedido"),
    ("credencial", r"email con el que hiciste la compra|codigo postal de la direccion"),
    ("articulos", r"que quieres devolver\?"),
    ("motivo", r"por que lo devuelves\?"),
    ("tipo_problema", r"que ha pasado\?$|que ocurre con el envio\?"),
    ("descripcion", r"cuentame brevemente|me basta una frase sobre lo que ha pasado"),
    ("cancelar", r"lo cancelo\?"),
    ("valoracion", r"del 1 al 5|nota del 1 al 5"),
    ("opinion", r"que te ha parecido la tienda"),
    ("no_entiende", r"no (estoy seguro de haberte entendido|te he entendido|lo he entendido)"),
    ("bloqueado", r"no puedo seguir buscando pedidos"),
    ("muy_rapido", r"vas muy rapido"),
    ("algo_mas", r"te ayudo con algo mas|algo mas en lo que te pueda|en que te puedo ayudar"),
)  # fmt: skip
FORM_CUES = frozenset({"numero", "credencial", "articulos", "motivo", "tipo_problema",
                       "descripcion", "cancelar"})  # fmt: skip
ENDINGS = (("completa", 0.78), ("abandona", 0.12), ("pide_persona", 0.10))
MOODS = (("contento", 0.6), ("normal", 0.25), ("molesto", 0.15))
OPINIONS = (
    "todo muy bien, el chat es rápido",
    "la web podría ser más clara con las tallas",
    "el envío llegó antes de lo que decíais",
)


def read_cue(replies: list[BotMessage]) -> str:
    """What the bot's reply asks of the shopper (``respuesta`` when it only answers)."""
    texts = [fold(m.text.strip()) for m in replies if m.text.strip()]
    if not texts:
        return "silencio"
    whole = "\n".join(texts)
    if re.search(CUES[0][1], whole):
        return "persona"
    last = texts[-1]
    for cue, pattern in CUES[1:]:
        if re.search(pattern, last):
            return cue
    return "respuesta"


def _weighted(rng: random.Random, options: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([o for o, _ in options], [w for _, w in options])[0]


@dataclass(frozen=True)
class Plan:
    """Everything about a shopper decided before the first message, from one seeded draw."""

    persona: Persona
    channel: str  # widget | rest
    greets: bool
    sloppiness: float  # typo rate, 0–1
    ending: str  # completa | abandona | pide_persona
    at_step: int  # the form question at which the shopper gives up or asks for a person
    side_step: int  # the form question answered with another question first (0: none)
    mood: str
    uses_email: bool
    clicks: bool  # answers with the buttons when there are any
    follow_up: bool
    wrong_number_first: bool
    order: ShopperOrder | None
    planted: bool = False


def draw_plan(rng: random.Random, book: OrderBook, plant: Plant | None = None) -> Plan:
    """A shopper for the next conversation: a persona, a channel and how it goes."""
    planted = plant is not None and rng.random() < plant.share
    if plant is not None and planted:
        persona, ending = plant.persona, _weighted(rng, plant.endings)
    else:
        persona = rng.choices(PERSONAS, [p.weight for p in PERSONAS])[0]
        ending = _weighted(rng, ENDINGS)
    order = book.pick(persona.order_statuses, rng) if persona.order_statuses else None
    sloppy = rng.random() < 0.35
    return Plan(
        persona=persona,
        channel="widget" if rng.random() < 0.7 else "rest",
        greets=rng.random() < 0.35,
        sloppiness=rng.uniform(0.3, 0.7) if sloppy else rng.uniform(0.0, 0.1),
        ending=ending,
        at_step=rng.choice((1, 1, 2, 2, 3)),
        side_step=0 if planted or rng.random() > 0.15 else rng.choice((1, 2)),
        mood="molesto" if planted else _weighted(rng, MOODS),
        uses_email=rng.random() < 0.6,
        clicks=rng.random() < 0.4,
        follow_up=rng.random() < 0.4,
        wrong_number_first=not planted and rng.random() < 0.06,
        order=order,
        planted=planted,
    )


@dataclass
class Outcome:
    """How the conversation went, as the shopper saw it."""

    session_id: str
    channel: str
    persona: str
    stage: str
    planted: bool
    ending: str = "completa"  # completa | derivada | abandonada | error
    turns: int = 0
    misunderstood: int = 0
    seconds: float = 0.0
    error: str | None = None
    transcript: list[tuple[str, str]] = field(default_factory=list)


class Shopper:
    """Plays one plan against a channel."""

    def __init__(self, plan: Plan, rng: random.Random) -> None:
        self.plan = plan
        self.rng = rng
        self.steps = 0  # form questions met so far
        self.asked_side = False
        self.asked_follow_up = False
        self.gave_wrong_number = False
        self.thanked = False

    async def converse(self, channel: Channel) -> Outcome:
        """Hold the whole conversation; never raises for a gateway failure (it is recorded)."""
        from bot.simulate.client import GatewayError

        started = time.monotonic()
        outcome = Outcome("", self.plan.channel, self.plan.persona.name,
                          self.plan.persona.stage, self.plan.planted)  # fmt: skip
        try:
            await channel.open()
            outcome.session_id = channel.session_id
            text: str | None = self._opening()
            if self.plan.greets:
                text = self.rng.choice(("hola", "buenas", "hola!", "buenos días"))
            while text is not None and outcome.turns < MAX_TURNS:
                replies = await channel.say(text)
                outcome.turns += 1
                outcome.transcript.append(("cliente", text))
                outcome.transcript += [("bot", m.text) for m in replies]
                text = self._next(replies, outcome)
        except GatewayError as exc:
            outcome.ending, outcome.error = "error", str(exc)
        finally:
            await channel.close()
            outcome.seconds = time.monotonic() - started
        return outcome

    def _say(self, text: str) -> str:
        return add_typos(text, self.rng, self.plan.sloppiness)

    def _fill(self, template: str) -> str:
        order = self.plan.order
        if order is None:
            return template.replace(" {numero}", "").replace("{numero}", "")
        number = order.number
        if self.plan.wrong_number_first and not self.gave_wrong_number:
            self.gave_wrong_number = True
            number = number[:-1] + str((int(number[-1]) + 3) % 10)
        product = order.products[0].lower() if order.products else "todo"
        return template.format(
            numero=number,
            numero_minusculas=number.lower().replace("-", " "),
            email=order.email,
            cp=order.postal_code,
            producto=product,
        )

    def _opening(self) -> str:
        opening = self.rng.choice(self.plan.persona.openings)
        if "{numero}" in opening and self.plan.order is not None:
            return self._fill(opening)  # the number is copied, so typos spare it
        return self._say(self._fill(opening))

    def _next(self, replies: list[BotMessage], outcome: Outcome) -> str | None:
        """The shopper's next message, or None when they leave."""
        cue = read_cue(replies)
        if cue == "persona":
            outcome.ending = "derivada"
            return self.rng.choice(phrases.AFTER_HANDOFF) if self.rng.random() < 0.3 else None
        if outcome.ending == "derivada":
            return None
        if cue == "no_entiende":
            outcome.misunderstood += 1
            if outcome.misunderstood >= 2:
                return self._stuck(outcome)
            return self._fill(self.rng.choice(self.plan.persona.openings))  # said again, clearly
        if cue in ("bloqueado", "muy_rapido", "silencio"):
            outcome.ending = "abandonada" if cue != "silencio" else outcome.ending
            return None
        if cue in FORM_CUES:
            return self._form_answer(cue, replies, outcome)
        if cue == "valoracion":
            return self._rating(replies)
        if cue == "opinion":
            return self._say(self.rng.choice(self.plan.persona.details or OPINIONS))
        return self._after_answer(cue, outcome)

    def _stuck(self, outcome: Outcome) -> str | None:
        """Misunderstood twice: some shoppers want a person, the rest leave."""
        if self.rng.random() < 0.5:
            return self._say(self.rng.choice(phrases.HANDOFF))
        outcome.ending = "abandonada"
        return None

    def _form_answer(self, cue: str, replies: list[BotMessage], outcome: Outcome) -> str | None:
        self.steps += 1
        plan = self.plan
        if self.steps == plan.at_step and plan.ending == "abandona":
            outcome.ending = "abandonada"
            return None
        if self.steps == plan.at_step and plan.ending == "pide_persona":
            return self._say(self.rng.choice(phrases.HANDOFF))
        if self.steps == plan.side_step and not self.asked_side:
            self.asked_side = True
            self.steps -= 1  # the bot asks the same again after answering
            return self._say(self.rng.choice(phrases.SIDE_QUESTIONS))
        if plan.order is None:  # nothing to prove: this shopper has no order to hand
            outcome.ending = "abandonada"
            return None
        if cue == "numero":
            return self._fill(self.rng.choice(phrases.ORDER_NUMBER))
        if cue == "credencial":
            options = phrases.EMAIL if plan.uses_email else phrases.POSTAL_CODE
            return self._fill(self.rng.choice(options))
        if cue == "articulos":
            return self._button(replies, "Todos") or self._say(
                self._fill(self.rng.choice(phrases.WHICH_ITEMS))
            )
        if cue in ("motivo", "tipo_problema"):
            reasons = plan.persona.reasons or ("otro motivo",)
            return self._say(self.rng.choice(reasons))
        if cue == "descripcion":
            details = plan.persona.details or ("no sé, llegó mal",)
            return self._say(self.rng.choice(details))
        # cancelar
        yes = plan.mood != "molesto" or self.rng.random() < 0.7
        return self._say(self.rng.choice(phrases.CANCEL_YES if yes else phrases.CANCEL_NO))

    def _rating(self, replies: list[BotMessage]) -> str:
        score = self.rng.choice(phrases.RATING[self.plan.mood])
        digits = "".join(ch for ch in score if ch.isdigit())
        if self.plan.clicks and digits:
            clicked = self._button(replies, digits)
            if clicked:
                return clicked
        return self._say(score)

    def _button(self, replies: list[BotMessage], title: str) -> str | None:
        """The payload of the button titled ``title``, as the widget sends it on a click."""
        if not self.plan.clicks:
            return None
        for message in replies:
            for button in message.buttons:
                if button.title == title:
                    return button.payload
        return None

    def _after_answer(self, cue: str, outcome: Outcome) -> str | None:
        """The bot answered (or offered more help): a follow-up, thanks, or leaving."""
        plan = self.plan
        if plan.greets and outcome.turns == 1:
            return self._opening()
        if plan.persona.flow == "pregunta" and plan.ending == "pide_persona":
            return self._say(self.rng.choice(phrases.HANDOFF))
        if plan.follow_up and plan.persona.follow_ups and not self.asked_follow_up:
            self.asked_follow_up = True
            return self._say(self.rng.choice(plan.persona.follow_ups))
        if self.thanked or self.rng.random() < 0.45:
            return None
        self.thanked = True
        choices = phrases.NOTHING_ELSE if cue == "algo_mas" else phrases.THANKS
        return self._say(self.rng.choice(choices))
