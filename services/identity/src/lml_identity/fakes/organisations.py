"""In-memory organisations."""

from __future__ import annotations

from lml_identity.domain import Organisation, OrganisationExists
from lml_result import Err, Ok, Result


class InMemoryOrganisations:
    def __init__(self) -> None:
        self._organisations: dict[str, Organisation] = {}

    async def add(self, organisation: Organisation) -> Result[None, OrganisationExists]:
        if organisation.id in self._organisations:
            return Err(OrganisationExists(org_id=organisation.id))
        self._organisations[organisation.id] = organisation
        return Ok(None)

    async def get(self, org_id: str) -> Organisation | None:
        return self._organisations.get(org_id)
