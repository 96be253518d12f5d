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
from lml_paging import Cursor, InvalidCursor, Page, page_of, start_after

__all__ = [
    "TRANSITIONS",
    "AuditEntry",
    "Buyer",
    "Cursor",
    "HoldAlreadyOrdered",
    "HoldExpired",
    "HoldNotFound",
    "HoldTokenRefused",
    "InvalidCursor",
    "Order",
    "OrderLine",
    "OrderNotFound",
    "OrderStatus",
    "Page",
    "PriceList",
    "Reservation",
    "ReservedSeat",
    "ReservedZone",
    "TransitionRefused",
    "UnpricedCategory",
    "may_move",
    "page_of",
    "priced_lines",
    "start_after",
    "transition",
]
