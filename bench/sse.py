"""The availability stream at scale: delivery to thousands of subscribers of one API
process, beside a bare Litestar SSE broadcast measured in the same run.

Makes a fresh database with one event, starts the API as production runs it (``lml api``,
one process, uvloop, httptools) on real PostgreSQL and Redis and a MongoDB-wire server,
and a bare Litestar app (one SSE route, one in-memory queue per subscriber, each event
written to each subscriber as it comes; no auth, no Redis; one uvicorn process). For each
subscriber count, the same light clients (plain asyncio sockets that count events and
sample timestamps instead of parsing, spread over ``--client-processes`` processes so that
one client loop is not the limit) subscribe to one server, then events are published
at each rate for ``--seconds``: into the event's Redis stream for LML (as the hold scripts
do), by a POST for the bare app. Reported per server, count and rate: events delivered
of those due, delivery lag p50/p95/p99 (publication to receipt), server CPU per delivered
event, and memory per subscriber (the server's resident size growth / subscribers).

Then holds per second (bench/holds.py's buyers) with no subscriber and with the largest
count attached, every hold's seat.held going to every subscriber.

    uv run python bench/sse.py [--subscribers 1000,2000,5000] [--rates 5,20,50,100]
                               [--seconds 6] [--hold-seconds 8]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import platform
import sys
import time
from collections.abc import AsyncIterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path

import httpx
import msgspec
import redis
import redis.asyncio
from holds import (
    HOST,
    SCOPES,
    WARMUP_SECONDS,
    api_environment,
    bench_database,
    drive,
    parse_and_run,
    percentile,
    seed_event,
    server_process,
    uvicorn_command,
)
from litestar import Litestar, get, post
from litestar.response import Stream

from lml_api.tokens import build_tokens
from lml_config import load_settings
from lml_devstack import free_port, secantus_server
from lml_seating.infrastructure import SeatingKeys
from lml_testing.polling import eventually

MARK = b'"t":'
CONNECT_BATCH = 250
LAG_TARGET_MS = 250.0

_queues: set[asyncio.Queue[bytes]] = set()


@get("/bare/stream", media_type="text/event-stream")
async def bare_stream() -> Stream:
    queue: asyncio.Queue[bytes] = asyncio.Queue()

    async def events() -> AsyncIterator[bytes]:
        _queues.add(queue)
        try:
            yield b"retry: 3000\n\n"
            while True:
                yield await queue.get()
        finally:
            _queues.discard(queue)

    return Stream(events(), media_type="text/event-stream")


@post("/bare/publish", status_code=204)
async def bare_publish(data: dict[str, object]) -> None:
    message = b"event: seat.held\ndata: " + msgspec.json.encode(data) + b"\n\n"
    for queue in _queues:
        queue.put_nowait(message)


# Served by uvicorn as "sse:bare_app" from this directory.
bare_app = Litestar(
    [bare_stream, bare_publish], openapi_config=None, logging_config=None, debug=False
)


@dataclass
class Subscriber:
    """Counts the events that arrive and samples each read's oldest publication time."""

    events: int = 0
    lags_ms: list[float] = field(default_factory=list)
    status: int = 0

    @property
    def open(self) -> bool:
        return self.status == 200


class Counting(asyncio.Protocol):
    """A subscriber's socket as a protocol: each read is one callback, no coroutine to
    wake, so the clients (which share the cores) cost as little as they can."""

    def __init__(self, request: bytes, subscriber: Subscriber, closed: asyncio.Future[None]):
        self._request = request
        self._subscriber = subscriber
        self._closed = closed
        self._carry = b""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = transport
        transport.write(self._request)  # type: ignore[attr-defined]

    def data_received(self, chunk: bytes) -> None:
        subscriber = self._subscriber
        if not subscriber.status:
            subscriber.status = int(chunk.split(b" ", 2)[1])
            if subscriber.status != 200:
                self._transport.close()
                return
        data = self._carry + chunk
        subscriber.events += data.count(MARK)
        at = data.find(MARK)
        if at >= 0:
            end = data.find(b"}", at)
            if end > 0:
                sent = float(data[at + len(MARK) : end])
                subscriber.lags_ms.append((time.time() - sent) * 1000)
        self._carry = data[-(len(MARK) - 1) :]

    def connection_lost(self, exc: Exception | None) -> None:
        if not self._closed.done():
            self._closed.set_result(None)


