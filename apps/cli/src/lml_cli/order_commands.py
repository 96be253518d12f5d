"""``lml orders refunds-due``: payments that succeeded after their order had ended unpaid
and are not refunded yet, for the organisation's staff to refund (or the worker, with
``LML_REFUND_LATE_PAYMENTS=true``)."""

from __future__ import annotations

import click
import msgspec

from lml_cli.configuration import run_on_database
from lml_payments.infrastructure import PostgresPayments


@click.group("orders")
def orders() -> None:
    """Orders across organisations, for operators."""


@orders.command("refunds-due")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(1, 1000))
def refunds_due(limit: int) -> None:
    """List late payments due a refund, oldest first, one JSON object per line."""
    due = run_on_database(lambda pool: PostgresPayments(pool, pool).refunds_due(limit))
    for payment in due:
        click.echo(msgspec.json.encode(payment))
    if not due:
        click.echo("No refunds due.", err=True)
