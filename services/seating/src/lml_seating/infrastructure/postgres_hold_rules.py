"""An event's hold rules from PostgreSQL: its terms as catalog publishes them
(``lml.event_hold_terms``), its zones' capacities from ``lml.event_zones``."""

from __future__ import annotations

from lml_seating.domain import EventRules
from lml_tenancy import TenantScope, in_tenant

RULES = """
select t.max_seats_per_hold,
       t.sales_channel_ids,
       array(select z.zone_id from lml.event_zones z
             where z.event_id = t.event_id order by z.zone_id),
       array(select z.capacity from lml.event_zones z
             where z.event_id = t.event_id order by z.zone_id)
from lml.event_hold_terms t where t.event_id = %s
"""


class PostgresHoldRules:
    def __init__(self, scope: TenantScope) -> None:
        self._scope = scope

    async def rules(self, org_id: str, event_id: str) -> EventRules | None:
        async with in_tenant(self._scope, org_id) as conn:
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
