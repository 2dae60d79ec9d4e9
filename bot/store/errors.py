"""Exceptions the store raises; the edge (an action, a gateway handler) turns them into Spanish."""

from __future__ import annotations


class StoreError(Exception):
    """Base for every error the store layer raises on purpose."""


class InvalidInput(StoreError, ValueError):
    """A shopper-typed value that cannot be what it claims to be (checked before any query)."""

    def __init__(self, field: str, value: str) -> None:
        super().__init__(f"invalid {field}: {value[:80]!r}")
        self.field = field


class OrderNotVerified(StoreError):
    """No order matches that number with that email or postal code.

    Unknown and mismatched orders raise the same error, so a guesser learns nothing.
    """


class StoreUnavailable(StoreError):
    """The database cannot be reached or answered with a connection-level error."""


class ActionNotAllowed(StoreError):
    """The shopper asked for something the order's state or the policies do not allow."""

    def __init__(self, reason: str, message: str = "") -> None:
        super().__init__(message or reason)
        self.reason = reason
