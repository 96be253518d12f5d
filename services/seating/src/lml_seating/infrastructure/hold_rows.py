"""A hold read back from PostgreSQL, by column name: the one place that knows a hold row's
columns, for the inventory's own queries and for the conversion functions' answers alike."""

from __future__ import annotations

from typing import Any

import msgspec

from lml_seating.domain import GaQuantity, Hold, HoldScope, HoldStatus

_ga = msgspec.json.Decoder(tuple[GaQuantity, ...])


def decode_hold_scope(row: dict[str, Any]) -> HoldScope:
    return HoldScope(**_scope_fields(row))


def decode_hold(row: dict[str, Any]) -> Hold:
    return Hold(
        **_scope_fields(row),
        status=HoldStatus(row["status"]),
        created_at=row["created_at"],
        expires_at=row["expires_at"],
        max_expires_at=row["max_expires_at"],
    )


def _scope_fields(row: dict[str, Any]) -> dict[str, Any]:
    # ``ga`` comes as JSON text: msgspec decodes it straight into the value types.
    return {
        "id": row["id"],
        "org_id": row["org_id"],
        "event_id": row["event_id"],
        "seat_ids": tuple(row["seat_ids"]),
        "ga": _ga.decode(row["ga"]),
        "sales_channel_id": row["sales_channel_id"],
    }
