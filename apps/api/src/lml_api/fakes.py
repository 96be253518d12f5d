"""A container of in-memory adapters: the API without servers, for tests and demos."""

from __future__ import annotations

from collections.abc import Sequence

from lml_api.container import Container, build_budgets
from lml_api.read_tickets import InMemoryReadTickets
from lml_api.readiness import Check
from lml_api.tokens import build_tokens
from lml_catalog.fakes import (
    InMemoryEvents,
    InMemorySeatmaps,
    InMemoryVenues,
    SequentialIds,
    SteppingClock,
)
from lml_catalog.infrastructure.adapters import CatalogAdapters
from lml_clocks import SystemClock
from lml_config import Settings
from lml_idempotency import InMemoryIdempotencyStore, MeteredIdempotencyStore
from lml_identity.fakes import (
    FakePasswordHasher,
    FakeSecrets,
    InMemoryApiClients,
    InMemoryOrganisations,
    InMemoryUsers,
)
from lml_identity.infrastructure.adapters import IdentityAdapters
from lml_ordering.fakes import InMemoryOrderWork, SequentialOrderIds
from lml_ordering.infrastructure.adapters import OrderingAdapters
from lml_payments.fakes import FakeGateway, InMemoryInbox, InMemoryPayments
from lml_payments.infrastructure import StripeWebhookVerifier
from lml_payments.infrastructure.adapters import PaymentsAdapters
from lml_ratelimit import GuardedRateLimiter, InMemoryRateLimiter
from lml_seating.application import Clock
from lml_seating.fakes import InMemoryAvailabilityEvents, InMemoryInventory, InMemoryLockStore
from lml_seating.infrastructure import (
    MeteredExpiryQueue,
    MeteredHoldLocks,
    RandomHoldIdentities,
)
from lml_seating.infrastructure.adapters import SeatingAdapters, hold_policy


def in_memory_seating(settings: Settings, clock: Clock | None = None) -> SeatingAdapters:
    """Everything in memory, on the wall clock unless told otherwise."""
    clock = clock or SystemClock()
    events = InMemoryAvailabilityEvents()
    stock = InMemoryInventory(clock)
    store = InMemoryLockStore(clock, events)
    return SeatingAdapters(
        policy=hold_policy(settings),
        rules=stock,
        locks=MeteredHoldLocks(store),
        expiries=MeteredExpiryQueue(store),
        live=store,
        order_locks=store,
        inventory=stock,
        configurations=stock,
        identities=RandomHoldIdentities(),
        events=events,
        clock=clock,
    )


def in_memory_container(settings: Settings, checks: Sequence[Check] = ()) -> Container:
    payments = InMemoryPayments()
    return Container(
        settings=settings,
        checks=checks,
        tokens=build_tokens(settings),
        identity=IdentityAdapters(
            organisations=InMemoryOrganisations(),
            users=InMemoryUsers(),
            clients=InMemoryApiClients(),
            hasher=FakePasswordHasher(),
            secrets=FakeSecrets(),
        ),
        catalog=CatalogAdapters(
            venues=InMemoryVenues(),
            seatmaps=InMemorySeatmaps(),
            events=InMemoryEvents(),
            ids=SequentialIds(),
            clock=SteppingClock(),
        ),
        idempotency=MeteredIdempotencyStore(InMemoryIdempotencyStore()),
        rate_limiter=GuardedRateLimiter(InMemoryRateLimiter()),
        budgets=build_budgets(settings),
        seating=in_memory_seating(settings),
        read_tickets=InMemoryReadTickets(ttl_seconds=settings.availability_ticket_seconds),
        ordering=OrderingAdapters(
            # Orders in memory see no seating holds (they span two contexts' tables, so
            # the API's order routes are tested on PostgreSQL and Redis).
            work=InMemoryOrderWork(),
            ids=SequentialOrderIds(),
            clock=SystemClock(),
            ttl_seconds=settings.order_ttl_seconds,
        ),
        payments=PaymentsAdapters(
            gateway=FakeGateway(),
            verifier=StripeWebhookVerifier(settings.stripe_webhook_secret),
            payments=payments,
            inbox=InMemoryInbox(payments),
            webhook_secret=settings.stripe_webhook_secret,
        ),
    )
