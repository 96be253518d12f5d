"""Events: a date at a venue, sold from one of its seatmaps at the event's prices."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

import msgspec

from lml_catalog.domain.errors import Problem
from lml_catalog.domain.seatmap_validation import BAD_ID, BAD_NAME, is_id, is_name
from lml_catalog.domain.seatmaps import GaZone, Seatmap

CURRENCY = re.compile(r"[A-Z]{3}")
DEFAULT_MAX_SEATS_PER_HOLD = 10
MAX_SEATS_PER_HOLD = 100
# In minor units; far below where an order's bigint total of many such seats could overflow.
MAX_AMOUNT = 10**12


class PriceCategory(msgspec.Struct, frozen=True, kw_only=True):
    """What a seat or GA place of one category costs, in minor units of the event's currency."""

    id: str
    name: str
    amount: int


class SalesChannel(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    name: str


class EventTerms(msgspec.Struct, frozen=True, kw_only=True):
    """What the organiser decides about an event, before it is checked against a seatmap."""

    name: str
    starts_at: datetime
    currency: str
    price_categories: tuple[PriceCategory, ...]
    sales_channels: tuple[SalesChannel, ...] = ()
    max_seats_per_hold: int = DEFAULT_MAX_SEATS_PER_HOLD


class Event(msgspec.Struct, frozen=True, kw_only=True):
    """An event and its GA zones, copied from the seatmap when the event was created."""

    id: str
    org_id: str
    venue_id: str
    seatmap_id: str
    terms: EventTerms
    ga_zones: tuple[GaZone, ...]
    created_at: datetime


def terms_problems(terms: EventTerms) -> list[Problem]:
    """Every problem with the terms themselves, at the path of the request field."""
    problems: list[Problem] = []
    if not is_name(terms.name):
        problems.append(Problem("name", BAD_NAME))
    if terms.starts_at.tzinfo is None:
        problems.append(Problem("starts_at", "must be an RFC 3339 time with a UTC offset"))
    if not CURRENCY.fullmatch(terms.currency):
        problems.append(Problem("currency", "must be an ISO 4217 code of 3 upper-case letters"))
    if not 1 <= terms.max_seats_per_hold <= MAX_SEATS_PER_HOLD:
        problems.append(Problem("max_seats_per_hold", f"must be from 1 to {MAX_SEATS_PER_HOLD}"))
    problems += listed_problems("price_categories", terms.price_categories)
    for index, category in enumerate(terms.price_categories):
        if not 0 <= category.amount <= MAX_AMOUNT:
            problems.append(
                Problem(
                    f"price_categories[{index}].amount",
                    f"must be from 0 to {MAX_AMOUNT} (minor units)",
                )
            )
    problems += listed_problems("sales_channels", terms.sales_channels)
    return problems


def listed_problems(field: str, listed: Sequence[PriceCategory | SalesChannel]) -> list[Problem]:
    """Ids well formed and unique, names present, for a list of ``{id, name}`` items."""
    problems: list[Problem] = []
    first: dict[str, int] = {}
    for index, item in enumerate(listed):
        path = f"{field}[{index}]"
        if not is_id(item.id):
            problems.append(Problem(f"{path}.id", BAD_ID))
        elif item.id in first:
            problems.append(
                Problem(f"{path}.id", f'duplicate "{item.id}" (first at {field}[{first[item.id]}])')
            )
        else:
            first[item.id] = index
        if not is_name(item.name):
            problems.append(Problem(f"{path}.name", BAD_NAME))
    return problems


def unpriced_categories(seatmap: Seatmap, terms: EventTerms) -> list[Problem]:
    """One problem per category the seatmap uses that the event gives no price."""
    priced = {category.id for category in terms.price_categories}
    return [
        Problem("price_categories", f'the seatmap uses "{category}", which has no price')
        for category in seatmap.categories_used()
        if category not in priced
    ]
