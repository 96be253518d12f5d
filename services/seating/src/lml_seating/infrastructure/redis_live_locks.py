"""What Redis holds right now for an event's seats and zones, for availability reads."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import cast

from redis.asyncio import Redis

from lml_redis_scripts import redis_faults
from lml_seating.domain import ZoneCounts
from lml_seating.infrastructure.keys import SeatingKeys

MGET_BATCH = 2_000


class RedisLiveLocks:
    def __init__(self, client: Redis, keys: SeatingKeys) -> None:
        self._client = client
        self._keys = keys

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
