"""Availability stream ids (Redis stream ids, ``<milliseconds>-<sequence>``) and whether a
client that saw one can resume after it."""

from __future__ import annotations

import re
from typing import Literal

import msgspec

ORIGIN = "0-0"
# Redis stream ids are two unsigned 64-bit numbers; 19 digits stay below 2**64 (a 20-digit
# one can pass it, and Redis refuses it), and cover every id a clock of milliseconds gives.
STREAM_ID = re.compile(r"(\d{1,19})-(\d{1,19})")

Resumption = Literal["resume", "too_old", "unknown"]


class StreamPosition(msgspec.Struct, frozen=True, kw_only=True):
    """Where an event's stream stands: its last id (``0-0`` before any event), its oldest
    retained one (None when it holds none), and whether any entry was trimmed from it."""

    last_id: str
    first_id: str | None
    trimmed: bool


def is_stream_id(text: str) -> bool:
    return STREAM_ID.fullmatch(text) is not None


def stream_order(stream_id: str) -> tuple[int, int]:
    """Stream ids sort as their two numbers do, not as text."""
    match = STREAM_ID.fullmatch(stream_id)
    if match is None:
        raise ValueError(f"not a stream id: {stream_id!r}")
    return int(match[1]), int(match[2])


def resumption(seen: str, position: StreamPosition, *, known: bool) -> Resumption:
    """Whether a client that saw ``seen`` misses nothing by resuming after it: when the
    stream still holds that event (``known``), or nothing came after it, or it saw nothing
    (the origin) and nothing was trimmed. Else it was trimmed away ("too_old") or is none
    of this stream's ("unknown"); either way the client resynchronises from a snapshot."""
    if known or seen == position.last_id:
        return "resume"
    if stream_order(seen) > stream_order(position.last_id):
        return "unknown"
    if not position.trimmed:
        return "resume" if seen == ORIGIN else "unknown"
    if position.first_id is None or stream_order(seen) < stream_order(position.first_id):
        return "too_old"
    return "unknown"
