"""The store's schema: customers, catalogue, orders, fulfilment, after-sale and policies.

Money is kept in integer cents (euros) so SQLite and PostgreSQL give the same
sums; times are naive UTC. Every table name starts with ``store_`` because
Rasa's tracker store shares the database and owns generic names like ``events``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base, relationship

# Stable constraint names make Alembic migrations identical on SQLite and PostgreSQL.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)
# Typed as Any: SQLAlchemy 1.4 ships no stubs for its declarative base.
Base: Any = declarative_base(metadata=metadata)

ORDER_STATUSES = (
    "pendiente_pago",
    "pagado",
    "preparando",
    "enviado",
    "en_reparto",
    "entregado",
    "cancelado",
    "devuelto",
)
SHIPMENT_STATUSES = ("en_transito", "en_reparto", "entregado", "retrasado", "perdido", "devuelto")
RETURN_STATUSES = ("solicitada", "aprobada", "en_transito", "recibida", "rechazada", "completada")
REFUND_STATUSES = ("pendiente", "procesando", "completado", "rechazado")
TICKET_STATUSES = ("abierto", "en_proceso", "esperando_cliente", "resuelto", "cerrado")
TICKET_PRIORITIES = ("baja", "media", "alta", "urgente")
TICKET_CATEGORIES = (
    "danado",
    "incorrecto",
    "incompleto",
    "retraso",
    "perdido",
    "pago",
    "devolucion",
    "cuenta",
    "otro",
)
ITEM_CONDITIONS = ("sin_usar", "usado", "defectuoso")
RETURN_REASONS = ("talla", "no_gusta", "danado", "incorrecto", "incompleto", "otro")


class Customer(Base):
    __tablename__ = "store_customers"

    id = Column(Integer, primary_key=True)
    email = Column(String(254), nullable=False, unique=True)
    first_name = Column(String(80), nullable=False)
    last_name = Column(String(120), nullable=False)
    phone = Column(String(32))
    country = Column(String(2), nullable=False)
    created_at = Column(DateTime, nullable=False)

    addresses = relationship("Address", back_populates="customer")


class Address(Base):
    __tablename__ = "store_addresses"

    id = Column(Integer, primary_key=True)
    customer_id = Column(ForeignKey("store_customers.id"), nullable=False, index=True)
    line1 = Column(String(200), nullable=False)
    city = Column(String(100), nullable=False)
    region = Column(String(100), nullable=False)
    postal_code = Column(String(12), nullable=False)
    country = Column(String(2), nullable=False)
    is_default = Column(Boolean, nullable=False, default=True)

    customer = relationship("Customer", back_populates="addresses")


class Category(Base):
    __tablename__ = "store_categories"

    id = Column(Integer, primary_key=True)
    slug = Column(String(60), nullable=False, unique=True)
    name = Column(String(80), nullable=False)
    returnable = Column(Boolean, nullable=False, default=True)
    return_note = Column(String(200))  # why not returnable, said to the shopper


class Product(Base):
    __tablename__ = "store_products"

    id = Column(Integer, primary_key=True)
    sku = Column(String(40), nullable=False, unique=True)
    name = Column(String(160), nullable=False)
    brand = Column(String(80), nullable=False)
    category_id = Column(ForeignKey("store_categories.id"), nullable=False, index=True)
    description = Column(Text, nullable=False)
    # Lower-case, accent-free name, brand, category and description: shoppers type "algodon".
    search_text = Column(Text, nullable=False)
    active = Column(Boolean, nullable=False, default=True)

    category = relationship("Category")
    variants = relationship("Variant", back_populates="product", order_by="Variant.id")


class Variant(Base):
    __tablename__ = "store_variants"

    id = Column(Integer, primary_key=True)
    product_id = Column(ForeignKey("store_products.id"), nullable=False, index=True)
    sku = Column(String(60), nullable=False, unique=True)
    size = Column(String(20))  # None for one-size products
    colour = Column(String(40))  # lower-case Spanish colour name
    price_cents = Column(Integer, nullable=False)
    stock = Column(Integer, nullable=False, default=0)

    product = relationship("Product", back_populates="variants")


class ShippingZone(Base):
    __tablename__ = "store_shipping_zones"

    id = Column(Integer, primary_key=True)
    code = Column(String(30), nullable=False, unique=True)
    name = Column(String(80), nullable=False)
    countries = Column(String(100), nullable=False)  # ISO codes, comma-separated
    postal_prefixes = Column(String(100))  # Spain's islands and cities by postal prefix
    cost_cents = Column(Integer, nullable=False)
    free_from_cents = Column(Integer)  # None: shipping is never free in this zone
    days_min = Column(Integer, nullable=False)
    days_max = Column(Integer, nullable=False)


class PaymentMethod(Base):
    __tablename__ = "store_payment_methods"

    code = Column(String(30), primary_key=True)
    name = Column(String(80), nullable=False)
    description = Column(String(300), nullable=False)
    max_installments = Column(Integer, nullable=False, default=1)
    active = Column(Boolean, nullable=False, default=True)


class Promotion(Base):
    __tablename__ = "store_promotions"

    id = Column(Integer, primary_key=True)
    code = Column(String(30), nullable=False, unique=True)
    title = Column(String(120), nullable=False)
    description = Column(String(400), nullable=False)
    discount_percent = Column(Integer, nullable=False)
    category_id = Column(ForeignKey("store_categories.id"))  # None: whole store
    starts_on = Column(Date, nullable=False)
    ends_on = Column(Date, nullable=False)

    category = relationship("Category")


class StorePolicy(Base):
    """The store-wide rules; one row (id 1)."""

    __tablename__ = "store_policy"

    id = Column(Integer, primary_key=True)
    store_name = Column(String(80), nullable=False)
    return_window_days = Column(Integer, nullable=False)
    defect_guarantee_days = Column(Integer, nullable=False)  # legal guarantee for faulty goods
    refund_days = Column(Integer, nullable=False)  # days to refund once a return is received
    support_email = Column(String(120), nullable=False)
    support_hours = Column(String(120), nullable=False)


class Order(Base):
    __tablename__ = "store_orders"

    id = Column(Integer, primary_key=True)
    number = Column(String(12), nullable=False, unique=True)
    customer_id = Column(ForeignKey("store_customers.id"), nullable=False, index=True)
    status = Column(String(20), nullable=False, index=True)
    placed_at = Column(DateTime, nullable=False)
    paid_at = Column(DateTime)
    shipped_at = Column(DateTime)
    delivered_at = Column(DateTime)
    cancelled_at = Column(DateTime)
    subtotal_cents = Column(Integer, nullable=False)
    shipping_cents = Column(Integer, nullable=False)
    discount_cents = Column(Integer, nullable=False, default=0)
    total_cents = Column(Integer, nullable=False)
    payment_method = Column(ForeignKey("store_payment_methods.code"), nullable=False)
    promotion_code = Column(String(30))
    shipping_zone_id = Column(ForeignKey("store_shipping_zones.id"), nullable=False)
    ship_name = Column(String(200), nullable=False)
    ship_line1 = Column(String(200), nullable=False)
    ship_city = Column(String(100), nullable=False)
    ship_region = Column(String(100), nullable=False)
    ship_postal_code = Column(String(12), nullable=False)
    ship_country = Column(String(2), nullable=False)

    customer = relationship("Customer")
    items = relationship("OrderItem", back_populates="order", order_by="OrderItem.id")
    shipments = relationship("Shipment", back_populates="order", order_by="Shipment.id")
    zone = relationship("ShippingZone")


class OrderItem(Base):
    __tablename__ = "store_order_items"

    id = Column(Integer, primary_key=True)
    order_id = Column(ForeignKey("store_orders.id"), nullable=False, index=True)
    variant_id = Column(ForeignKey("store_variants.id"), nullable=False, index=True)
    product_name = Column(String(160), nullable=False)  # as sold, even if renamed later
    quantity = Column(Integer, nullable=False)
    unit_price_cents = Column(Integer, nullable=False)

    order = relationship("Order", back_populates="items")
    variant = relationship("Variant")


class Shipment(Base):
    __tablename__ = "store_shipments"

    id = Column(Integer, primary_key=True)
    order_id = Column(ForeignKey("store_orders.id"), nullable=False, index=True)
    carrier = Column(String(40), nullable=False)
    tracking_number = Column(String(40), nullable=False, unique=True)
    status = Column(String(20), nullable=False)
    shipped_at = Column(DateTime, nullable=False)
    estimated_delivery = Column(Date, nullable=False)
    delivered_at = Column(DateTime)

    order = relationship("Order", back_populates="shipments")
    events = relationship(
        "TrackingEvent", back_populates="shipment", order_by="TrackingEvent.occurred_at"
    )


class TrackingEvent(Base):
    __tablename__ = "store_tracking_events"

    id = Column(Integer, primary_key=True)
    shipment_id = Column(ForeignKey("store_shipments.id"), nullable=False, index=True)
    occurred_at = Column(DateTime, nullable=False)
    location = Column(String(120), nullable=False)
    description = Column(String(240), nullable=False)

    shipment = relationship("Shipment", back_populates="events")


class Return(Base):
    __tablename__ = "store_returns"

    id = Column(Integer, primary_key=True)
    rma_code = Column(String(16), nullable=False, unique=True)
    order_id = Column(ForeignKey("store_orders.id"), nullable=False, index=True)
    reason = Column(String(30), nullable=False)
    condition = Column(String(20), nullable=False)
    status = Column(String(20), nullable=False)
    created_at = Column(DateTime, nullable=False)
    refund_cents = Column(Integer, nullable=False)
    refund_status = Column(String(20), nullable=False)
    refunded_at = Column(DateTime)
    rejection_reason = Column(String(240))

    order = relationship("Order")
    items = relationship("ReturnItem", back_populates="return_", order_by="ReturnItem.id")


class ReturnItem(Base):
    __tablename__ = "store_return_items"
    __table_args__ = (UniqueConstraint("return_id", "order_item_id"),)

    id = Column(Integer, primary_key=True)
    return_id = Column(ForeignKey("store_returns.id"), nullable=False, index=True)
    order_item_id = Column(ForeignKey("store_order_items.id"), nullable=False, index=True)
    quantity = Column(Integer, nullable=False)

    return_ = relationship("Return", back_populates="items")
    order_item = relationship("OrderItem")


class Ticket(Base):
    __tablename__ = "store_tickets"

    id = Column(Integer, primary_key=True)
    number = Column(String(16), nullable=False, unique=True)
    customer_id = Column(ForeignKey("store_customers.id"), index=True)
    order_id = Column(ForeignKey("store_orders.id"), index=True)
    category = Column(String(20), nullable=False)
    priority = Column(String(10), nullable=False)
    status = Column(String(20), nullable=False)
    description = Column(Text, nullable=False)
    contact_email = Column(String(254))
    # The chat it came from (Rasa's sender id), so a photo sent after it is attached to it.
    conversation_id = Column(String(255), index=True)
    created_at = Column(DateTime, nullable=False)
    updated_at = Column(DateTime, nullable=False)


FEEDBACK_KINDS = ("opinion", "valoracion")


class Feedback(Base):
    """What a shopper thought of the help: a free-text opinion or a 1–5 score of the conversation.

    Kept apart from tickets: nobody has to act on it, analysts read it per conversation.
    """

    __tablename__ = "store_feedback"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(64), nullable=False, index=True)  # Rasa's sender id
    kind = Column(String(20), nullable=False)  # opinion | valoracion
    text = Column(Text)
    score = Column(Integer)  # 1..5 for a valoracion
    created_at = Column(DateTime, nullable=False)
