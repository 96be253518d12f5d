"""``lml org create``, ``lml user create`` and ``lml client create``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import click

from lml_auth import ALL_SCOPES, format_scopes, parse_scopes
from lml_cli.configuration import fail, run_on_database
from lml_identity.application import (
    CreateApiClient,
    CreateOrganisation,
    CreateUser,
    create_api_client,
    create_organisation,
    create_user,
)
from lml_identity.infrastructure.adapters import IdentityAdapters, postgres_identity
from lml_result import Err, Result

T = TypeVar("T")
E = TypeVar("E")

SCOPES_HELP = f"Space- or comma-separated scopes; default all: {format_scopes(ALL_SCOPES)}"


def run_with_identity(action: Callable[[IdentityAdapters], Awaitable[Result[T, E]]]) -> T:
    """Run a use case against the configured database; print its refusal and exit 1."""
    outcome = run_on_database(lambda pool: action(postgres_identity(pool)))
    if isinstance(outcome, Err):
        fail(f"refused: {outcome.error!r}")
    return outcome.value


def scopes_option(text: str | None) -> frozenset[str]:
    if not text:
        return ALL_SCOPES
    try:
        return parse_scopes(text.replace(",", " "))
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


@click.group("org")
def org() -> None:
    """Organisations (tenants)."""


@org.command("create")
@click.option("--name", required=True, help="Display name of the organisation.")
@click.option("--id", "org_id", help="Identifier to use (default: a new org_… id).")
def create_org(name: str, org_id: str | None) -> None:
    """Create an organisation and print its id."""
    created = run_with_identity(
        lambda ports: create_organisation(
            CreateOrganisation(name=name, org_id=org_id),
            organisations=ports.organisations,
            secrets=ports.secrets,
        )
    )
    click.echo(created.id)


@click.group("user")
def user() -> None:
    """Users who sign in with the password grant."""


@user.command("create")
@click.option("--org", "org_id", required=True, help="Organisation id.")
@click.option("--username", required=True)
@click.password_option(help="At least 12 characters (prompted when omitted).")
@click.option("--scopes", help=SCOPES_HELP)
def create_user_command(org_id: str, username: str, password: str, scopes: str | None) -> None:
    """Create a user and print their id."""
    granted = scopes_option(scopes)
    created = run_with_identity(
        lambda ports: create_user(
            CreateUser(org_id=org_id, username=username, password=password, scopes=granted),
            organisations=ports.organisations,
            users=ports.users,
            hasher=ports.hasher,
            secrets=ports.secrets,
        )
    )
    click.echo(created.id)


@click.group("client")
def client() -> None:
    """API clients that use the client_credentials grant."""


@client.command("create")
@click.option("--org", "org_id", required=True, help="Organisation id.")
@click.option("--name", required=True, help="What the client is, e.g. 'box office app'.")
@click.option("--scopes", help=SCOPES_HELP)
def create_client_command(org_id: str, name: str, scopes: str | None) -> None:
    """Create an API client; its secret is printed this once and never stored."""
    granted = scopes_option(scopes)
    created = run_with_identity(
        lambda ports: create_api_client(
            CreateApiClient(org_id=org_id, name=name, scopes=granted),
            organisations=ports.organisations,
            clients=ports.clients,
            hasher=ports.hasher,
            secrets=ports.secrets,
        )
    )
    click.echo(f"client_id     {created.client.client_id}")
    click.echo(f"client_secret {created.secret}")
    click.echo("Keep the secret now: it cannot be shown again.", err=True)
