"""Holds per second over HTTP against the real API, beside a bare Litestar route.

Makes a fresh database (migrated) with one event of ``--seats`` seats, starts the API as
production runs it (``lml api`` with ``LML_API_WORKERS=--workers``: uvloop, httptools,
one SO_REUSEPORT socket per process) on real PostgreSQL, Redis and a MongoDB-wire
server, and a bare Litestar app (one JSON POST route, no middleware, uvicorn
``--workers`` on one shared socket, uvloop, httptools). ``--clients`` simulated buyers,
one keep-alive connection each, then hold random sets of 1 to 4 seats for ``--seconds``,
picked among the seats they last saw available (``--blind``: among all seats). Holds
last ``--ttl`` seconds and lapse by themselves, as abandoned holds do, so the event never
fills up; with ``--live N`` each client also releases (DELETE with If-Match) its oldest
hold beyond N. The same clients then post to the bare route for as long, and the ratio
is reported.

The final audit proves no seat was held twice: (1) no two holds the API granted
certainly held the same seat at once (from the 201 arriving to its expiry or the sending
of its release); (2) after the run, every seat PostgreSQL and Redis hold belongs to a
granted, unreleased hold that asked for it, and every hold with time left holds all its
seats in both.

Needs PostgreSQL (superuser URL, default the local server) and Redis; starts SecantusDB
for MongoDB. Drops its database and Redis keys afterwards. No sweeper runs: expired holds
are free by their expiry time alone.

    uv run python bench/holds.py [--clients 64] [--seconds 10] [--workers 2] [--ttl 2]
                                 [--live N] [--blind]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import platform
import random
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from contextlib import ExitStack, asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import msgspec
import psycopg
import redis
from litestar import Litestar, post

from lml_api.tokens import build_tokens
from lml_config import load_settings
from lml_devstack import free_port, secantus_server
from lml_postgres import migrate_up
from lml_testing.databases import TemporaryDatabase, create_database, drop_database
from lml_testing.servers import LOCAL_POSTGRES_URL, LOCAL_REDIS_URL

HOST = "127.0.0.1"
STARTUP_SECONDS = 60.0
WARMUP_SECONDS = 2.0
BUDGETS = "*=10000000/60s"
SCOPES = ["inventory.holds:write", "inventory.read"]
ROOT = Path(__file__).resolve().parents[1]
EMPTY: Mapping[str, int] = {}


@post("/bare", status_code=201)
async def bare_route(data: dict[str, object]) -> dict[str, object]:
    return {"id": "hld_bare", "event_id": data.get("event_id"), "seat_ids": data.get("seat_ids")}


# Served by uvicorn's workers as "holds:bare_app" from this directory.
bare_app = Litestar([bare_route], openapi_config=None, logging_config=None, debug=False)


class Connection:
    """A minimal HTTP/1.1 keep-alive client: httpx would cost the two cores more than the
    server it measures. ``headers`` are the last response's, names lower-cased."""

    def __init__(self, port: int, authorization: str) -> None:
        self._port = port
        self._authorization = authorization
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self.headers: dict[str, str] = {}

    async def open(self) -> None:
        self._reader, self._writer = await asyncio.open_connection(HOST, self._port)

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()

    async def send(
        self, method: str, path: str, body: bytes = b"", extra: str = ""
    ) -> tuple[int, bytes]:
        assert self._reader is not None
        assert self._writer is not None
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: bench\r\n{self._authorization}{extra}"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        self._writer.write(head.encode() + body)
        status = int((await self._reader.readline()).split()[1])
        self.headers = {}
        while (line := await self._reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            self.headers[name.lower()] = value.strip()
        length = int(self.headers.get("content-length", 0))
        return status, await self._reader.readexactly(length) if length else b""


@dataclass
class Grant:
    hold_id: str
    token: str
    seats: list[str]
    granted: float  # wall clock, when the 201 arrived
    ends: float  # wall clock: its expires_at, or when its release was sent
    released: bool = False


@dataclass
class Tally:
    latencies_ms: list[float] = field(default_factory=list)
    release_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    grants: list[Grant] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: int) -> None:
        self.statuses[status] = self.statuses.get(status, 0) + 1


