"""The store's order database: the only place that reads or writes orders, products and tickets.

Actions import their query functions from here. Every function takes the caller's
``session`` as a keyword, binds every parameter, and returns frozen records.
"""

from bot.store.catalog import normalize_size, product_alternatives, search_products
from bot.store.db import get_engine, store_session
from bot.store.errors import (
    ActionNotAllowed,
    InvalidInput,
    OrderNotVerified,
    StoreError,
    StoreUnavailable,
)
from bot.store.feedback import record_feedback
from bot.store.orders import cancel_order, check_cancellation, tracking_timeline, verify_order
from bot.store.policies import get_policies, shipping_quote
from bot.store.returns import check_return, create_return, refund_status
from bot.store.tickets import create_ticket

__all__ = [
    "ActionNotAllowed",
    "InvalidInput",
    "OrderNotVerified",
    "StoreError",
    "StoreUnavailable",
    "cancel_order",
    "check_cancellation",
    "check_return",
    "create_return",
    "create_ticket",
    "get_engine",
    "get_policies",
    "normalize_size",
    "product_alternatives",
    "record_feedback",
    "refund_status",
    "search_products",
    "shipping_quote",
    "store_session",
    "tracking_timeline",
    "verify_order",
]
