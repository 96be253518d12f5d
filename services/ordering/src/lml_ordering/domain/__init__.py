"""Domain layer of the ordering context: orders, their lines and their status machine."""

from lml_ordering.domain.errors import (
    HoldAlreadyOrdered,
    HoldExpired,
    HoldNotFound,
    HoldTokenRefused,
    InvalidCursor,
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
from lml_ordering.domain.paging import Cursor, decode_cursor, encode_cursor
from lml_ordering.domain.status import TRANSITIONS, OrderStatus, may_move

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
    "PriceList",
    "Reservation",
    "ReservedSeat",
    "ReservedZone",
    "TransitionRefused",
    "UnpricedCategory",
    "decode_cursor",
    "encode_cursor",
    "may_move",
    "priced_lines",
    "transition",
]
