"""The demo organisation, user, API client, venue and event that ``lml dev`` creates, idempotently.

The client secret is shown once by design, so the first run keeps the demo
credentials in a file beside the data; later runs reuse them, and make a new
client only when that file is gone. The venue, its seatmap and the event have
fixed ids, so later runs find and reuse them.
"""

from __future__ import annotations

import secrets
from datetime import UTC, timedelta
from pathlib import Path

import msgspec

from lml_auth import ALL_SCOPES
from lml_catalog.application import (
    CreateEvent,
    CreateVenue,
    PutSeatmap,
    create_event,
    create_venue,
    put_seatmap,
)
from lml_catalog.domain import (
    EventExists,
    EventTerms,
    PriceCategory,
    SalesChannel,
    SeatmapKey,
    VenueExists,
    generate_seatmap,
)
from lml_catalog.infrastructure.adapters import CatalogAdapters
from lml_identity.application import (
    CreateApiClient,
    CreateOrganisation,
    CreateUser,
    create_api_client,
    create_organisation,
    create_user,
)
from lml_identity.domain import OrganisationExists, UsernameTaken
from lml_identity.infrastructure.adapters import IdentityAdapters
from lml_result import Err, Ok, Result

DEMO_ORG_ID = "org_demo"
DEMO_ORG_NAME = "Demo Organisation"
DEMO_USERNAME = "demo@lml.dev"
# Development only, and printed on start: the embedded stack is for one developer's machine.
DEMO_PASSWORD = "lml-demo-password"  # noqa: S105
CREDENTIALS_FILE = "demo-credentials.json"
DEMO_VENUE_ID = "ven_demo"
DEMO_SEATMAP_ID = "main"
DEMO_EVENT_ID = "evt_demo"
DEMO_PRICES = (
    PriceCategory(id="premium", name="Premium", amount=8900),
    PriceCategory(id="standard", name="Standard", amount=6500),
    PriceCategory(id="economy", name="Economy", amount=4500),
    PriceCategory(id="floor", name="Floor standing", amount=3900),
)
DEMO_CHANNELS = (
    SalesChannel(id="web", name="Web shop"),
    SalesChannel(id="box-office", name="Box office"),
)


class DemoCredentials(msgspec.Struct, frozen=True):
    org_id: str
    username: str
    password: str
    client_id: str
    client_secret: str
    stripe_webhook_secret: str


def created_or_kept(outcome: Result[object, object], exists: type, what: str) -> None:
    """``what`` was created now, or by an earlier run (refused as ``exists``): either is fine."""
    if isinstance(outcome, Err) and not isinstance(outcome.error, exists):
        raise RuntimeError(f"cannot create {what}: {outcome.error}")


async def seed_demo(ports: IdentityAdapters, data_dir: Path) -> DemoCredentials:
    """Create whatever part of the demo data is missing; running it again changes nothing."""
    organisation = await create_organisation(
        CreateOrganisation(name=DEMO_ORG_NAME, org_id=DEMO_ORG_ID),
        organisations=ports.organisations,
        secrets=ports.secrets,
    )
    created_or_kept(organisation, OrganisationExists, "the demo organisation")
    user = await create_user(
        CreateUser(
            org_id=DEMO_ORG_ID, username=DEMO_USERNAME, password=DEMO_PASSWORD, scopes=ALL_SCOPES
        ),
        organisations=ports.organisations,
        users=ports.users,
        hasher=ports.hasher,
        secrets=ports.secrets,
    )
    created_or_kept(user, UsernameTaken, "the demo user")
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


class DemoEvent(msgspec.Struct, frozen=True):
    venue_id: str
    seatmap_id: str
    event_id: str


async def seed_demo_event(ports: CatalogAdapters) -> DemoEvent:
    """The demo venue, its seatmap and an event on sale a month from the first run.

    Each part is created only when missing, so a later run changes nothing.
    """
    venue = await create_venue(
        CreateVenue(org_id=DEMO_ORG_ID, name="Demo Arena", venue_id=DEMO_VENUE_ID),
        venues=ports.venues,
        ids=ports.ids,
        clock=ports.clock,
    )
    created_or_kept(venue, VenueExists, "the demo venue")
    key = SeatmapKey(DEMO_ORG_ID, DEMO_VENUE_ID, DEMO_SEATMAP_ID)
    if await ports.seatmaps.get(key) is None:
        # 4 sections of 8 rows of 12 seats: 384 seats, and two standing zones on the floor.
        document = generate_seatmap(name="Demo Arena", sections=4, rows=8, seats=12, ga_zones=2)
        stored = await put_seatmap(
            PutSeatmap(key=key, document=document), venues=ports.venues, seatmaps=ports.seatmaps
        )
        if isinstance(stored, Err):
            raise RuntimeError(f"cannot store the demo seatmap: {stored.error}")
    starts_at = (ports.clock.now() + timedelta(days=30)).replace(
        hour=20, minute=0, second=0, microsecond=0, tzinfo=UTC
    )
    event = await create_event(
        CreateEvent(
            org_id=DEMO_ORG_ID,
            venue_id=DEMO_VENUE_ID,
            seatmap_id=DEMO_SEATMAP_ID,
            event_id=DEMO_EVENT_ID,
            terms=EventTerms(
                name="Demo Concert",
                starts_at=starts_at,
                currency="EUR",
                price_categories=DEMO_PRICES,
                sales_channels=DEMO_CHANNELS,
            ),
        ),
        venues=ports.venues,
        seatmaps=ports.seatmaps,
        events=ports.events,
        ids=ports.ids,
        clock=ports.clock,
    )
    created_or_kept(event, EventExists, "the demo event")
    return DemoEvent(venue_id=DEMO_VENUE_ID, seatmap_id=DEMO_SEATMAP_ID, event_id=DEMO_EVENT_ID)