async def subscribe(port: int, path: str, authorization: str, subscriber: Subscriber) -> None:
    loop = asyncio.get_running_loop()
    request = f"GET {path} HTTP/1.1\r\nHost: bench\r\n{authorization}\r\n".encode()
    closed: asyncio.Future[None] = loop.create_future()
    try:
        transport, _ = await loop.create_connection(
            lambda: Counting(request, subscriber, closed), HOST, port
        )
    except ConnectionError:
        return
    try:
        await closed
    finally:
        transport.close()


async def watch(
    connection: Connection, port: int, path: str, authorization: str, count: int
) -> None:
    """One client process's subscribers, driven by the bench over a pipe: ``reset``
    zeroes the counters, ``report`` sends (events, lag samples), ``stop`` ends."""
    subscribers = [Subscriber() for _ in range(count)]
    tasks = []
    for start in range(0, count, CONNECT_BATCH):
        for subscriber in subscribers[start : start + CONNECT_BATCH]:
            tasks.append(asyncio.create_task(subscribe(port, path, authorization, subscriber)))
        await asyncio.sleep(0.05)
    try:
        await eventually(lambda: all(s.status for s in subscribers), deadline_seconds=60)
        connection.send(sum(not s.open for s in subscribers))
        loop = asyncio.get_running_loop()
        while (command := await loop.run_in_executor(None, connection.recv)) != "stop":
            if command == "reset":
                for subscriber in subscribers:
                    subscriber.events, subscriber.lags_ms = 0, []
                connection.send(None)
            elif command == "report":
                events = sum(s.events for s in subscribers)
                connection.send((events, [lag for s in subscribers for lag in s.lags_ms]))
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def watcher_main(
    connection: Connection, port: int, path: str, authorization: str, count: int
) -> None:
    import uvloop

    uvloop.run(watch(connection, port, path, authorization, count))


