"""Why an ordering request was refused: expected outcomes, returned as ``Err`` values."""

from __future__ import annotations

from typing import Literal

import msgspec

from lml_ordering.domain.status import OrderStatus


class HoldNotFound(msgspec.Struct, frozen=True):
    """No hold of this id in the caller's organisation (another's reads the same)."""

    hold_id: str


class HoldTokenRefused(msgspec.Struct, frozen=True):
    reason: Literal["not_sent", "wrong"]


class HoldExpired(msgspec.Struct, frozen=True):
    """The hold expired or was released: its places are no longer its own."""

    hold_id: str


class HoldAlreadyOrdered(msgspec.Struct, frozen=True):
    """The hold was already turned into an order: a hold makes at most one."""

    hold_id: str


class OrderNotFound(msgspec.Struct, frozen=True):
    order_id: str


class TransitionRefused(msgspec.Struct, frozen=True):
    """The status machine has no move from ``current`` to ``target``."""

    order_id: str
    current: OrderStatus
    target: OrderStatus
