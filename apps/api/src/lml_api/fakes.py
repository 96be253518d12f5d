"""A container of in-memory adapters: the API without servers, for tests and demos."""

from __future__ import annotations

from collections.abc import Sequence

from lml_api.container import CatalogPorts, Container, IdentityPorts, build_budgets
from lml_api.readiness import Check
from lml_api.seating_ports import in_memory_seating
from lml_api.tokens import build_tokens
from lml_catalog.fakes import (
    InMemoryEvents,
    InMemorySeatmaps,
    InMemoryVenues,
    SequentialIds,
    SteppingClock,
)
from lml_config import Settings
from lml_idempotency import InMemoryIdempotencyStore, MeteredIdempotencyStore
from lml_identity.fakes import (
    FakePasswordHasher,
    FakeSecrets,
    InMemoryApiClients,
    InMemoryOrganisations,
    InMemoryUsers,
)
from lml_ratelimit import GuardedRateLimiter, InMemoryRateLimiter


def in_memory_container(settings: Settings, checks: Sequence[Check] = ()) -> Container:
    return Container(
        settings=settings,
        checks=checks,
        tokens=build_tokens(settings),
        identity=IdentityPorts(
            organisations=InMemoryOrganisations(),
            users=InMemoryUsers(),
            clients=InMemoryApiClients(),
            hasher=FakePasswordHasher(),
            secrets=FakeSecrets(),
        ),
        catalog=CatalogPorts(
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
    )
