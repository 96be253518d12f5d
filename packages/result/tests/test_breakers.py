"""The per-dependency breaker, against a server stood in for by a probe the test controls."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable

import pytest

from lml_result import DependencyUnavailable
from lml_result.breakers import Breaker, guarded, install, uninstall
from lml_testing.polling import eventually

# No product code guards this name: calls that other tests leave running on the shared
# session event loop guard "redis" or "postgresql", and must not reach this file's breaker.
DEPENDENCY = "stand-in"
STALL_SECONDS = 0.05
INTERVAL_SECONDS = 0.02
# Generous: the breaker acts within a few stall periods; the bound only catches a hang.
WITHIN_SECONDS = 2.0


class Server:
    """Answers the breaker's probe while up (after ``delay``); a stalled one never answers."""

    def __init__(self) -> None:
        self.up = True
        self.probes = 0
        self.delay = 0.0

    async def probe(self) -> None:
        self.probes += 1
        if not self.up:
            await asyncio.Event().wait()
        await asyncio.sleep(self.delay)


@pytest.fixture
async def server() -> Server:
    return Server()


@pytest.fixture
async def breaker(server: Server) -> AsyncIterator[Breaker]:
    breaker = Breaker(
        DEPENDENCY,
        server.probe,
        stall_seconds=STALL_SECONDS,
        probe_interval_seconds=INTERVAL_SECONDS,
    )
    install(breaker)
    yield breaker
    uninstall(breaker)
    await breaker.aclose()


async def fail_once(dependency: str = DEPENDENCY) -> None:
    with pytest.raises(DependencyUnavailable), guarded(DEPENDENCY):
        raise DependencyUnavailable(dependency, "connection refused")


async def until(condition: Callable[[], bool]) -> None:
    await eventually(condition, deadline_seconds=WITHIN_SECONDS, every_seconds=0.005)


async def test_given_no_breaker_installed_when_guarded_then_the_block_just_runs() -> None:
    with guarded("nothing-installed"):
        await asyncio.sleep(0)


async def test_given_a_server_that_answers_when_a_call_fails_then_the_breaker_stays_closed(
    breaker: Breaker, server: Server
) -> None:
    await fail_once()
    # A probe timed out on a late loop is made again, so a loaded machine may probe twice.
    await until(lambda: server.probes >= 1)
    await asyncio.sleep(4 * STALL_SECONDS)  # long past when a failed probe would open it
    with guarded(DEPENDENCY):
        await asyncio.sleep(0)
    assert not breaker.is_open


async def test_given_a_stalled_server_when_a_call_fails_then_later_calls_fail_at_once(
    breaker: Breaker, server: Server
) -> None:
    server.up = False
    await fail_once()
    await until(lambda: breaker.is_open)
    with pytest.raises(DependencyUnavailable, match="circuit open"), guarded(DEPENDENCY):
        pytest.fail("the block must not run while the breaker is open")


async def test_given_a_call_waiting_on_a_stalled_server_then_it_fails_as_unavailable(
    breaker: Breaker, server: Server
) -> None:
    server.up = False
    async with asyncio.timeout(WITHIN_SECONDS):
        with pytest.raises(DependencyUnavailable, match="stalled"), guarded(DEPENDENCY):
            await asyncio.Event().wait()
    assert breaker.is_open


async def test_given_a_slow_call_while_the_server_answers_then_it_is_left_to_finish(
    breaker: Breaker, server: Server
) -> None:
    with guarded(DEPENDENCY):
        await asyncio.sleep(STALL_SECONDS * 4)
    assert server.probes >= 1
    assert not breaker.is_open


async def test_given_a_loop_too_busy_to_read_the_probe_answer_then_the_breaker_stays_closed(
    breaker: Breaker, server: Server
) -> None:
    """An event loop busy with other work (a big snapshot, on a saturated machine) reads the
    probe's answer only after the probe's time is up: both are due at once, and the timeout
    runs first. The loop was slow, not the server: that must not open the breaker."""
    seen_open: list[bool] = []

    async def watch() -> None:
        while True:
            seen_open.append(breaker.is_open)
            await asyncio.sleep(0)

    server.delay = STALL_SECONDS / 5
    watching = asyncio.create_task(watch())
    try:
        breaker.suspect()
        await until(lambda: server.probes == 1)
        # The loop blocked on purpose: the answer and the timeout are then due together.
        time.sleep(STALL_SECONDS * 3)  # noqa: ASYNC251
        await asyncio.sleep(STALL_SECONDS * 4)
    finally:
        watching.cancel()

    assert seen_open
    assert not any(seen_open)


async def test_given_an_open_breaker_when_the_server_answers_again_then_it_closes(
    breaker: Breaker, server: Server
) -> None:
    server.up = False
    await fail_once()
    await until(lambda: breaker.is_open)
    server.up = True
    await until(lambda: not breaker.is_open)
    with guarded(DEPENDENCY):
        await asyncio.sleep(0)


async def test_given_a_call_cancelled_by_its_caller_then_the_cancellation_stands(
    breaker: Breaker,
) -> None:
    entered = asyncio.Event()

    async def call() -> None:
        with guarded(DEPENDENCY):
            entered.set()
            await asyncio.Event().wait()

    task = asyncio.create_task(call())
    await entered.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert not breaker.is_open


async def test_given_another_dependency_fails_inside_the_block_then_this_one_is_not_suspected(
    breaker: Breaker, server: Server
) -> None:
    await fail_once("postgresql")
    await asyncio.sleep(STALL_SECONDS)  # a probe, if one were due, would have started by now
    assert server.probes == 0
    assert not breaker.is_open


def test_given_synchronous_code_when_guarded_then_the_block_just_runs(breaker: Breaker) -> None:
    with guarded(DEPENDENCY):
        pass
    assert not breaker.is_open
