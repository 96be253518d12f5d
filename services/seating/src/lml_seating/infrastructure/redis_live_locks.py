"""What Redis holds right now for an event's seats and zones, for availability reads."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

import msgspec

from lml_redis_scripts import LuaScript, RedisClient, redis_faults
from lml_seating.application.ports import LiveCut
from lml_seating.domain import ZoneCounts
from lml_seating.infrastructure.keys import SeatingKeys
from lml_seating.infrastructure.script_timing import timed

MGET_BATCH = 2_000

_seat_ids = msgspec.json.Decoder(list[str])


class RedisLiveLocks:
    def __init__(self, client: RedisClient, keys: SeatingKeys) -> None:
        self._client = client
        self._keys = keys
        self._read = LuaScript.load(
            client, "lml_seating.infrastructure", "scripts/read_availability.lua"
        )

    async def cut(self, event_id: str, seat_ids: Sequence[str], zone_ids: Sequence[str]) -> LiveCut:
        """One read-only script (``scripts/read_availability.lua``) over the event's keys."""
        keys = self._keys
        script_keys = [
            keys.stream(event_id),
            keys.expiries(event_id),
            *(keys.seat(event_id, seat) for seat in seat_ids),
            *(keys.zone(event_id, zone) for zone in zone_ids),
        ]
        with timed("read_availability"), redis_faults():
            reply = await self._read(
                keys=script_keys, args=[len(seat_ids), keys.hold(event_id, "")]
            )
        stream_id, owners, lapsed, zones = cast("tuple[bytes, list[Any], list[bytes], Any]", reply)
        holders = {
            seat: owner.decode()
            for seat, owner in zip(seat_ids, owners, strict=True)
            if owner is not None
        }
        wanted = set(seat_ids)
        for n in range(0, len(lapsed), 2):
            hold_id = lapsed[n].decode()
            for seat in _seat_ids.decode(lapsed[n + 1]):
                if seat in wanted:
                    holders.setdefault(seat, hold_id)
        return LiveCut(
            stream_id=stream_id.decode(),
            holders=holders,
            zones={
                zone_id: ZoneCounts(
                    zone_id=zone_id, capacity=int(capacity), held=int(held), sold=int(sold)
                )
                for zone_id, (capacity, held, sold) in zip(zone_ids, zones, strict=True)
                if capacity is not None and held is not None and sold is not None
            },
        )

    async def holders(self, event_id: str, seat_ids: Sequence[str]) -> Mapping[str, str]:
        owners: dict[str, str] = {}
        with redis_faults():
            for start in range(0, len(seat_ids), MGET_BATCH):
                batch = seat_ids[start : start + MGET_BATCH]
                values = cast(
                    "list[bytes | None]",
                    await self._client.mget([self._keys.seat(event_id, s) for s in batch]),
                )
                owners.update(
                    (seat, value.decode())
                    for seat, value in zip(batch, values, strict=True)
                    if value is not None
                )
        return owners

    async def zones(self, event_id: str, zone_ids: Sequence[str]) -> Mapping[str, ZoneCounts]:
        if not zone_ids:
            return {}
        with redis_faults():
            async with self._client.pipeline(transaction=False) as pipe:
                for zone_id in zone_ids:
                    pipe.hmget(self._keys.zone(event_id, zone_id), "capacity", "held", "sold")
                rows: list[list[bytes | None]] = await pipe.execute()
        return {
            zone_id: ZoneCounts(
                zone_id=zone_id, capacity=int(capacity), held=int(held), sold=int(sold)
            )
            for zone_id, (capacity, held, sold) in zip(zone_ids, rows, strict=True)
            if capacity is not None and held is not None and sold is not None
        }
