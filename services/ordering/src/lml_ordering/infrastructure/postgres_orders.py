"""Orders in PostgreSQL: ``lml.orders``, ``lml.order_lines``, ``lml.order_audit_log``
(ordering's own), on a tenant scope: a pool, or the unit of work an order is placed in."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import msgspec

from lml_ordering.application.ports import OrderQuery
from lml_ordering.domain import AuditEntry, Buyer, Order, OrderLine, OrderStatus
from lml_tenancy import TenantScope, fetch_all, in_tenant

INSERT_ORDER = """
insert into lml.orders (tenant_id, id, event_id, hold_id, status, buyer_email, buyer_name,
                        total_amount, currency, expires_at, created_at, updated_at)
values (%(org_id)s, %(id)s, %(event_id)s, %(hold_id)s, %(status)s, %(email)s, %(name)s,
        %(total)s, %(currency)s, %(expires_at)s, %(created_at)s, %(created_at)s)
"""

INSERT_LINE = """
insert into lml.order_lines (tenant_id, order_id, line_no, seat_id, zone_id, price_category,
                             amount)
values (%s, %s, %s, %s, %s, %s, %s)
"""

INSERT_AUDIT = """
insert into lml.order_audit_log (tenant_id, order_id, from_status, to_status, actor, reason, at)
values (%s, %s, %s, %s, %s, %s, %s)
"""

SELECT = """
select o.id, o.tenant_id as org_id, o.event_id, o.hold_id, o.status, o.buyer_email,
       o.buyer_name, o.currency, o.expires_at, o.created_at,
       (select coalesce(jsonb_agg(jsonb_build_object('seat_id', l.seat_id,
                                                     'zone_id', l.zone_id,
                                                     'price_category', l.price_category,
                                                     'amount', l.amount)
                                  order by l.line_no), '[]'::jsonb)
        from lml.order_lines l where l.order_id = o.id) as lines
from lml.orders o
"""

MOVE = """
update lml.orders set status = %(to)s, updated_at = %(at)s
where id = %(id)s and status = %(from)s
"""

HOLD_FOR_PAYMENT = """
update lml.orders set payment_in_flight_since = %(since)s
where id = %(id)s and status = 'pending'
"""

GET = SELECT + "where o.id = %(id)s"

PAGE = (
    SELECT
    + """
where (%(status)s::text is null or o.status = %(status)s)
  and (%(event_id)s::text is null or o.event_id = %(event_id)s)
  and (%(after)s::timestamptz is null or (o.created_at, o.id) > (%(after)s, %(after_id)s))
order by o.created_at, o.id
limit %(limit)s
"""
)


class PostgresOrders:
    """``written`` lists the audit entries written through it, for its caller to report
    once they commit."""

    def __init__(self, scope: TenantScope) -> None:
        self._scope = scope
        self.written: list[AuditEntry] = []

    async def add(self, order: Order, entry: AuditEntry) -> None:
        # The order, its lines and its audit entry in one round trip (a pipeline): none
        # needs an answer from the one before.
        async with in_tenant(self._scope, order.org_id) as conn, conn.pipeline():
            await conn.execute(
                INSERT_ORDER,
                {
                    "org_id": order.org_id,
                    "id": order.id,
                    "event_id": order.event_id,
                    "hold_id": order.hold_id,
                    "status": order.status.value,
                    "email": order.buyer.email,
                    "name": order.buyer.name,
                    "total": order.total,
                    "currency": order.currency,
                    "expires_at": order.expires_at,
                    "created_at": order.created_at,
                },
            )
            async with conn.cursor() as cursor:
                await cursor.executemany(
                    INSERT_LINE,
                    [
                        (
                            order.org_id,
                            order.id,
                            n,
                            line.seat_id,
                            line.zone_id,
                            line.price_category,
                            line.amount,
                        )
                        for n, line in enumerate(order.lines, start=1)
                    ],
                )
            await conn.execute(INSERT_AUDIT, _audit_row(order.org_id, entry))
        self.written.append(entry)

    async def move(self, order: Order, entry: AuditEntry) -> bool:
        assert entry.from_status is not None, "a move starts from a status"
        async with in_tenant(self._scope, order.org_id) as conn:
            cursor = await conn.execute(
                MOVE,
                {
                    "to": entry.to_status.value,
                    "at": entry.at,
                    "id": order.id,
                    "from": entry.from_status.value,
                },
            )
            if cursor.rowcount != 1:
                return False
            await conn.execute(INSERT_AUDIT, _audit_row(order.org_id, entry))
        self.written.append(entry)
        return True

    async def note(self, org_id: str, entry: AuditEntry) -> None:
        async with in_tenant(self._scope, org_id) as conn:
            await conn.execute(INSERT_AUDIT, _audit_row(org_id, entry))

    async def hold_for_payment(self, org_id: str, order_id: str, since: datetime | None) -> bool:
        async with in_tenant(self._scope, org_id) as conn:
            cursor = await conn.execute(HOLD_FOR_PAYMENT, {"since": since, "id": order_id})
            return cursor.rowcount == 1

    async def get(self, org_id: str, order_id: str) -> Order | None:
        rows = await self._fetch(org_id, GET, {"id": order_id})
        return _order(rows[0]) if rows else None

    async def page(self, query: OrderQuery) -> Sequence[Order]:
        params = {
            "status": None if query.status is None else query.status.value,
            "event_id": query.event_id,
            "after": None if query.after is None else query.after.after,
            "after_id": None if query.after is None else query.after.after_id,
            "limit": query.limit,
        }
        return [_order(row) for row in await self._fetch(query.org_id, PAGE, params)]

    async def _fetch(self, org_id: str, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        return await fetch_all(self._scope, org_id, sql, params)


def _order(row: dict[str, Any]) -> Order:
    return Order(
        id=row["id"],
        org_id=row["org_id"],
        event_id=row["event_id"],
        hold_id=row["hold_id"],
        status=OrderStatus(row["status"]),
        buyer=Buyer(email=row["buyer_email"], name=row["buyer_name"]),
        # psycopg decodes jsonb to Python; msgspec converts it to the value type.
        lines=msgspec.convert(row["lines"], tuple[OrderLine, ...]),
        currency=row["currency"],
        expires_at=row["expires_at"],
        created_at=row["created_at"],
    )


def _audit_row(org_id: str, entry: AuditEntry) -> tuple[object, ...]:
    return (
        org_id,
        entry.order_id,
        None if entry.from_status is None else entry.from_status.value,
        entry.to_status.value,
        entry.actor,
        entry.reason,
        entry.at,
    )
