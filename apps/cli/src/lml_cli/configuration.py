"""Settings for a command: warn about unknown variables, stop cleanly on invalid ones."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import NoReturn, TypeVar

import click

from lml_config import (
    ConfigError,
    Settings,
    listens_beyond_loopback,
    load_settings,
    published_secrets,
    unknown_variables,
)
from lml_logging import configure_logging
from lml_postgres import AppPool, create_pool
from lml_result import DependencyUnavailable

CONFIG_ERROR_EXIT_CODE = 2

T = TypeVar("T")


def fail(message: str, exit_code: int = 1) -> NoReturn:
    """Print ``message`` as the command's error and exit, without a traceback."""
    click.echo(f"lml: {message}", err=True)
    raise click.exceptions.Exit(exit_code)


def settings_for_command() -> Settings:
    """The process settings, with logging configured from them; exit 2 when invalid."""
    for name in unknown_variables():
        click.echo(f"lml: warning: {name} is not a setting LML reads (a typo?)", err=True)
    try:
        settings = load_settings()
    except ConfigError as error:
        problems = "\n".join(f"  - {problem}" for problem in error.problems)
        fail(f"invalid configuration:\n{problems}", CONFIG_ERROR_EXIT_CODE)
    configure_logging(settings.log_level)
    return settings


def settings_for_listening() -> Settings:
    """The settings of a process that listens on ``LML_HOST``; exit 2 when others could
    reach it while it uses a development secret published in this repository."""
    settings = settings_for_command()
    exposed = published_secrets(settings) if listens_beyond_loopback(settings) else []
    if exposed:
        fail(
            f"LML_HOST={settings.host} is reachable from other machines, so set "
            f"{' and '.join(exposed)}: the development defaults are published",
            CONFIG_ERROR_EXIT_CODE,
        )
    return settings


def run_on_database(action: Callable[[AppPool], Awaitable[T]]) -> T:
    """Run ``action`` on a pool of the configured database (the application role), closed
    after; exit 1 when PostgreSQL is unavailable, 2 when no database is configured."""
    settings = settings_for_command()
    if not settings.database_url:
        fail("LML_DATABASE_URL is not set", CONFIG_ERROR_EXIT_CODE)

    async def run() -> T:
        pool = create_pool(settings)
        await pool.open(wait=True, timeout=settings.dependency_timeout_seconds * 5)
        try:
            return await action(pool)
        finally:
            await pool.close()

    try:
        return asyncio.run(run())
    except (DependencyUnavailable, TimeoutError) as error:
        fail(f"PostgreSQL is unavailable: {error}")
