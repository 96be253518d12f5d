"""``POST /v1/events/{event_id}/availability/tickets``: a read ticket for a browser."""

from __future__ import annotations

from litestar import post
from litestar.di import NamedDependency
from litestar.params import FromPath

from lml_api.access import requires
from lml_api.container import Container
from lml_api.problems import unwrap
from lml_api.read_tickets import Ticket
from lml_api.streaming.metrics import TICKETS
from lml_auth import Principal, Scope
from lml_seating.application import readable_event


@post(
    "/v1/events/{event_id:str}/availability/tickets",
    summary="A short-lived read ticket for this event's availability",
    description=(
        "For browsers, whose `EventSource` cannot send an `Authorization` header: pass"
        " `?ticket=` to this event's availability snapshot and stream instead of a bearer"
        " token, for about a minute (`expires_at`). The ticket reads as the caller, with"
        " `inventory.read` only, and for no other event or route."
    ),
    opt=requires(Scope.INVENTORY_READ),
    status_code=201,
)
async def issue_read_ticket(
    principal: NamedDependency[Principal],
    container: NamedDependency[Container],
    event_id: FromPath[str],
) -> Ticket:
    unwrap(await readable_event(principal.org_id, event_id, rules=container.seating.rules))
    ticket = await container.read_tickets.issue(principal, event_id)
    TICKETS.labels("issued").inc()
    return ticket


ROUTES = [issue_read_ticket]
