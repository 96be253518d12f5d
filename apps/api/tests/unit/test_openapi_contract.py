"""The OpenAPI document says everything an operation can answer, derived from what the app
declares: its access, its parameters and body, its middleware and its use cases' outcomes."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.routes import HTTPRoute
from litestar.testing import AsyncTestClient

from lml_api.openapi_contract import EXTENSIONS, ROUTE_HEADERS, ROUTE_PROBLEMS
from lml_api.problems import CATALOGUE
from lml_auth import ALL_SCOPES

PROBLEM = "application/problem+json"


async def openapi(client: AsyncTestClient[Litestar]) -> dict[str, Any]:
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "responses" in operation
    ]


def slugs_of(response: dict[str, Any]) -> set[str]:
    schema = response["content"][PROBLEM]["schema"]
    refs = [schema] if "$ref" in schema else schema["anyOf"]
    return {ref["$ref"].rsplit("/", 1)[1].removeprefix("Problem-") for ref in refs}


def test_every_route_table_entry_names_a_real_operation_and_catalogued_slugs(app: Litestar) -> None:
    paths = app.openapi_schema.paths or {}
    for method, path in [*ROUTE_PROBLEMS, *ROUTE_HEADERS]:
        assert getattr(paths[path], method.lower()) is not None, (method, path)
    for slugs in ROUTE_PROBLEMS.values():
        assert set(slugs) <= set(CATALOGUE)
    assert set(EXTENSIONS) <= set(CATALOGUE)


async def test_every_error_answer_is_problem_details_of_its_status(
    client: AsyncTestClient[Litestar],
) -> None:
    document = await openapi(client)
    for method, path, operation in operations(document):
        for status, response in operation["responses"].items():
            if int(status) < 400 or PROBLEM not in response.get("content", {}):
                continue
            for slug in slugs_of(response):
                assert CATALOGUE[slug].status == int(status), (method, path, status, slug)


async def test_every_error_answer_except_oauth_errors_is_problem_details(
    client: AsyncTestClient[Litestar],
) -> None:
    document = await openapi(client)
    for method, path, operation in operations(document):
        for status, response in operation["responses"].items():
            # The token endpoint answers RFC 6749 errors, /readyz its per-check body.
            own_body = "OAuthError" in str(response) or "Readiness" in str(response)
            if int(status) >= 400 and not own_body:
                assert PROBLEM in response["content"], (method, path, status)


async def test_a_scoped_operation_names_its_scope_and_answers_401_and_403(
    client: AsyncTestClient[Litestar],
) -> None:
    document = await openapi(client)
    operation = document["paths"]["/v1/holds"]["post"]
    assert operation["security"] == [{"oauth2": ["inventory.holds:write"]}]
    assert slugs_of(operation["responses"]["401"]) == {"unauthenticated"}
    assert slugs_of(operation["responses"]["403"]) == {"insufficient-scope", "org-mismatch"}
    assert "WWW-Authenticate" in operation["responses"]["401"]["headers"]


async def test_a_public_operation_needs_no_token(client: AsyncTestClient[Litestar]) -> None:
    document = await openapi(client)
    assert document["paths"]["/livez"]["get"]["security"] == []
    assert "401" not in document["paths"]["/livez"]["get"]["responses"]


async def test_both_oauth2_flows_offer_every_scope(client: AsyncTestClient[Litestar]) -> None:
    flows = (await openapi(client))["components"]["securitySchemes"]["oauth2"]["flows"]
    assert set(flows) == {"password", "clientCredentials"}
    for flow in flows.values():
        assert flow["tokenUrl"] == "/v1/oauth/token"
        assert set(flow["scopes"]) == ALL_SCOPES


async def test_the_availability_routes_also_take_a_read_ticket(
    client: AsyncTestClient[Litestar],
) -> None:
    document = await openapi(client)
    security = document["paths"]["/v1/events/{event_id}/availability"]["get"]["security"]
    assert {"readTicket": []} in security


async def test_outcomes_carry_their_slugs_and_extension_members(
    client: AsyncTestClient[Litestar],
) -> None:
    document = await openapi(client)
    responses = document["paths"]["/v1/holds"]["post"]["responses"]
    assert slugs_of(responses["409"]) == {"seat-conflict", "idempotency-key-reuse"}
    assert slugs_of(responses["422"]) == {"validation-error", "hold-limit-exceeded"}
    conflict = document["components"]["schemas"]["Problem-seat-conflict"]["allOf"][1]
    assert {"conflicting_seats", "conflicting_zones"} <= set(conflict["properties"])
    scope = document["components"]["schemas"]["Problem-insufficient-scope"]["allOf"][1]
    assert scope["required"] == ["required_scope"]


async def test_idempotent_operations_document_the_replay_and_the_in_flight_answer(
    client: AsyncTestClient[Litestar],
) -> None:
    document = await openapi(client)
    responses = document["paths"]["/v1/holds"]["post"]["responses"]
    assert "Idempotent-Replayed" in responses["201"]["headers"]
    assert {"Location", "ETag", "X-Request-ID"} <= set(responses["201"]["headers"])
    assert "Retry-After" in responses["202"]["headers"]


async def test_every_operation_takes_and_answers_a_request_id(
    client: AsyncTestClient[Litestar],
) -> None:
    document = await openapi(client)
    for method, path, operation in operations(document):
        names = {p["name"] for p in operation.get("parameters", [])}
        assert "X-Request-ID" in names, (method, path)
        for status, response in operation["responses"].items():
            assert "X-Request-ID" in response["headers"], (method, path, status)


async def test_bodies_refuse_unknown_fields_where_the_server_does(
    client: AsyncTestClient[Litestar],
) -> None:
    schemas = (await openapi(client))["components"]["schemas"]
    assert schemas["NewHold"]["additionalProperties"] is False
    assert schemas["NewOrder"]["additionalProperties"] is False
    assert schemas["Extension"]["additionalProperties"] is False


async def test_ttl_bounds_are_the_configured_ones(make_app: Any) -> None:
    app = make_app(hold_min_ttl_seconds="45", hold_max_ttl_seconds="600")
    async with AsyncTestClient(app) as client:
        schemas = (await openapi(client))["components"]["schemas"]
    ttl = schemas["Extension"]["properties"]["ttl_seconds"]["anyOf"][0]
    assert (ttl["minimum"], ttl["maximum"]) == (45, 600)


async def test_the_stream_documents_its_events(client: AsyncTestClient[Litestar]) -> None:
    document = await openapi(client)
    content = document["paths"]["/v1/events/{event_id}/availability/stream"]["get"]["responses"][
        "200"
    ]["content"]
    event = document["components"]["schemas"]["AvailabilityEvent"]
    assert content["text/event-stream"]["schema"] == {
        "$ref": "#/components/schemas/AvailabilityEvent"
    }
    assert {
        "seat.held",
        "seat.released",
        "seat.sold",
        "zone.updated",
        "seat.batch",
        "resync",
    } == set(event["properties"]["event"]["enum"])


async def test_options_lists_exactly_the_methods_of_its_path(
    app: Litestar, client: AsyncTestClient[Litestar]
) -> None:
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        path = route.path.replace("{", "").replace(":str}", "").replace("}", "")
        response = await client.options(path)
        if response.status_code == 204:
            assert set(response.headers["allow"].split(", ")) == set(route.methods), route.path


async def test_options_on_events_lists_get_too(client: AsyncTestClient[Litestar]) -> None:
    response = await client.options("/v1/events")
    assert response.status_code == 204
    assert response.headers["allow"] == "GET, OPTIONS, POST"


async def test_a_method_the_path_lacks_is_405_with_its_methods(
    client: AsyncTestClient[Litestar],
) -> None:
    response = await client.put("/v1/events")
    assert response.status_code == 405
    assert set(response.headers["allow"].split(", ")) == {"GET", "OPTIONS", "POST"}


async def test_options_needs_no_token_on_a_path_whose_controller_declares_a_scope(
    client: AsyncTestClient[Litestar],
) -> None:
    response = await client.options("/v1/holds/hld_1")
    assert response.status_code == 204
    assert response.headers["allow"] == "DELETE, GET, OPTIONS, PATCH"
