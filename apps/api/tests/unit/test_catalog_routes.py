"""Venues, seatmaps and events over HTTP, on the in-memory container."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from lml_api.tokens import build_tokens
from lml_auth import ALL_SCOPES
from lml_catalog.domain import generate_seatmap
from lml_config import load_settings

TOKENS = build_tokens(load_settings({}))
ORG = "org_acme"
SEATMAP = generate_seatmap(sections=2, rows=3, seats=4, ga_zones=2, name="Acme Arena")
PRICES = [
    {"id": "premium", "name": "Premium", "amount": 9900},
    {"id": "standard", "name": "Standard", "amount": 6500},
    {"id": "economy", "name": "Economy", "amount": 3500},
    {"id": "floor", "name": "Floor", "amount": 4500},
]

Client = AsyncTestClient[Litestar]


def bearer(org: str = ORG) -> dict[str, str]:
    token = TOKENS.issuer.issue("usr_1", org, ALL_SCOPES).access_token
    return {"Authorization": f"Bearer {token}"}


async def new_venue(client: Client, org: str = ORG) -> str:
    response = await client.post("/v1/venues", json={"name": "Acme Arena"}, headers=bearer(org))
    assert response.status_code == 201, response.text
    venue_id: str = response.json()["id"]
    return venue_id


async def new_seatmap(client: Client, org: str = ORG) -> tuple[str, str]:
    venue_id = await new_venue(client, org)
    path = f"/v1/venues/{venue_id}/seatmaps/main"
    response = await client.put(path, json=SEATMAP, headers=bearer(org))
    assert response.status_code == 201, response.text
    return venue_id, "main"


def event_body(venue_id: str, seatmap_id: str, **changes: Any) -> dict[str, Any]:
    return {
        "venue_id": venue_id,
        "seatmap_id": seatmap_id,
        "name": "Autumn Tour",
        "starts_at": "2026-11-30T20:15:00Z",
        "currency": "EUR",
        "price_categories": PRICES,
        **changes,
    }


def fields_of(response: Any) -> list[str]:
    assert response.status_code == 422, response.text
    assert response.json()["type"] == "/problems/validation-error"
    return [error["field"] for error in response.json()["errors"]]


async def test_given_a_name_when_a_venue_is_created_then_201_with_its_location(
    client: Client,
) -> None:
    response = await client.post("/v1/venues", json={"name": "Olympia"}, headers=bearer())

    assert response.status_code == 201
    venue = response.json()
    assert response.headers["location"] == f"/v1/venues/{venue['id']}"
    assert venue["name"] == "Olympia"
    assert venue["created_at"].endswith("Z")
    fetched = await client.get(response.headers["location"], headers=bearer())
    assert fetched.json() == venue


async def test_given_a_blank_venue_name_then_422_naming_the_field(client: Client) -> None:
    response = await client.post("/v1/venues", json={"name": " "}, headers=bearer())

    assert fields_of(response) == ["name"]


async def test_venues_are_listed_in_pages_with_a_cursor_to_the_next(client: Client) -> None:
    created = [await new_venue(client) for _ in range(3)]

    first = await client.get("/v1/venues", params={"limit": 2}, headers=bearer())
    cursor = first.json()["next_cursor"]
    second = await client.get("/v1/venues", params={"limit": 2, "cursor": cursor}, headers=bearer())

    listed = [venue["id"] for venue in first.json()["items"] + second.json()["items"]]
    assert listed == created
    assert second.json()["next_cursor"] is None


@pytest.mark.parametrize("limit", [0, 201, "ten"])
async def test_a_page_size_outside_1_to_200_is_refused(client: Client, limit: object) -> None:
    response = await client.get("/v1/venues", params={"limit": limit}, headers=bearer())

    assert fields_of(response) == ["limit"]


async def test_a_cursor_the_api_did_not_issue_is_refused(client: Client) -> None:
    response = await client.get("/v1/events", params={"cursor": "forged"}, headers=bearer())

    assert fields_of(response) == ["cursor"]


async def test_another_organisations_venue_is_not_found(client: Client) -> None:
    venue_id = await new_venue(client)

    response = await client.get(f"/v1/venues/{venue_id}", headers=bearer("org_other"))

    assert response.status_code == 404
    assert response.json()["type"] == "/problems/not-found"
    listed = await client.get("/v1/venues", headers=bearer("org_other"))
    assert listed.json() == {"items": [], "next_cursor": None}


async def test_a_seatmap_is_created_then_replaced_and_read_back_as_sent(client: Client) -> None:
    venue_id = await new_venue(client)
    path = f"/v1/venues/{venue_id}/seatmaps/main"

    created = await client.put(path, json=SEATMAP, headers=bearer())
    replaced = await client.put(path, json={**SEATMAP, "name": "Renamed"}, headers=bearer())
    fetched = await client.get(path, headers=bearer())

    assert (created.status_code, created.headers["location"]) == (201, path)
    assert replaced.status_code == 200
    assert "location" not in replaced.headers
    assert fetched.json() == {**SEATMAP, "name": "Renamed", "id": "main", "venue_id": venue_id}


async def test_given_a_broken_seatmap_then_every_problem_is_answered_with_its_path(
    client: Client,
) -> None:
    venue_id = await new_venue(client)
    broken = copy.deepcopy(SEATMAP)
    broken["sections"][1]["rows"][0]["seats"][2]["id"] = broken["sections"][0]["rows"][0]["seats"][
        0
    ]["id"]
    broken["sections"][1]["rows"][2]["seats"][0]["y"] = "high"
    broken["ga_zones"][1]["capacity"] = 0

    response = await client.put(
        f"/v1/venues/{venue_id}/seatmaps/main", json=broken, headers=bearer()
    )

    assert response.json()["errors"] == [
        {
            "field": "sections[1].rows[0].seats[2].id",
            "message": 'duplicate "101-A-1" (first at sections[0].rows[0].seats[0].id)',
        },
        {
            "field": "sections[1].rows[2].seats[0].y",
            "message": "must be a number from -1000000000 to 1000000000",
        },
        {
            "field": "ga_zones[1].capacity",
            "message": "must be a whole number from 1 to 2147483647",
        },
    ]
    missing = await client.get(f"/v1/venues/{venue_id}/seatmaps/main", headers=bearer())
    assert missing.status_code == 404


async def test_a_seatmap_id_that_cannot_be_one_is_refused(client: Client) -> None:
    venue_id = await new_venue(client)

    response = await client.put(
        f"/v1/venues/{venue_id}/seatmaps/-main", json=SEATMAP, headers=bearer()
    )

    assert fields_of(response) == ["seatmap_id"]


async def test_another_organisations_seatmap_and_venue_are_not_found(client: Client) -> None:
    venue_id, seatmap_id = await new_seatmap(client)
    path = f"/v1/venues/{venue_id}/seatmaps/{seatmap_id}"

    read = await client.get(path, headers=bearer("org_other"))
    written = await client.put(path, json=SEATMAP, headers=bearer("org_other"))

    assert (read.status_code, written.status_code) == (404, 404)
    assert (await client.get(path, headers=bearer())).json()["name"] == "Acme Arena"


async def test_an_event_is_created_with_201_its_location_and_the_seatmaps_zones(
    client: Client,
) -> None:
    venue_id, seatmap_id = await new_seatmap(client)

    response = await client.post(
        "/v1/events",
        json=event_body(venue_id, seatmap_id, starts_at="2026-11-30T21:15:00+01:00"),
        headers=bearer(),
    )

    assert response.status_code == 201, response.text
    event = response.json()
    assert response.headers["location"] == f"/v1/events/{event['id']}"
    assert event["starts_at"] == "2026-11-30T20:15:00Z"
    assert event["max_seats_per_hold"] == 10
    assert event["sales_channels"] == []
    assert [zone["id"] for zone in event["ga_zones"]] == ["GA-1", "GA-2"]
    assert (await client.get(f"/v1/events/{event['id']}", headers=bearer())).json() == event


async def test_given_unpriced_categories_then_422_names_each_at_price_categories(
    client: Client,
) -> None:
    venue_id, seatmap_id = await new_seatmap(client)

    response = await client.post(
        "/v1/events",
        json=event_body(venue_id, seatmap_id, price_categories=PRICES[:2]),
        headers=bearer(),
    )

    assert response.json()["errors"] == [
        {"field": "price_categories", "message": 'the seatmap uses "economy", which has no price'},
        {"field": "price_categories", "message": 'the seatmap uses "floor", which has no price'},
    ]


async def test_given_bad_terms_then_422_lists_every_field(client: Client) -> None:
    venue_id, seatmap_id = await new_seatmap(client)
    body = event_body(
        venue_id,
        seatmap_id,
        starts_at="2026-11-30T20:15:00",
        currency="euro",
        max_seats_per_hold=0,
        price_categories=[*PRICES[:3], {"id": "floor", "name": "Floor", "amount": -1}],
    )

    response = await client.post("/v1/events", json=body, headers=bearer())

    assert fields_of(response) == [
        "starts_at",
        "currency",
        "max_seats_per_hold",
        "price_categories[3].amount",
    ]


async def test_given_a_body_of_the_wrong_shape_then_422_names_the_field(client: Client) -> None:
    venue_id, seatmap_id = await new_seatmap(client)
    body = event_body(venue_id, seatmap_id)
    del body["currency"]

    response = await client.post("/v1/events", json=body, headers=bearer())

    assert response.status_code == 422
    assert "currency" in response.text


async def test_an_event_on_another_organisations_seatmap_is_refused_as_not_found(
    client: Client,
) -> None:
    venue_id, seatmap_id = await new_seatmap(client)

    response = await client.post(
        "/v1/events", json=event_body(venue_id, seatmap_id), headers=bearer("org_other")
    )

    assert response.status_code == 404


async def test_another_organisations_event_is_not_found_nor_listed(client: Client) -> None:
    venue_id, seatmap_id = await new_seatmap(client)
    created = await client.post(
        "/v1/events", json=event_body(venue_id, seatmap_id), headers=bearer()
    )

    fetched = await client.get(created.headers["location"], headers=bearer("org_other"))
    listed = await client.get("/v1/events", headers=bearer("org_other"))

    assert fetched.status_code == 404
    assert listed.json()["items"] == []


async def test_events_are_listed_by_start_time(client: Client) -> None:
    venue_id, seatmap_id = await new_seatmap(client)
    for day in (3, 1, 2):
        body = event_body(
            venue_id, seatmap_id, name=f"Day {day}", starts_at=f"2026-12-0{day}T19:00:00Z"
        )
        await client.post("/v1/events", json=body, headers=bearer())

    listed = await client.get("/v1/events", headers=bearer())

    assert [event["name"] for event in listed.json()["items"]] == ["Day 1", "Day 2", "Day 3"]


async def test_the_openapi_document_states_the_price_category_rule(client: Client) -> None:
    schema = (await client.get("/schema/openapi.json")).json()

    put_seatmap = schema["paths"]["/v1/venues/{venue_id}/seatmaps/{seatmap_id}"]["put"]
    post_event = schema["paths"]["/v1/events"]["post"]
    assert "price_categories" in put_seatmap["description"]
    assert "must be priced" in post_event["description"]
