"""The catalog context's adapters, built from an open PostgreSQL pool and a seatmap store."""

from __future__ import annotations

from dataclasses import dataclass

from lml_catalog.application import CatalogIds, Clock, Events, Seatmaps, Venues
from lml_catalog.infrastructure.postgres_events import PostgresEvents
from lml_catalog.infrastructure.postgres_venues import PostgresVenues
from lml_catalog.infrastructure.random_ids import RandomIds
from lml_clocks import SystemClock
from lml_postgres import AppPool


@dataclass(frozen=True)
class CatalogAdapters:
    """An adapter for each catalog port."""

    venues: Venues
    seatmaps: Seatmaps
    events: Events
    ids: CatalogIds
    clock: Clock


def postgres_catalog(pool: AppPool, seatmaps: Seatmaps) -> CatalogAdapters:
    """Venues and events in PostgreSQL, seatmaps wherever ``seatmaps`` keeps them.

    The seatmap store comes in already open: opening it creates its index, which the API
    retries at start-up and a CLI command does once.
    """
    return CatalogAdapters(
        venues=PostgresVenues(pool),
        seatmaps=seatmaps,
        events=PostgresEvents(pool),
        ids=RandomIds(),
        clock=SystemClock(),
    )
