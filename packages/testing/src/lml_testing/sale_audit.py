"""The audit of a sale, read straight from PostgreSQL (as the owner, past Row-Level
Security) and Redis once the sale is quiet: what a bench or a test checks the promise to
an organiser against. No seat is sold twice, no payment is lost, every Stripe event is
applied exactly once, and the availability snapshot tells the truth.

Each finding counts violations, so a clean sale is all zeros. Redis keys are spelled out
here rather than taken from seating, which a shared package may not import; they are
the ones ``lml_seating.infrastructure.keys`` names.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

import psycopg
import redis.asyncio

# Each query counts violations for one event (%(event)s); refunded orders were paid.
CHECKS = {
    "sold seats without exactly one paid order": """
        select count(*) from lml.event_seats s
        where s.event_id = %(event)s and s.status = 'sold'
          and (select count(*) from lml.order_lines l join lml.orders o on o.id = l.order_id
               where l.seat_id = s.seat_id and o.event_id = s.event_id
                 and o.status in ('paid', 'refunded')) <> 1""",
    "seats of paid orders not sold to them": """
        select count(*) from lml.order_lines l join lml.orders o on o.id = l.order_id
        join lml.event_seats s on s.event_id = o.event_id and s.seat_id = l.seat_id
        where o.event_id = %(event)s and o.status in ('paid', 'refunded')
          and (s.status <> 'sold' or s.hold_id is distinct from o.hold_id)""",
    "sold seats also in another live hold": """
        select count(*) from lml.event_seats s join lml.holds h
          on h.event_id = s.event_id and s.seat_id = any(h.seat_ids)
        where s.event_id = %(event)s and s.status = 'sold' and h.id <> s.hold_id
          and h.status = 'active' and h.expires_at > now()""",
    "GA zones held and sold above capacity": """
        select count(*) from lml.event_zones
        where event_id = %(event)s and held + sold > capacity""",
    "GA places sold but not in a paid order": """
        select count(*) from lml.event_zones z
        where z.event_id = %(event)s and z.sold <>
          (select count(*) from lml.order_lines l join lml.orders o on o.id = l.order_id
           where o.event_id = z.event_id and l.zone_id = z.zone_id
             and o.status in ('paid', 'refunded'))""",
    "Stripe events not applied exactly once": """
        select count(*) from lml.stripe_events e
        where (select count(*) from lml.outbox o where o.topic = 'stripe.event'
               and o.payload ->> 'stripe_event_id' = e.id and o.processed_at is not null) <> 1""",
    "outbox rows dead or not done": """
        select count(*) from lml.outbox where processed_at is null""",
    "paid orders without exactly one payment": """
        select count(*) from lml.orders o
        where o.event_id = %(event)s and o.status in ('paid', 'refunded')
          and (select count(*) from lml.order_audit_log a where a.order_id = o.id
               and a.to_status = 'paid' and a.from_status = 'pending') <> 1""",
    "succeeded payments neither paid nor flagged for refund": """
        select count(*) from lml.orders o join lml.payments p on p.order_id = o.id
        where o.event_id = %(event)s and o.status not in ('paid', 'refunded')
          and p.refund_due_at is null
          and exists (select from lml.stripe_events e
                      where e.type = 'payment_intent.succeeded'
                        and e.payload -> 'data' -> 'object' ->> 'id' = p.intent_id)""",
    "paid orders whose payment does not say succeeded": """
        select count(*) from lml.orders o join lml.payments p on p.order_id = o.id
        where o.event_id = %(event)s and o.status in ('paid', 'refunded')
          and p.status not in ('succeeded', 'refunded')""",
    "paid orders flagged for refund": """
        select count(*) from lml.orders o join lml.payments p on p.order_id = o.id
        where o.event_id = %(event)s and o.status in ('paid', 'refunded')
          and p.refund_due_at is not null""",
}


@dataclass(frozen=True)
class Counts:
    """Seats and GA places together, as the availability snapshot counts them."""

    available: int
    held: int
    sold: int
    blocked: int


@dataclass
class SaleAudit:
    findings: dict[str, int]
    counts: Counts
    paid_orders: int
    late_payments_flagged: int
    stripe_events: int

    @property
    def problems(self) -> dict[str, int]:
        return {name: count for name, count in self.findings.items() if count}

    def summary(self) -> str:
        verdict = "clean" if not self.problems else f"PROBLEMS {self.problems}"
        return (
            f"{verdict}; {self.paid_orders} paid orders, {self.counts.sold} places sold,"
            f" {self.stripe_events} Stripe events stored, {self.late_payments_flagged} late"
            f" payments flagged; " + "; ".join(f"{name}: {n}" for name, n in self.findings.items())
        )


async def audit_sale(
    admin_url: str,
    redis_url: str,
    prefix: str,
    event_id: str,
    *,
    delivered_event_ids: Collection[str] = (),
    late_order_ids: Collection[str] = (),
    snapshot_counts: Mapping[str, int] | None = None,
) -> SaleAudit:
    """Audit the sale of ``event_id``, with what the clients know on top of the stores:

    - ``delivered_event_ids``: Stripe events whose delivery was answered 200; each must be
      stored;
    - ``late_order_ids``: orders seen ended (expired, canceled) before a successful payment
      of theirs was delivered; each must stay unpaid and be flagged for a refund;
    - ``snapshot_counts``: the final availability snapshot's ``counts``; they must equal
      the stores'.
    """
    findings: dict[str, int] = {}
    async with await psycopg.AsyncConnection.connect(admin_url) as owner:
        for name, query in CHECKS.items():
            findings[name] = await _count(owner, query, {"event": event_id})
        stored = {row[0] for row in await _rows(owner, "select id from lml.stripe_events", {})}
        sold_seats = dict(
            await _rows(
                owner,
                "select seat_id, hold_id from lml.event_seats"
                " where event_id = %(event)s and status = 'sold'",
                {"event": event_id},
            )
        )
        zones = await _rows(
            owner,
            "select zone_id, capacity, held, sold from lml.event_zones where event_id = %(event)s",
            {"event": event_id},
        )
        counts = await _counts(owner, event_id, zones)
        flagged = await _rows(
            owner,
            "select p.order_id, o.status from lml.payments p join lml.orders o"
            " on o.id = p.order_id where o.event_id = %(event)s and p.refund_due_at is not null",
            {"event": event_id},
        )
        paid_orders = await _count(
            owner,
            "select count(*) from lml.orders where event_id = %(event)s"
            " and status in ('paid', 'refunded')",
            {"event": event_id},
        )
    findings["webhook deliveries answered 200 but not stored"] = len(
        set(delivered_event_ids) - stored
    )
    unpaid_flagged = {order for order, status in flagged if status not in ("paid", "refunded")}
    findings["late payments not flagged for refund"] = len(set(late_order_ids) - unpaid_flagged)
    findings.update(await _redis_findings(redis_url, prefix, event_id, sold_seats, zones))
    if snapshot_counts is not None:
        findings["snapshot counts unlike the stores'"] = sum(
            1
            for name in ("available", "held", "sold", "blocked")
            if snapshot_counts.get(name) != getattr(counts, name)
        )
    return SaleAudit(
        findings=findings,
        counts=counts,
        paid_orders=paid_orders,
        late_payments_flagged=len(unpaid_flagged),
        stripe_events=len(stored),
    )


async def _redis_findings(
    redis_url: str,
    prefix: str,
    event_id: str,
    sold_seats: Mapping[str, str],
    zones: list[tuple[str, int, int, int]],
) -> dict[str, int]:
    event_key = f"{prefix}:{{{event_id}}}"
    client = redis.asyncio.Redis.from_url(redis_url, decode_responses=True)
    try:
        seats = list(sold_seats)
        owners = await client.mget([f"{event_key}:seat:{s}" for s in seats]) if seats else []
        zone_sold = [await client.hget(f"{event_key}:zone:{z[0]}", "sold") for z in zones]
    finally:
        await client.aclose()
    return {
        "sold seats locked in Redis by another hold": sum(
            1 for seat, owner in zip(seats, owners, strict=True) if owner != sold_seats[seat]
        ),
        # A zone Redis never counted (no hold touched it) reads as inventory's.
        "GA sold: PostgreSQL and Redis disagree": sum(
            1
            for zone, redis_sold in zip(zones, zone_sold, strict=True)
            if redis_sold is not None and int(redis_sold) != zone[3]
        ),
    }


async def _counts(
    owner: psycopg.AsyncConnection[Any],
    event_id: str,
    zones: list[tuple[str, int, int, int]],
) -> Counts:
    """Seats held by a live hold or a pending order (whose seats no longer expire), and
    every status, with the GA places counted in."""
    rows = await _rows(
        owner,
        "select count(*) filter (where status = 'sold'),"
        " count(*) filter (where status = 'held'"
        "   and (hold_expires_at is null or hold_expires_at > now())),"
        " count(*) filter (where status = 'blocked'), count(*)"
        " from lml.event_seats where event_id = %(event)s",
        {"event": event_id},
    )
    sold, held, blocked, seats = rows[0]
    sold += sum(zone[3] for zone in zones)
    held += sum(zone[2] for zone in zones)
    capacity = seats + sum(zone[1] for zone in zones)
    return Counts(available=capacity - sold - held - blocked, held=held, sold=sold, blocked=blocked)


async def _rows(
    owner: psycopg.AsyncConnection[Any], query: str, params: dict[str, str]
) -> list[tuple[Any, ...]]:
    cursor = await owner.execute(query, params)
    return await cursor.fetchall()


async def _count(owner: psycopg.AsyncConnection[Any], query: str, params: dict[str, str]) -> int:
    rows = await _rows(owner, query, params)
    return int(rows[0][0]) if rows else -1
