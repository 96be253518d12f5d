"""An event's hold rules from PostgreSQL: its terms as catalog publishes them
(``lml.event_hold_terms``), its zones' capacities from ``lml.event_zones``."""

from __future__ import annotations

from lml_seating.domain import EventRules
from lml_tenancy import TenantScope, fetch_one

RULES = """
select t.max_seats_per_hold,
       t.sales_channel_ids,
       array(select z.zone_id from lml.event_zones z
             where z.event_id = t.event_id order by z.zone_id) as zone_ids,
       array(select z.capacity from lml.event_zones z
             where z.event_id = t.event_id order by z.zone_id) as capacities
from lml.event_hold_terms t where t.event_id = %s
"""


class PostgresHoldRules:
    def __init__(self, scope: TenantScope) -> None:
        self._scope = scope

    async def rules(self, org_id: str, event_id: str) -> EventRules | None:
        row = await fetch_one(self._scope, org_id, RULES, (event_id,))
        if row is None:
            return None
        return EventRules(
            event_id=event_id,
            max_seats_per_hold=row["max_seats_per_hold"],
            sales_channels=frozenset(row["sales_channel_ids"]),
            zone_capacities=dict(zip(row["zone_ids"], row["capacities"], strict=True)),
        )
