"""Adapters of the catalog ports: PostgreSQL venues and events, MongoDB seatmaps."""

from lml_catalog.infrastructure.mongo_seatmaps import COLLECTION, MongoSeatmaps
from lml_catalog.infrastructure.postgres_events import PostgresEvents
from lml_catalog.infrastructure.postgres_venues import PostgresVenues
from lml_catalog.infrastructure.random_ids import RandomIds

__all__ = [
    "COLLECTION",
    "MongoSeatmaps",
    "PostgresEvents",
    "PostgresVenues",
    "RandomIds",
]
