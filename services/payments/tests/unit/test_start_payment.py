"""Starting a payment, with the fake gateway and payments in memory."""

from __future__ import annotations

from lml_payments.application import start_payment
from lml_payments.domain import GatewayUnavailable, OrderNotPayable, PayableOrder, PaymentIntent
from lml_payments.fakes import FakeGateway, InMemoryPayments, fake_intent_id
from lml_result import Err, Ok, Result

ORG = "org_1"


def pending(order_id: str = "ord_1") -> PayableOrder:
    return PayableOrder(order_id=order_id, amount=4500, currency="EUR", is_pending=True)


class DownGateway(FakeGateway):
    async def create_intent(
        self, *, org_id: str, order_id: str, amount: int, currency: str
    ) -> Result[PaymentIntent, GatewayUnavailable]:
        return Err(GatewayUnavailable("503 APIError"))


async def test_given_a_pending_order_when_payment_starts_then_an_intent_is_made_and_kept() -> None:
    payments = InMemoryPayments()

    started = await start_payment(ORG, pending(), gateway=FakeGateway(), payments=payments)

    assert isinstance(started, Ok)
    assert started.value.intent_id == fake_intent_id("ord_1")
    assert (started.value.amount, started.value.currency) == (4500, "EUR")
    kept = await payments.get(ORG, "ord_1")
    assert kept is not None
    assert (kept.intent_id, kept.amount, kept.status) == (
        started.value.intent_id,
        4500,
        "requires_payment",
    )


async def test_given_a_started_payment_when_asked_again_then_the_same_intent_and_secret() -> None:
    payments = InMemoryPayments()
    first = await start_payment(ORG, pending(), gateway=FakeGateway(), payments=payments)

    # Another process: its gateway keeps nothing of the first.
    again = await start_payment(ORG, pending(), gateway=FakeGateway(), payments=payments)

    assert again == first


async def test_given_an_order_not_pending_when_payment_starts_then_it_is_refused() -> None:
    payments = InMemoryPayments()
    paid = PayableOrder(order_id="ord_1", amount=4500, currency="EUR", is_pending=False)

    started = await start_payment(ORG, paid, gateway=FakeGateway(), payments=payments)

    assert started == Err(OrderNotPayable("ord_1"))
    assert payments.payments == {}


async def test_given_stripe_down_when_payment_starts_then_unavailable_and_nothing_kept() -> None:
    payments = InMemoryPayments()

    started = await start_payment(ORG, pending(), gateway=DownGateway(), payments=payments)

    assert started == Err(GatewayUnavailable("503 APIError"))
    assert payments.payments == {}
