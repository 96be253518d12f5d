"""Group commit for asyncio: concurrent calls with the same key run as one batch.

A call that finds its key idle starts a batch on the next turn of the event loop, so
every call made in the same turn joins it; calls that arrive while the key's batch runs
wait and go together in the next one. Under light load a batch is a single call that
waits for nothing; under load one round trip serves many callers, which is where the
time of a busy API goes (client CPU per round trip, and the server's per statement).

One batch runs at a time per key, so the batch function may assume nothing else of its
own is in flight for that key in this process. It runs in the context (log fields,
trace) of the call that started the drain, so its spans and log lines carry that one
caller's request id; each caller still logs and answers its own outcome.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")
R = TypeVar("R")


@dataclass(slots=True)
class _Queue(Generic[T, R]):
    waiting: list[tuple[T, asyncio.Future[R]]] = field(default_factory=list)
    drain: asyncio.Task[None] | None = None


class Batcher(Generic[K, T, R]):
    """``run(key, items)`` answers each item, in order; one outcome per item, so a batch
    whose items fail one by one reports that in its results. An exception from ``run``
    fails every call of that batch alike."""

    def __init__(
        self, run: Callable[[K, list[T]], Awaitable[Sequence[R]]], *, max_size: int = 64
    ) -> None:
        if max_size < 1:
            raise ValueError("max_size must be at least 1")
        self._run = run
        self._max_size = max_size
        self._queues: dict[K, _Queue[T, R]] = {}

    async def submit(self, key: K, item: T) -> R:
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        queue = self._queues.get(key)
        if queue is None:
            queue = self._queues[key] = _Queue()
        queue.waiting.append((item, future))
        if queue.drain is None:
            queue.drain = asyncio.create_task(self._drain(key, queue))
        return await future

    async def _drain(self, key: K, queue: _Queue[T, R]) -> None:
        try:
            while queue.waiting:
                # A caller cancelled while it waited is left out; one cancelled while its
                # batch ran gets nothing, and the batch's outcome stands for the others.
                batch = [(item, future) for item, future in queue.waiting if not future.done()]
                batch, rest = batch[: self._max_size], batch[self._max_size :]
                queue.waiting = rest
                if batch:
                    await self._answer(key, batch)
        except asyncio.CancelledError:
            for _, future in queue.waiting:
                future.cancel()
            queue.waiting = []
            raise
        finally:
            queue.drain = None
            if not queue.waiting:
                self._queues.pop(key, None)

    async def _answer(self, key: K, batch: list[tuple[T, asyncio.Future[R]]]) -> None:
        try:
            results = await self._run(key, [item for item, _ in batch])
            if len(results) != len(batch):
                raise RuntimeError(f"a batch of {len(batch)} got {len(results)} results")
        except asyncio.CancelledError:
            for _, future in batch:
                future.cancel()
            raise
        except Exception as error:
            for _, future in batch:
                if not future.done():
                    future.set_exception(error)
            return
        for (_, future), result in zip(batch, results, strict=True):
            if not future.done():
                future.set_result(result)
