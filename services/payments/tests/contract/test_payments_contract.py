"""The ``Payments`` and ``Inbox`` ports, against the fakes and PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import msgspec
import psycopg
import pytest

from lml_ordering.domain import AuditEntry, Buyer, Order, OrderLine, OrderStatus
from lml_ordering.infrastructure import PostgresOrders
from lml_payments.application import Inbox, Payments
from lml_payments.domain import Payment, StripeEvent
from lml_payments.fakes import InMemoryInbox, InMemoryPayments
from lml_payments.infrastructure import PostgresInbox, PostgresPayments
from lml_postgres import AppPool
from lml_testing.backends import backends
from lml_testing.databases import TemporaryDatabase
from lml_testing.seed import seed_event

T0 = datetime(2027, 3, 1, 12, tzinfo=UTC)


@dataclass
class World:
    payments: Payments
    inbox: Inbox
    pool: AppPool | None
    admin_url: str | None
    org_id: str

    async def an_order(self) -> str:
        """A pending order of the world's organisation (PostgreSQL wants one per payment)."""
        order_id = f"ord_{uuid.uuid4().hex[:10]}"
        if self.pool is None or self.admin_url is None:
            return order_id
        event_id = f"evt_{uuid.uuid4().hex[:8]}"
        await seed_event(self.admin_url, self.org_id, event_id, ["A-1"], {})
        order = Order(
            id=order_id,
            org_id=self.org_id,
            event_id=event_id,
            hold_id=f"hld_{uuid.uuid4().hex[:8]}",
            status=OrderStatus.PENDING,
            buyer=Buyer(email="ada@example.com", name="Ada"),
            lines=(OrderLine(seat_id="A-1", price_category="standard", amount=4500),),
            currency="EUR",
            expires_at=T0 + timedelta(minutes=15),
            created_at=T0,
        )
        entry = AuditEntry(
            order_id=order_id,
            from_status=None,
            to_status=OrderStatus.PENDING,
            actor="usr_1",
            reason="placed",
            at=T0,
        )
        await PostgresOrders(self.pool).add(order, entry)
        return order_id

    async def a_paid_intent(self) -> Payment:
        """A payment of a pending order of the world's organisation: what events are about."""
        payment = a_payment(self, await self.an_order())
        await self.payments.add(payment)
        return payment

    async def count(self, sql: str, *params: object) -> int:
        """As the owner (no RLS): rows of the whole database."""
        assert self.admin_url is not None
        async with await psycopg.AsyncConnection.connect(self.admin_url) as owner:
            cursor = await owner.execute(sql, params)
            row = await cursor.fetchone()
        assert row is not None
        return int(row[0])


@pytest.fixture(params=backends("postgres"))
def world(request: pytest.FixtureRequest) -> World:
    org_id = f"org_{uuid.uuid4().hex[:8]}"
    if request.param == "memory":
        payments = InMemoryPayments()
        return World(payments, InMemoryInbox(payments), None, None, org_id)
    pool: AppPool = request.getfixturevalue("app_pool")
    database: TemporaryDatabase = request.getfixturevalue("migrated_database")
    return World(
        PostgresPayments(pool, pool), PostgresInbox(pool), pool, database.admin_url, org_id
    )


def a_payment(world: World, order_id: str, intent_id: str | None = None) -> Payment:
    return Payment(
        org_id=world.org_id,
        order_id=order_id,
        intent_id=intent_id or f"pi_{uuid.uuid4().hex[:12]}",
        amount=4500,
        currency="EUR",
    )


def an_event(
    payment: Payment, type: str = "payment_intent.succeeded", **metadata: str
) -> StripeEvent:
    """An event of ``payment``'s intent; its metadata names the payment's organisation and
    order unless ``metadata`` says otherwise, and a charge carries none."""
    if type.startswith("charge."):
        return StripeEvent(
            id=f"evt_{uuid.uuid4().hex[:12]}",
            type=type,
            created=1_800_000_000,
            object={"id": "ch_1", "payment_intent": payment.intent_id},
        )
    return StripeEvent(
        id=f"evt_{uuid.uuid4().hex[:12]}",
        type=type,
        created=1_800_000_000,
        object={
            "id": payment.intent_id,
            "metadata": {"tenant_id": payment.org_id, "order_id": payment.order_id, **metadata},
        },
    )


async def test_given_a_payment_added_when_read_then_it_is_the_same_and_hidden_from_others(
    world: World,
) -> None:
    payment = a_payment(world, await world.an_order())

    assert await world.payments.add(payment) == payment

    assert await world.payments.get(world.org_id, payment.order_id) == payment
    assert await world.payments.get("org_other", payment.order_id) is None


async def test_given_a_payment_when_read_for_update_then_it_is_the_same_and_hidden_from_others(
    world: World,
) -> None:
    payment = a_payment(world, await world.an_order())
    await world.payments.add(payment)

    assert await world.payments.get_for_update(world.org_id, payment.order_id) == payment
    assert await world.payments.get_for_update("org_other", payment.order_id) is None


async def test_given_an_order_with_a_payment_when_another_is_added_then_the_first_is_kept(
    world: World,
) -> None:
    order_id = await world.an_order()
    first = a_payment(world, order_id)

    await world.payments.add(first)
    kept = await world.payments.add(a_payment(world, order_id))

    assert kept == first


async def test_given_two_concurrent_adds_for_one_order_then_both_end_with_one_payment(
    world: World,
) -> None:
    order_id = await world.an_order()

    kept = await asyncio.gather(
        world.payments.add(a_payment(world, order_id)),
        world.payments.add(a_payment(world, order_id)),
    )

    assert kept[0] == kept[1]


