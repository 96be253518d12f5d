"""Holds under load while Redis, then PostgreSQL, then MongoDB is frozen (``SIGSTOP``) and
resumed.

Starts a Redis (Debian's ``redis-server``) and a PostgreSQL (the embedded one of
``lml_devstack``) of its own, so freezing them disturbs nothing else, and the API as
production runs it (``lml api``, ``--workers`` processes, see bench/holds.py). ``--clients``
buyers hold random sets of 1 to 4 seats of a ``--seats``-seat event, holds lapsing after
``--ttl`` seconds; a buyer answered 503 tries again after ``--retry-pause`` seconds (an
impatient one: ``Retry-After`` says 1). For each dependency in turn: ``--before`` seconds
of normal load, ``--down`` seconds frozen (every process of the server stopped with
``SIGSTOP``), then ``--after`` seconds resumed.

Holds do not use MongoDB: while it is frozen they must go on (201 and 409 only), and what
is measured is ``--readers`` clients reading a seatmap (which is not there: 404 when
MongoDB answers, 503 when it does not), from the same API, all along the run.

Reported per fault: the answers received while the server was frozen (p50, p99, max;
those in flight when it froze included), their statuses, and the time from the server's
return to the first success (a hold; for MongoDB a seatmap read), and to the first one
sent after the return. The audit of bench/holds.py then checks no seat was held twice.

    uv run python bench/faults.py [--clients 64] [--workers 2] [--down 4] [--readers 4]
                                  [--faults redis,postgresql,mongodb]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import random
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import msgspec
import psutil  # type: ignore[import-untyped]
import psycopg
from holds import (
    SCOPES,
    Connection,
    Grant,
    api_environment,
    audit_store,
    bench_database,
    certain_overlaps,
    epoch,
    percentile,
    seed_event,
    server_process,
)

from lml_api.tokens import build_tokens
from lml_config import load_settings
from lml_devstack import embedded_postgres, free_port, secantus_server
from lml_testing.redis_process import RedisProcess


@dataclass(frozen=True)
class Answer:
    sent: float
    received: float
    status: int


@dataclass
class Window:
    dependency: str
    frozen: float = 0.0
    thawed: float = 0.0


@dataclass
class Run:
    answers: list[Answer] = field(default_factory=list)
    reads: list[Answer] = field(default_factory=list)
    grants: list[Grant] = field(default_factory=list)
    stop: bool = False


async def buyer(
    connection: Connection, event_id: str, seats: list[str], args: argparse.Namespace, run: Run
) -> None:
    draw = random.Random()
    while not run.stop:
        wanted = draw.sample(seats, draw.randint(1, 4))
        body = msgspec.json.encode(
            {"event_id": event_id, "seat_ids": wanted, "ttl_seconds": args.ttl}
        )
        sent = time.monotonic()
        status, answer = await connection.send("POST", "/v1/holds", body)
        run.answers.append(Answer(sent, time.monotonic(), status))
        if status == 201:
            created = msgspec.json.decode(answer)
            run.grants.append(
                Grant(
                    created["id"],
                    created["hold_token"],
                    created["seat_ids"],
                    time.time(),
                    epoch(created["expires_at"]),
                )
            )
        elif status == 503:
            await asyncio.sleep(args.retry_pause)


async def seatmap_reader(
    connection: Connection, path: str, args: argparse.Namespace, run: Run
) -> None:
    while not run.stop:
        sent = time.monotonic()
        status, _ = await connection.send("GET", path)
        run.reads.append(Answer(sent, time.monotonic(), status))
        if status == 503:
            await asyncio.sleep(args.retry_pause)


class FrozenProcesses:
    """Every process listening on a port, stopped and resumed together."""

    def __init__(self, port: int) -> None:
        self._listening = [
            psutil.Process(connection.pid)
            for connection in psutil.net_connections("tcp")
            if connection.status == psutil.CONN_LISTEN and connection.laddr.port == port
        ]

    def freeze(self) -> None:
        for process in self._listening:
            process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        for process in self._listening:
            with contextlib.suppress(psutil.NoSuchProcess):
                process.send_signal(signal.SIGCONT)


class FrozenPostgres:
    """Every process of the PostgreSQL at ``url``, stopped and resumed together: backends
    each call ``setsid``, so one signal to a process group would miss them."""

    def __init__(self, url: str) -> None:
        with psycopg.connect(url) as connection:
            row = connection.execute("select pg_backend_pid()").fetchone()
        assert row is not None
        self._postmaster = psutil.Process(psutil.Process(int(row[0])).ppid())
        self._stopped: list[psutil.Process] = []

    def freeze(self) -> None:
        self._stopped = [self._postmaster, *self._postmaster.children(recursive=True)]
        for process in self._stopped:
            process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        for process in self._stopped:
            with contextlib.suppress(psutil.NoSuchProcess):
                process.send_signal(signal.SIGCONT)
        self._stopped = []


async def faults(
    port: int,
    authorization: str,
    event_id: str,
    seats: list[str],
    seatmap: str,
    args: argparse.Namespace,
    freezers: dict[str, tuple[Callable[[], None], Callable[[], None]]],
) -> tuple[Run, list[Window]]:
    connections = [Connection(port, authorization) for _ in range(args.clients + args.readers)]
    await asyncio.gather(*(connection.open() for connection in connections))
    run = Run()
    buyers = [
        asyncio.create_task(buyer(connection, event_id, seats, args, run))
        for connection in connections[: args.clients]
    ] + [
        asyncio.create_task(seatmap_reader(connection, seatmap, args, run))
        for connection in connections[args.clients :]
    ]
    windows = []
    try:
        for dependency, (freeze, thaw) in freezers.items():
            window = Window(dependency)
            await asyncio.sleep(args.before)
            window.frozen = time.monotonic()
            freeze()
            await asyncio.sleep(args.down)
            window.thawed = time.monotonic()
            thaw()
            await asyncio.sleep(args.after)
            windows.append(window)
    finally:
        run.stop = True
        await asyncio.gather(*buyers, return_exceptions=True)
        await asyncio.gather(*(connection.close() for connection in connections))
    return run, windows


def report_window(run: Run, window: Window) -> str:
    """The answers of what needs the frozen server: holds, or seatmap reads for MongoDB."""
    answers, ok = (run.reads, 404) if window.dependency == "mongodb" else (run.answers, 201)
    down = [a for a in answers if window.frozen <= a.received < window.thawed]
    seconds = [a.received - a.sent for a in down]
    statuses: dict[int, int] = {}
    for answer in down:
        statuses[answer.status] = statuses.get(answer.status, 0) + 1
    successes = sorted(
        a.received for a in answers if a.status == ok and a.received >= window.thawed
    )
    fresh = sorted(a.received for a in answers if a.status == ok and a.sent >= window.thawed)
    first = f"{(successes[0] - window.thawed) * 1000:.0f}" if successes else "none"
    first_fresh = f"{(fresh[0] - window.thawed) * 1000:.0f}" if fresh else "none"
    over_second = sum(1 for s in seconds if s >= 1.0)
    quantiles = " | ".join(f"{percentile(seconds, q) * 1000:.0f}" for q in (0.5, 0.99))
    return (
        f"| {window.dependency} | {len(down)} | {quantiles} | {max(seconds, default=0) * 1000:.0f}"
        f" | {over_second} | {dict(sorted(statuses.items()))} | {first} | {first_fresh} |"
    )


async def run_bench(args: argparse.Namespace) -> int:
    with ExitStack() as stack:
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="lml-faults-")))
        own_redis = RedisProcess(scratch)
        own_redis.start()
        stack.callback(own_redis.close)
        postgres_url = stack.enter_context(embedded_postgres(scratch / "postgres"))
        args.redis, args.postgres = own_redis.url, postgres_url
        postgres = FrozenPostgres(postgres_url)
        stack.callback(postgres.thaw)
        mongo_url = stack.enter_context(secantus_server(None))
        mongo = FrozenProcesses(int(mongo_url.rsplit(":", 1)[1].strip("/")))
        stack.callback(mongo.thaw)
        freezers = {
            "redis": (own_redis.freeze, own_redis.thaw),
            "postgresql": (postgres.freeze, postgres.thaw),
            "mongodb": (mongo.freeze, mongo.thaw),
        }
        chosen = {name: freezers[name] for name in args.faults.split(",")}
        async with bench_database(args) as (database, prefix):
            tenant, event_id, seats = await seed_event(database.admin_url, args.seats)
            scopes = [*SCOPES, "venues.read"]  # the seatmap readers
            token = build_tokens(load_settings({})).issuer.issue("usr_bench", tenant, scopes)
            authorization = f"Authorization: Bearer {token.access_token}\r\n"
            port = free_port()
            env = api_environment(
                args,
                database,
                prefix,
                mongo_url,
                port,
                hold_min_ttl_seconds="1",
                api_workers=str(args.workers),
            )
            with server_process([sys.executable, "-m", "lml_cli", "api"], port, env):
                seatmap = f"/v1/venues/{tenant}/seatmaps/main"
                run, windows = await faults(
                    port, authorization, event_id, seats, seatmap, args, chosen
                )
            overlaps = certain_overlaps(run.grants)
            problems = await audit_store(
                database.admin_url, args.redis, prefix, event_id, run.grants
            )
    print(
        f"\n{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, {args.clients} clients, {args.workers} API processes, "
        f"{args.seats} seats, holds of {args.ttl} s, each server frozen {args.down:g} s "
        f"after {args.before:g} s of load, {args.after:g} s after; retry {args.retry_pause:g} s"
        " after a 503\n"
    )
    print(
        "| frozen | answers while frozen | p50 ms | p99 ms | max ms | answers ≥ 1 s | statuses"
        " | return → first success ms | return → first success sent after it ms |"
    )
    print("|---|---:|---:|---:|---:|---:|---|---:|---:|")
    for window in windows:
        print(report_window(run, window))
    statuses: dict[int, int] = {}
    for answer in run.answers:
        statuses[answer.status] = statuses.get(answer.status, 0) + 1
    before = [a.status for a in run.answers if windows and a.received < windows[0].frozen]
    print(
        f"\nbefore the first freeze: {dict(sorted(Counter(before).items()))}; all answers: "
        f"{dict(sorted(statuses.items()))}; {len(run.grants)} holds granted"
    )
    for window in windows:
        if window.dependency == "mongodb":
            holds = Counter(
                a.status for a in run.answers if window.frozen <= a.received < window.thawed
            )
            print(
                "holds while MongoDB was frozen (they do not need it):",
                dict(sorted(holds.items())),
            )
    reads = Counter(a.status for a in run.reads)
    print(f"seatmap reads: {dict(sorted(reads.items()))}")
    verdict = "none" if not overlaps and not problems else f"{overlaps} overlaps; {problems}"
    print(f"audit: seats double-held or held by no granted hold: {verdict}")
    return 1 if overlaps or problems or statuses.get(500) or reads.get(500) else 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2, help="API processes")
    parser.add_argument("--seats", type=int, default=20_000)
    parser.add_argument("--ttl", type=int, default=2, help="hold ttl_seconds")
    parser.add_argument("--before", type=float, default=3.0, help="seconds of load before")
    parser.add_argument("--down", type=float, default=4.0, help="seconds frozen")
    parser.add_argument("--after", type=float, default=4.0, help="seconds of load after")
    parser.add_argument("--retry-pause", type=float, default=0.1, help="seconds after a 503")
    parser.add_argument("--faults", default="redis,postgresql,mongodb")
    parser.add_argument("--readers", type=int, default=4, help="clients reading a seatmap")
    args = parser.parse_args()
    import uvloop

    return uvloop.run(run_bench(args))


if __name__ == "__main__":
    sys.exit(main())
