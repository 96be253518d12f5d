"""Creating an organisation."""

from __future__ import annotations

from lml_identity.application import CreateOrganisation, create_organisation
from lml_identity.domain import Organisation, OrganisationExists
from lml_identity.fakes import FakeSecrets, InMemoryOrganisations
from lml_result import Err, Ok


async def test_given_no_id_when_created_then_a_new_id_is_generated_and_stored(
    organisations: InMemoryOrganisations, secrets: FakeSecrets
) -> None:
    result = await create_organisation(
        CreateOrganisation(name="Acme Arena"), organisations=organisations, secrets=secrets
    )

    assert result == Ok(Organisation(id="org_1", name="Acme Arena"))
    assert await organisations.get("org_1") == Organisation(id="org_1", name="Acme Arena")


async def test_given_a_chosen_id_when_created_then_that_id_is_used(
    organisations: InMemoryOrganisations, secrets: FakeSecrets
) -> None:
    result = await create_organisation(
        CreateOrganisation(name="Demo", org_id="org_demo"),
        organisations=organisations,
        secrets=secrets,
    )

    assert result == Ok(Organisation(id="org_demo", name="Demo"))


async def test_given_an_existing_id_when_created_again_then_it_already_exists_and_is_unchanged(
    organisations: InMemoryOrganisations, secrets: FakeSecrets
) -> None:
    first = CreateOrganisation(name="First", org_id="org_demo")
    await create_organisation(first, organisations=organisations, secrets=secrets)

    result = await create_organisation(
        CreateOrganisation(name="Second", org_id="org_demo"),
        organisations=organisations,
        secrets=secrets,
    )

    assert result == Err(OrganisationExists(org_id="org_demo"))
    assert await organisations.get("org_demo") == Organisation(id="org_demo", name="First")