async def test_given_a_payment_when_its_status_is_recorded_then_it_reads_back(
    world: World,
) -> None:
    payment = a_payment(world, await world.an_order())
    await world.payments.add(payment)

    assert await world.payments.record_status(world.org_id, payment.order_id, "failed", "declined")

    stored = await world.payments.get(world.org_id, payment.order_id)
    assert stored is not None
    assert (stored.status, stored.last_error) == ("failed", "declined")
    assert not await world.payments.record_status(world.org_id, "ord_missing", "failed")


async def test_given_a_flagged_payment_then_it_is_due_a_refund_until_one_is_recorded(
    world: World,
) -> None:
    payment = a_payment(world, await world.an_order())
    await world.payments.add(payment)

    assert await world.payments.flag_refund_due(world.org_id, payment.order_id, T0)
    assert await world.payments.flag_refund_due(world.org_id, payment.order_id, T0 + timedelta(1))
    due = [d for d in await world.payments.refunds_due(100) if d.order_id == payment.order_id]
    assert [(d.org_id, d.intent_id, d.amount, d.currency, d.refund_due_at) for d in due] == [
        (world.org_id, payment.intent_id, 4500, "EUR", T0)
    ]

    assert await world.payments.record_refund(world.org_id, payment.order_id, "re_1")
    assert payment.order_id not in {d.order_id for d in await world.payments.refunds_due(100)}


async def test_given_a_payment_then_its_intent_names_its_organisation_and_order(
    world: World,
) -> None:
    payment = a_payment(world, await world.an_order())
    await world.payments.add(payment)

    assert await world.payments.owner_of_intent(payment.intent_id) == (
        world.org_id,
        payment.order_id,
    )
    assert await world.payments.owner_of_intent("pi_unknown") is None


async def test_given_an_event_of_our_payment_delivered_twice_then_it_is_stored_once(
    world: World,
) -> None:
    event = an_event(await world.a_paid_intent())

    assert await world.inbox.receive(event) == "stored"
    assert await world.inbox.receive(event) == "duplicate"


async def test_given_a_charge_without_metadata_then_it_is_stored_for_its_intents_payment(
    world: World,
) -> None:
    assert await world.inbox.receive(an_event(await world.a_paid_intent(), "charge.refunded")) == (
        "stored"
    )


@pytest.mark.parametrize(
    "metadata", [{"tenant_id": "org_other"}, {"order_id": "ord_other"}], ids=["org", "order"]
)
async def test_given_metadata_that_disagrees_with_our_payment_then_nothing_is_stored(
    world: World, metadata: dict[str, str]
) -> None:
    payment = await world.a_paid_intent()
    event = an_event(payment, **metadata)

    assert await world.inbox.receive(event) == "unknown_tenant"
    # Not kept: the same id, once its metadata agrees, is new.
    assert await world.inbox.receive(
        msgspec.structs.replace(event, object=an_event(payment).object)
    ) == ("stored")


async def test_given_an_intent_we_never_made_then_nothing_is_stored(world: World) -> None:
    payment = await world.a_paid_intent()
    never_made = msgspec.structs.replace(payment, intent_id="pi_never_made")

    assert await world.inbox.receive(an_event(never_made)) == "unknown_tenant"


async def test_given_deliveries_at_once_then_each_is_answered_for_itself_in_its_order(
    world: World,
) -> None:
    """Given events of our payments, one delivered twice, and one of an intent we never
    made, delivered at once (one batch in PostgreSQL), then each gets its own answer."""
    first, second = await world.a_paid_intent(), await world.a_paid_intent()
    repeated = an_event(first)
    deliveries = [
        repeated,
        an_event(second),
        an_event(msgspec.structs.replace(first, intent_id="pi_never_made")),
        repeated,
    ]

    receipts = await asyncio.gather(*(world.inbox.receive(event) for event in deliveries))

    assert receipts == ["stored", "stored", "unknown_tenant", "duplicate"]


@pytest.mark.integration
@pytest.mark.parametrize("world", ["postgres"], indirect=True)
async def test_given_an_event_delivered_twice_then_one_row_and_one_outbox_row_are_written(
    world: World,
) -> None:
    payment = await world.a_paid_intent()
    event = an_event(payment)

    await world.inbox.receive(event)
    await world.inbox.receive(event)

    assert (
        await world.count(
            "select count(*) from lml.stripe_events where id = %s and tenant_id = %s",
            event.id,
            payment.org_id,
        )
        == 1
    )
    assert (
        await world.count(
            "select count(*) from lml.outbox where topic = 'stripe.event' and tenant_id = %s"
            " and payload = jsonb_build_object('stripe_event_id', %s::text, 'type', %s::text)",
            payment.org_id,
            event.id,
            event.type,
        )
        == 1
    )


@pytest.mark.integration
@pytest.mark.parametrize("world", ["postgres"], indirect=True)
async def test_given_concurrent_deliveries_to_two_processes_then_it_is_stored_and_due_once(
    world: World,
) -> None:
    """Two API processes' inboxes (each batching its own deliveries) receive one event at
    once: the database keeps it once."""
    assert world.pool is not None
    event = an_event(await world.a_paid_intent())
    inboxes = [world.inbox, PostgresInbox(world.pool)]

    receipts = await asyncio.gather(*(inboxes[n % 2].receive(event) for n in range(4)))

    assert sorted(receipts) == ["duplicate", "duplicate", "duplicate", "stored"]
    assert await world.count("select count(*) from lml.stripe_events where id = %s", event.id) == 1
    assert (
        await world.count(
            "select count(*) from lml.outbox where payload ->> 'stripe_event_id' = %s", event.id
        )
        == 1
    )