class SeatView:
    """The availability the buyers' apps show: seats this run knows to be held, and until
    when (this host's clock). A buyer picks among the seats shown available, as one
    watching the live availability stream does, so conflicts come from buyers racing
    for the same seats, not from asking for seats long gone. ``--blind`` buyers ignore
    it and pick from every seat."""

    def __init__(self, seats: list[str], *, blind: bool) -> None:
        self._seats = seats
        self._blind = blind
        self._busy: dict[str, float] = {}

    def pick(self, draw: random.Random, count: int) -> list[str]:
        if self._blind:
            return draw.sample(self._seats, count)
        now, chosen = time.time(), list[str]()
        for _ in range(count * 50):
            seat = draw.choice(self._seats)
            if self._busy.get(seat, 0.0) <= now and seat not in chosen:
                chosen.append(seat)
                if len(chosen) == count:
                    break
        return chosen or draw.sample(self._seats, count)

    def held(self, seats: list[str], until: float) -> None:
        for seat in seats:
            self._busy[seat] = until


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def epoch(timestamp: str) -> float:
    return datetime.fromisoformat(timestamp.replace("Z", "+00:00")).timestamp()


async def hold_loop(
    connection: Connection,
    event_id: str,
    view: SeatView,
    options: argparse.Namespace,
    deadline: float,
    tally: Tally,
) -> None:
    draw = random.Random()
    mine: list[Grant] = []
    while time.perf_counter() < deadline:
        wanted = view.pick(draw, draw.randint(1, 4))
        request = {"event_id": event_id, "seat_ids": wanted, "ttl_seconds": options.ttl}
        started = time.perf_counter()
        status, answer = await connection.send("POST", "/v1/holds", msgspec.json.encode(request))
        tally.latencies_ms.append((time.perf_counter() - started) * 1000)
        tally.count(status)
        if status == 409:
            conflict = msgspec.json.decode(answer)
            view.held(conflict.get("conflicting_seats", []), time.time() + options.ttl)
        if status != 201:
            continue
        created = msgspec.json.decode(answer)
        grant = Grant(
            created["id"],
            created["hold_token"],
            created["seat_ids"],
            time.time(),
            epoch(created["expires_at"]),
        )
        tally.grants.append(grant)
        view.held(grant.seats, grant.ends)
        mine.append(grant)
        if options.live and len(mine) > options.live:
            oldest = mine.pop(0)
            oldest.ends, oldest.released = min(oldest.ends, time.time()), True
            sent = time.perf_counter()
            status, _ = await connection.send(
                "DELETE", f"/v1/holds/{oldest.hold_id}", extra=f'If-Match: "{oldest.token}"\r\n'
            )
            tally.release_ms.append((time.perf_counter() - sent) * 1000)
            if status not in (204, 412):  # 412: it expired first
                raise RuntimeError(f"release of {oldest.hold_id} answered {status}")


async def bare_loop(
    connection: Connection, event_id: str, seats: list[str], deadline: float, tally: Tally
) -> None:
    draw = random.Random()
    while time.perf_counter() < deadline:
        body = msgspec.json.encode({"event_id": event_id, "seat_ids": draw.sample(seats, 2)})
        started = time.perf_counter()
        status, _ = await connection.send("POST", "/bare", body)
        tally.latencies_ms.append((time.perf_counter() - started) * 1000)
        tally.count(status)


async def drive(
    port: int,
    authorization: str,
    seconds: float,
    *,
    event_id: str,
    seats: list[str],
    options: argparse.Namespace,
    bare: bool = False,
) -> Tally:
    connections = [Connection(port, authorization) for _ in range(options.clients)]
    await asyncio.gather(*(connection.open() for connection in connections))
    tally = Tally()
    view = SeatView(seats, blind=options.blind)
    deadline = time.perf_counter() + seconds
    started = time.perf_counter()
    try:
        await asyncio.gather(
            *(
                bare_loop(connection, event_id, seats, deadline, tally)
                if bare
                else hold_loop(connection, event_id, view, options, deadline, tally)
                for connection in connections
            )
        )
    finally:
        tally.seconds = time.perf_counter() - started
        await asyncio.gather(*(connection.close() for connection in connections))
    return tally


