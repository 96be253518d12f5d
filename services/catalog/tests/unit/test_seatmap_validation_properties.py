"""Properties of seatmap validation: every valid document passes; any one defect is named.

Documents are generated as decoded JSON, the form the API and the importer hand over.
Each defect is injected into an otherwise valid document, and must come back as the
only problem, at the path where it was injected.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from lml_catalog.domain import Seatmap, parse_seatmap
from lml_result import Err, Ok

Document = dict[str, Any]
Defect = tuple[Document, str]  # the broken document and the path of its one problem

ids = st.text(st.characters(categories=("L", "N", "P", "S")), min_size=1, max_size=12)
names = st.text(min_size=1, max_size=20).filter(lambda name: not name.isspace())
coordinates = st.one_of(st.integers(-100_000, 100_000), st.floats(-1e9, 1e9, allow_nan=False))
checks = settings(max_examples=60, deadline=None)


@st.composite
def seatmaps(draw: st.DrawFn) -> Document:
    categories = draw(st.lists(ids, min_size=1, max_size=4, unique=True))
    shape = draw(
        st.lists(st.lists(st.integers(0, 4), max_size=3), max_size=3)
    )  # seats per row, per section
    seat_total = sum(sum(section) for section in shape)
    zone_count = draw(st.integers(0 if seat_total else 1, 3))
    area_ids = draw(
        st.lists(ids, min_size=len(shape) + zone_count, unique=True).map(
            lambda drawn: drawn[: len(shape) + zone_count]
        )
    )
    seat_ids = iter(draw(st.lists(ids, min_size=seat_total, max_size=seat_total, unique=True)))
    sections = []
    for index, rows in enumerate(shape):
        row_ids = draw(st.lists(ids, min_size=len(rows), max_size=len(rows), unique=True))
        sections.append(
            {
                "id": area_ids[index],
                "name": draw(names),
                "rows": [
                    {
                        "id": row_id,
                        "seats": [draw(seat(next(seat_ids), categories)) for _ in range(count)],
                    }
                    for row_id, count in zip(row_ids, rows, strict=True)
                ],
            }
        )
    zones = [
        {
            "id": zone_id,
            "name": draw(names),
            "capacity": draw(st.integers(1, 100_000)),
            "price_category": draw(st.sampled_from(categories)),
        }
        for zone_id in area_ids[len(shape) :]
    ]
    document: Document = {"name": draw(names), "sections": sections, "ga_zones": zones}
    if draw(st.booleans()):
        document["price_categories"] = [{"id": c, "name": draw(names)} for c in categories]
    return document


def seat(seat_id: str, categories: list[str]) -> st.SearchStrategy[Document]:
    return st.fixed_dictionaries(
        {
            "id": st.just(seat_id),
            "number": st.integers(1, 10_000),
            "x": coordinates,
            "y": coordinates,
            "price_category": st.sampled_from(categories),
        },
        optional={"accessible": st.booleans()},
    )


def seat_paths(document: Document) -> list[tuple[str, Document]]:
    return [
        (f"sections[{s}].rows[{r}].seats[{k}]", seat)
        for s, section in enumerate(document["sections"])
        for r, row in enumerate(section["rows"])
        for k, seat in enumerate(row["seats"])
    ]


def duplicate_seat_id(document: Document, draw: st.DrawFn) -> Defect | None:
    seats = seat_paths(document)
    if len(seats) < 2:
        return None
    first, later = sorted(
        draw(st.lists(st.integers(0, len(seats) - 1), min_size=2, max_size=2, unique=True))
    )
    seats[later][1]["id"] = seats[first][1]["id"]
    return document, f"{seats[later][0]}.id"


def duplicate_row_id(document: Document, draw: st.DrawFn) -> Defect | None:
    candidates = [
        (s, section) for s, section in enumerate(document["sections"]) if len(section["rows"]) >= 2
    ]
    if not candidates:
        return None
    s, section = draw(st.sampled_from(candidates))
    section["rows"][1]["id"] = section["rows"][0]["id"]
    return document, f"sections[{s}].rows[1].id"


def duplicate_area_id(document: Document, draw: st.DrawFn) -> Defect | None:
    """Sections and GA zones share one namespace of ids."""
    areas = [(f"sections[{s}]", section) for s, section in enumerate(document["sections"])]
    areas += [(f"ga_zones[{z}]", zone) for z, zone in enumerate(document["ga_zones"])]
    if len(areas) < 2:
        return None
    first, later = sorted(
        draw(st.lists(st.integers(0, len(areas) - 1), min_size=2, max_size=2, unique=True))
    )
    areas[later][1]["id"] = areas[first][1]["id"]
    return document, f"{areas[later][0]}.id"


def undeclared_category(document: Document, draw: st.DrawFn) -> Defect | None:
    if "price_categories" not in document:
        return None
    declared = {category["id"] for category in document["price_categories"]}
    unknown = draw(ids.filter(lambda category: category not in declared))
    targets = [(f"{path}.price_category", seat) for path, seat in seat_paths(document)]
    targets += [
        (f"ga_zones[{z}].price_category", zone) for z, zone in enumerate(document["ga_zones"])
    ]
    path, owner = draw(st.sampled_from(targets))
    owner["price_category"] = unknown
    return document, path


def bad_capacity(document: Document, draw: st.DrawFn) -> Defect | None:
    if not document["ga_zones"]:
        return None
    z = draw(st.integers(0, len(document["ga_zones"]) - 1))
    document["ga_zones"][z]["capacity"] = draw(
        st.one_of(st.integers(max_value=0), st.floats(0.5, 10.0), st.just("100"), st.none())
    )
    return document, f"ga_zones[{z}].capacity"


def bad_seat_field(document: Document, draw: st.DrawFn) -> Defect | None:
    seats = seat_paths(document)
    if not seats:
        return None
    path, target = draw(st.sampled_from(seats))
    field, value = draw(
        st.sampled_from(
            [
                ("x", "12.5"),
                ("y", None),
                ("x", True),
                ("y", [1.0]),
                ("x", 2**70),
                ("y", float("nan")),
                ("number", 0),
                ("number", 2.5),
                ("number", 1_000_001),
                ("id", ""),
                ("id", " padded"),
                ("id", 7),
                ("accessible", "yes"),
                ("price_category", ""),
            ]
        )
    )
    target[field] = value
    return document, f"{path}.{field}"


def missing_seat_field(document: Document, draw: st.DrawFn) -> Defect | None:
    seats = seat_paths(document)
    if not seats:
        return None
    path, target = draw(st.sampled_from(seats))
    field = draw(st.sampled_from(["id", "number", "x", "y", "price_category"]))
    del target[field]
    return document, f"{path}.{field}"


DEFECTS: list[Callable[[Document, st.DrawFn], Defect | None]] = [
    duplicate_seat_id,
    duplicate_row_id,
    duplicate_area_id,
    undeclared_category,
    bad_capacity,
    bad_seat_field,
    missing_seat_field,
]


@st.composite
def defective_seatmaps(draw: st.DrawFn) -> Defect:
    document = copy.deepcopy(draw(seatmaps()))
    applicable = []
    for inject in DEFECTS:
        trial = inject(copy.deepcopy(document), draw)
        if trial is not None:
            applicable.append(trial)
    # Every valid document admits some defect: it has a seat or a zone.
    return draw(st.sampled_from(applicable))


@checks
@given(seatmaps())
def test_any_valid_seatmap_passes_and_keeps_every_seat_and_zone(document: Document) -> None:
    result = parse_seatmap(document)

    assert isinstance(result, Ok), result
    seatmap: Seatmap = result.value
    assert seatmap.seat_count() == len(seat_paths(document))
    assert [zone.id for zone in seatmap.ga_zones] == [zone["id"] for zone in document["ga_zones"]]


@checks
@given(defective_seatmaps())
def test_any_single_defect_is_the_one_problem_reported_at_its_path(defect: Defect) -> None:
    document, path = defect

    result = parse_seatmap(document)

    assert isinstance(result, Err)
    assert [problem.path for problem in result.error.problems] == [path]
