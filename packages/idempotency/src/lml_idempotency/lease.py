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


# Tried again this often while the store is unreachable, until the lease would have lapsed.
RELEASE_RETRY_SECONDS = 0.25
_releasing: set[asyncio.Task[None]] = set()


async def release_soon(store: IdempotencyStore, lease: Lease, lease_seconds: float) -> None:
    """Free the key now, or, if the store cannot be reached, as soon as it answers again.

    A request that failed (a 5xx, a crash) frees its key so that the client's retry runs
    again. When the failure was the store itself (a Redis stall), freeing it fails too, and
    the retry would be told ``in_progress`` until the lease lapses; so the release is tried
    again in the background until it gets through or the lease would have lapsed anyway.
    """
    try:
        await store.release(lease)
    except DependencyUnavailable as error:
        logger.warning("idempotency key not released yet: %s", error)
        release_later(store, lease, lease_seconds)


def release_later(store: IdempotencyStore, lease: Lease, lease_seconds: float) -> None:
    """Free the key in the background once the store answers, without a first try now:
    for a caller that must not wait on a store that has just failed it."""
    task = asyncio.create_task(_release_until(store, lease, lease_seconds))
    _releasing.add(task)
    task.add_done_callback(_releasing.discard)


async def _release_until(store: IdempotencyStore, lease: Lease, lease_seconds: float) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + lease_seconds
    while loop.time() < deadline:
        await asyncio.sleep(RELEASE_RETRY_SECONDS)
        try:
            await store.release(lease)
        except DependencyUnavailable:
            continue
        return
