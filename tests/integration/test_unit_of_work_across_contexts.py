"""Adapters of two contexts in one tenant unit of work (docs/decisions/0006-table-ownership.md).

Identity writes the organisation, catalog its venue: two services that never import each
other, handed one unit of work by the caller as an app will hand orders and seating one.
The venue's foreign key to the organisation holds only because both writes share the
transaction: the organisation is not committed when the venue goes in.
"""

from datetime import UTC, datetime

import pytest

from lml_catalog.domain import Venue
from lml_catalog.infrastructure import PostgresVenues
from lml_identity.domain import Organisation
from lml_identity.infrastructure import PostgresOrganisations
from lml_postgres import AppPool
from lml_result import Ok
from lml_tenancy import TenantUnitOfWork, tenant_unit_of_work
from lml_testing.ids import unique_id

pytestmark = pytest.mark.integration

NOW = datetime(2026, 12, 1, tzinfo=UTC)


class Boom(Exception):
    pass


def organisation_and_venue() -> tuple[Organisation, Venue]:
    org_id = unique_id("org")
    return (
        Organisation(id=org_id, name="Unit of work"),
        Venue(id=unique_id("venue"), org_id=org_id, name="Hall", created_at=NOW),
    )


async def write_both(unit: TenantUnitOfWork, organisation: Organisation, venue: Venue) -> None:
    assert await PostgresOrganisations(unit).add(organisation) == Ok(None)
    assert await PostgresVenues(unit).add(venue) == Ok(None)


async def kept(pool: AppPool, venue: Venue) -> tuple[bool, bool]:
    """Whether the organisation and the venue are there, read by each owner on the pool."""
    organisation = await PostgresOrganisations(pool).get(venue.org_id)
    return organisation is not None, await PostgresVenues(pool).get(
        venue.org_id, venue.id
    ) is not None


async def test_given_two_contexts_writing_in_one_unit_when_it_commits_then_both_are_kept(
    app_pool: AppPool,
) -> None:
    organisation, venue = organisation_and_venue()

    async with tenant_unit_of_work(app_pool, organisation.id) as unit:
        await write_both(unit, organisation, venue)
        await unit.commit()

    assert await kept(app_pool, venue) == (True, True)


async def test_given_two_contexts_writing_in_one_unit_when_it_ends_uncommitted_then_neither_is(
    app_pool: AppPool,
) -> None:
    organisation, venue = organisation_and_venue()

    async with tenant_unit_of_work(app_pool, organisation.id) as unit:
        await write_both(unit, organisation, venue)

    assert await kept(app_pool, venue) == (False, False)


async def test_given_two_contexts_writing_in_one_unit_when_it_raises_then_neither_is_kept(
    app_pool: AppPool,
) -> None:
    organisation, venue = organisation_and_venue()

    async def write_both_then_fail() -> None:
        async with tenant_unit_of_work(app_pool, organisation.id) as unit:
            await write_both(unit, organisation, venue)
            raise Boom

    with pytest.raises(Boom):
        await write_both_then_fail()

    assert await kept(app_pool, venue) == (False, False)


async def test_given_a_unit_of_one_organisation_when_an_adapter_asks_for_another_then_it_is_refused(
    app_pool: AppPool,
) -> None:
    organisation, venue = organisation_and_venue()
    foreign = Venue(
        id=unique_id("venue"), org_id=unique_id("org"), name="Elsewhere", created_at=NOW
    )

    async with tenant_unit_of_work(app_pool, organisation.id) as unit:
        await write_both(unit, organisation, venue)
        with pytest.raises(ValueError, match="tenant"):
            await PostgresVenues(unit).add(foreign)
        await unit.commit()

    assert await kept(app_pool, venue) == (True, True)
