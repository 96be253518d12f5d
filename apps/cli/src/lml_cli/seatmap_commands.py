"""``lml seatmap generate`` and ``lml seatmap import``."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import AsyncExitStack
from pathlib import Path

import click
import msgspec

from lml_api.container import (
    StartupError,
    open_mongo,
    open_postgres,
    open_seatmaps,
)
from lml_catalog.application import PutSeatmap, PutSeatmapError, StoredSeatmap, put_seatmap
from lml_catalog.domain import (
    InvalidSeatmap,
    Seatmap,
    SeatmapKey,
    SeatmapTooLarge,
    VenueNotFound,
    generate_seatmap,
)
from lml_catalog.infrastructure.adapters import postgres_catalog
from lml_cli.configuration import CONFIG_ERROR_EXIT_CODE, fail, settings_for_command
from lml_config import Settings
from lml_result import DependencyUnavailable, Err, Ok, Result

# Below this a seatmap validates faster than a progress bar could be read.
PROGRESS_FROM_BYTES = 1024 * 1024


@click.group("seatmap")
def seatmap() -> None:
    """Seatmaps: generate realistic ones, import them into a venue."""


@seatmap.command("generate")
@click.option("--sections", type=click.IntRange(min=0), default=20, show_default=True)
@click.option(
    "--rows", type=click.IntRange(min=0), default=20, show_default=True, help="Per section."
)
@click.option("--seats", type=click.IntRange(min=0), default=25, show_default=True, help="Per row.")
@click.option("--ga-zones", type=click.IntRange(min=0), default=2, show_default=True)
@click.option("--ga-capacity", type=click.IntRange(min=1), default=1_500, show_default=True)
@click.option("--name", default="Generated Stadium", show_default=True)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write the JSON here instead of to standard output.",
)
def generate_command(
    sections: int,
    rows: int,
    seats: int,
    ga_zones: int,
    ga_capacity: int,
    name: str,
    output: Path | None,
) -> None:
    """Print a seatmap of SECTIONS x ROWS x SEATS seats around a bowl, and GA floor zones."""
    if not (sections * rows * seats or ga_zones):
        raise click.UsageError("the seatmap would have no seats and no GA zones")
    document = generate_seatmap(
        sections=sections,
        rows=rows,
        seats=seats,
        ga_zones=ga_zones,
        name=name,
        ga_capacity=ga_capacity,
    )
    encoded = msgspec.json.encode(document) + b"\n"
    if output is None:
        click.echo(encoded, nl=False)
        return
    output.write_bytes(encoded)
    click.echo(
        f"Wrote {sections * rows * seats:,} seats and {ga_zones} GA zones to {output}", err=True
    )


@seatmap.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--org", "org_id", required=True, help="Organisation id.")
@click.option("--venue", "venue_id", required=True, help="Venue id, in that organisation.")
@click.option("--id", "seatmap_id", help="Seatmap id (default: the file name without .json).")
def import_command(file: Path, org_id: str, venue_id: str, seatmap_id: str | None) -> None:
    """Validate FILE and store it as a seatmap of the venue, replacing one of the same id."""
    settings = settings_for_command()
    for name in ("database_url", "mongo_url"):
        if not getattr(settings, name):
            fail(f"LML_{name.upper()} is not set", CONFIG_ERROR_EXIT_CODE)
    raw = file.read_bytes()
    try:
        document = msgspec.json.decode(raw)
    except msgspec.DecodeError as error:
        fail(f"{file} is not JSON: {error}")
    key = SeatmapKey(org_id, venue_id, seatmap_id or file.stem)
    sections = document.get("sections") if isinstance(document, dict) else None
    total = len(sections) if isinstance(sections, list) else 0
    with click.progressbar(
        length=total, label="Validating sections", hidden=len(raw) < PROGRESS_FROM_BYTES
    ) as bar:
        try:
            outcome = asyncio.run(store(settings, key, document, lambda: bar.update(1)))
        except (StartupError, DependencyUnavailable) as error:
            fail(str(error))
    match outcome:
        case Err(InvalidSeatmap(problems)):
            for problem in problems:
                click.echo(f"{problem.path or '(document)'}: {problem.message}", err=True)
            fail(f"{len(problems)} problem(s) in {file}; nothing was imported")
        case Err(VenueNotFound()):
            fail(f"organisation {org_id} has no venue {venue_id}")
        case Err(SeatmapTooLarge(limit_bytes=limit)):
            fail(f"{file} is over the {limit:,} bytes one seatmap may take")
        case Ok(stored):
            click.echo(summary(key, stored))


async def store(
    settings: Settings, key: SeatmapKey, document: object, on_section: Callable[[], None]
) -> Result[StoredSeatmap, PutSeatmapError]:
    async with AsyncExitStack() as resources:
        pool = await open_postgres(settings, resources)
        seatmaps = await open_seatmaps(await open_mongo(settings, resources), settings)
        ports = postgres_catalog(pool, seatmaps)
        return await put_seatmap(
            PutSeatmap(key=key, document=document),
            venues=ports.venues,
            seatmaps=ports.seatmaps,
            on_section=on_section,
        )


def summary(key: SeatmapKey, stored: StoredSeatmap) -> str:
    seatmap: Seatmap = stored.seatmap
    seats = [seat for _, seat in seatmap.seats()]
    rows = sum(len(section.rows) for section in seatmap.sections)
    capacity = sum(zone.capacity for zone in seatmap.ga_zones)
    return "\n".join(
        [
            f"{'Imported' if stored.created else 'Replaced'} seatmap {key.seatmap_id}"
            f" ({seatmap.name}) of venue {key.venue_id} in {key.org_id}",
            f"  sections          {len(seatmap.sections):,}",
            f"  rows              {rows:,}",
            f"  seats             {len(seats):,}"
            f" ({sum(seat.accessible for seat in seats):,} accessible)",
            f"  GA zones          {len(seatmap.ga_zones):,} (capacity {capacity:,})",
            f"  price categories  {', '.join(seatmap.categories_used())}",
        ]
    )