def certain_overlaps(grants: list[Grant]) -> int:
    """Seats two holds certainly held at once: from its 201 arriving to its expiry or the
    sending of its release, each hold surely held its seats."""
    by_seat: dict[str, list[tuple[float, float]]] = {}
    for grant in grants:
        for seat in grant.seats:
            by_seat.setdefault(seat, []).append((grant.granted, grant.ends))
    overlaps = 0
    for spans in by_seat.values():
        spans.sort()
        overlaps += sum(1 for (_, end), (start, _) in itertools.pairwise(spans) if start < end)
    return overlaps


async def audit_store(
    admin_url: str,
    redis_url: str,
    prefix: str,
    event_id: str,
    grants: list[Grant],
    *,
    cluster: bool = False,
) -> list[str]:
    """Compare the holds the clients were granted with what PostgreSQL and Redis (one
    server, or with ``cluster`` a Redis Cluster) hold now.

    Every seat either store holds must belong to a granted, unreleased hold that asked for
    it; every such hold with a second or more to run must hold all its seats in both.
    """
    granted = {grant.hold_id: grant for grant in grants if not grant.released}
    async with await psycopg.AsyncConnection.connect(admin_url) as owner:
        cursor = await owner.execute(
            "select seat_id, hold_id from lml.event_seats where event_id = %s"
            " and hold_id is not null and hold_expires_at > now()",
            (event_id,),
        )
        in_postgres: dict[str, str] = dict(await cursor.fetchall())
    client = (redis.RedisCluster if cluster else redis.Redis).from_url(
        redis_url, decode_responses=True
    )
    try:
        pattern = f"{prefix}:{{{event_id}}}:seat:*"
        seat_keys = list(client.scan_iter(match=pattern, count=5000))
        values = client.mget(seat_keys) if seat_keys else []
    finally:
        client.close()
    in_redis = {
        key.rsplit(":seat:", 1)[1]: value
        for key, value in zip(seat_keys, values, strict=True)
        if value is not None
    }
    running = [grant for grant in granted.values() if grant.ends > time.time() + 1]
    problems = []
    for store, held in (("PostgreSQL", in_postgres), ("Redis", in_redis)):
        strays = [s for s, h in held.items() if h not in granted or s not in granted[h].seats]
        missing = [(g.hold_id, s) for g in running for s in g.seats if held.get(s) != g.hold_id]
        if strays or missing:
            problems.append(
                f"{store}: {len(strays)} seats of no granted hold, {len(missing)} missing"
            )
    return problems


async def seed_event(
    admin_url: str, seats: int, event_id: str | None = None, zones: Mapping[str, int] = EMPTY
) -> tuple[str, str, list[str]]:
    """An organisation with one event of ``seats`` seats and GA ``zones`` (id: capacity),
    all priced 45.00 EUR; the seat ids, best first."""
    tenant = f"org_bench_{uuid.uuid4().hex[:8]}"
    event_id = event_id or f"evt_bench_{uuid.uuid4().hex[:8]}"
    seat_ids = [f"{chr(65 + n // 1000 % 26)}-{n // 50 % 20 + 1}-{n % 50 + 1}" for n in range(seats)]
    if len(set(seat_ids)) != seats:
        seat_ids = [f"S-{n}" for n in range(seats)]
    async with await psycopg.AsyncConnection.connect(admin_url) as owner:
        await owner.execute(
            "insert into lml.tenants (tenant_id, name) values (%s, 'Bench')", (tenant,)
        )
        await owner.execute(
            "insert into lml.venues (tenant_id, id, name) values (%s, %s, 'Arena')",
            (tenant, tenant),
        )
        await owner.execute(
            "insert into lml.events (tenant_id, id, venue_id, seatmap_id, name, starts_at,"
            " currency, max_seats_per_hold, price_categories) values (%s, %s, %s, 'map',"
            " 'Bench', now() + interval '30 days', 'EUR', 8,"
            ' \'[{"id": "standard", "name": "Standard", "amount": 4500}]\')',
            (tenant, event_id, tenant),
        )
        for zone, capacity in zones.items():
            await owner.execute(
                "insert into lml.event_zones (tenant_id, event_id, zone_id, name,"
                " price_category, capacity) values (%s, %s, %s, %s, 'standard', %s)",
                (tenant, event_id, zone, zone.title(), capacity),
            )
        async with owner.cursor().copy(
            "copy lml.event_seats (tenant_id, event_id, seat_id, price_category) from stdin"
        ) as copy:
            for seat in seat_ids:
                await copy.write_row((tenant, event_id, seat, "standard"))
        await owner.execute("analyze lml.event_seats")
    return tenant, event_id, seat_ids


