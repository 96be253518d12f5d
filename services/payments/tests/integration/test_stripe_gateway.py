"""The Stripe gateway against a local HTTP server standing in for Stripe's API: what the
library sends, and how Stripe's answers and failures become the port's outcomes."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from lml_payments.domain import GatewayRefused, GatewayUnavailable, PaymentIntent
from lml_payments.infrastructure import StripeGateway
from lml_result import Err, Ok

INTENT = {
    "id": "pi_123",
    "object": "payment_intent",
    "amount": 4500,
    "currency": "eur",
    "client_secret": "pi_123_secret_abc",
    "status": "requires_payment_method",
}


@dataclass
class Seen:
    method: str
    path: str
    form: dict[str, list[str]]
    headers: dict[str, str]


@dataclass
class FakeStripe:
    """Answers each request with the next of ``answers`` (the last one repeats)."""

    answers: list[tuple[int, dict[str, object]]] = field(default_factory=list)
    delay_seconds: float = 0.0
    seen: list[Seen] = field(default_factory=list)
    base: str = ""


@pytest.fixture
def stripe_api() -> Iterator[FakeStripe]:
    fake = FakeStripe()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode()
            fake.seen.append(
                Seen(
                    self.command,
                    self.path,
                    parse_qs(body),
                    {k.lower(): v for k, v in self.headers.items()},
                )
            )
            time.sleep(fake.delay_seconds)
            status, answer = fake.answers[min(len(fake.seen), len(fake.answers)) - 1]
            content = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError):  # the client timed out
                self.wfile.write(content)

        do_GET = do_POST = _answer

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield fake
    server.shutdown()
    server.server_close()


def gateway(fake: FakeStripe, *, retries: int = 0, timeout: float = 5.0) -> StripeGateway:
    return StripeGateway(
        "sk_test_123", api_base=fake.base, timeout_seconds=timeout, max_network_retries=retries
    )


def error(kind: str, code: str | None, message: str) -> dict[str, object]:
    return {"error": {"type": kind, "code": code, "message": message}}


async def create(fake: FakeStripe, **kw: object) -> object:
    return await gateway(fake, **kw).create_intent(  # type: ignore[arg-type]
        org_id="org_1", order_id="ord_1", amount=4500, currency="EUR"
    )


async def test_when_an_intent_is_created_then_stripe_is_sent_the_order_as_key_and_metadata(
    stripe_api: FakeStripe,
) -> None:
    stripe_api.answers = [(200, INTENT)]

    created = await create(stripe_api)

    assert created == Ok(
        PaymentIntent(
            intent_id="pi_123",
            client_secret="pi_123_secret_abc",
            amount=4500,
            currency="EUR",
            status="requires_payment_method",
        )
    )
    [request] = stripe_api.seen
    assert (request.method, request.path) == ("POST", "/v1/payment_intents")
    assert request.form == {
        "amount": ["4500"],
        "currency": ["eur"],
        "metadata[order_id]": ["ord_1"],
        "metadata[tenant_id]": ["org_1"],
        "automatic_payment_methods[enabled]": ["true"],
    }
    assert request.headers["idempotency-key"] == "ord_1"
    assert request.headers["authorization"] == "Bearer sk_test_123"


async def test_when_an_intent_is_retrieved_then_stripe_is_asked_for_it_by_id(
    stripe_api: FakeStripe,
) -> None:
    stripe_api.answers = [(200, INTENT)]

    retrieved = await gateway(stripe_api).retrieve_intent("pi_123")

    assert isinstance(retrieved, Ok)
    assert retrieved.value.client_secret == "pi_123_secret_abc"
    assert [(r.method, r.path) for r in stripe_api.seen] == [("GET", "/v1/payment_intents/pi_123")]


async def test_when_a_payment_is_refunded_then_the_key_is_refund_and_the_order(
    stripe_api: FakeStripe,
) -> None:
    stripe_api.answers = [(200, {"id": "re_1", "object": "refund", "status": "succeeded"})]

    refunded = await gateway(stripe_api).refund(intent_id="pi_123", order_id="ord_1")

    assert refunded == Ok("re_1")
    [request] = stripe_api.seen
    assert (request.path, request.form["payment_intent"]) == ("/v1/refunds", ["pi_123"])
    assert request.headers["idempotency-key"] == "refund-ord_1"


async def test_given_a_card_error_402_then_stripe_refused_with_its_code(
    stripe_api: FakeStripe,
) -> None:
    stripe_api.answers = [(402, error("card_error", "card_declined", "Your card was declined."))]

    assert await create(stripe_api) == Err(
        GatewayRefused("card_declined", "Your card was declined.")
    )


async def test_given_a_bad_request_400_then_stripe_refused(stripe_api: FakeStripe) -> None:
    stripe_api.answers = [(400, error("invalid_request_error", "parameter_invalid", "Bad."))]

    assert await create(stripe_api, retries=2) == Err(GatewayRefused("parameter_invalid", "Bad."))
    assert len(stripe_api.seen) == 1  # a refusal is not retried


@pytest.mark.parametrize("status", [500, 503])
async def test_given_stripe_failing_with_5xx_then_retried_then_unavailable(
    stripe_api: FakeStripe, status: int
) -> None:
    stripe_api.answers = [(status, error("api_error", None, "Stripe is down."))]

    created = await create(stripe_api, retries=2)

    assert isinstance(created, Err)
    assert isinstance(created.error, GatewayUnavailable)
    assert len(stripe_api.seen) == 3
    assert {r.headers["idempotency-key"] for r in stripe_api.seen} == {"ord_1"}


async def test_given_a_5xx_then_a_success_then_the_retry_creates_the_intent(
    stripe_api: FakeStripe,
) -> None:
    stripe_api.answers = [(503, error("api_error", None, "Busy.")), (200, INTENT)]

    created = await create(stripe_api, retries=1)

    assert isinstance(created, Ok)
    assert len(stripe_api.seen) == 2


async def test_given_rate_limited_then_unavailable(stripe_api: FakeStripe) -> None:
    stripe_api.answers = [(429, error("invalid_request_error", "rate_limit", "Too many."))]

    created = await create(stripe_api)

    assert isinstance(created, Err)
    assert isinstance(created.error, GatewayUnavailable)


async def test_given_a_bad_key_401_then_refused(stripe_api: FakeStripe) -> None:
    stripe_api.answers = [(401, error("invalid_request_error", None, "Invalid API Key."))]

    created = await create(stripe_api)

    assert isinstance(created, Err)
    assert isinstance(created.error, GatewayRefused)


async def test_given_stripe_slower_than_the_timeout_then_unavailable(
    stripe_api: FakeStripe,
) -> None:
    stripe_api.answers = [(200, INTENT)]
    stripe_api.delay_seconds = 1.0

    created = await create(stripe_api, timeout=0.2)

    assert isinstance(created, Err)
    assert isinstance(created.error, GatewayUnavailable)


async def test_given_nothing_listening_then_unavailable() -> None:
    nowhere = FakeStripe(base="http://127.0.0.1:9")

    created = await create(nowhere)

    assert isinstance(created, Err)
    assert isinstance(created.error, GatewayUnavailable)
