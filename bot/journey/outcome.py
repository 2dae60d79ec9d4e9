"""How a conversation ended, from what happened in it.

The rules, first match wins:

1. ``derivada``: the bot handed the conversation to a person (``action_handoff`` ran or the
   conversation was paused for an agent), whatever else happened.
2. ``abandonada``: the shopper left in the middle of a form (an order check, a return, a
   problem report) or right after the bot said it did not understand.
3. ``resuelta``: a flow completed (tracking shown, return created, ticket created, refund or
   cancellation answered: every such flow ends with the satisfaction question) or a question
   was answered (FAQ, store, product), and the shopper asked nothing after it that went
   unanswered.
4. ``sin_resolver``: anything else, e.g. only small talk, or a request that got no answer.
"""

from __future__ import annotations

from dataclasses import dataclass

# Responses that close a task flow: every one ends with the satisfaction question.
FLOW_DONE_RESPONSES = frozenset({"utter_pedir_valoracion"})
# Actions that answer outright (a question, or thanks for an opinion or a rating), unless what
# they said is one of NOT_AN_ANSWER.
ANSWERING_ACTIONS = frozenset(
    {
        "action_responder_faq",
        "action_info_tienda",
        "action_buscar_producto",
        "action_registrar_opinion",
        "action_registrar_valoracion",
    }
)
NOT_AN_ANSWER = frozenset({"utter_error_tienda", "utter_ask_producto", "utter_talla_invalida"})
FALLBACK_ACTIONS = frozenset({"action_fallback_reformular", "action_default_fallback"})
HANDOFF_ACTIONS = frozenset({"action_handoff"})


def answers(action: str | None, response: str | None) -> bool:
    """Whether a bot message resolves what the shopper came for."""
    if response in FLOW_DONE_RESPONSES:
        return True
    return action in ANSWERING_ACTIONS and response not in NOT_AN_ANSWER


@dataclass
class OutcomeFacts:
    """What the outcome rules look at, gathered turn by turn (bot.journey.timeline)."""

    handed_off: bool = False
    open_form: bool = False  # a form was still active at the last event
    ended_on_fallback: bool = False  # the last bot message was a rephrase prompt
    resolved: bool = False  # at least one answer or completed flow
    unanswered_request: bool = False  # a staged request came after the last answer

    def answered(self) -> None:
        self.resolved = True
        self.unanswered_request = False
        self.ended_on_fallback = False


def decide_outcome(facts: OutcomeFacts) -> str:
    """The outcome by the rules in the module docstring."""
    if facts.handed_off:
        return "derivada"
    if facts.open_form or facts.ended_on_fallback:
        return "abandonada"
    if facts.resolved and not facts.unanswered_request:
        return "resuelta"
    return "sin_resolver"
