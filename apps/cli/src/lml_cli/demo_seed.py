"""The demo organisation, user and API client that ``lml dev`` creates, idempotently.

The client secret is shown once by design, so the first run keeps the demo
credentials in a file beside the data; later runs reuse them, and make a new
client only when that file is gone.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import msgspec

from lml_api.container import IdentityPorts
from lml_auth import ALL_SCOPES
from lml_identity.application import (
    CreateApiClient,
    CreateOrganisation,
    CreateUser,
    create_api_client,
    create_organisation,
    create_user,
)
from lml_identity.domain import OrganisationExists, UsernameTaken
from lml_result import Err, Ok

DEMO_ORG_ID = "org_demo"
DEMO_ORG_NAME = "Demo Organisation"
DEMO_USERNAME = "demo@lml.dev"
# Development only, and printed on start: the embedded stack is for one developer's machine.
DEMO_PASSWORD = "lml-demo-password"  # noqa: S105
CREDENTIALS_FILE = "demo-credentials.json"


class DemoCredentials(msgspec.Struct, frozen=True):
    org_id: str
    username: str
    password: str
    client_id: str
    client_secret: str
    stripe_webhook_secret: str


async def seed_demo(ports: IdentityPorts, data_dir: Path) -> DemoCredentials:
    """Create whatever part of the demo data is missing; running it again changes nothing."""
    organisation = await create_organisation(
        CreateOrganisation(name=DEMO_ORG_NAME, org_id=DEMO_ORG_ID),
        organisations=ports.organisations,
        secrets=ports.secrets,
    )
    if isinstance(organisation, Err) and not isinstance(organisation.error, OrganisationExists):
        raise RuntimeError(f"cannot create the demo organisation: {organisation.error}")
    user = await create_user(
        CreateUser(
            org_id=DEMO_ORG_ID, username=DEMO_USERNAME, password=DEMO_PASSWORD, scopes=ALL_SCOPES
        ),
        organisations=ports.organisations,
        users=ports.users,
        hasher=ports.hasher,
        secrets=ports.secrets,
    )
    if isinstance(user, Err) and not isinstance(user.error, UsernameTaken):
        raise RuntimeError(f"cannot create the demo user: {user.error}")
    credentials_file = data_dir / CREDENTIALS_FILE
    kept = read_credentials(credentials_file)
    if kept and await ports.clients.tenant_of(kept.client_id) == DEMO_ORG_ID:
        return kept
    created = await create_api_client(
        CreateApiClient(org_id=DEMO_ORG_ID, name="Demo app", scopes=ALL_SCOPES),
        organisations=ports.organisations,
        clients=ports.clients,
        hasher=ports.hasher,
        secrets=ports.secrets,
    )
    match created:
        case Ok(client):
            credentials = DemoCredentials(
                org_id=DEMO_ORG_ID,
                username=DEMO_USERNAME,
                password=DEMO_PASSWORD,
                client_id=client.client.client_id,
                client_secret=client.secret,
                stripe_webhook_secret=f"whsec_{secrets.token_urlsafe(24)}",
            )
        case Err(error):
            raise RuntimeError(f"cannot create the demo API client: {error}")
    credentials_file.write_bytes(msgspec.json.format(msgspec.json.encode(credentials)) + b"\n")
    credentials_file.chmod(0o600)
    return credentials


def read_credentials(path: Path) -> DemoCredentials | None:
    try:
        return msgspec.json.decode(path.read_bytes(), type=DemoCredentials)
    except (FileNotFoundError, msgspec.DecodeError):
        return None
