"""Events in a test database, written as catalog would create them."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

import psycopg


async def seed_event(
    admin_url: str,
    tenant: str,
    event_id: str,
    seats: Iterable[str],
    zones: Mapping[str, int],
    *,
    prices: Mapping[str, int] | None = None,
) -> None:
    """An event as catalog would create it (at most 6 seats a hold, one price category,
    ``standard``, priced by ``prices`` when given), written as the owner."""
    categories = [
        {"id": category, "name": category, "amount": amount}
        for category, amount in (prices or {}).items()
    ]
    async with await psycopg.AsyncConnection.connect(admin_url) as owner:
        await owner.execute(
            "insert into lml.tenants (tenant_id, name) values (%s, 'Org') on conflict do nothing",
            (tenant,),
        )
        await owner.execute(
            "insert into lml.venues (tenant_id, id, name) values (%s, %s, 'Hall')"
            " on conflict do nothing",
            (tenant, f"{tenant}-venue"),
        )
        await owner.execute(
            "insert into lml.events (tenant_id, id, venue_id, seatmap_id, name, starts_at,"
            " currency, max_seats_per_hold, price_categories) values (%s, %s, %s, 'map',"
            " 'Concert', now() + interval '30 days', 'EUR', 6, %s::jsonb)",
            (tenant, event_id, f"{tenant}-venue", json.dumps(categories)),
        )
        async with owner.cursor() as cursor:
            await cursor.executemany(
                "insert into lml.event_seats (tenant_id, event_id, seat_id, price_category)"
                " values (%s, %s, %s, 'standard')",
                [(tenant, event_id, seat) for seat in seats],
            )
            await cursor.executemany(
                "insert into lml.event_zones (tenant_id, event_id, zone_id, name, price_category,"
                " capacity) values (%s, %s, %s, %s, 'standard', %s)",
                [(tenant, event_id, zone, zone, capacity) for zone, capacity in zones.items()],
            )