def uvicorn_command(target: list[str], port: int, workers: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "uvicorn",
        *target,
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--loop",
        "uvloop",
        "--http",
        "httptools",
        "--no-access-log",
        "--log-level",
        "warning",
    ]


@contextmanager
def server_process(
    command: list[str], port: int, env: dict[str, str]
) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(command, env=env, cwd=ROOT)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{command[2:4]} exited with {process.returncode}")
            try:
                with socket.create_connection((HOST, port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"{command[2:4]} did not listen within {STARTUP_SECONDS} s"
                    ) from None
                time.sleep(0.2)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            print(f"{command[2:4]} did not stop within 30 s of SIGTERM: killed", file=sys.stderr)
            process.kill()
            process.wait()


def row(
    name: str, rate: float, ok_rate: float, latencies: list[float], conflicts: str, other: str
) -> str:
    quantiles = " | ".join(f"{percentile(latencies, q):.1f}" for q in (0.5, 0.95, 0.99))
    return f"| {name} | {rate:.0f} | {ok_rate:.0f} | {quantiles} | {conflicts} | {other} |"


def report(
    args: argparse.Namespace, holds: Tally, bare: Tally, overlaps: int, problems: list[str]
) -> None:
    posts = len(holds.latencies_ms)
    hold_rate = holds.statuses.get(201, 0) / holds.seconds
    release_rate = len(holds.release_ms) / holds.seconds
    bare_rate = len(bare.latencies_ms) / bare.seconds
    conflicts = f"{holds.statuses.get(409, 0) / max(posts, 1):.1%}"
    other = {status: n for status, n in holds.statuses.items() if status not in (201, 409)}
    print(
        f"\n{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, {args.clients} clients, {args.seconds:g} s each, "
        f"{args.workers} API processes, {args.seats} seats, holds of {args.ttl} s, "
        + (f"releases beyond {args.live} live holds per client" if args.live else "no releases")
        + (", blind buyers" if args.blind else ", buyers pick seats shown available")
        + "\n"
    )
    print("| route | requests/s | successful/s | p50 ms | p95 ms | p99 ms | conflicts | other |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    print(
        row(
            "POST /v1/holds",
            posts / holds.seconds,
            hold_rate,
            holds.latencies_ms,
            conflicts,
            str(other or "-"),
        )
    )
    print(row("DELETE /v1/holds/{id}", release_rate, release_rate, holds.release_ms, "-", "-"))
    bare_ok = bare.statuses.get(201, 0) / bare.seconds
    print(row("bare Litestar POST", bare_rate, bare_ok, bare.latencies_ms, "-", "-"))
    print(
        f"\nsuccessful holds/s / bare requests/s = {hold_rate / bare_rate:.2f}; "
        f"hold-route requests/s / bare = {(posts / holds.seconds + release_rate) / bare_rate:.2f}"
    )
    verdict = "none" if not overlaps and not problems else f"{overlaps} overlaps; {problems}"
    print(f"audit: {len(holds.grants)} holds granted in the run; seats double-held: {verdict}")


@asynccontextmanager
async def bench_database(
    args: argparse.Namespace,
) -> AsyncIterator[tuple[TemporaryDatabase, str]]:
    """A fresh migrated database and a Redis key prefix for one run; both are gone after."""
    database: TemporaryDatabase = await create_database(args.postgres)
    prefix = f"lml-bench-{uuid.uuid4().hex[:8]}"
    try:
        await migrate_up(database.admin_url, ROOT / "migrations")
        yield database, prefix
    finally:
        client = redis.Redis.from_url(args.redis)
        try:
            keys = list(client.scan_iter(match=f"{prefix}*", count=5000))
            for start in range(0, len(keys), 5000):
                client.delete(*keys[start : start + 5000])
        finally:
            client.close()
        await drop_database(args.postgres, database)


def api_environment(
    args: argparse.Namespace,
    database: TemporaryDatabase,
    prefix: str,
    mongo_url: str,
    port: int,
    **settings: str,
) -> dict[str, str]:
    """``lml api`` as production runs it on this run's servers, with ``settings`` (LML_
    names without the prefix) on top."""
    return {
        **os.environ,
        "LML_DATABASE_URL": database.admin_url,
        "LML_REDIS_URL": args.redis,
        "LML_MONGO_URL": mongo_url,
        "LML_REDIS_KEY_PREFIX": prefix,
        "LML_RATE_LIMIT_BUDGETS": BUDGETS,
        "LML_LOG_LEVEL": "WARNING",
        "LML_HOST": HOST,
        "LML_PORT": str(port),
        "LML_METRICS_PORT": "0",
        **{f"LML_{name.upper()}": value for name, value in settings.items()},
    }


async def run(args: argparse.Namespace) -> int:
    async with bench_database(args) as (database, prefix):
        tenant, event_id, seats = await seed_event(database.admin_url, args.seats)
        settings = load_settings({})
        token = build_tokens(settings).issuer.issue("usr_bench", tenant, SCOPES).access_token
        authorization = f"Authorization: Bearer {token}\r\n"
        api_port, bare_port = free_port(), free_port()
        with ExitStack() as stack:
            mongo_url = stack.enter_context(secantus_server(None))
            env = api_environment(
                args,
                database,
                prefix,
                mongo_url,
                api_port,
                db_pool_max_size=str(args.pool),
                hold_min_ttl_seconds="1",
                api_workers=str(args.workers),
            )
            api = [sys.executable, "-m", "lml_cli", "api"]
            stack.enter_context(server_process(api, api_port, env))
            bare_app = uvicorn_command(
                ["holds:bare_app", "--app-dir", "bench"], bare_port, args.workers
            )
            stack.enter_context(server_process(bare_app, bare_port, env))
            common = {"event_id": event_id, "seats": seats, "options": args}
            await drive(bare_port, authorization, WARMUP_SECONDS, bare=True, **common)
            warmup = await drive(api_port, authorization, WARMUP_SECONDS, **common)
            bare = await drive(bare_port, authorization, args.seconds, bare=True, **common)
            holds = await drive(api_port, authorization, args.seconds, **common)
        granted = warmup.grants + holds.grants
        overlaps = certain_overlaps(granted)
        problems = await audit_store(database.admin_url, args.redis, prefix, event_id, granted)
        report(args, holds, bare, overlaps, problems)
        return 1 if overlaps or problems else 0


def parse_and_run(
    parser: argparse.ArgumentParser, run: Callable[[argparse.Namespace], Awaitable[int]]
) -> int:
    """Every bench's last step: the servers' options (the test servers by default), then
    ``run`` with the parsed options on uvloop, as the API runs."""
    parser.add_argument(
        "--postgres", default=os.environ.get("LML_TEST_DATABASE_URL", LOCAL_POSTGRES_URL)
    )
    parser.add_argument("--redis", default=os.environ.get("LML_TEST_REDIS_URL", LOCAL_REDIS_URL))
    args = parser.parse_args()
    import uvloop

    return uvloop.run(run(args))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--seats", type=int, default=20_000)
    parser.add_argument("--ttl", type=int, default=2, help="hold ttl_seconds; holds lapse by it")
    parser.add_argument(
        "--live", type=int, default=0, help="release (DELETE) beyond this many live holds; 0: never"
    )
    parser.add_argument(
        "--blind", action="store_true", help="buyers ignore availability and ask for any seats"
    )
    parser.add_argument("--workers", type=int, default=2, help="API (and bare app) processes")
    parser.add_argument("--pool", type=int, default=10, help="PostgreSQL pool size per worker")
    return parse_and_run(parser, run)


if __name__ == "__main__":
    sys.exit(main())
