"""``Idempotency-Key`` on mutating routes: run a keyed request once, replay its answer after.

Every POST, PATCH and DELETE under /v1 takes the header unless its route opts out
(``opt=... | NOT_IDEMPOTENT``). A request without the header passes straight through.

The handler's response is held back until it is stored, so a client that has seen
an answer always gets the same answer on retry. Errors this middleware answers
itself are sent, not raised, so the rate-limit middleware around it still adds
its headers.
"""

from __future__ import annotations

import logging
from typing import Any, cast

import msgspec
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import (
    ASGIApp,
    HTTPResponseStartEvent,
    HTTPScope,
    Message,
    Receive,
    Scope,
    Send,
)

from lml_api.access import principal_of
from lml_api.container import container_of
from lml_api.raw_messages import read_body, replaying, send_problem, send_response
from lml_idempotency import (
    Began,
    IdempotencyScope,
    IdempotencyStore,
    InFlight,
    Lease,
    Mismatch,
    Replay,
    StoredResponse,
    fingerprint,
    parse_idempotency_key,
    release_soon,
    renewing,
)
from lml_result import DependencyUnavailable, Err

log = logging.getLogger("lml.api")

SKIP_IDEMPOTENCY = "skip_idempotency"
# Route ``opt`` for mutating routes that take no key (the token endpoint, webhooks),
# merged with their access: ``opt=PUBLIC | NOT_IDEMPOTENT``.
NOT_IDEMPOTENT: dict[str, Any] = {SKIP_IDEMPOTENCY: True}

IDEMPOTENCY_KEY = b"idempotency-key"
# Request headers that decide whether a request may act, so they are part of what makes
# two requests the same: a replay must present the same token its first attempt did.
CONDITIONS = frozenset({b"if-match", b"if-none-match", b"if-unmodified-since"})
MUTATING = frozenset({"POST", "PATCH", "DELETE"})
VERSIONED = "/v1/"
# What a replay repeats: the headers that describe the result. Request ids and
# rate-limit headers are added fresh by the outer layers on every answer.
REPLAYED_HEADERS = frozenset(
    {
        "cache-control",
        "content-language",
        "content-location",
        "content-type",
        "etag",
        "last-modified",
        "link",
        "location",
    }
)
REPLAYED_MARK = ("idempotent-replayed", "true")
IN_PROGRESS = msgspec.json.encode({"status": "in_progress"})
IN_PROGRESS_HEADERS = (("content-type", "application/json"), ("retry-after", "1"))


def applies_to(method: str, route: str) -> bool:
    """Whether ``Idempotency-Key`` is honoured on this method of this route template."""
    return method in MUTATING and route.startswith(VERSIONED)


class IdempotencyMiddleware(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)
    exclude_opt_key = SKIP_IDEMPOTENCY

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        http_scope = cast("HTTPScope", scope)
        method, route = http_scope["method"], http_scope["path_template"]
        if not applies_to(method, route):
            await next_app(scope, receive, send)
            return
        values = [value for name, value in http_scope["headers"] if name == IDEMPOTENCY_KEY]
        if not values:
            await next_app(scope, receive, send)
            return
        principal = principal_of(scope)
        # A key belongs to a caller; anonymous callers would share one key space and
        # could be replayed each other's answers, so their keys are not honoured.
        if principal is None:
            await next_app(scope, receive, send)
            return
        if len(values) > 1:
            await send_problem(http_scope, send, "bad-request", "Idempotency-Key is sent twice.")
            return
        parsed = parse_idempotency_key(values[0].decode("latin-1"))
        if isinstance(parsed, Err):
            await send_problem(http_scope, send, "bad-request", parsed.error.reason)
            return
        body = await read_body(http_scope, receive, send)
        if body is None:
            return
        key = IdempotencyScope(principal.org_id, principal.subject, method, route, parsed.value)
        container = container_of(http_scope)
        store = container.idempotency
        lease_seconds = container.settings.idempotency_lease_seconds
        conditions = [
            (name.decode("latin-1"), value.decode("latin-1"))
            for name, value in http_scope["headers"]
            if name in CONDITIONS
        ]
        request_fingerprint = fingerprint(method, request_target(http_scope), body, conditions)
        match await store.begin(key, request_fingerprint, lease_seconds):
            case Replay(stored):
                headers = [*stored.headers, REPLAYED_MARK]
                await send_response(send, stored.status, stored.body, headers)
            case InFlight():
                await send_response(send, 202, IN_PROGRESS, IN_PROGRESS_HEADERS)
            case Mismatch():
                await send_problem(
                    http_scope,
                    send,
                    "idempotency-key-reuse",
                    "This Idempotency-Key was first used with another request body or route.",
                )
            case Began(lease):
                run = LeasedRun(store, lease, lease_seconds, send)
                await run.execute(next_app, scope, replaying(body, receive))


class LeasedRun:
    """One handler run under a lease: its response is stored (or the key freed), then sent."""

    def __init__(
        self, store: IdempotencyStore, lease: Lease, lease_seconds: float, send: Send
    ) -> None:
        self._store = store
        self._lease = lease
        self._lease_seconds = lease_seconds
        self._send = send
        self._messages: list[Message] = []
        self._finished = False

    async def execute(self, next_app: ASGIApp, scope: Scope, receive: Receive) -> None:
        try:
            async with renewing(self._store, self._lease, self._lease_seconds):
                await next_app(scope, receive, self._record)
        except BaseException:
            # Crashed or cancelled: whatever it did is unknown, so a retry may run it again.
            if not self._finished:
                await self._release()
            raise
        if not self._finished:
            await self._release()

    async def _record(self, message: Message) -> None:
        self._messages.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body", False):
            # Stored before it is sent, and before any background task runs.
            self._finished = True
            await self._keep()
            for held in self._messages:
                await self._send(held)

    async def _keep(self) -> None:
        start = cast("HTTPResponseStartEvent", self._messages[0])
        status = start["status"]
        if status >= 500:
            await self._release()
            return
        headers = tuple(
            (name.decode("latin-1"), value.decode("latin-1"))
            for name, value in start.get("headers", ())
            if name.lower().decode("latin-1") in REPLAYED_HEADERS
        )
        body = b"".join(
            message.get("body", b"")
            for message in self._messages[1:]
            if message["type"] == "http.response.body"
        )
        try:
            stored = await self._store.complete(self._lease, StoredResponse(status, body, headers))
        except DependencyUnavailable as error:
            # The handler's effect happened: answer with it anyway; the key frees itself.
            log.warning("idempotent response not stored", extra={"error": str(error)})
            return
        if not stored:
            log.warning("idempotency lease lost before the response was stored")

    async def _release(self) -> None:
        await release_soon(self._store, self._lease, self._lease_seconds)


def request_target(scope: HTTPScope) -> str:
    """Path and query: a DELETE's query is all it says about what it deletes."""
    query = scope["query_string"]
    return f"{scope['path']}?{query.decode('latin-1')}" if query else scope["path"]
