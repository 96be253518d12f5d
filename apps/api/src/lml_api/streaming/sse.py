"""The ``text/event-stream`` wire format (WHATWG HTML, server-sent events), written as
bytes once per frame so every subscriber is sent the same buffer."""

from __future__ import annotations

from collections.abc import Sequence

from lml_seating.domain import PublishedEvent

BATCH = "seat.batch"
RESYNC = "resync"


def message(kind: str, data: bytes, event_id: str | None = None) -> bytes:
    """One event. ``data`` is JSON, which never holds a raw line break."""
    head = b"" if event_id is None else b"id: " + event_id.encode() + b"\n"
    return head + b"event: " + kind.encode() + b"\ndata: " + data + b"\n\n"


def events_message(events: Sequence[PublishedEvent]) -> bytes:
    """One event as it is; several as one ``seat.batch`` listing each in order, with its
    id, under the id of the last (where a client resuming after the batch starts)."""
    if len(events) == 1:
        (event,) = events
        return message(event.type, event.data, event.id)
    listed = b",".join(
        b'{"id":"' + e.id.encode() + b'","event":"' + e.type.encode() + b'","data":' + e.data + b"}"
        for e in events
    )
    return message(BATCH, b'{"events":[' + listed + b"]}", events[-1].id)


def comment(text: str) -> bytes:
    return b": " + text.encode() + b"\n\n"


def retry(milliseconds: int) -> bytes:
    return b"retry: " + str(milliseconds).encode() + b"\n\n"
