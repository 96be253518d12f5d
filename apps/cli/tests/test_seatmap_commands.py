"""``lml seatmap generate`` and ``lml seatmap import``, as an operator runs them."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import msgspec
import pytest
import pytest_asyncio
from click.testing import CliRunner, Result
from pymongo import AsyncMongoClient

from lml_catalog.application import CreateVenue, create_venue
from lml_catalog.domain import SeatmapKey, generate_seatmap
from lml_catalog.infrastructure import COLLECTION, MongoSeatmaps, PostgresVenues
from lml_catalog.infrastructure.random_ids import RandomIds
from lml_cli.main import cli
from lml_clocks import SystemClock
from lml_postgres import AppPool
from lml_result import Ok
from lml_tenancy import with_tenant
from lml_testing.databases import TemporaryDatabase


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env={"LML_ENV": "test", **(env or {})})


async def run_beside_the_loop(*args: str, env: dict[str, str]) -> Result:
    """The command runs its own event loop, so from an async test it runs in a thread."""
    return await asyncio.to_thread(run, *args, env=env)


def test_generate_prints_a_seatmap_of_the_size_asked_for() -> None:
    result = run(
        "seatmap", "generate", "--sections", "3", "--rows", "4", "--seats", "5", "--ga-zones", "2"
    )

    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    seats = [s for sec in document["sections"] for row in sec["rows"] for s in row["seats"]]
    assert (len(seats), len(document["ga_zones"])) == (60, 2)


def test_generate_writes_to_a_file_when_asked(tmp_path: Path) -> None:
    output = tmp_path / "stadium.json"

    result = run(
        "seatmap", "generate", "--sections", "80", "--rows", "25", "--seats", "40",
        "--ga-zones", "4", "--output", str(output),
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert "Wrote 80,000 seats and 4 GA zones" in result.stderr
    assert msgspec.json.decode(output.read_bytes())["ga_zones"][3]["id"] == "GA-4"


def test_generate_refuses_a_seatmap_with_nothing_to_sell() -> None:
    result = run("seatmap", "generate", "--sections", "0", "--ga-zones", "0")

    assert result.exit_code == 2
    assert "no seats and no GA zones" in result.output


@pytest.fixture
def mongo_database() -> str:
    return f"lml_test_{uuid.uuid4().hex[:12]}"


@pytest_asyncio.fixture(loop_scope="session")
async def stored_seatmaps(mongo_url: str, mongo_database: str) -> AsyncIterator[MongoSeatmaps]:
    """The seatmaps the command writes to, read through the adapter."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_url)
    try:
        yield MongoSeatmaps(client[mongo_database][COLLECTION])
    finally:
        await client.close()


@pytest.fixture
def env(
    migrated_database: TemporaryDatabase, mongo_url: str, mongo_database: str
) -> dict[str, str]:
    return {
        "LML_DATABASE_URL": migrated_database.admin_url,
        "LML_MONGO_URL": mongo_url,
        "LML_MONGO_DATABASE": mongo_database,
    }


@pytest.fixture
async def venue(app_pool: AppPool) -> SeatmapKey:
    """A new organisation's venue, and the seatmap key an import of ``stadium.json`` gets."""
    org_id = f"org_{uuid.uuid4().hex}"
    async with with_tenant(app_pool, org_id) as conn:
        await conn.execute("insert into lml.tenants (tenant_id, name) values (%s, 'T')", (org_id,))
    created = await create_venue(
        CreateVenue(org_id=org_id, name="Stadium"),
        venues=PostgresVenues(app_pool),
        ids=RandomIds(),
        clock=SystemClock(),
    )
    assert isinstance(created, Ok)
    return SeatmapKey(org_id, created.value.id, "stadium")


def seatmap_file(tmp_path: Path, **size: int) -> Path:
    path = tmp_path / "stadium.json"
    path.write_bytes(msgspec.json.encode(generate_seatmap(**size)))
    return path


