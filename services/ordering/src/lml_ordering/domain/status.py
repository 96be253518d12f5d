"""The order status machine: ``pending`` -> ``paid`` | ``expired`` | ``canceled``;
``paid`` -> ``refunded``. No other move exists, and an ended order stays ended."""

from __future__ import annotations

import enum


class OrderStatus(enum.Enum):
    PENDING = "pending"
    PAID = "paid"
    EXPIRED = "expired"
    CANCELED = "canceled"
    REFUNDED = "refunded"


TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.PENDING: frozenset({OrderStatus.PAID, OrderStatus.EXPIRED, OrderStatus.CANCELED}),
    OrderStatus.PAID: frozenset({OrderStatus.REFUNDED}),
    OrderStatus.EXPIRED: frozenset(),
    OrderStatus.CANCELED: frozenset(),
    OrderStatus.REFUNDED: frozenset(),
}


def may_move(current: OrderStatus, target: OrderStatus) -> bool:
    return target in TRANSITIONS[current]
