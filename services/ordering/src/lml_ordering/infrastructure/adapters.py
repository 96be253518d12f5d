"""The ordering context's adapters, as the app hands them to the use cases.

An order spans ordering and seating in one transaction, so the unit-of-work factory is
built by the app that knows both (``lml_api.order_work``); this bundle carries it with
the rest of what the use cases need.
"""

from __future__ import annotations

from dataclasses import dataclass

from lml_ordering.application import Clock, OrderIds, OrderWorkFactory


@dataclass(frozen=True)
class OrderingAdapters:
    work: OrderWorkFactory
    ids: OrderIds
    clock: Clock
    ttl_seconds: int
