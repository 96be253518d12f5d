"""``lml dev``: the whole system on one machine, with embedded servers where none is given.

Order of start: servers (embedded PostgreSQL, Redis and SecantusDB for each unset URL,
under ``LML_DATA_DIR``), migrations, demo data, then ``lml api`` and ``lml worker`` as
child processes. Order of stop, on Ctrl-C or SIGTERM: the children, then the servers.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from urllib.parse import urlsplit

import click
import msgspec
import psycopg
from psycopg import sql

from lml_api.container import (
    StartupError,
    open_mongo,
    open_seatmaps,
)
from lml_catalog.infrastructure.adapters import postgres_catalog
from lml_cli.child_processes import ChildExited, ChildProcesses
from lml_cli.configuration import fail
from lml_cli.demo_seed import DEMO_ORG_NAME, DemoCredentials, DemoEvent, seed_demo, seed_demo_event
from lml_config import Settings
from lml_devstack import (
    ExecutableNotFound,
    ServerFailedToStart,
    embedded_postgres,
    embedded_redis,
    secantus_server,
)
from lml_identity.infrastructure.adapters import postgres_identity
from lml_postgres import MigrationError, create_pool, default_migrations_dir, migrate_up
from lml_result import DependencyUnavailable

DEV_DATABASE = "lml"
DEV_FILE = "dev.json"
READY_TIMEOUT_SECONDS = 120.0
READY_POLL_SECONDS = 0.1
# Beyond the API's own graceful-shutdown time, before a child is killed.
STOP_MARGIN_SECONDS = 5.0
# SIGHUP: a closed terminal must stop the stack too, not orphan it.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class StopRequested(Exception):
    """Ctrl-C or SIGTERM: stop everything that was started, then exit 0."""


class NotServing(RuntimeError):
    """A child did not answer on its URL in time."""


FAKE_GATEWAY_NOTICE = (
    "Payments use the fake gateway (LML_STRIPE_SECRET_KEY is not set): no money moves;"
    " POST /v1/dev/payments/{order_id}/{succeeded|failed|processing|refunded} delivers"
    " the signed Stripe event of an order's payment."
)


class ServerUrls(msgspec.Struct, frozen=True):
    database_url: str
    redis_url: str
    mongo_url: str


class DevStack(msgspec.Struct, frozen=True):
    """What ``.lml/dev.json`` holds while the stack runs."""

    base_url: str
    docs_url: str
    worker_url: str
    worker_metrics_url: str
    metrics_url: str
    org_id: str
    org_name: str
    venue_id: str
    event_id: str
    username: str
    password: str
    client_id: str
    client_secret: str
    stripe_webhook_secret: str
    database_url: str
    redis_url: str
    mongo_url: str
    pid: int


def run_dev_stack(settings: Settings) -> None:
    """Start everything, print where it is, and run until stopped; exit 0 on Ctrl-C."""
    data_dir = Path(settings.data_dir).expanduser().resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        with stop_requested_by_signals(), contextlib.ExitStack() as stack:
            urls = start_missing_servers(settings, data_dir, stack)
            settings = msgspec.structs.replace(settings, **msgspec.structs.asdict(urls))
            click.echo("Migrating and seeding the demo organisation…")
            credentials, demo_event = asyncio.run(
                prepare_database(settings, urls.database_url, data_dir)
            )
            stack_info = describe(settings, urls, credentials, demo_event)
            children = stack.enter_context(
                ChildProcesses(settings.shutdown_grace_seconds + STOP_MARGIN_SECONDS)
            )
            environment = child_environment(urls, credentials)
            children.start_lml("api", environment)
            children.start_lml("worker", environment)
            wait_until_serving(
                children, [f"{stack_info.base_url}/livez", f"{stack_info.worker_url}/livez"]
            )
            dev_file = data_dir / DEV_FILE
            dev_file.write_bytes(msgspec.json.format(msgspec.json.encode(stack_info)) + b"\n")
            stack.callback(dev_file.unlink, missing_ok=True)
            announce(stack_info, dev_file)
            if settings.uses_fake_gateway:
                click.echo(FAKE_GATEWAY_NOTICE)
            children.watch()
    except StopRequested:
        click.echo("lml dev: stopped.")
    except (
        ChildExited,
        NotServing,
        ServerFailedToStart,
        ExecutableNotFound,
        MigrationError,
        DependencyUnavailable,
        StartupError,
    ) as error:
        fail(str(error))


@contextlib.contextmanager
def stop_requested_by_signals() -> Iterator[None]:
    """The first SIGINT, SIGTERM or SIGHUP raises ``StopRequested`` wherever we are.

    Later ones are ignored, so that stopping what was started is never interrupted half-way.
    """

    def already_stopping(signum: int, frame: FrameType | None) -> None:
        click.echo("lml dev: already stopping…", err=True)

    def request_stop(signum: int, frame: FrameType | None) -> None:
        for received in STOP_SIGNALS:
            signal.signal(received, already_stopping)
        click.echo("\nlml dev: stopping…", err=True)
        raise StopRequested

    previous = {received: signal.signal(received, request_stop) for received in STOP_SIGNALS}
    try:
        yield
    finally:
        for received, handler in previous.items():
            signal.signal(received, handler)


def start_missing_servers(
    settings: Settings, data_dir: Path, stack: contextlib.ExitStack
) -> ServerUrls:
    """The configured URLs, with an embedded server started for each one unset."""
    database_url = settings.database_url
    if not database_url:
        click.echo(f"Starting embedded PostgreSQL in {data_dir / 'postgres'}…")
        database_url = dev_database(stack.enter_context(embedded_postgres(data_dir / "postgres")))
    redis_url = settings.redis_url
    if not redis_url:
        click.echo(f"Starting embedded Redis in {data_dir / 'redis'}…")
        redis_url = stack.enter_context(embedded_redis(data_dir / "redis"))
    mongo_url = settings.mongo_url
    if not mongo_url:
        click.echo(f"Starting SecantusDB (MongoDB wire protocol) in {data_dir / 'mongo'}…")
        mongo_url = stack.enter_context(secantus_server(data_dir / "mongo"))
    return ServerUrls(database_url=database_url, redis_url=redis_url, mongo_url=mongo_url)


def dev_database(server_url: str) -> str:
    """The ``lml`` database on an embedded server (created on first use), as a URL."""
    with psycopg.connect(server_url, autocommit=True) as connection:
        exists = connection.execute(
            "select 1 from pg_database where datname = %s", (DEV_DATABASE,)
        ).fetchone()
        if exists is None:
            connection.execute(sql.SQL("create database {}").format(sql.Identifier(DEV_DATABASE)))
    return urlsplit(server_url)._replace(path=f"/{DEV_DATABASE}").geturl()


async def prepare_database(
    settings: Settings, database_url: str, data_dir: Path
) -> tuple[DemoCredentials, DemoEvent]:
    await migrate_up(
        database_url,
        default_migrations_dir(settings),
        production=settings.is_production,
    )
    pool = create_pool(settings)
    await pool.open(wait=True, timeout=settings.dependency_timeout_seconds * 5)
    try:
        async with contextlib.AsyncExitStack() as resources:
            seatmaps = await open_seatmaps(await open_mongo(settings, resources), settings)
            credentials = await seed_demo(postgres_identity(pool), data_dir)
            demo_event = await seed_demo_event(postgres_catalog(pool, seatmaps))
        return credentials, demo_event
    finally:
        await pool.close()


def child_environment(urls: ServerUrls, credentials: DemoCredentials) -> dict[str, str]:
    return {
        "LML_STRIPE_WEBHOOK_SECRET": credentials.stripe_webhook_secret,
        **os.environ,
        "LML_DATABASE_URL": urls.database_url,
        "LML_REDIS_URL": urls.redis_url,
        "LML_MONGO_URL": urls.mongo_url,
    }


def describe(
    settings: Settings, urls: ServerUrls, credentials: DemoCredentials, demo_event: DemoEvent
) -> DevStack:
    # A wildcard listen address is not somewhere to send a browser.
    host = "127.0.0.1" if settings.host in ("0.0.0.0", "::", "") else settings.host  # noqa: S104
    base_url = f"http://{host}:{settings.port}"
    worker_url = f"http://{host}:{settings.worker_port}"
    return DevStack(
        base_url=base_url,
        docs_url=f"{base_url}/schema/openapi.json",
        worker_url=worker_url,
        worker_metrics_url=f"{worker_url}/metrics",
        metrics_url=f"http://{settings.metrics_host}:{settings.metrics_port}/metrics",
        org_id=credentials.org_id,
        org_name=DEMO_ORG_NAME,
        venue_id=demo_event.venue_id,
        event_id=demo_event.event_id,
        username=credentials.username,
        password=credentials.password,
        client_id=credentials.client_id,
        client_secret=credentials.client_secret,
        stripe_webhook_secret=credentials.stripe_webhook_secret,
        database_url=urls.database_url,
        redis_url=urls.redis_url,
        mongo_url=urls.mongo_url,
        pid=os.getpid(),
    )


def wait_until_serving(children: ChildProcesses, urls: list[str]) -> None:
    """Poll each URL until it answers 200; fail if a child exits or the deadline passes."""
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    waiting = list(urls)
    while waiting:
        children.raise_if_any_exited()
        waiting = [url for url in waiting if not _answers(url)]
        if waiting and time.monotonic() > deadline:
            raise NotServing(
                f"{', '.join(waiting)} did not answer within {READY_TIMEOUT_SECONDS:.0f} s"
            )
        if waiting:
            time.sleep(READY_POLL_SECONDS)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 - our own http URL
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def announce(stack_info: DevStack, dev_file: Path) -> None:
    click.echo(
        "\n".join(
            [
                "",
                "LML is running.",
                f"  API             {stack_info.base_url}",
                f"  API docs        {stack_info.docs_url}",
                f"  API metrics     {stack_info.metrics_url}",
                f"  Worker metrics  {stack_info.worker_metrics_url}",
                f"  Organisation    {stack_info.org_id} ({stack_info.org_name})",
                f"  Demo user       {stack_info.username} / {stack_info.password}",
                f"  Demo client     {stack_info.client_id} (secret in {dev_file})",
                f"  Demo event      {stack_info.event_id} at venue {stack_info.venue_id}",
                f"  PostgreSQL      {stack_info.database_url}",
                f"  Redis           {stack_info.redis_url}",
                f"  MongoDB         {stack_info.mongo_url}",
                f"  Details in {dev_file}. Press Ctrl-C to stop.",
                "",
            ]
        )
    )
