"""The Organisations port, run against the in-memory fake and PostgreSQL."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from lml_identity.application import Organisations
from lml_identity.domain import Organisation, OrganisationExists
from lml_result import Err, Ok

NewId = Callable[[str], str]
NewOrganisation = Callable[[], Awaitable[Organisation]]


async def test_given_an_added_organisation_then_it_is_found_by_id(
    organisations: Organisations, new_id: NewId
) -> None:
    organisation = Organisation(id=new_id("org"), name="Acme Arena")

    assert await organisations.add(organisation) == Ok(None)
    assert await organisations.get(organisation.id) == organisation


async def test_given_an_existing_id_when_added_again_then_it_exists_and_is_unchanged(
    organisations: Organisations, new_organisation: NewOrganisation
) -> None:
    first = await new_organisation()

    again = await organisations.add(Organisation(id=first.id, name="Impostor"))

    assert again == Err(OrganisationExists(org_id=first.id))
    assert await organisations.get(first.id) == first


async def test_given_an_unknown_id_then_no_organisation_is_found(
    organisations: Organisations, new_id: NewId
) -> None:
    assert await organisations.get(new_id("org")) is None
