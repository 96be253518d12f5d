"""One circuit breaker per dependency per process: fail at once while a server is away.

Without it every request that needs a stalled server waits for the socket timeout, one
after another. With it, the fault translators (``redis_faults``, ``postgres_faults``,
``mongo_faults``) run their block inside ``guarded(dependency)``, and the breaker of that
dependency, when one is installed (the API installs one per server), decides:

- **Closed**: calls run. A call that fails with the dependency's ``DependencyUnavailable``,
  or one that has waited ``stall_seconds`` while the server answered nothing, makes the
  breaker *suspect* the server and probe it (``PING``, ``select 1``, ``ping``) for at most
  ``stall_seconds``. A probe that fails opens the breaker; one that answers clears the
  suspicion (the server is alive, the call is only slow, and it goes on).
- **Open**: calls fail at once with ``DependencyUnavailable(dependency, "circuit open")``;
  calls still waiting are cancelled and fail the same way. The probe runs again every
  ``probe_interval_seconds``; the first that answers closes the breaker.

Requests are never the probe: while the breaker is open none waits for the server, and
the first answer of the server after its return closes the breaker within one interval.

Where no breaker is installed (the CLI, unit tests) ``guarded`` does nothing.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager

from lml_result.faults import DependencyUnavailable

log = logging.getLogger("lml.breakers")

Probe = Callable[[], Awaitable[None]]

OPEN_REASON = "circuit open"

# Probes made in a row while each timed out on a late event loop, before the server is
# taken as down anyway: bounds how long a stalled server on a saturated machine stays
# undetected (this many stall periods).
PROBES_WHILE_LATE = 3


class Breaker:
    def __init__(
        self,
        dependency: str,
        probe: Probe,
        *,
        stall_seconds: float,
        probe_interval_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.dependency = dependency
        self._probe = probe
        self._stall_seconds = stall_seconds
        self._probe_interval_seconds = probe_interval_seconds
        self._clock = clock
        self.is_open = False
        self._suspected = False
        self._last_answer = clock()
        # Calls inside the guard, by the time they entered it; and how many times the
        # breaker cancelled each, so that only its own cancellations become 503s.
        self._waiting: dict[asyncio.Task[object], float] = {}
        self._cancelled: dict[asyncio.Task[object], int] = {}
        self._watch: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()

    @contextmanager
    def guard(self) -> Iterator[None]:
        """Run the block as a call to the dependency; raise at once when the breaker is open."""
        if self.is_open:
            raise DependencyUnavailable(self.dependency, OPEN_REASON)
        task = _current_task()
        if task is None or task in self._waiting:  # nested guards of one call count once
            yield
            return
        self._waiting[task] = self._clock()
        self._ensure_watch()
        try:
            yield
        except asyncio.CancelledError:
            ours = self._cancelled.pop(task, 0)
            for _ in range(ours):
                task.uncancel()
            if ours and not task.cancelling():
                raise DependencyUnavailable(self.dependency, "stalled") from None
            raise
        except DependencyUnavailable as error:
            if error.dependency == self.dependency:
                self.suspect()
            else:
                self.answered()
            raise
        except Exception:
            self.answered()  # the server replied, with an error of the call's own
            raise
        else:
            self.answered()
        finally:
            self._waiting.pop(task, None)
            self._cancelled.pop(task, None)

    def answered(self) -> None:
        self._last_answer = self._clock()

    def suspect(self) -> None:
        """Probe the server soon: a call found it unreachable."""
        if not self.is_open:
            self._suspected = True
            self._ensure_watch()
            self._wake.set()

    async def aclose(self) -> None:
        watch, self._watch = self._watch, None
        if watch is None or watch.done():
            return
        loop = watch.get_loop()
        if loop is asyncio.get_running_loop():
            watch.cancel()
            await asyncio.gather(watch, return_exceptions=True)
        elif not loop.is_closed():  # a test client's portal ran the calls on its own loop
            loop.call_soon_threadsafe(watch.cancel)

    def _ensure_watch(self) -> None:
        loop = asyncio.get_running_loop()
        if self._watch is None or self._watch.done() or self._watch.get_loop() is not loop:
            # The event belongs to the loop of the task that waits on it.
            self._wake = asyncio.Event()
            self._watch = loop.create_task(self._watching(), name=f"breaker:{self.dependency}")

    def _stalled(self) -> bool:
        now = self._clock()
        if now - self._last_answer < self._stall_seconds:
            return False
        return any(now - entered >= self._stall_seconds for entered in self._waiting.values())

    async def _watching(self) -> None:
        """Watch the calls while any wait or the breaker is open; then end (a new call
        starts it again)."""
        tick = max(0.01, min(self._stall_seconds, self._probe_interval_seconds) / 4)
        while self._waiting or self.is_open or self._suspected:
            if self.is_open:
                probing = asyncio.ensure_future(self._answers())
                try:
                    while not probing.done():
                        self._cancel_waiting()
                        await asyncio.wait([probing], timeout=tick)
                finally:
                    probing.cancel()
                if probing.result():
                    self._close()
                else:
                    await self._pause(self._probe_interval_seconds)
                continue
            if self._suspected or self._stalled():
                self._suspected = False
                if await self._answers():
                    self.answered()
                else:
                    self._open()
                continue
            await self._pause(tick)

    async def _pause(self, seconds: float) -> None:
        self._wake.clear()
        try:
            async with asyncio.timeout(seconds):
                await self._wake.wait()
        except TimeoutError:
            pass

    async def _answers(self) -> bool:
        """Whether the server answers a probe within ``stall_seconds``.

        A probe whose time ran out while the event loop itself was late proves nothing: a
        loop busy with other work (a saturated machine, a big snapshot being built) finds
        the answer and the timeout due at once, and runs the timeout first. Such a probe is
        made again, up to ``PROBES_WHILE_LATE`` times, so that a slow loop does not open
        the breaker on a server that answers."""
        loop = asyncio.get_running_loop()
        for _ in range(PROBES_WHILE_LATE):
            deadline = loop.time() + self._stall_seconds
            try:
                async with asyncio.timeout_at(deadline):
                    await self._probe()
            except TimeoutError:
                if loop.time() - deadline < self._stall_seconds / 2:
                    return False  # on time, and no answer: the server did not reply
                log.debug("probe timed out on a late loop", extra={"dependency": self.dependency})
                continue
            except asyncio.CancelledError:
                raise
            except Exception as error:  # any other failure of the probe means "down"
                log.debug(
                    "probe failed", extra={"dependency": self.dependency, "error": repr(error)}
                )
                return False
            return True
        return False

    def _open(self) -> None:
        self.is_open = True
        log.warning("dependency breaker opened", extra={"dependency": self.dependency})
        self._cancel_waiting()

    def _close(self) -> None:
        self.is_open = False
        self.answered()
        log.warning("dependency breaker closed", extra={"dependency": self.dependency})

    def _cancel_waiting(self) -> None:
        # Cancelled again at every tick while they still wait: psycopg answers a first
        # cancellation by asking the server to cancel the query, which a stalled server
        # never does; a second one makes it drop the connection at once.
        for task in list(self._waiting):
            self._cancelled[task] = self._cancelled.get(task, 0) + 1
            task.cancel(f"{self.dependency} breaker open")


def _current_task() -> asyncio.Task[object] | None:
    """The running task; None in synchronous code, which the breaker leaves alone."""
    try:
        return asyncio.current_task()
    except RuntimeError:
        return None


_installed: dict[str, Breaker] = {}


def install(breaker: Breaker) -> None:
    """Make ``breaker`` the one ``guarded(breaker.dependency)`` uses in this process."""
    _installed[breaker.dependency] = breaker


def uninstall(breaker: Breaker) -> None:
    if _installed.get(breaker.dependency) is breaker:
        del _installed[breaker.dependency]


@contextmanager
def guarded(dependency: str) -> Iterator[None]:
    """The block as a call to ``dependency``, through its breaker when one is installed."""
    breaker = _installed.get(dependency)
    if breaker is None:
        yield
        return
    with breaker.guard():
        yield
