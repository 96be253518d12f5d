"""The faults bench/onsale.py injects while buyers buy: Redis frozen, PostgreSQL restarted,
the worker killed. Each acts on a server the rehearsal started itself, so nothing else on
the machine is disturbed."""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass
from typing import Generic, TypeVar

from lml_testing.redis_process import RedisProcess

NAMES = ("redis-stall", "pg-restart", "worker-kill")

T = TypeVar("T")


def chosen(faults: str) -> list[str]:
    """The faults ``--faults`` names, comma-separated."""
    return [name for name in faults.split(",") if name]


class Restartable(Generic[T]):
    """A server to stop and start again: ``start`` enters the context ``serve`` makes and
    gives what it yields, ``stop`` leaves it."""

    def __init__(self, serve: Callable[[], AbstractContextManager[T]]) -> None:
        self._serve = serve
        self._stack = ExitStack()
        self.value: T | None = None

    def start(self) -> T:
        self._stack = ExitStack()
        self.value = self._stack.enter_context(self._serve())
        return self.value

    def stop(self) -> None:
        self.value = None
        self._stack.close()


@dataclass(frozen=True)
class Injected:
    name: str
    at: float  # seconds into the run
    seconds: float  # until the server was back


class Faults:
    def __init__(
        self,
        *,
        redis: RedisProcess | None,
        postgres: Restartable[str] | None,
        worker: Restartable[subprocess.Popen[bytes]],
        stall_seconds: float,
    ) -> None:
        self._redis, self._postgres, self._worker = redis, postgres, worker
        self._stall_seconds = stall_seconds

    async def inject(self, name: str) -> None:
        """One fault, until the server is back; blocking starts and stops run in a thread
        so the buyers go on meanwhile."""
        match name:
            case "redis-stall":
                assert self._redis is not None, "redis-stall needs the rehearsal's own Redis"
                self._redis.freeze()
                try:
                    await asyncio.sleep(self._stall_seconds)
                finally:
                    self._redis.thaw()
            case "pg-restart":
                assert self._postgres is not None, "pg-restart needs its own PostgreSQL"
                await asyncio.to_thread(self._postgres.stop)
                await asyncio.to_thread(self._postgres.start)
            case "worker-kill":
                process = self._worker.value
                assert process is not None, "the worker is not running"
                os.kill(process.pid, signal.SIGKILL)
                await asyncio.to_thread(self._worker.stop)
                await asyncio.to_thread(self._worker.start)
            case _:
                raise ValueError(f"unknown fault {name!r}; known: {', '.join(NAMES)}")


async def inject_every(
    faults: Faults,
    names: Sequence[str],
    every: float,
    stop: asyncio.Event,
    started: float,
    log: list[Injected],
) -> None:
    """``names`` in turn, one every ``every`` seconds, until ``stop`` is set. Never
    cancelled mid-fault: a server half restarted in a thread would stay down."""
    for name in itertools.cycle(names):
        try:
            await asyncio.wait_for(stop.wait(), every)
            return
        except TimeoutError:
            pass
        began = time.monotonic()
        await faults.inject(name)
        log.append(Injected(name, began - started, time.monotonic() - began))
