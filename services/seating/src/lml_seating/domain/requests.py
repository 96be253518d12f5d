"""The rules a hold request must meet before any seat is touched."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

import msgspec

from lml_result import Err, Ok, Result
from lml_seating.domain.errors import (
    FieldError,
    InvalidRequest,
    TooManySeats,
    UnknownSalesChannel,
    UnknownZones,
)
from lml_seating.domain.holds import GaQuantity


class HoldPolicy(msgspec.Struct, frozen=True, kw_only=True):
    """Hold lifetimes in seconds: ``min_ttl <= default_ttl <= max_ttl <= max_lifetime``."""

    default_ttl_seconds: int
    min_ttl_seconds: int
    max_ttl_seconds: int
    max_lifetime_seconds: int

    def __post_init__(self) -> None:
        bounds = (
            self.min_ttl_seconds,
            self.default_ttl_seconds,
            self.max_ttl_seconds,
            self.max_lifetime_seconds,
        )
        if not 0 < bounds[0] <= bounds[1] <= bounds[2] <= bounds[3]:
            raise ValueError(f"hold lifetimes out of order: {bounds}")

    def ttl(self, requested: int | None) -> Result[int, InvalidRequest]:
        if requested is None:
            return Ok(self.default_ttl_seconds)
        if not self.min_ttl_seconds <= requested <= self.max_ttl_seconds:
            return Err(InvalidRequest((self.ttl_error(),)))
        return Ok(requested)

    def ttl_error(self) -> FieldError:
        return FieldError(
            "ttl_seconds",
            f"must be between {self.min_ttl_seconds} and {self.max_ttl_seconds} seconds",
        )


class EventRules(msgspec.Struct, frozen=True, kw_only=True):
    """What an event allows in one hold: its seats are checked against inventory itself."""

    event_id: str
    max_seats_per_hold: int
    sales_channels: frozenset[str]
    zone_capacities: Mapping[str, int]


class HoldShape(msgspec.Struct, frozen=True, kw_only=True):
    """A well-formed request: seats and zones sorted (the lock order), each named once."""

    seat_ids: tuple[str, ...]
    ga: tuple[GaQuantity, ...]
    ttl_seconds: int


def shape_request(
    seat_ids: Iterable[str],
    ga: Iterable[GaQuantity],
    ttl_seconds: int | None,
    policy: HoldPolicy,
) -> Result[HoldShape, InvalidRequest]:
    """Check everything that needs no stored state, and report every problem at once."""
    seats = list(seat_ids)
    zones = list(ga)
    errors: list[FieldError] = []
    if not seats and not zones:
        errors.append(FieldError("seat_ids", "a hold needs at least one seat or GA place"))
    errors.extend(
        FieldError("seat_ids", f"seat {seat!r} is named more than once")
        for seat, count in sorted(Counter(seats).items())
        if count > 1
    )
    errors.extend(
        FieldError("seat_ids", "seat ids must not be empty") for seat in seats if not seat
    )
    errors.extend(
        FieldError("ga", f"zone {zone!r} is named more than once")
        for zone, count in sorted(Counter(item.zone_id for item in zones).items())
        if count > 1
    )
    errors.extend(
        FieldError("ga", f"quantity for zone {item.zone_id!r} must be at least 1")
        for item in zones
        if item.quantity < 1
    )
    ttl = policy.ttl(ttl_seconds)
    if isinstance(ttl, Err):
        errors.extend(ttl.error.errors)
    if errors or isinstance(ttl, Err):
        return Err(InvalidRequest(tuple(errors)))
    return Ok(
        HoldShape(
            seat_ids=tuple(sorted(seats)),
            ga=tuple(sorted(zones, key=lambda item: item.zone_id)),
            ttl_seconds=ttl.value,
        )
    )


def check_against_rules(
    shape: HoldShape, sales_channel_id: str | None, rules: EventRules
) -> Result[None, UnknownSalesChannel | UnknownZones | TooManySeats]:
    if sales_channel_id is not None and sales_channel_id not in rules.sales_channels:
        return Err(UnknownSalesChannel(sales_channel_id))
    unknown = tuple(item.zone_id for item in shape.ga if item.zone_id not in rules.zone_capacities)
    if unknown:
        return Err(UnknownZones(unknown))
    places = len(shape.seat_ids) + sum(item.quantity for item in shape.ga)
    if places > rules.max_seats_per_hold:
        return Err(TooManySeats(limit=rules.max_seats_per_hold, requested=places))
    return Ok(None)
