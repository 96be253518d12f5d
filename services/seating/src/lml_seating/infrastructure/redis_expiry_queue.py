"""The sweeper's queue in Redis: each event's ``expiries`` sorted set, across the events
the registry lists, and the script that ends a hold whose time ran out."""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from lml_redis_scripts import RedisClient, redis_faults
from lml_seating.application.ports import Expired, LockRefused, NotDue
from lml_seating.domain import GaQuantity, HoldScope
from lml_seating.infrastructure.hold_scripts import HoldScripts, refused
from lml_seating.infrastructure.keys import SeatingKeys
from lml_seating.infrastructure.redis_event_registry import RedisEventRegistry

_ga_decoder = msgspec.json.Decoder(tuple[GaQuantity, ...])
_seats_decoder = msgspec.json.Decoder(tuple[str, ...])


class RedisExpiryQueue:
    def __init__(
        self,
        client: RedisClient,
        keys: SeatingKeys,
        scripts: HoldScripts,
        registry: RedisEventRegistry,
    ) -> None:
        self._client = client
        self._keys = keys
        self._scripts = scripts
        self._registry = registry

    async def expire(self, lock: HoldScope) -> Expired | NotDue | LockRefused:
        reply = await self._scripts.run("expire_if_due", lock)
        if reply == [b"expired"]:
            return Expired()
        if reply == [b"not_due"]:
            return NotDue()
        return refused("expire_if_due", reply)

    async def due(self, limit: int) -> Sequence[HoldScope]:
        with redis_faults():
            seconds, micros = await self._client.time()
        now = seconds * 1000 + micros // 1000
        events = await self._registry.recent(now)
        if not events:
            return []
        with redis_faults():
            async with self._client.pipeline(transaction=False) as pipe:
                for event_id in events:
                    pipe.zrangebyscore(self._keys.expiries(event_id), "-inf", now, 0, limit)
                due_ids: list[list[bytes]] = await pipe.execute()
            pairs = [
                (event_id, hold_id.decode())
                for event_id, hold_ids in zip(events, due_ids, strict=True)
                for hold_id in hold_ids
            ][:limit]
            async with self._client.pipeline(transaction=False) as pipe:
                for event_id, hold_id in pairs:
                    pipe.hmget(
                        self._keys.hold(event_id, hold_id), "tenant", "seats", "ga", "channel"
                    )
                records: list[list[bytes | None]] = await pipe.execute()
        locks = []
        for (event_id, hold_id), (org, seats, ga, channel) in zip(pairs, records, strict=True):
            if org is None or seats is None or ga is None or channel is None:
                # The hold's hash outlived its retention: nothing is left to free.
                with redis_faults():
                    await self._client.zrem(self._keys.expiries(event_id), hold_id)
                continue
            locks.append(
                HoldScope(
                    org_id=org.decode(),
                    event_id=event_id,
                    id=hold_id,
                    seat_ids=_seats_decoder.decode(seats),
                    ga=_ga_decoder.decode(ga),
                    sales_channel_id=channel.decode() or None,
                )
            )
        return locks
