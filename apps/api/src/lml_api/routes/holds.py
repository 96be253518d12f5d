"""Holds: ``POST /v1/holds``, ``GET|PATCH|DELETE /v1/holds/{hold_id}``.

A hold keeps seats and GA places for a few minutes, all or nothing. Its token, returned
once at creation (also as the ``ETag``), is the fencing token every change needs: as
``If-Match: "<hold_token>"``, or as ``hold_token`` in the PATCH body or DELETE query.
"""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, Response, delete, get, patch, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, HeaderParameter, JSONBody, QueryParameter

from lml_api.access import requires
from lml_api.container import Container
from lml_api.problems import ProblemError, unwrap
from lml_api.routes.responses import created_response
from lml_auth import Principal, Scope
from lml_seating.application import (
    ExtendHold,
    HoldSeats,
    ReleaseHold,
    extend_hold,
    get_hold,
    hold_seats,
    release_hold,
)
from lml_seating.domain import GaQuantity, Hold, rfc3339
from lml_seating.infrastructure.adapters import SeatingAdapters

MAX_SEATS_IN_REQUEST = 500
MAX_ZONES_IN_REQUEST = 50

Id = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
IfMatch = Annotated[
    str | None,
    HeaderParameter(
        name="If-Match", description='The hold token as an entity tag: `"<hold_token>"`.'
    ),
]


class GaRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    zone_id: Id
    quantity: int


class NewHold(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    event_id: Id
    seat_ids: Annotated[list[Id], msgspec.Meta(max_length=MAX_SEATS_IN_REQUEST)] = []
    ga: Annotated[list[GaRequest], msgspec.Meta(max_length=MAX_ZONES_IN_REQUEST)] = []
    sales_channel_id: Id | None = None
    ttl_seconds: int | None = None


class Extension(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    ttl_seconds: int | None = None
    hold_token: str | None = None


class GaView(msgspec.Struct, frozen=True):
    zone_id: str
    quantity: int


class HoldView(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    event_id: str
    seat_ids: list[str]
    ga: list[GaView]
    sales_channel_id: str | None
    status: str
    expires_at: str
    max_expires_at: str
    created_at: str


class CreatedHold(HoldView, frozen=True, kw_only=True):
    """A hold as its creator sees it: the one answer that carries its token."""

    hold_token: str


def view(hold: Hold) -> HoldView:
    return HoldView(
        id=hold.id,
        event_id=hold.event_id,
        seat_ids=list(hold.seat_ids),
        ga=[GaView(item.zone_id, item.quantity) for item in hold.ga],
        sales_channel_id=hold.sales_channel_id,
        status=hold.status.value,
        expires_at=rfc3339(hold.expires_at),
        max_expires_at=rfc3339(hold.max_expires_at),
        created_at=rfc3339(hold.created_at),
    )


def entity_tag(token: str) -> str:
    return f'"{token}"'


def presented_token(if_match: str | None, in_request: str | None) -> str | None:
    """The token from ``If-Match`` (a strong entity tag) or the request; both must agree."""
    header = None
    if if_match is not None:
        tag = if_match.strip()
        header = tag[1:-1] if len(tag) >= 2 and tag[0] == tag[-1] == '"' else tag
    if header is not None and in_request is not None and header != in_request:
        raise ProblemError(
            "precondition-failed", "If-Match and hold_token name different hold tokens."
        )
    return header if header is not None else in_request


def seating_of(container: NamedDependency[Container]) -> SeatingAdapters:
    return container.seating


class Holds(Controller):
    """Every hold route needs ``inventory.holds:write`` and the seating adapters."""

    path = "/v1/holds"
    opt = requires(Scope.INVENTORY_HOLDS_WRITE)
    dependencies = {"seating": Provide(seating_of, sync_to_thread=False)}

    @post(
        summary="Hold seats and GA places, all or nothing",
        description="409 `seat-conflict` names every seat and zone in the way; nothing is held.",
    )
    async def create_hold(
        self,
        principal: NamedDependency[Principal],
        seating: NamedDependency[SeatingAdapters],
        data: JSONBody[NewHold],
    ) -> Response[CreatedHold]:
        grant = unwrap(
            await hold_seats(
                HoldSeats(
                    org_id=principal.org_id,
                    event_id=data.event_id,
                    seat_ids=tuple(data.seat_ids),
                    ga=tuple(GaQuantity(item.zone_id, item.quantity) for item in data.ga),
                    sales_channel_id=data.sales_channel_id,
                    ttl_seconds=data.ttl_seconds,
                ),
                policy=seating.policy,
                rules=seating.rules,
                locks=seating.locks,
                inventory=seating.inventory,
                identities=seating.identities,
            )
        )
        shown = view(grant.hold)
        created = CreatedHold(hold_token=grant.token, **msgspec.structs.asdict(shown))
        return created_response(created, f"/v1/holds/{shown.id}", etag=entity_tag(grant.token))

    @get(
        "/{hold_id:str}",
        summary="A hold of the caller's organisation (without its token)",
    )
    async def read_hold(
        self,
        principal: NamedDependency[Principal],
        seating: NamedDependency[SeatingAdapters],
        hold_id: FromPath[str],
    ) -> HoldView:
        hold = unwrap(
            await get_hold(
                principal.org_id, hold_id, inventory=seating.inventory, clock=seating.clock
            )
        )
        return view(hold)

    @patch(
        "/{hold_id:str}",
        summary="Extend a hold: it then expires ttl_seconds from now",
        description="Needs the hold token. Never past the hold's `max_expires_at`.",
    )
    async def extend(
        self,
        principal: NamedDependency[Principal],
        seating: NamedDependency[SeatingAdapters],
        hold_id: FromPath[str],
        data: JSONBody[Extension],
        if_match: IfMatch = None,
    ) -> Response[HoldView]:
        token = presented_token(if_match, data.hold_token)
        hold = unwrap(
            await extend_hold(
                ExtendHold(
                    org_id=principal.org_id,
                    hold_id=hold_id,
                    token=token,
                    ttl_seconds=data.ttl_seconds,
                ),
                policy=seating.policy,
                locks=seating.locks,
                inventory=seating.inventory,
                clock=seating.clock,
            )
        )
        assert token is not None
        return Response(view(hold), headers={"ETag": entity_tag(token)})

    @delete(
        "/{hold_id:str}",
        summary="Release a hold: its seats and places are free at once",
        description="Needs the hold token.",
    )
    async def release(
        self,
        principal: NamedDependency[Principal],
        seating: NamedDependency[SeatingAdapters],
        hold_id: FromPath[str],
        if_match: IfMatch = None,
        hold_token: Annotated[
            str | None, QueryParameter(description="The hold token, when not sent as If-Match.")
        ] = None,
    ) -> None:
        unwrap(
            await release_hold(
                ReleaseHold(
                    org_id=principal.org_id,
                    hold_id=hold_id,
                    token=presented_token(if_match, hold_token),
                ),
                locks=seating.locks,
                inventory=seating.inventory,
                clock=seating.clock,
            )
        )


ROUTES = [Holds]
