"""The ``lml`` command: serve the API or the worker, migrate, run the development stack."""

from __future__ import annotations

import asyncio

import click

from lml_cli.configuration import (
    CONFIG_ERROR_EXIT_CODE,
    fail,
    settings_for_command,
    settings_for_listening,
)
from lml_cli.identity_commands import client, org, user
from lml_cli.migration_table import render_migration_table
from lml_cli.order_commands import orders
from lml_cli.outbox_commands import outbox
from lml_cli.seatmap_commands import seatmap
from lml_cli.serving import serve_api
from lml_postgres import (
    MigrationError,
    MigrationRefused,
    default_migrations_dir,
    migrate_up,
    migration_status,
)
from lml_result import DependencyUnavailable
from lml_worker import WorkerStartupError, run_worker

# uvicorn's own code for "the application failed to start".
STARTUP_FAILURE_EXIT_CODE = 3


@click.group()
def cli() -> None:
    """LML: a multi-tenant ticketing backend. Settings come from LML_* variables."""


@cli.command()
def api() -> None:
    """Serve the HTTP API on LML_HOST:LML_PORT (LML_API_WORKERS processes) until SIGTERM or
    Ctrl-C."""
    settings = settings_for_listening()
    if not serve_api(settings):
        fail(
            "the API did not start or stopped on a failure (see the log above)",
            STARTUP_FAILURE_EXIT_CODE,
        )


@cli.command()
def worker() -> None:
    """Run the periodic jobs, with /livez and /metrics on LML_WORKER_PORT."""
    settings = settings_for_listening()
    try:
        asyncio.run(run_worker(settings))
    except WorkerStartupError as error:
        fail(str(error), CONFIG_ERROR_EXIT_CODE)


@cli.group()
def migrate() -> None:
    """Apply or inspect the database migrations (as the owner, LML_DATABASE_URL)."""


@migrate.command("up")
@click.option(
    "--yes-production",
    is_flag=True,
    help="Confirm migrating a production database (required when LML_ENV=production).",
)
def migrate_up_command(yes_production: bool) -> None:
    """Apply every pending migration, in order, under an advisory lock."""
    settings = settings_for_command()
    database_url = _database_url(settings.database_url)
    try:
        applied = asyncio.run(
            migrate_up(
                database_url,
                default_migrations_dir(settings),
                production=settings.is_production,
                confirm_production=yes_production,
            )
        )
    except MigrationRefused as error:
        fail(f"{error} (pass --yes-production to confirm)")
    except (MigrationError, DependencyUnavailable, FileNotFoundError) as error:
        fail(str(error))
    if not applied:
        click.echo("The database is up to date.")
    for migration in applied:
        click.echo(f"applied {migration.filename}")


@migrate.command("status")
def migrate_status_command() -> None:
    """List every migration with its state and when it was applied."""
    settings = settings_for_command()
    database_url = _database_url(settings.database_url)
    try:
        states = asyncio.run(migration_status(database_url, default_migrations_dir(settings)))
    except (MigrationError, DependencyUnavailable, FileNotFoundError) as error:
        fail(str(error))
    click.echo(render_migration_table(states))


@cli.command()
def dev() -> None:
    """Run everything locally: embedded servers for unset URLs, migrations, demo data,
    the API and the worker. Ctrl-C stops it all."""
    settings = settings_for_listening()
    # lml_devstack is an optional dependency (the `dev` extra): production images lack it.
    try:
        from lml_cli.dev_stack import run_dev_stack
    except ModuleNotFoundError as error:
        if error.name != "lml_devstack":
            raise
        fail("`lml dev` needs the development dependencies: run `uv sync`")
    run_dev_stack(settings)


cli.add_command(org)
cli.add_command(user)
cli.add_command(client)
cli.add_command(seatmap)
cli.add_command(outbox)
cli.add_command(orders)


def _database_url(url: str | None) -> str:
    if not url:
        fail(
            "LML_DATABASE_URL is not set (the owner's URL, which migrations run as)",
            CONFIG_ERROR_EXIT_CODE,
        )
    return url