class Watchers:
    """``count`` subscribers spread over ``processes`` client processes, so that reading
    thousands of sockets is not one Python process's loop (nor the hold drivers')."""

    def __init__(self, port: int, path: str, authorization: str, count: int, processes: int):
        context = multiprocessing.get_context("spawn")
        self._pipes: list[Connection] = []
        self._processes = []
        shares = [count // processes + (n < count % processes) for n in range(processes)]
        for share in shares:
            if not share:
                continue
            ours, theirs = context.Pipe()
            process = context.Process(
                target=watcher_main, args=(theirs, port, path, authorization, share), daemon=True
            )
            process.start()
            self._pipes.append(ours)
            self._processes.append(process)

    async def ready(self) -> int:
        """Subscriptions refused."""
        return sum(await asyncio.gather(*(asyncio.to_thread(p.recv) for p in self._pipes)))

    async def _ask(self, command: str) -> list[object]:
        for pipe in self._pipes:
            pipe.send(command)
        return list(await asyncio.gather(*(asyncio.to_thread(p.recv) for p in self._pipes)))

    async def reset(self) -> None:
        await self._ask("reset")

    async def report(self) -> tuple[int, list[float]]:
        events, lags = 0, []
        for counted, sampled in await self._ask("report"):  # type: ignore[misc]
            events += counted
            lags += sampled
        return events, lags

    async def stop(self) -> None:
        for pipe in self._pipes:
            pipe.send("stop")
        for process in self._processes:
            await asyncio.to_thread(process.join, 10)
            if process.is_alive():
                process.kill()


def tree_stats(pid: int) -> tuple[float, int]:
    """CPU seconds and resident bytes of a process and its descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry))
    tick, page = os.sysconf("SC_CLK_TCK"), os.sysconf("SC_PAGE_SIZE")
    cpu, rss, todo = 0.0, 0, [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        cpu += (int(fields[11]) + int(fields[12])) / tick
        rss += int(fields[21]) * page
        todo.extend(children.get(current, []))
    return cpu, rss


@dataclass
class Run:
    server: str
    subscribers: int
    rate: float
    due: int
    delivered: int
    lags_ms: list[float]
    cpu_per_event_us: float
    memory_per_subscriber_kb: float

    def row(self) -> str:
        quantiles = " | ".join(f"{percentile(self.lags_ms, q):.0f}" for q in (0.5, 0.95, 0.99))
        share = self.delivered / self.due if self.due else 0.0
        return (
            f"| {self.server} | {self.subscribers} | {self.rate:g} | {share:.1%} | {quantiles}"
            f" | {self.cpu_per_event_us:.1f} | {self.memory_per_subscriber_kb:.1f} |"
        )

    @property
    def sustained(self) -> bool:
        return self.delivered >= self.due and percentile(self.lags_ms, 0.99) < LAG_TARGET_MS


async def measure(
    server: str,
    pid_of: int,
    port: int,
    path: str,
    authorization: str,
    count: int,
    rates: list[float],
    seconds: float,
    publish: object,
    client_processes: int,
) -> list[Run]:
    _, rss_before = tree_stats(pid_of)
    watchers = Watchers(port, path, authorization, count, client_processes)
    runs = []
    try:
        refused = await watchers.ready()
        if refused:
            raise RuntimeError(f"{server}: {refused} of {count} subscriptions were refused")
        await asyncio.sleep(1.0)
        _, rss_after = tree_stats(pid_of)
        for rate in rates:
            await watchers.reset()
            cpu_before, _ = tree_stats(pid_of)
            published = 0
            started = time.monotonic()
            while (elapsed := time.monotonic() - started) < seconds:
                target = int(elapsed * rate) + 1
                while published < target:
                    await publish(published)  # type: ignore[operator]
                    published += 1
                await asyncio.sleep(min(0.005, 1 / rate))
            await asyncio.sleep(2.0)  # what is in flight arrives, or is counted missing
            cpu_after, _ = tree_stats(pid_of)
            delivered, lags = await watchers.report()
            runs.append(
                Run(
                    server,
                    count,
                    rate,
                    published * count,
                    delivered,
                    lags,
                    (cpu_after - cpu_before) / max(delivered, 1) * 1e6,
                    (rss_after - rss_before) / count / 1024,
                )
            )
    finally:
        await watchers.stop()
        await asyncio.sleep(1.0)
    return runs


async def run(args: argparse.Namespace) -> int:
    counts = [int(n) for n in args.subscribers.split(",")]
    rates = [float(r) for r in args.rates.split(",")]
    async with bench_database(args) as (database, prefix):
        tenant, event_id, seats = await seed_event(database.admin_url, args.seats)
        settings = load_settings({})
        token = build_tokens(settings).issuer.issue("usr_bench", tenant, SCOPES).access_token
        authorization = f"Authorization: Bearer {token}\r\n"
        api_port, bare_port = free_port(), free_port()
        stream_key = SeatingKeys(prefix).stream(event_id)
        publisher = redis.asyncio.Redis.from_url(args.redis)
        with ExitStack() as stack:
            mongo_url = stack.enter_context(secantus_server(None))
            env = api_environment(
                args,
                database,
                prefix,
                mongo_url,
                api_port,
                hold_min_ttl_seconds="1",
                api_workers="1",
                availability_subscriber_buffer=str(args.buffer),
            )
            api = stack.enter_context(
                server_process([sys.executable, "-m", "lml_cli", "api"], api_port, env)
            ).pid
            bare = stack.enter_context(
                server_process(
                    uvicorn_command(["sse:bare_app", "--app-dir", "bench"], bare_port, 1),
                    bare_port,
                    env,
                )
            ).pid

            async def publish_lml(n: int) -> None:
                data = msgspec.json.encode({"event_id": event_id, "n": n, "t": time.time()})
                await publisher.xadd(stream_key, {"type": "seat.held", "data": data})

            bare_client = stack.enter_context(httpx.Client(base_url=f"http://{HOST}:{bare_port}"))

            async def publish_bare(n: int) -> None:
                response = bare_client.post("/bare/publish", json={"n": n, "t": time.time()})
                response.raise_for_status()

            stream_path = f"/v1/events/{event_id}/availability/stream"
            runs: list[Run] = []
            for count in counts:
                runs += await measure(
                    "bare",
                    bare,
                    bare_port,
                    "/bare/stream",
                    "",
                    count,
                    rates,
                    args.seconds,
                    publish_bare,
                    args.client_processes,
                )
                runs += await measure(
                    "LML",
                    api,
                    api_port,
                    stream_path,
                    authorization,
                    count,
                    rates,
                    args.seconds,
                    publish_lml,
                    args.client_processes,
                )
            holds = await hold_rates(api, api_port, authorization, event_id, seats, args)
        await publisher.aclose()
        report(args, runs, holds)
        return 0


async def hold_rates(
    pid: int,
    port: int,
    authorization: str,
    event_id: str,
    seats: list[str],
    args: argparse.Namespace,
) -> tuple[float, float, int]:
    """Successful holds/s without subscribers, and with the largest count attached."""
    options = argparse.Namespace(clients=args.hold_clients, ttl=2, live=0, blind=False)
    common = {"event_id": event_id, "seats": seats, "options": options}
    await drive(port, authorization, WARMUP_SECONDS, **common)
    alone = await drive(port, authorization, args.hold_seconds, **common)
    count = max(int(n) for n in args.subscribers.split(","))
    path = f"/v1/events/{event_id}/availability/stream"
    watchers = Watchers(port, path, authorization, count, args.client_processes)
    try:
        if await watchers.ready():
            raise RuntimeError("subscriptions were refused")
        await asyncio.sleep(2.0)
        watched = await drive(port, authorization, args.hold_seconds, **common)
    finally:
        await watchers.stop()
    rate = alone.statuses.get(201, 0) / alone.seconds
    rate_watched = watched.statuses.get(201, 0) / watched.seconds
    return rate, rate_watched, count


def report(args: argparse.Namespace, runs: list[Run], holds: tuple[float, float, int]) -> None:
    print(
        f"\n{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, one server process each, {args.seconds:g} s per rate, "
        f"LML subscriber buffer {args.buffer} frames, subscribers spread over "
        f"{args.client_processes} client processes\n"
    )
    print(
        "| server | subscribers | events/s | delivered | lag p50 ms | p95 ms | p99 ms"
        " | CPU µs/event | KB/subscriber |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for run in runs:
        print(run.row())
    print()
    for count in sorted({run.subscribers for run in runs}):
        best = {
            server: max(
                (
                    r.rate
                    for r in runs
                    if r.server == server and r.subscribers == count and r.sustained
                ),
                default=0.0,
            )
            for server in ("bare", "LML")
        }
        ratio = best["LML"] / best["bare"] if best["bare"] else float("inf")
        print(
            f"{count} subscribers: highest rate with every event delivered and p99 < "
            f"{LAG_TARGET_MS:.0f} ms: LML {best['LML']:g}/s, bare {best['bare']:g}/s "
            f"(ratio {ratio:.2f})"
        )
    alone, watched, count = holds
    print(
        f"\nholds/s: {alone:.0f} without subscribers, {watched:.0f} with {count} attached "
        f"({watched / alone:.0%})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--subscribers", default="1000,2000,5000")
    parser.add_argument("--rates", default="5,20,50,100")
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--hold-seconds", type=float, default=8.0)
    parser.add_argument("--hold-clients", type=int, default=32)
    parser.add_argument("--buffer", type=int, default=256)
    parser.add_argument(
        "--client-processes",
        type=int,
        default=4,
        help="client processes the subscribers are spread over (the hold drivers have their own)",
    )
    parser.add_argument("--seats", type=int, default=20_000)
    return parse_and_run(parser, run)


if __name__ == "__main__":
    sys.exit(main())
