"""``lml outbox dead`` and ``lml outbox retry ID``: the worker's dead letters, for operators."""

from __future__ import annotations

import click
import msgspec

from lml_cli.configuration import fail, run_on_database
from lml_outbox import PostgresOutbox


@click.group("outbox")
def outbox() -> None:
    """The worker's outbox: rows that ran out of attempts, and replaying them."""


@outbox.command("dead")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(1, 1000))
def dead(limit: int) -> None:
    """List dead-lettered rows, newest first, one JSON object per line."""
    letters = run_on_database(lambda pool: PostgresOutbox(pool).dead(limit))
    for letter in letters:
        click.echo(msgspec.json.encode(letter))
    if not letters:
        click.echo("No dead letters.", err=True)


@outbox.command("retry")
@click.argument("row_id", type=int)
def retry(row_id: int) -> None:
    """Make a dead row due again, its attempts reset: the worker handles it at its next run."""
    if not run_on_database(lambda pool: PostgresOutbox(pool).retry(row_id)):
        fail(f"no dead outbox row has id {row_id}")
    click.echo(f"outbox row {row_id} is due again")
