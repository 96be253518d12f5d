"""Settings for a command: warn about unknown variables, stop cleanly on invalid ones."""

from __future__ import annotations

from typing import NoReturn

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

CONFIG_ERROR_EXIT_CODE = 2


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
