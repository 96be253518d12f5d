"""A seating world of in-memory adapters, and helpers to act in it.

pytest runs with --import-mode=importlib, so tests reach these helpers through
fixtures rather than by importing this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec
import pytest

from lml_result import Err, Ok, Result
from lml_seating.application import (
    ExtendHold,
    ExtendHoldError,
    HoldSeats,
    HoldSeatsError,
    ReleaseHold,
    extend_hold,
    hold_seats,
    release_hold,
)
from lml_seating.domain import HoldGrant, HoldNotFound, HoldPolicy, HoldTokenRefused
from lml_seating.fakes import (
    InMemoryAvailabilityEvents,
    InMemoryInventory,
    InMemoryLockStore,
    ManualClock,
    SequentialHoldIdentities,
)

ORG = "org_1"
EVENT = "evt_1"
POLICY = HoldPolicy(
    default_ttl_seconds=300, min_ttl_seconds=30, max_ttl_seconds=900, max_lifetime_seconds=1800
)


@dataclass
class World:
    clock: ManualClock
    inventory: InMemoryInventory
    events: InMemoryAvailabilityEvents
    locks: InMemoryLockStore
    identities: SequentialHoldIdentities

    async def hold(self, **request: Any) -> Result[HoldGrant, HoldSeatsError]:
        cmd = HoldSeats(**{"org_id": ORG, "event_id": EVENT, **request})
        return await hold_seats(
            cmd,
            policy=POLICY,
            rules=self.inventory,
            locks=self.locks,
            inventory=self.inventory,
            identities=self.identities,
        )

    async def held(self, **request: Any) -> HoldGrant:
        outcome = await self.hold(**request)
        assert isinstance(outcome, Ok), outcome
        return outcome.value

    async def extend(
        self, hold_id: str, token: str | None, ttl_seconds: int | None = None
    ) -> Result[Any, ExtendHoldError]:
        cmd = ExtendHold(org_id=ORG, hold_id=hold_id, token=token, ttl_seconds=ttl_seconds)
        return await extend_hold(
            cmd, policy=POLICY, locks=self.locks, inventory=self.inventory, clock=self.clock
        )

    async def release(
        self, hold_id: str, token: str | None
    ) -> Result[None, HoldNotFound | HoldTokenRefused]:
        cmd = ReleaseHold(org_id=ORG, hold_id=hold_id, token=token)
        return await release_hold(cmd, locks=self.locks, inventory=self.inventory, clock=self.clock)

    async def holders(self, *seats: str) -> dict[str, str]:
        return dict(await self.locks.holders(EVENT, list(seats)))

    async def kinds(self) -> list[tuple[str, str]]:
        """(type, reason) of every published event, in order ("-" for seat.held)."""
        published = await self.events.since(EVENT)
        return [
            (event.type, msgspec.json.decode(event.data).get("reason", "-")) for event in published
        ]


@pytest.fixture
def world() -> World:
    clock = ManualClock()
    events = InMemoryAvailabilityEvents()
    inventory = InMemoryInventory(clock)
    inventory.add_event(
        ORG,
        EVENT,
        seats=[f"A-{n}" for n in range(1, 9)],
        zones={"GA": 5},
        max_seats_per_hold=6,
        sales_channels=["web", "box"],
        seat_channels={"A-8": "box"},
        statuses={"A-7": "sold"},
    )
    return World(
        clock=clock,
        inventory=inventory,
        events=events,
        locks=InMemoryLockStore(clock, events),
        identities=SequentialHoldIdentities(),
    )


@pytest.fixture
def error_of() -> Any:
    """``error_of(outcome)``: the error of an ``Err``, failing the test on ``Ok``."""

    def unwrap(outcome: Result[Any, Any]) -> Any:
        assert isinstance(outcome, Err), outcome
        return outcome.error

    return unwrap
