"""Short-lived read tickets: how a browser's ``EventSource``, which cannot send an
``Authorization`` header, reads one event's availability without an access token in a URL.

A ticket is 32 random bytes, valid for one event for about a minute, accepted as
``?ticket=`` by that event's availability snapshot and stream only. The store keeps its
SHA-256 digest, never the ticket, with the principal it reads as.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Protocol

import msgspec

from lml_auth import Principal, Scope
from lml_redis_scripts import RedisClient, checked_key_prefix, redis_faults

TICKET_BYTES = 32
TICKET_SCOPES = frozenset({Scope.INVENTORY_READ.value})


class Ticket(msgspec.Struct, frozen=True):
    ticket: str
    expires_at: datetime


class _Holder(msgspec.Struct, frozen=True):
    subject: str
    org_id: str
    event_id: str


class ReadTickets(Protocol):
    async def issue(self, principal: Principal, event_id: str) -> Ticket: ...

    async def redeem(self, ticket: str, event_id: str) -> Principal | None:
        """The principal a live ticket for this event reads as; None for any other."""
        ...


def _digest(ticket: str) -> str:
    return hashlib.sha256(ticket.encode()).hexdigest()


def _principal(holder: _Holder, digest: str) -> Principal:
    return Principal(
        subject=holder.subject,
        org_id=holder.org_id,
        scopes=TICKET_SCOPES,
        token_id=f"ticket:{digest[:16]}",
    )


class RedisReadTickets:
    def __init__(self, client: RedisClient, *, prefix: str, ttl_seconds: int) -> None:
        self._client = client
        self._prefix = checked_key_prefix(prefix)
        self._ttl_seconds = ttl_seconds

    async def issue(self, principal: Principal, event_id: str) -> Ticket:
        ticket = secrets.token_urlsafe(TICKET_BYTES)
        holder = _Holder(principal.subject, principal.org_id, event_id)
        with redis_faults():
            await self._client.set(
                self._key(_digest(ticket)), msgspec.json.encode(holder), ex=self._ttl_seconds
            )
        expires_at = datetime.now(UTC) + timedelta(seconds=self._ttl_seconds)
        return Ticket(ticket, expires_at)

    async def redeem(self, ticket: str, event_id: str) -> Principal | None:
        digest = _digest(ticket)
        with redis_faults():
            stored = await self._client.get(self._key(digest))
        if stored is None:
            return None
        holder = msgspec.json.decode(stored, type=_Holder)
        return _principal(holder, digest) if holder.event_id == event_id else None

    def _key(self, digest: str) -> str:
        return f"{self._prefix}:read-tickets:{digest}"


class InMemoryReadTickets:
    def __init__(self, *, ttl_seconds: int) -> None:
        self._ttl = timedelta(seconds=ttl_seconds)
        self._tickets: dict[str, tuple[_Holder, datetime]] = {}

    async def issue(self, principal: Principal, event_id: str) -> Ticket:
        ticket = secrets.token_urlsafe(TICKET_BYTES)
        expires_at = datetime.now(UTC) + self._ttl
        self._tickets[_digest(ticket)] = (
            _Holder(principal.subject, principal.org_id, event_id),
            expires_at,
        )
        return Ticket(ticket, expires_at)

    async def redeem(self, ticket: str, event_id: str) -> Principal | None:
        digest = _digest(ticket)
        found = self._tickets.get(digest)
        if found is None or found[1] <= datetime.now(UTC) or found[0].event_id != event_id:
            return None
        return _principal(found[0], digest)
