"""Domain layer of the ordering context: orders, their lines and their status machine."""

from lml_ordering.domain.errors import (
    HoldAlreadyOrdered,
    HoldExpired,
    HoldNotFound,
    HoldTokenRefused,
    OrderNotFound,
    TransitionRefused,
)
from lml_ordering.domain.orders import (
    AuditEntry,
    Buyer,
    Order,
    OrderLine,
    PriceList,
    Reservation,
    ReservedSeat,
    ReservedZone,
    UnpricedCategory,
    priced_lines,
    transition,
)
from lml_ordering.domain.status import TRANSITIONS, OrderStatus, may_move

__all__ = [
    "TRANSITIONS",
    "AuditEntry",
    "Buyer",
    "HoldAlreadyOrdered",
    "HoldExpired",
    "HoldNotFound",
    "HoldTokenRefused",
    "Order",
    "OrderLine",
    "OrderNotFound",
    "OrderStatus",
    "PriceList",
    "Reservation",
    "ReservedSeat",
    "ReservedZone",
    "TransitionRefused",
    "UnpricedCategory",
    "may_move",
    "priced_lines",
    "transition",
]
