"""The hold scripts, and the one place their arguments are built, by name.

Every hold script runs after ``scripts/prelude.lua``, which reads the keys and arguments
this module builds: the hold's keys first, then one JSON object of named arguments
(``ScriptArguments``), then the seat ids, zone ids and quantities.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, get_args

import msgspec

from lml_redis_scripts import LuaScript, RedisClient, redis_faults
from lml_seating.application.ports import LockProblem, LockRefused
from lml_seating.domain import HoldScope, ZoneCounts
from lml_seating.infrastructure.keys import SeatingKeys
from lml_seating.infrastructure.script_timing import timed

# An ended hold's tombstone outlives any late caller: its owner retrying, or a sweeper.
TOMBSTONE_SECONDS = 3_600

HoldScript = Literal[
    "acquire_all_or_none",
    "extend_if_owner",
    "release_if_owner",
    "rollback_if_owner",
    "expire_if_due",
    "convert_if_owner",
    "release_canceled_order",
    "sell_converted",
]
_REFUSALS: dict[bytes, LockProblem] = {
    b"unknown": "unknown",
    b"ended": "ended",
    b"token": "token",
    b"expired": "expired",
}

_json = msgspec.json.Encoder()


class ScriptArguments(msgspec.Struct, frozen=True, kw_only=True):
    """The named arguments ``prelude.lua`` reads as ``args.<name>``."""

    hold_id: str
    event_id: str
    org_id: str
    seat_count: int
    seats_json: str
    ga_json: str
    # '' for none: JSON null would reach Lua as a sentinel, not nil.
    sales_channel_id: str
    stream_max_length: int
    stream_max_age_ms: int
    tombstone_ms: int
    token_digest: str
    ttl_ms: int
    lifetime_ms: int
    # Why release_canceled_order frees the hold: 'order_canceled' or 'order_expired'.
    reason: str = ""
    # The paid order whose sale sell_converted publishes.
    order_id: str = ""


def milliseconds(seconds: float) -> int:
    return max(1, round(seconds * 1000))


class HoldScripts:
    def __init__(
        self,
        client: RedisClient,
        keys: SeatingKeys,
        *,
        stream_max_length: int,
        stream_max_age_seconds: float,
    ) -> None:
        if stream_max_length < 1 or stream_max_age_seconds <= 0:
            raise ValueError("the stream's length and age bounds must be positive")
        self._stream_max_age_ms = milliseconds(stream_max_age_seconds)
        self._keys = keys
        self._stream_max_length = stream_max_length
        self._load_zones = LuaScript.load(
            client, "lml_seating.infrastructure", "scripts/load_zones.lua"
        )
        self._scripts = {
            name: LuaScript.load(
                client, "lml_seating.infrastructure", "scripts/prelude.lua", f"scripts/{name}.lua"
            )
            for name in get_args(HoldScript)
        }

    async def run(
        self,
        name: HoldScript,
        lock: HoldScope,
        *,
        token_digest: bytes = b"",
        ttl_ms: int = 0,
        lifetime_ms: int = 0,
        reason: str = "",
        order_id: str = "",
    ) -> object:
        keys, event_id = self._keys, lock.event_id
        arguments = ScriptArguments(
            hold_id=lock.id,
            event_id=event_id,
            org_id=lock.org_id,
            seat_count=len(lock.seat_ids),
            seats_json=_json.encode(lock.seat_ids).decode(),
            ga_json=_json.encode(lock.ga).decode(),
            sales_channel_id=lock.sales_channel_id or "",
            stream_max_length=self._stream_max_length,
            stream_max_age_ms=self._stream_max_age_ms,
            tombstone_ms=TOMBSTONE_SECONDS * 1000,
            token_digest=token_digest.hex(),
            ttl_ms=ttl_ms,
            lifetime_ms=lifetime_ms,
            reason=reason,
            order_id=order_id,
        )
        script_keys = [
            keys.hold(event_id, lock.id),
            keys.expiries(event_id),
            keys.stream(event_id),
            *(keys.seat(event_id, seat) for seat in lock.seat_ids),
            *(keys.zone(event_id, item.zone_id) for item in lock.ga),
        ]
        args: list[str | bytes | int] = [
            _json.encode(arguments),
            *lock.seat_ids,
            *(item.zone_id for item in lock.ga),
            *(item.quantity for item in lock.ga),
        ]
        with timed(name), redis_faults():
            return await self._scripts[name](keys=script_keys, args=args)

    async def load_zones(self, event_id: str, zones: Sequence[ZoneCounts]) -> None:
        """Set counters for zones that have none; counters that exist are left alone."""
        if not zones:
            return
        keys = [self._keys.zone(event_id, zone.zone_id) for zone in zones]
        args = [count for zone in zones for count in (zone.capacity, zone.held, zone.sold)]
        with timed("load_zones"), redis_faults():
            await self._load_zones(keys=keys, args=args)


def refused(script: HoldScript, reply: object) -> LockRefused:
    """A script's refusal reply; anything else from it is a bug."""
    match reply:
        case [bytes(word)] if word in _REFUSALS:
            return LockRefused(_REFUSALS[word])
    raise RuntimeError(f"unexpected reply from {script}: {reply!r}")
