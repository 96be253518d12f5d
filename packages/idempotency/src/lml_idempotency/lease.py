"""Keeping a lease alive while a slow handler runs."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from lml_idempotency.keys import Lease
from lml_idempotency.ports import IdempotencyStore
from lml_result import DependencyUnavailable

logger = logging.getLogger(__name__)

# Renewing three times per lease survives one missed renewal.
RENEWALS_PER_LEASE = 3


@contextlib.asynccontextmanager
async def renewing(
    store: IdempotencyStore, lease: Lease, lease_seconds: float
) -> AsyncIterator[None]:
    """Renew the lease in the background until the block exits or the lease is lost.

    A lease lost to expiry is not taken back: ``complete`` will then return False.
    """
    task = asyncio.create_task(_renew_until_lost(store, lease, lease_seconds))
    try:
        yield
    finally:
        task.cancel()
        # wait() rather than awaiting the task, so cancelling the caller still cancels it.
        await asyncio.wait([task])
        if not task.cancelled():
            task.result()


async def _renew_until_lost(store: IdempotencyStore, lease: Lease, lease_seconds: float) -> None:
    interval = lease_seconds / RENEWALS_PER_LEASE
    while True:
        await asyncio.sleep(interval)
        try:
            if not await store.renew(lease, lease_seconds):
                return
        except DependencyUnavailable as error:
            # The next renewal may get through before the lease runs out.
            logger.warning("idempotency lease renewal failed: %s", error)
