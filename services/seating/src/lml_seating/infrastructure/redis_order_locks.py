"""The order path's seat locks in Redis: a converted hold's locks stop lapsing, and its
places are freed when its order ends unpaid or sold when it is paid."""

from __future__ import annotations

from lml_seating.application.ports import LockRefused, Released, Settled, Sold
from lml_seating.domain import HoldScope, OrderEndReason
from lml_seating.infrastructure.hold_scripts import HoldScripts, refused


class RedisOrderLocks:
    def __init__(self, scripts: HoldScripts) -> None:
        self._scripts = scripts

    async def settle(self, lock: HoldScope, token_digest: bytes) -> Settled | LockRefused:
        reply = await self._scripts.run("convert_if_owner", lock, token_digest=token_digest)
        return Settled() if reply == [b"converted"] else refused("convert_if_owner", reply)

    async def cancel(
        self, lock: HoldScope, reason: OrderEndReason = "order_canceled"
    ) -> Released | LockRefused:
        reply = await self._scripts.run("release_canceled_order", lock, reason=reason)
        return Released() if reply == [b"released"] else refused("release_canceled_order", reply)

    async def sell(self, lock: HoldScope, order_id: str) -> Sold:
        await self._scripts.run("sell_converted", lock, order_id=order_id)
        return Sold()
