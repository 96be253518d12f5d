"""``GET /v1/events/{event_id}/availability``: every seat and GA zone of an event, as of one
stream event, with a strong ``ETag`` and 304 on revalidation.

The snapshot is a consistent cut of the event's availability stream: ``stream_id`` (also
the ``Availability-Stream-Id`` header) is the last stream event it includes
(docs/decisions/0008-consistent-availability-snapshot.md). The tag is made from what shapes
the snapshot, never from its body, so ``If-None-Match`` is answered from inventory's
configuration of the event (kept in memory, docs/decisions/0014) and one lock store call,
without reading a seat.

Gzip is this route's own, not Litestar's compression middleware: a gzip body is another
representation, so it carries another strong tag (``"<tag>-gzip"``), and ``Vary:
Accept-Encoding`` says the answer depends on it. The middleware would keep the identity
tag on a gzip body, and compress other routes' strong ``ETag`` answers the same way.
"""

from __future__ import annotations

import gzip
import re
from typing import Annotated, cast

import msgspec
from litestar import Request, Response, get
from litestar.datastructures import ResponseHeader
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, HeaderParameter, QueryParameter

from lml_api.access import requires
from lml_api.container import Container
from lml_api.problems import unwrap
from lml_auth import Principal, Scope
from lml_seating.application import availability_tag, event_availability
from lml_seating.domain import Availability

STREAM_ID_HEADER = "Availability-Stream-Id"
CACHE_CONTROL = "no-cache"
VARY = "Accept-Encoding"
GZIP_SUFFIX = "-gzip"
# Fast and still about ten to one on seat lists; level 9 costs several times the CPU.
GZIP_LEVEL = 5

_json = msgspec.json.Encoder()

# RFC 9110 entity-tag: an optional weak prefix, then a quoted string of etagc characters.
_ENTITY_TAG = re.compile(r'\s*(?:W/)?"([\x21\x23-\x7e\x80-\xff]*)"\s*')


def requested_tags(if_none_match: str | None) -> frozenset[str] | None:
    """The opaque tags of an ``If-None-Match`` list, ``{"*"}`` for ``*``; None when absent
    or malformed (a malformed header is no match, never an error). Weak tags count as their
    strong twin: If-None-Match compares weakly (RFC 9110 13.1.2)."""
    if if_none_match is None:
        return None
    if if_none_match.strip() == "*":
        return frozenset({"*"})
    tags: set[str] = set()
    for member in if_none_match.split(","):
        if not member.strip():
            continue
        matched = _ENTITY_TAG.fullmatch(member)
        if matched is None:
            return None
        tags.add(matched.group(1))
    return frozenset(tags) or None


def accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether ``Accept-Encoding`` allows gzip: named (or ``x-gzip``, or ``*`` when gzip is
    not named) with a q-value above 0."""
    if not accept_encoding:
        return False
    qualities: dict[str, float] = {}
    for member in accept_encoding.split(","):
        coding, *parameters = (part.strip() for part in member.split(";"))
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        qualities[coding.lower()] = quality
    for coding in ("gzip", "x-gzip"):
        if coding in qualities:
            return qualities[coding] > 0
    return qualities.get("*", 0.0) > 0


def entity_tag(tag: str, gzipped: bool) -> str:
    return f'"{tag}{GZIP_SUFFIX}"' if gzipped else f'"{tag}"'


def _matches(requested: frozenset[str] | None, tag: str, gzipped: bool) -> bool:
    if requested is None:
        return False
    return "*" in requested or entity_tag(tag, gzipped)[1:-1] in requested


def _headers(tag: str, stream_id: str, gzipped: bool) -> dict[str, str]:
    return {
        "ETag": entity_tag(tag, gzipped),
        "Cache-Control": CACHE_CONTROL,
        "Vary": VARY,
        STREAM_ID_HEADER: stream_id,
    }


def _not_modified(tag: str, stream_id: str, gzipped: bool) -> Response[Availability]:
    # 304 carries the validator and the caching headers a 200 would (RFC 9110 15.4.5).
    return cast(
        "Response[Availability]",
        Response(b"", status_code=304, headers=_headers(tag, stream_id, gzipped)),
    )


@get(
    "/v1/events/{event_id:str}/availability",
    summary="Every seat's status and every GA zone's counts, as of one stream event",
    description=(
        "Seats read `available`, `held`, `sold` or `blocked`. With `sales_channel_id`, "
        "seats reserved for another channel read `blocked`, as they cannot be held through "
        "it; without it, seats reserved for any channel do. `counts` add seats and GA places "
        "up: available + held + sold + blocked is the event's capacity.\n\n"
        "`stream_id` (also the `Availability-Stream-Id` header) is the id of the last event "
        "of the availability stream the snapshot includes (`0-0` when the event has none): "
        "applying every later event to it gives what a later snapshot shows. `seat.held` "
        "makes its seats held and `seat.released` its seats available, unless they read "
        "`sold` or `blocked`; `zone.updated` sets a zone's counters.\n\n"
        "The `ETag` is strong and derives from the stream id, the event's inventory "
        "configuration and `sales_channel_id`. `If-None-Match` with the current tag answers "
        "304; a malformed `If-None-Match` matches nothing. With `Accept-Encoding: gzip` the "
        "body is gzip and its tag ends in `-gzip`."
    ),
    opt=requires(Scope.INVENTORY_READ, tickets=True),
    response_headers=[
        ResponseHeader(
            name="ETag",
            documentation_only=True,
            description='Strong entity tag of this representation: `"<tag>"`, or '
            '`"<tag>-gzip"` for the gzip body.',
        ),
        ResponseHeader(
            name="Cache-Control",
            documentation_only=True,
            description="`no-cache`: a cache may keep it, and revalidates before each use.",
        ),
        ResponseHeader(
            name=STREAM_ID_HEADER,
            documentation_only=True,
            description="The snapshot's `stream_id`: the last stream event it includes.",
        ),
        ResponseHeader(name="Vary", documentation_only=True, description="`Accept-Encoding`."),
    ],
    responses={
        304: ResponseSpec(
            data_container=None,
            description="Not modified: `If-None-Match` named the current tag. Carries `ETag`, "
            f"`Cache-Control`, `Vary` and `{STREAM_ID_HEADER}` as a 200 would; no body.",
        )
    },
)
async def read_availability(
    request: Request,  # type: ignore[type-arg]
    principal: NamedDependency[Principal],
    container: NamedDependency[Container],
    event_id: FromPath[str],
    sales_channel_id: Annotated[
        str | None, QueryParameter(description="Show availability through this sales channel.")
    ] = None,
    ticket: Annotated[
        str | None, QueryParameter(description="A read ticket, instead of a bearer token.")
    ] = None,
    if_none_match: Annotated[
        str | None,
        HeaderParameter(
            name="If-None-Match",
            description="Entity tags from earlier answers; the current one answers 304.",
        ),
    ] = None,
) -> Response[Availability]:
    seating = container.seating
    gzipped = accepts_gzip(request.headers.get("accept-encoding"))
    requested = requested_tags(if_none_match)
    if requested is not None:
        current = unwrap(
            await availability_tag(
                principal.org_id,
                event_id,
                sales_channel_id,
                configurations=seating.configurations,
                live=seating.live,
            )
        )
        if _matches(requested, current.tag, gzipped):
            return _not_modified(current.tag, current.stream_id, gzipped)
    snapshot = unwrap(
        await event_availability(
            principal.org_id,
            event_id,
            sales_channel_id,
            inventory=seating.inventory,
            live=seating.live,
            clock=seating.clock,
        )
    )
    stream_id = snapshot.availability.stream_id
    if _matches(requested, snapshot.tag, gzipped):
        return _not_modified(snapshot.tag, stream_id, gzipped)
    body = _json.encode(snapshot.availability)
    headers = _headers(snapshot.tag, stream_id, gzipped)
    if gzipped:
        body = gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
        headers["Content-Encoding"] = "gzip"
    # The body is rendered here (to gzip it); Litestar sends bytes as they are.
    return cast(
        "Response[Availability]",
        Response(body, media_type="application/json", headers=headers),
    )


ROUTES = [read_availability]
