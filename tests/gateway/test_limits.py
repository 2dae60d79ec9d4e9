"""Input rules the gateway applies before Rasa: session ids, message ids, the rate budget."""

from __future__ import annotations

from bot.gateway.limits import RateLimiter, is_message_id, is_session_id, new_session_id


class Clock:
    """A clock the test moves by hand, so the rate window is checked without waiting."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_only_unguessable_session_ids_name_a_conversation() -> None:
    assert is_session_id("0f" * 16)  # Rasa's widget: uuid4().hex
    assert is_session_id(new_session_id())
    assert new_session_id() != new_session_id()
    for guessable in ("ana", "12345", "comprador-1", "a" * 31, None, 42, "../" + "a" * 40):
        assert not is_session_id(guessable), guessable


def test_message_ids_are_short_plain_tokens() -> None:
    assert is_message_id("m-1") and is_message_id("1732371234.55:abc")
    assert not is_message_id("") and not is_message_id("x" * 65)
    assert not is_message_id("<script>") and not is_message_id(7)


def test_a_shopper_gets_twenty_messages_a_minute_then_waits() -> None:
    clock = Clock()
    limiter = RateLimiter(per_minute=20, clock=clock)
    assert all(limiter.allow("ana") == 0 for _ in range(20))
    assert limiter.allow("ana") == 61
    assert limiter.allow("luis") == 0  # one shopper's hurry costs nobody else
    clock.now += 30
    assert 0 < limiter.allow("ana") <= 31
    clock.now += 31
    assert limiter.allow("ana") == 0
