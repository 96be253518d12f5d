"""The OpenAPI document shows the headers the middleware reads and writes."""

from litestar.testing import AsyncTestClient


async def openapi(client: AsyncTestClient) -> dict:
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    return response.json()


def header_names(operation: dict) -> set[str]:
    return {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}


async def test_a_mutating_v1_route_documents_the_idempotency_key(client: AsyncTestClient) -> None:
    paths = (await openapi(client))["paths"]
    assert "Idempotency-Key" in header_names(paths["/v1/holds"]["post"])
    assert "Idempotency-Key" in header_names(paths["/v1/holds/{hold_id}"]["delete"])


async def test_routes_that_ignore_the_key_do_not_document_it(client: AsyncTestClient) -> None:
    paths = (await openapi(client))["paths"]
    assert "Idempotency-Key" not in header_names(paths["/v1/oauth/token"]["post"])
    assert "Idempotency-Key" not in header_names(paths["/v1/holds/{hold_id}"]["get"])


async def test_a_limited_route_documents_its_rate_limit_headers_and_429(
    client: AsyncTestClient,
) -> None:
    responses = (await openapi(client))["paths"]["/v1/holds"]["post"]["responses"]
    assert {"X-RateLimit-Remaining", "RateLimit", "RateLimit-Policy"} <= set(
        responses["201"]["headers"]
    )
    assert "Retry-After" in responses["429"]["headers"]


async def test_an_unlimited_probe_documents_no_rate_limit(client: AsyncTestClient) -> None:
    responses = (await openapi(client))["paths"]["/livez"]["get"]["responses"]
    assert "429" not in responses
    assert "RateLimit" not in responses["200"].get("headers", {})
