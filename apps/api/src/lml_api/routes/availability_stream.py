"""``GET /v1/events/{event_id}/availability/stream``: every availability change of an
event, as server-sent events, resumable after the last one a client saw."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from typing import Annotated

import msgspec
from litestar import get
from litestar.di import NamedDependency
from litestar.openapi import ResponseSpec
from litestar.params import FromPath, HeaderParameter, QueryParameter

from lml_api.access import requires
from lml_api.container import Container
from lml_api.problems import unwrap, validation_error
from lml_api.streaming import sse
from lml_api.streaming.direct import Connection, current_connection
from lml_api.streaming.hub import AvailabilityHub, Frame
from lml_api.streaming.metrics import RESYNCS, delivered
from lml_api.streaming.response import EventStream
from lml_auth import Principal, Scope
from lml_seating.application import AvailabilityEvents, WatchFrom, watch_availability
from lml_seating.domain import is_stream_id, stream_order

BACKLOG_PAGE = 500

LastEventIdHeader = Annotated[
    str | None,
    HeaderParameter(
        name="Last-Event-ID",
        description="The `id` of the last event received; browsers send it on reconnecting.",
    ),
]
LastEventIdQuery = Annotated[
    str | None,
    QueryParameter(description="As `Last-Event-ID`, for clients that cannot set headers."),
]

DESCRIPTION = (
    "`text/event-stream` of `seat.held`, `seat.released`, `seat.sold` and `zone.updated`"
    " events, each with `id:` (its stream id) and JSON `data` (see the API contract). A burst"
    " may come as one `seat.batch` event listing its events in order. Resume with"
    " `Last-Event-ID` (or `?last_event_id=`): the events after it, in order, then live. An"
    " id whose successors are no longer kept, or that is none of this stream's, gets"
    " `event: resync` (data: `{reason, stream_id}`): fetch a snapshot and apply the events"
    " after its `stream_id`. Comments (`: heartbeat`) keep the connection alive; `retry:`"
    " says how soon to reconnect. A malformed id is 422 before the stream starts. A browser"
    " passes a read ticket as `?ticket=` (see `POST .../availability/tickets`)."
)


class Resync(msgspec.Struct, frozen=True):
    reason: str
    stream_id: str


@get(
    "/v1/events/{event_id:str}/availability/stream",
    summary="Live availability changes of an event (server-sent events)",
    description=DESCRIPTION,
    opt=requires(Scope.INVENTORY_READ, tickets=True),
    media_type="text/event-stream",
    responses={
        200: ResponseSpec(
            data_container=str,
            media_type="text/event-stream",
            description="Server-sent events, as the route's description says, until the "
            "client leaves (or is dropped for falling behind: it resumes with "
            "`Last-Event-ID`).",
        )
    },
)
async def stream_availability(
    principal: NamedDependency[Principal],
    container: NamedDependency[Container],
    event_id: FromPath[str],
    last_event_id_header: LastEventIdHeader = None,
    last_event_id: LastEventIdQuery = None,
    ticket: Annotated[
        str | None, QueryParameter(description="A read ticket, instead of a bearer token.")
    ] = None,
) -> EventStream:
    seen = _seen(last_event_id_header, last_event_id)
    seating = container.seating
    start = unwrap(
        await watch_availability(
            principal.org_id, event_id, seen, rules=seating.rules, events=seating.events
        )
    )
    settings = container.settings
    dropped = asyncio.Event()
    body = _events(
        container.availability,
        seating.events,
        event_id,
        start,
        dropped,
        retry_ms=settings.availability_retry_ms,
        connection=current_connection(),
    )
    return EventStream(body, dropped)


def _seen(header: str | None, query: str | None) -> str | None:
    for field, value in (("Last-Event-ID", header), ("last_event_id", query)):
        if value is not None and not is_stream_id(value):
            raise validation_error([(field, "must be a stream id: <milliseconds>-<sequence>")])
    if header is not None and query is not None and header != query:
        raise validation_error([("last_event_id", "differs from the Last-Event-ID header")])
    return header if header is not None else query


async def _events(
    hub: AvailabilityHub,
    events: AvailabilityEvents,
    event_id: str,
    start: WatchFrom,
    dropped: asyncio.Event,
    *,
    retry_ms: int,
    connection: Connection | None = None,
) -> AsyncGenerator[bytes, None]:
    """Join the hub first, then send what was missed, then what the hub brings: the
    hub's frames hold only events after it was joined, so nothing falls in between, and
    what both bring goes out once. Once caught up, with the server's ``connection`` at
    hand, the hub's reader writes frames to it itself whenever this subscriber has nothing
    waiting (``Mailbox``); this generator then only writes what queues up."""
    async with hub.subscribe(event_id, dropped) as subscription:
        yield sse.retry(retry_ms)
        if start.start in ("too_old", "unknown"):
            RESYNCS.labels(start.start).inc()
            resync = msgspec.json.encode(Resync(start.start, start.position.last_id))
            yield sse.message(sse.RESYNC, resync, start.position.last_id)
        sent = start.after or subscription.after
        while start.after is not None:
            missed = await events.since(event_id, sent, limit=BACKLOG_PAGE)
            if missed:
                sent = missed[-1].id
                backlog = Frame.of(missed)
                yield backlog.wire
                delivered(backlog)
            if len(missed) < BACKLOG_PAGE:
                break
        mailbox = subscription.mailbox
        mailbox.position = stream_order(sent)
        # Everything yielded so far is written: the generator resumes only after a send.
        mailbox.attach(connection)
        while not mailbox.overflowed:
            for frame in await mailbox.take():
                fresh = frame.after(mailbox.position)
                if fresh is None:
                    continue
                yield fresh.wire
                if fresh.events:
                    mailbox.position = fresh.last
                    delivered(fresh)


ROUTES = [stream_availability]
