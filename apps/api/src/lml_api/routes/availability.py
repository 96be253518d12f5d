"""``GET /v1/events/{event_id}/availability``: every seat and GA zone of an event, now."""

from __future__ import annotations

from typing import Annotated

from litestar import get
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter

from lml_api.access import requires
from lml_api.container import Container
from lml_api.problems import unwrap
from lml_auth import Principal, Scope
from lml_seating.application import event_availability
from lml_seating.domain import Availability


@get(
    "/v1/events/{event_id:str}/availability",
    summary="Every seat's status and every GA zone's counts",
    description=(
        "Seats read `available`, `held`, `sold` or `blocked`. With `sales_channel_id`, "
        "seats reserved for another channel read `blocked`, as they cannot be held through "
        "it; without it, seats reserved for any channel do. `counts` add seats and GA places "
        "up: available + held + sold + blocked is the event's capacity."
    ),
    opt=requires(Scope.INVENTORY_READ, tickets=True),
)
async def read_availability(
    principal: NamedDependency[Principal],
    container: NamedDependency[Container],
    event_id: FromPath[str],
    sales_channel_id: Annotated[
        str | None, QueryParameter(description="Show availability through this sales channel.")
    ] = None,
    ticket: Annotated[
        str | None, QueryParameter(description="A read ticket, instead of a bearer token.")
    ] = None,
) -> Availability:
    seating = container.seating
    return unwrap(
        await event_availability(
            principal.org_id,
            event_id,
            sales_channel_id,
            inventory=seating.inventory,
            live=seating.live,
            clock=seating.clock,
        )
    )


ROUTES = [read_availability]
