"""What shoppers think of the help: free opinions and 1–5 scores, kept per conversation."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import apologise_for_store, run_store
from bot.store import InvalidInput, StoreError
from bot.store.feedback import record_feedback
from bot.store.normalize import fold

# What the bot asks a score with (the action that closes each flow, then the retry).
RATING_QUESTIONS = frozenset({"utter_pedir_valoracion", "utter_valoracion_invalida"})
SCORE_WORDS = {"uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5}
# In a sentence "uno"/"una" are articles ("gracias, una maravilla"), not a score.
FREE_TEXT_SCORE_WORDS = {k: v for k, v in SCORE_WORDS.items() if v > 1}
# Words that rate without a number; of two at one place the longer wins ("muy mal", not "mal").
# They live here, not as NLU synonyms, because Rasa applies synonyms to every entity ("llegó
# mal" is no "2").
SCORE_PHRASES = (
    ("bastante bien", 4), ("mas o menos", 3), ("muy bien", 5), ("muy mal", 1),
    ("excelente", 5), ("genial", 5), ("perfecto", 5), ("regular", 3), ("normal", 3),
    ("horrible", 1), ("pesimo", 1), ("malisimo", 1), ("fatal", 1), ("bien", 4), ("mal", 2),
)  # fmt: skip


def _typed_text(tracker: Tracker) -> str | None:
    """The shopper's own words; a button payload (``/valorar{...}``) is not an opinion."""
    text = str(tracker.latest_message.get("text") or "").strip()
    return None if not text or text.startswith("/") else text


def _score(tracker: Tracker) -> int | None:
    """``5``, ``un 4``, ``cinco`` → 5, 4, 5; None when it is not a score from 1 to 5.

    The rating entity first, then the shopper's own words: the NLU may tag a lone "5" as
    another kind of number (a postal code), and a rating message is about its score.
    """
    values = [
        e.get("value")
        for e in tracker.latest_message.get("entities") or []
        if e.get("entity") == "valoracion"
    ]
    said = next(iter(values), None) or _typed_text(tracker) or tracker.get_slot("valoracion")
    return _score_of(fold(str(said or "")))


def _score_of(raw: str, words: dict[str, int] = SCORE_WORDS) -> int | None:
    """The 1–5 score in folded text, from a number, a number word or a rating phrase."""
    found = _score_at(raw, words)
    return None if found is None else found[0]


def _score_at(raw: str, words: dict[str, int]) -> tuple[int, int] | None:
    """The score and where it starts: the first number, else the first rating phrase.

    A number wins ("tres, bien" is a 3); a number outside 1–5 ("10 días") is no score.
    """
    for match in re.finditer(r"\d+|[a-z]+", raw):
        token = match.group()
        score = int(token) if token.isdigit() else words.get(token)
        if score is not None:
            return (score, match.start()) if 1 <= score <= 5 else None
    phrases = [
        (found.start(), -len(phrase), rating)
        for phrase, rating in SCORE_PHRASES
        for found in re.finditer(rf"\b{phrase}\b", raw)
    ]
    if not phrases:
        return None
    start, _, rating = min(phrases)  # the first in the text, the longest at that place
    return rating, start


def _score_in_answer(tracker: Tracker) -> int | None:
    """A score given in other words right after the bot asked for one, else None.

    "muy bien, gracias" or "excelente" in answer to «Del 1 al 5, ¿cuánto te he ayudado?»
    reads as thanks or an opinion; the question is what makes it a score. A negation before
    the rating word ("no me ayudaste bien", "no estuvo mal") is not read as one; after it,
    it is the reason ("fatal, no encontraba nada" is a 1).
    """
    text = _typed_text(tracker)
    if text is None or _last_bot_response(tracker) not in RATING_QUESTIONS:
        return None
    raw = fold(text)
    found = _score_at(raw, FREE_TEXT_SCORE_WORDS)
    if found is None or re.search(r"\b(no|nada|ni|nunca)\b", raw[: found[1]]):
        return None
    return found[0]


def _last_bot_response(tracker: Tracker) -> str | None:
    """The response the bot's last message before the shopper's latest one came from."""
    seen_latest = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_latest:
                return None  # the bot said nothing between the two messages
            seen_latest = True
        elif event.get("event") == "bot" and seen_latest:
            return (event.get("metadata") or {}).get("utter_action")
    return None


async def _keep_score(
    dispatcher: CollectingDispatcher, tracker: Tracker, score: int
) -> list[dict[str, Any]]:
    """Store the score with the shopper's words; a low one offers a person."""
    try:
        await run_store(
            lambda session: record_feedback(
                session=session,
                conversation_id=tracker.sender_id,
                kind="valoracion",
                text=_typed_text(tracker),
                score=score,
            )
        )
    except StoreError as exc:
        return apologise_for_store(dispatcher, exc)
    thanks = "utter_gracias_valoracion" if score >= 3 else "utter_valoracion_baja"
    dispatcher.utter_message(response=thanks)
    return [SlotSet("valoracion", str(score))]


class ActionRegistrarOpinion(Action):
    """Keeps what the shopper said about the store or the assistant, and thanks them."""

    def name(self) -> str:
        return "action_registrar_opinion"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        text = _typed_text(tracker)
        if text is None:
            dispatcher.utter_message(response="utter_pedir_opinion")
            return []
        score = _score_in_answer(tracker)
        if score is not None:
            return await _keep_score(dispatcher, tracker, score)
        try:
            await run_store(
                lambda session: record_feedback(
                    session=session, conversation_id=tracker.sender_id, kind="opinion", text=text
                )
            )
        except InvalidInput as exc:
            if exc.field != "opinion":
                return apologise_for_store(dispatcher, exc)
            dispatcher.utter_message(response="utter_pedir_opinion")
            return []
        except StoreError as exc:
            return apologise_for_store(dispatcher, exc)
        dispatcher.utter_message(response="utter_gracias_opinion")
        return []


class ActionRegistrarValoracion(Action):
    """Keeps the 1–5 score; a low one offers a person, an unclear one is asked again."""

    def name(self) -> str:
        return "action_registrar_valoracion"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        score = _score(tracker)
        if score is None:
            dispatcher.utter_message(response="utter_valoracion_invalida")
            return [SlotSet("valoracion", None)]
        return await _keep_score(dispatcher, tracker, score)


class ActionAgradecer(Action):
    """You're welcome; or, when the thanks answers the rating question with one, the score."""

    def name(self) -> str:
        return "action_agradecer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        score = _score_in_answer(tracker)
        if score is not None:
            return await _keep_score(dispatcher, tracker, score)
        dispatcher.utter_message(response="utter_agradecer")
        return []
