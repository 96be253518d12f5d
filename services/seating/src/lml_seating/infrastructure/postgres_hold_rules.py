"""An event's hold rules from PostgreSQL (``lml.events``, ``lml.event_zones``)."""

from __future__ import annotations

from lml_postgres import AppPool
from lml_seating.domain import EventRules
from lml_tenancy import with_tenant

RULES = """
select e.max_seats_per_hold,
       array(select channel ->> 'id' from jsonb_array_elements(e.sales_channels) as channel),
       array(select z.zone_id from lml.event_zones z where z.event_id = e.id order by z.zone_id),
       array(select z.capacity from lml.event_zones z where z.event_id = e.id order by z.zone_id)
from lml.events e where e.id = %s
"""


class PostgresHoldRules:
    def __init__(self, pool: AppPool) -> None:
        self._pool = pool

    async def rules(self, tenant_id: str, event_id: str) -> EventRules | None:
        async with with_tenant(self._pool, tenant_id) as conn:
            cursor = await conn.execute(RULES, (event_id,))
            row = await cursor.fetchone()
        if row is None:
            return None
        max_seats, channels, zone_ids, capacities = row
        return EventRules(
            event_id=event_id,
            max_seats_per_hold=max_seats,
            sales_channels=frozenset(channels),
            zone_capacities=dict(zip(zone_ids, capacities, strict=True)),
        )