@pytest.mark.integration
async def test_import_stores_the_seatmap_and_prints_a_summary(
    tmp_path: Path, env: dict[str, str], venue: SeatmapKey, stored_seatmaps: MongoSeatmaps
) -> None:
    path = seatmap_file(tmp_path, sections=6, rows=5, seats=10, ga_zones=2)

    result = await run_beside_the_loop(
        "seatmap", "import", str(path), "--org", venue.org_id, "--venue", venue.venue_id, env=env
    )

    assert result.exit_code == 0, result.output
    assert (
        f"Imported seatmap stadium (Generated Stadium) of venue {venue.venue_id}" in result.stdout
    )
    assert "seats             300 (12 accessible)" in result.stdout
    assert "GA zones          2 (capacity 3,000)" in result.stdout
    stored = await stored_seatmaps.get(venue)
    assert stored is not None
    assert stored.seat_count() == 300


@pytest.mark.integration
async def test_importing_again_under_another_id_keeps_both(
    tmp_path: Path, env: dict[str, str], venue: SeatmapKey, stored_seatmaps: MongoSeatmaps
) -> None:
    path = seatmap_file(tmp_path, sections=1, rows=1, seats=3, ga_zones=0)
    where = ["--org", venue.org_id, "--venue", venue.venue_id]

    first = await run_beside_the_loop("seatmap", "import", str(path), *where, env=env)
    second = await run_beside_the_loop(
        "seatmap", "import", str(path), *where, "--id", "concerts", env=env
    )

    assert (first.exit_code, second.exit_code) == (0, 0), second.output
    concerts = SeatmapKey(venue.org_id, venue.venue_id, "concerts")
    assert await stored_seatmaps.get(venue) == await stored_seatmaps.get(concerts)


@pytest.mark.integration
def test_a_large_file_shows_validation_progress(
    tmp_path: Path, env: dict[str, str], venue: SeatmapKey
) -> None:
    path = seatmap_file(tmp_path, sections=40, rows=20, seats=20, ga_zones=0)
    assert path.stat().st_size > 1024 * 1024

    result = run(
        "seatmap", "import", str(path), "--org", venue.org_id, "--venue", venue.venue_id, env=env
    )

    assert result.exit_code == 0, result.output
    assert "Validating sections" in result.output


@pytest.mark.integration
async def test_an_invalid_file_lists_every_problem_and_imports_nothing(
    tmp_path: Path, env: dict[str, str], venue: SeatmapKey, stored_seatmaps: MongoSeatmaps
) -> None:
    document = generate_seatmap(sections=2, rows=1, seats=3, ga_zones=1)
    document["sections"][1]["rows"][0]["seats"][0]["id"] = "101-A-1"
    document["ga_zones"][0]["capacity"] = -1
    path = tmp_path / "stadium.json"
    path.write_bytes(msgspec.json.encode(document))

    result = await run_beside_the_loop(
        "seatmap", "import", str(path), "--org", venue.org_id, "--venue", venue.venue_id, env=env
    )

    assert result.exit_code == 1
    assert "sections[1].rows[0].seats[0].id: duplicate" in result.stderr
    assert "ga_zones[0].capacity: must be a whole number" in result.stderr
    assert "2 problem(s)" in result.stderr
    assert await stored_seatmaps.get(venue) is None


@pytest.mark.integration
def test_another_organisations_venue_is_refused(
    tmp_path: Path, env: dict[str, str], venue: SeatmapKey
) -> None:
    path = seatmap_file(tmp_path, sections=1, rows=1, seats=1, ga_zones=0)

    result = run(
        "seatmap", "import", str(path), "--org", "org_other", "--venue", venue.venue_id, env=env
    )

    assert result.exit_code == 1
    assert f"organisation org_other has no venue {venue.venue_id}" in result.stderr


def test_a_file_that_is_not_json_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "stadium.json"
    path.write_text("sections: []")
    env = {"LML_DATABASE_URL": "postgresql://nowhere/lml", "LML_MONGO_URL": "mongodb://nowhere"}

    result = run("seatmap", "import", str(path), "--org", "o", "--venue", "v", env=env)

    assert result.exit_code == 1
    assert "is not JSON" in result.stderr
