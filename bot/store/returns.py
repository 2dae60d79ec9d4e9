"""Return eligibility, creating a return with its RMA code, and where each refund stands."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.store.errors import ActionNotAllowed, InvalidInput, StoreError
from bot.store.models import (
    ITEM_CONDITIONS,
    RETURN_REASONS,
    Category,
    OrderItem,
    Product,
    Return,
    ReturnItem,
    StorePolicy,
    Variant,
)
from bot.store.normalize import normalize_code
from bot.store.orders import owned_order
from bot.store.records import (
    ItemEligibility,
    RefundInfo,
    ReturnCreated,
    ReturnEligibility,
    ReturnLine,
    VerifiedOrder,
    euros,
)

SEND_WITHIN_DAYS = 14  # days the shopper has to hand the parcel to the carrier
_RMA_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
_ORDER_REFUSAL = {"cancelado": "cancelado", "devuelto": "devuelto"}


def _policy(session: Session) -> StorePolicy:
    policy = session.get(StorePolicy, 1)
    if policy is None:
        raise StoreError("the store has no policy row; run `python -m bot.store seed`")
    return policy


def check_return(
    *,
    session: Session,
    order: VerifiedOrder,
    item_ids: Sequence[int] | None = None,
    condition: str = "sin_usar",
    today: date | None = None,
) -> ReturnEligibility:
    """Which of the order's items can go back, and why not for the others.

    Unused items return within the window unless their category is excluded;
    faulty ones return within the legal guarantee whatever their category;
    used items that are not faulty do not return.
    """
    today = today or date.today()
    condition = normalize_code(condition, ITEM_CONDITIONS, "condition")
    current = owned_order(session, order)
    policy = _policy(session)
    if current.status != "entregado" or current.delivered_at is None:
        reason = _ORDER_REFUSAL.get(current.status, "no_entregado")
        return ReturnEligibility(current.number, False, reason, None, ())
    delivered = current.delivered_at.date()
    deadline = delivered + timedelta(days=policy.return_window_days)
    guarantee_end = delivered + timedelta(days=policy.defect_guarantee_days)

    rows = session.execute(
        select(OrderItem, Category)
        .join(Variant, OrderItem.variant_id == Variant.id)
        .join(Product, Variant.product_id == Product.id)
        .join(Category, Product.category_id == Category.id)
        .where(OrderItem.order_id == current.id)
        .order_by(OrderItem.id)
    ).all()
    known = {item.id for item, _ in rows}
    wanted = set(item_ids) if item_ids is not None else known
    if not wanted <= known:
        raise InvalidInput("item", ",".join(str(i) for i in sorted(wanted - known)))
    returned = _returned_quantities(session, current.id)

    items = []
    for item, category in rows:
        if item.id not in wanted:
            continue
        left = item.quantity - returned.get(item.id, 0)
        refusal, detail = _refusal(left, condition, category, today, deadline, guarantee_end)
        items.append(
            ItemEligibility(
                item.id, item.product_name, max(left, 0), refusal is None, refusal, detail
            )
        )
    eligible = any(i.eligible for i in items)
    return ReturnEligibility(current.number, eligible, None, deadline, tuple(items))


def _refusal(
    left: int,
    condition: str,
    category: Category,
    today: date,
    deadline: date,
    guarantee_end: date,
) -> tuple[str | None, str | None]:
    if left <= 0:
        return "ya_devuelto", None
    if condition == "defectuoso":
        return (None, None) if today <= guarantee_end else ("fuera_de_garantia", str(guarantee_end))
    if condition == "usado":
        return "usado", None
    if not category.returnable:
        return "categoria_no_retornable", category.return_note or category.name
    if today > deadline:
        return "fuera_de_plazo", str(deadline)
    return None, None


def _returned_quantities(session: Session, order_id: int) -> dict[int, int]:
    """Units of each item already in a return that was not rejected."""
    rows = session.execute(
        select(ReturnItem.order_item_id, func.sum(ReturnItem.quantity))
        .join(Return, ReturnItem.return_id == Return.id)
        .where(Return.order_id == order_id, Return.status != "rechazada")
        .group_by(ReturnItem.order_item_id)
    ).all()
    return {item_id: int(qty) for item_id, qty in rows}


def create_return(
    *,
    session: Session,
    order: VerifiedOrder,
    reason: str,
    condition: str = "sin_usar",
    lines: Sequence[ReturnLine] | None = None,
    now: datetime | None = None,
) -> ReturnCreated:
    """Open an approved return for ``lines`` (default: every eligible unit); give its RMA code."""
    now = now or datetime.utcnow()
    reason = normalize_code(reason, RETURN_REASONS, "reason")
    item_ids = [line.item_id for line in lines] if lines is not None else None
    check = check_return(
        session=session, order=order, item_ids=item_ids, condition=condition, today=now.date()
    )
    if check.reason:
        raise ActionNotAllowed(check.reason)
    by_id = {item.item_id: item for item in check.items}
    if lines is None:
        lines = [ReturnLine(i.item_id, i.returnable_quantity) for i in check.eligible_items]
    if not lines:
        refused = next((i.reason for i in check.items if i.reason), None)
        raise ActionNotAllowed(refused or "sin_articulos")
    for line in lines:
        item = by_id[line.item_id]
        if not item.eligible:
            raise ActionNotAllowed(item.reason or "no_retornable", item.detail or "")
        if not 0 < line.quantity <= item.returnable_quantity:
            raise InvalidInput("quantity", str(line.quantity))

    prices = dict(
        session.execute(
            select(OrderItem.id, OrderItem.unit_price_cents).where(
                OrderItem.id.in_([line.item_id for line in lines])
            )
        ).all()
    )
    refund_cents = sum(prices[line.item_id] * line.quantity for line in lines)
    ret = Return(
        rma_code=_new_rma_code(session),
        order_id=order.order_id,
        reason=reason,
        condition=normalize_code(condition, ITEM_CONDITIONS, "condition"),
        status="aprobada",
        created_at=now,
        refund_cents=refund_cents,
        refund_status="pendiente",
    )
    ret.items = [ReturnItem(order_item_id=line.item_id, quantity=line.quantity) for line in lines]
    session.add(ret)
    session.flush()
    return ReturnCreated(
        rma_code=ret.rma_code,
        number=order.number,
        refund=euros(refund_cents),
        send_by=(now + timedelta(days=SEND_WITHIN_DAYS)).date(),
        items=tuple(by_id[line.item_id].product_name for line in lines),
    )


def _new_rma_code(session: Session) -> str:
    while True:
        code = "RMA-" + "".join(secrets.choice(_RMA_ALPHABET) for _ in range(7))
        if session.scalar(select(Return.id).where(Return.rma_code == code)) is None:
            return code


def refund_status(
    *, session: Session, order: VerifiedOrder, today: date | None = None
) -> tuple[RefundInfo, ...]:
    """Every refund the order has or will have, newest first: returns and a paid cancellation."""
    today = today or date.today()
    current = owned_order(session, order)
    refund_days = _policy(session).refund_days
    refunds: list[RefundInfo] = []
    returns = session.scalars(
        select(Return).where(Return.order_id == current.id).order_by(Return.created_at.desc())
    ).all()
    for ret in returns:
        pending = ret.refund_status in ("pendiente", "procesando")
        expected = ret.created_at.date() + timedelta(days=SEND_WITHIN_DAYS + refund_days)
        refunds.append(
            RefundInfo(
                source="devolucion",
                rma_code=ret.rma_code,
                return_status=ret.status,
                status=ret.refund_status,
                amount=euros(ret.refund_cents),
                refunded_at=ret.refunded_at,
                expected_by=expected if pending else None,
                rejection_reason=ret.rejection_reason,
            )
        )
    if current.status == "cancelado" and current.paid_at and current.cancelled_at:
        due = current.cancelled_at.date() + timedelta(days=refund_days)
        refunds.append(
            RefundInfo(
                source="cancelacion",
                rma_code=None,
                return_status=None,
                status="completado" if due < today else "procesando",
                amount=euros(current.total_cents),
                refunded_at=None,
                expected_by=due,
                rejection_reason=None,
            )
        )
    return tuple(refunds)
