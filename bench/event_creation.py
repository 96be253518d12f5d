"""How long a stadium takes to validate, import and turn into an event's inventory.

A generated seatmap (80 sections x 25 rows x 40 seats = 80,000 seats, and 4 GA zones,
by default) goes through the catalog's use cases on real servers: a fresh database on
the local PostgreSQL, migrated like the test fixtures and dropped afterwards, and an
in-memory SecantusDB process (MongoDB wire protocol) unless ``--mongo-url`` is given.
Each round, on a new venue:

- validate: decode the JSON file and ``parse_seatmap`` it (every rule, then the typed seatmap);
- import: the ``put_seatmap`` use case (venue lookup, validation, one MongoDB write);
- create event: the ``create_event`` use case (venue lookup, seatmap read from MongoDB,
  price check, then one PostgreSQL transaction: event row, GA zone counters, the seats
  by COPY into a temporary table and one INSERT ... SELECT), of which the seatmap read
  and the transaction are also shown alone.

    uv run python bench/event_creation.py [--sections 80] [--rows 25] [--seats 40]
        [--ga-zones 4] [--rounds 5] [--postgres-url URL] [--mongo-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import statistics
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from typing import Any

import msgspec
import psycopg
from pymongo import AsyncMongoClient

from lml_catalog.application import (
    CreateEvent,
    CreateVenue,
    Events,
    PutSeatmap,
    Seatmaps,
    create_event,
    create_venue,
    put_seatmap,
)
from lml_catalog.domain import (
    Cursor,
    Event,
    EventExists,
    EventTerms,
    PriceCategory,
    Seatmap,
    SeatmapKey,
    SeatmapTooLarge,
    SeatStock,
    generate_seatmap,
    parse_seatmap,
)
from lml_catalog.infrastructure import (
    COLLECTION,
    MongoSeatmaps,
    PostgresEvents,
    PostgresVenues,
    RandomIds,
)
from lml_clocks import SystemClock
from lml_devstack import secantus_server
from lml_postgres import AppPool, create_pool, default_migrations_dir, migrate_up
from lml_result import Ok, Result
from lml_tenancy import with_tenant
from lml_testing.databases import create_database, drop_database
from lml_testing.servers import LOCAL_POSTGRES_URL
from lml_testing.settings import settings_for_tests

STEPS = ("validate", "import", "create event", "  of which seatmap read", "  of which transaction")

Timings = dict[str, list[float]]


@contextmanager
def timed(timings: Timings, step: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        timings[step].append(time.perf_counter() - started)


class TimedSeatmaps:
    """The real store, timing the read that event creation makes."""

    def __init__(self, inner: Seatmaps, timings: Timings) -> None:
        self._inner = inner
        self._timings = timings

    async def put(self, key: SeatmapKey, seatmap: Seatmap) -> Result[bool, SeatmapTooLarge]:
        return await self._inner.put(key, seatmap)

    async def get(self, key: SeatmapKey) -> Seatmap | None:
        with timed(self._timings, "  of which seatmap read"):
            return await self._inner.get(key)


class TimedEvents:
    """The real store, timing the transaction that writes an event and its inventory."""

    def __init__(self, inner: Events, timings: Timings) -> None:
        self._inner = inner
        self._timings = timings

    async def add(self, event: Event, seats: Iterable[SeatStock]) -> Result[None, EventExists]:
        with timed(self._timings, "  of which transaction"):
            return await self._inner.add(event, seats)

    async def get(self, org_id: str, event_id: str) -> Event | None:
        return await self._inner.get(org_id, event_id)

    async def list(self, org_id: str, *, after: Cursor | None, limit: int) -> Sequence[Event]:
        return await self._inner.list(org_id, after=after, limit=limit)


async def seat_rows(pool: AppPool, org_id: str, event_id: str) -> int:
    async with with_tenant(pool, org_id) as conn:
        cursor = await conn.execute(
            "select count(*) from lml.event_seats where event_id = %s", (event_id,)
        )
        row = await cursor.fetchone()
    assert row is not None
    return int(row[0])


async def run_rounds(
    pool: AppPool, mongo_url: str, document_bytes: bytes, rounds: int
) -> tuple[Timings, int]:
    timings: Timings = defaultdict(list)
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_url)
    try:
        store = MongoSeatmaps(client[f"lml_bench_{uuid.uuid4().hex[:8]}"][COLLECTION])
        await store.create_indexes()
        seatmaps = TimedSeatmaps(store, timings)
        events = TimedEvents(PostgresEvents(pool), timings)
        venues, ids, clock = PostgresVenues(pool), RandomIds(), SystemClock()
        org_id = f"org_bench_{uuid.uuid4().hex[:8]}"
        async with with_tenant(pool, org_id) as conn:
            await conn.execute(
                "insert into lml.tenants (tenant_id, name) values (%s, 'Bench')", (org_id,)
            )
        seats = 0
        for _ in range(rounds):
            with timed(timings, "validate"):
                parsed = parse_seatmap(msgspec.json.decode(document_bytes))
            assert isinstance(parsed, Ok), parsed
            prices = tuple(
                PriceCategory(id=category, name=category, amount=5000)
                for category in parsed.value.categories_used()
            )
            venue = await create_venue(
                CreateVenue(org_id=org_id, name="Stadium"), venues=venues, ids=ids, clock=clock
            )
            assert isinstance(venue, Ok), venue
            key = SeatmapKey(org_id, venue.value.id, "stadium")
            with timed(timings, "import"):
                stored = await put_seatmap(
                    PutSeatmap(key=key, document=msgspec.json.decode(document_bytes)),
                    venues=venues,
                    seatmaps=seatmaps,
                )
            assert isinstance(stored, Ok), stored
            with timed(timings, "create event"):
                event = await create_event(
                    CreateEvent(
                        org_id=org_id,
                        venue_id=key.venue_id,
                        seatmap_id=key.seatmap_id,
                        terms=EventTerms(
                            name="Final",
                            starts_at=datetime(2027, 5, 29, 19, 0, tzinfo=UTC),
                            currency="EUR",
                            price_categories=prices,
                        ),
                    ),
                    venues=venues,
                    seatmaps=seatmaps,
                    events=events,
                    ids=ids,
                    clock=clock,
                )
            assert isinstance(event, Ok), event
            seats = await seat_rows(pool, org_id, event.value.id)
            assert seats == parsed.value.seat_count()
    finally:
        await client.close()
    return timings, seats


async def measure(
    postgres_url: str, mongo_url: str, document_bytes: bytes, rounds: int
) -> tuple[Timings, int]:
    database = await create_database(postgres_url)
    try:
        await migrate_up(database.admin_url, default_migrations_dir(settings_for_tests()))
        pool = create_pool(settings_for_tests(database_url=database.admin_url))
        await pool.open(wait=True)
        try:
            return await run_rounds(pool, mongo_url, document_bytes, rounds)
        finally:
            await pool.close()
    finally:
        await drop_database(postgres_url, database)


def table(timings: Timings) -> str:
    lines = ["| step | min s | median s | max s |", "|---|---:|---:|---:|"]
    for step in STEPS:
        values = timings[step]
        lines.append(
            f"| {step} | {min(values):.3f} | {statistics.median(values):.3f} | {max(values):.3f} |"
        )
    return "\n".join(lines)


def postgres_version(url: str) -> str:
    with psycopg.connect(url) as conn:
        row = conn.execute("show server_version").fetchone()
    return str(row[0]) if row else "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", type=int, default=80)
    parser.add_argument("--rows", type=int, default=25)
    parser.add_argument("--seats", type=int, default=40, help="per row")
    parser.add_argument("--ga-zones", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--postgres-url", default=LOCAL_POSTGRES_URL, help="a superuser URL")
    parser.add_argument("--mongo-url", help="default: an in-memory SecantusDB process")
    args = parser.parse_args()

    document = generate_seatmap(
        sections=args.sections, rows=args.rows, seats=args.seats, ga_zones=args.ga_zones
    )
    document_bytes = msgspec.json.encode(document)
    with ExitStack() as stack:
        mongo_url = args.mongo_url or stack.enter_context(secantus_server(None))
        timings, seats = asyncio.run(
            measure(args.postgres_url, mongo_url, document_bytes, args.rounds)
        )
    print(
        f"{seats:,} seats, {args.ga_zones} GA zones, {len(document_bytes) / 1e6:.1f} MB of JSON;"
        f" {args.rounds} rounds; PostgreSQL {postgres_version(args.postgres_url)},"
        f" {'SecantusDB (in memory)' if not args.mongo_url else 'MongoDB at --mongo-url'},"
        f" Python {platform.python_version()}"
    )
    print()
    print(table(timings))


if __name__ == "__main__":
    main()
