"""Use case: create an organisation, the tenant everything else belongs to."""

from __future__ import annotations

from dataclasses import dataclass

from lml_identity.application.ports import Organisations, SecretGenerator
from lml_identity.domain import Organisation, OrganisationExists
from lml_result import Err, Ok, Result
from lml_tracing import traced


@dataclass(frozen=True, slots=True, kw_only=True)
class CreateOrganisation:
    name: str
    org_id: str | None = None  # chosen by the caller (seeding, migrations) or generated


@traced("identity.create_organisation")
async def create_organisation(
    cmd: CreateOrganisation, *, organisations: Organisations, secrets: SecretGenerator
) -> Result[Organisation, OrganisationExists]:
    organisation = Organisation(
        id=cmd.org_id if cmd.org_id is not None else secrets.new_organisation_id(),
        name=cmd.name,
    )
    added = await organisations.add(organisation)
    if isinstance(added, Err):
        return added
    return Ok(organisation)
