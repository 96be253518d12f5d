"""Cursor pagination of orders, as the other list routes page: by (created_at, id), with an
opaque cursor holding the last item's key, so pages stay consistent while orders are added."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime

import msgspec

from lml_ordering.domain.errors import InvalidCursor
from lml_result import Err, Ok, Result


class Cursor(msgspec.Struct, frozen=True):
    """Orders strictly after ``(after, after_id)`` come next."""

    after: datetime
    after_id: str


def encode_cursor(cursor: Cursor) -> str:
    payload = msgspec.json.encode((cursor.after, cursor.after_id))
    return base64.urlsafe_b64encode(payload).decode("ascii").rstrip("=")


def decode_cursor(text: str) -> Result[Cursor, InvalidCursor]:
    try:
        payload = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        after, after_id = msgspec.json.decode(payload, type=tuple[datetime, str])
    except (binascii.Error, ValueError, msgspec.ValidationError):
        return Err(InvalidCursor())
    if after.tzinfo is None:
        return Err(InvalidCursor())
    return Ok(Cursor(after, after_id))
