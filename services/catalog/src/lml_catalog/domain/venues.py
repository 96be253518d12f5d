"""Venues: the places events happen; their seatmaps are stored beside them."""

from __future__ import annotations

from datetime import datetime

import msgspec

from lml_catalog.domain.errors import Problem
from lml_catalog.domain.seatmaps import MAX_NAME_LENGTH


class Venue(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    org_id: str
    name: str
    created_at: datetime


def venue_problems(name: str) -> list[Problem]:
    if not name.strip() or len(name) > MAX_NAME_LENGTH:
        return [
            Problem("name", f"must be a non-blank string of at most {MAX_NAME_LENGTH} characters")
        ]
    return []
