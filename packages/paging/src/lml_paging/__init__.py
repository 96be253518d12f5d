"""Cursor pagination: a page of items in a stable order, and an opaque cursor to the next.

A cursor holds the sort key of the last item handed out (a time and an id, so ties on the
time are broken), so pages stay consistent while items are added. Every list route pages
this way; each context says in its own error type that a cursor is not one of these.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Generic, TypeVar

import msgspec

from lml_result import Err, Ok, Result

T = TypeVar("T")


class InvalidCursor(msgspec.Struct, frozen=True):
    """A list cursor this API did not hand out (or one that was altered)."""


class Cursor(msgspec.Struct, frozen=True):
    """Items strictly after ``(after, after_id)`` come next."""

    after: datetime
    after_id: str


class Page(msgspec.Struct, Generic[T], frozen=True):
    items: tuple[T, ...]
    next_cursor: str | None


def encode_cursor(cursor: Cursor) -> str:
    payload = msgspec.json.encode((cursor.after, cursor.after_id))
    return base64.urlsafe_b64encode(payload).decode("ascii").rstrip("=")


def decode_cursor(text: str) -> Cursor | None:
    """The cursor ``text`` encodes; None when it encodes none."""
    try:
        payload = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        after, after_id = msgspec.json.decode(payload, type=tuple[datetime, str])
    except (binascii.Error, ValueError, msgspec.ValidationError):
        return None
    if after.tzinfo is None:
        return None
    return Cursor(after, after_id)


def start_after(cursor: str | None) -> Result[Cursor | None, InvalidCursor]:
    """Where a page starts: after the cursor's item, or at the beginning without one."""
    if cursor is None:
        return Ok(None)
    decoded = decode_cursor(cursor)
    return Err(InvalidCursor()) if decoded is None else Ok(decoded)


def page_of(fetched: Sequence[T], limit: int, key: Callable[[T], Cursor]) -> Page[T]:
    """A page from up to ``limit + 1`` items fetched in order; the extra one says more follow."""
    items = tuple(fetched[:limit])
    more = len(fetched) > limit
    return Page(items=items, next_cursor=encode_cursor(key(items[-1])) if more else None)


__all__ = [
    "Cursor",
    "InvalidCursor",
    "Page",
    "decode_cursor",
    "encode_cursor",
    "page_of",
    "start_after",
]
