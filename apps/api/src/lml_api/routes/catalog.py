"""Venues, their seatmaps and events: ``/v1/venues`` and ``/v1/events``.

Another organisation's venue, seatmap or event answers 404, exactly like one that
does not exist.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, Response, get, post, put
from litestar.di import NamedDependency, Provide
from litestar.params import Body, FromPath, JSONBody

from lml_api.access import requires
from lml_api.container import Container
from lml_api.problems import unwrap
from lml_api.routes.paging import DEFAULT_LIMIT, Limit, PageCursor
from lml_api.routes.responses import created_response
from lml_auth import Principal, Scope
from lml_catalog.application import (
    CreateEvent,
    CreateVenue,
    PutSeatmap,
    create_event,
    create_venue,
    get_event,
    get_seatmap,
    get_venue,
    list_events,
    list_venues,
    put_seatmap,
)
from lml_catalog.domain import (
    DEFAULT_MAX_SEATS_PER_HOLD,
    Event,
    EventTerms,
    GaZone,
    PriceCategory,
    SalesChannel,
    Seatmap,
    SeatmapCategory,
    SeatmapKey,
    Section,
    Venue,
)
from lml_catalog.infrastructure.adapters import CatalogAdapters

# A stadium's seatmap is several megabytes of JSON; MongoDB stores at most 16 MiB per document.
SEATMAP_MAX_BODY_BYTES = 16 * 1024 * 1024

SEATMAP_DOCUMENT = (
    "A seatmap document: `{name, sections: [{id, name, rows: [{id, seats: [{id, number, x, y,"
    " price_category, accessible?}]}]}], ga_zones: [{id, name, capacity, price_category}],"
    " price_categories?: [{id, name}]}`. Seat ids are unique in the seatmap, row ids in their"
    " section, and section and GA zone ids together. Seat numbers are positive integers,"
    " coordinates numbers, GA capacities positive integers. When the optional top-level"
    " `price_categories` is given, every seat's and zone's category must be one of its ids."
    " Every problem is answered at once: 422 `validation-error` with one `errors` entry per"
    " problem, whose `field` is its JSON path (`sections[2].rows[0].seats[14].id`)."
)


class NewVenue(msgspec.Struct, frozen=True):
    name: str


class VenueOut(msgspec.Struct, frozen=True):
    id: str
    name: str
    created_at: datetime


class VenuePage(msgspec.Struct, frozen=True):
    items: list[VenueOut]
    next_cursor: str | None


class SeatmapOut(msgspec.Struct, frozen=True, omit_defaults=True):
    id: str
    venue_id: str
    name: str
    sections: tuple[Section, ...]
    ga_zones: tuple[GaZone, ...]
    price_categories: tuple[SeatmapCategory, ...] | None = None


class NewEvent(msgspec.Struct, frozen=True):
    venue_id: str
    seatmap_id: str
    name: str
    starts_at: datetime
    currency: str
    price_categories: tuple[PriceCategory, ...]
    sales_channels: tuple[SalesChannel, ...] = ()
    max_seats_per_hold: int = DEFAULT_MAX_SEATS_PER_HOLD


class EventOut(msgspec.Struct, frozen=True):
    id: str
    venue_id: str
    seatmap_id: str
    name: str
    starts_at: datetime
    currency: str
    price_categories: tuple[PriceCategory, ...]
    sales_channels: tuple[SalesChannel, ...]
    max_seats_per_hold: int
    ga_zones: tuple[GaZone, ...]
    created_at: datetime


class EventPage(msgspec.Struct, frozen=True):
    items: list[EventOut]
    next_cursor: str | None


def venue_out(venue: Venue) -> VenueOut:
    return VenueOut(id=venue.id, name=venue.name, created_at=venue.created_at)


def seatmap_out(key: SeatmapKey, seatmap: Seatmap) -> SeatmapOut:
    return SeatmapOut(
        id=key.seatmap_id,
        venue_id=key.venue_id,
        name=seatmap.name,
        sections=seatmap.sections,
        ga_zones=seatmap.ga_zones,
        price_categories=seatmap.price_categories,
    )


def event_out(event: Event) -> EventOut:
    terms = event.terms
    return EventOut(
        id=event.id,
        venue_id=event.venue_id,
        seatmap_id=event.seatmap_id,
        name=terms.name,
        starts_at=terms.starts_at,
        currency=terms.currency,
        price_categories=terms.price_categories,
        sales_channels=terms.sales_channels,
        max_seats_per_hold=terms.max_seats_per_hold,
        ga_zones=event.ga_zones,
        created_at=event.created_at,
    )


def catalog_of(container: NamedDependency[Container]) -> CatalogAdapters:
    return container.catalog


CATALOG = {"catalog": Provide(catalog_of, sync_to_thread=False)}


class Venues(Controller):
    """A venue and its seatmaps; each route declares the scope it needs."""

    path = "/v1/venues"
    dependencies = CATALOG

    @post(
        summary="Create a venue",
        opt=requires(Scope.VENUES_WRITE),
        status_code=201,
    )
    async def create_venue_route(
        self,
        principal: NamedDependency[Principal],
        catalog: NamedDependency[CatalogAdapters],
        data: JSONBody[NewVenue],
    ) -> Response[VenueOut]:
        venue = unwrap(
            await create_venue(
                CreateVenue(org_id=principal.org_id, name=data.name),
                venues=catalog.venues,
                ids=catalog.ids,
                clock=catalog.clock,
            )
        )
        return created_response(venue_out(venue), f"/v1/venues/{venue.id}")

    @get(summary="The organisation's venues, oldest first", opt=requires(Scope.VENUES_READ))
    async def list_venues_route(
        self,
        principal: NamedDependency[Principal],
        catalog: NamedDependency[CatalogAdapters],
        limit: Limit = DEFAULT_LIMIT,
        cursor: PageCursor = None,
    ) -> VenuePage:
        page = unwrap(
            await list_venues(principal.org_id, limit=limit, cursor=cursor, venues=catalog.venues)
        )
        return VenuePage(items=[venue_out(v) for v in page.items], next_cursor=page.next_cursor)

    @get("/{venue_id:str}", summary="A venue", opt=requires(Scope.VENUES_READ))
    async def get_venue_route(
        self,
        principal: NamedDependency[Principal],
        catalog: NamedDependency[CatalogAdapters],
        venue_id: FromPath[str],
    ) -> VenueOut:
        venue = unwrap(await get_venue(principal.org_id, venue_id, venues=catalog.venues))
        return venue_out(venue)

    @put(
        "/{venue_id:str}/seatmaps/{seatmap_id:str}",
        summary="Upload a venue's seatmap, creating or replacing it",
        description=f"{SEATMAP_DOCUMENT} Answers 201 with a Location header when the seatmap is"
        " new, 200 when it replaced one. Seatmap ids are 1 to 64 letters, digits, '.', '_' or"
        " '-'. The body may be up to 16 MiB.",
        opt=requires(Scope.VENUES_WRITE),
        request_max_body_size=SEATMAP_MAX_BODY_BYTES,
    )
    async def put_seatmap_route(
        self,
        principal: NamedDependency[Principal],
        catalog: NamedDependency[CatalogAdapters],
        venue_id: FromPath[str],
        seatmap_id: FromPath[str],
        data: Annotated[dict[str, Any], Body(description=SEATMAP_DOCUMENT)],
    ) -> Response[SeatmapOut]:
        key = SeatmapKey(principal.org_id, venue_id, seatmap_id)
        stored = unwrap(
            await put_seatmap(
                PutSeatmap(key=key, document=data), venues=catalog.venues, seatmaps=catalog.seatmaps
            )
        )
        body = seatmap_out(key, stored.seatmap)
        if not stored.created:
            return Response(body, status_code=200)
        return created_response(body, f"/v1/venues/{venue_id}/seatmaps/{seatmap_id}")

    @get(
        "/{venue_id:str}/seatmaps/{seatmap_id:str}",
        summary="A venue's seatmap",
        opt=requires(Scope.VENUES_READ),
    )
    async def get_seatmap_route(
        self,
        principal: NamedDependency[Principal],
        catalog: NamedDependency[CatalogAdapters],
        venue_id: FromPath[str],
        seatmap_id: FromPath[str],
    ) -> SeatmapOut:
        key = SeatmapKey(principal.org_id, venue_id, seatmap_id)
        seatmap = unwrap(await get_seatmap(key, seatmaps=catalog.seatmaps))
        return seatmap_out(key, seatmap)


class Events(Controller):
    """Events, each of one venue's seatmap; each route declares the scope it needs."""

    path = "/v1/events"
    dependencies = CATALOG

    @post(
        summary="Create an event and its inventory",
        description="Materialises one inventory row per seat of the seatmap and one counter per"
        " GA zone, in one transaction. Every price category the seatmap uses (by its seats and"
        " zones) must be priced in `price_categories`: each missing one is a 422 error at the"
        " field `price_categories`. `currency` is an ISO 4217 code of 3 upper-case letters,"
        " `amount`s are minor units, at least 0. `max_seats_per_hold` is 1 to 100, default 10."
        " `starts_at` is an RFC 3339 time with an offset, answered in UTC. An unknown venue or"
        " seatmap, or another organisation's, is 404. GA zones are listed by id.",
        opt=requires(Scope.EVENTS_WRITE),
        status_code=201,
    )
    async def create_event_route(
        self,
        principal: NamedDependency[Principal],
        catalog: NamedDependency[CatalogAdapters],
        data: JSONBody[NewEvent],
    ) -> Response[EventOut]:
        terms = EventTerms(
            name=data.name,
            starts_at=data.starts_at,
            currency=data.currency,
            price_categories=data.price_categories,
            sales_channels=data.sales_channels,
            max_seats_per_hold=data.max_seats_per_hold,
        )
        command = CreateEvent(
            org_id=principal.org_id, venue_id=data.venue_id, seatmap_id=data.seatmap_id, terms=terms
        )
        event = unwrap(
            await create_event(
                command,
                venues=catalog.venues,
                seatmaps=catalog.seatmaps,
                events=catalog.events,
                ids=catalog.ids,
                clock=catalog.clock,
            )
        )
        return created_response(event_out(event), f"/v1/events/{event.id}")

    @get(
        summary="The organisation's events, by start time",
        opt=requires(Scope.INVENTORY_READ),
    )
    async def list_events_route(
        self,
        principal: NamedDependency[Principal],
        catalog: NamedDependency[CatalogAdapters],
        limit: Limit = DEFAULT_LIMIT,
        cursor: PageCursor = None,
    ) -> EventPage:
        page = unwrap(
            await list_events(principal.org_id, limit=limit, cursor=cursor, events=catalog.events)
        )
        return EventPage(items=[event_out(e) for e in page.items], next_cursor=page.next_cursor)

    @get("/{event_id:str}", summary="An event", opt=requires(Scope.INVENTORY_READ))
    async def get_event_route(
        self,
        principal: NamedDependency[Principal],
        catalog: NamedDependency[CatalogAdapters],
        event_id: FromPath[str],
    ) -> EventOut:
        event = unwrap(await get_event(principal.org_id, event_id, events=catalog.events))
        return event_out(event)


ROUTES = [Venues, Events]
