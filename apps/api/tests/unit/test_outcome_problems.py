"""Every use case's ``Err`` answers through one table of Problem Details, registered per context."""

from __future__ import annotations

import inspect
import typing
from types import ModuleType

import msgspec
import pytest
from litestar import Litestar, get
from litestar.testing import AsyncTestClient

import lml_api.routes.availability
import lml_api.routes.catalog
import lml_api.routes.holds
import lml_api.routes.identity
import lml_api.routes.orders
from lml_api.access import PUBLIC
from lml_api.problems import OUTCOME_PROBLEMS, ProblemError, unwrap
from lml_api.problems.table import ProblemTable, row
from lml_result import Err, Ok

CONTROLLERS = (
    lml_api.routes.availability,
    lml_api.routes.catalog,
    lml_api.routes.holds,
    lml_api.routes.identity,
    lml_api.routes.orders,
)


class Unmapped(msgspec.Struct, frozen=True):
    """An outcome no context's table knows."""


def use_cases(module: ModuleType) -> list[typing.Callable[..., object]]:
    return [
        value
        for value in vars(module).values()
        if inspect.iscoroutinefunction(value) and ".application" in value.__module__
    ]


def error_types(use_case: typing.Callable[..., object]) -> set[type]:
    """The types a use case may return as ``Err``, read from its ``Result`` annotation."""
    returned = typing.get_type_hints(use_case)["return"]
    (err,) = [arm for arm in typing.get_args(returned) if typing.get_origin(arm) is Err]
    (error,) = typing.get_args(err)
    return set(typing.get_args(error)) or {error}


@pytest.mark.parametrize(
    "use_case",
    [case for module in CONTROLLERS for case in use_cases(module)],
    ids=lambda case: case.__name__,
)
def test_given_a_use_case_a_controller_calls_then_every_error_it_returns_has_a_row(
    use_case: typing.Callable[..., object],
) -> None:
    kinds = error_types(use_case)
    assert kinds, f"{use_case.__name__} declares no Err types"
    assert kinds <= OUTCOME_PROBLEMS.kinds()


def test_given_an_ok_then_unwrap_returns_its_value() -> None:
    assert unwrap(Ok("venue")) == "venue"


def test_given_two_rows_for_one_error_type_then_the_table_is_refused() -> None:
    answer = row(Unmapped, lambda _: ProblemError("not-found", "none"))
    with pytest.raises(ValueError, match="Unmapped has two rows"):
        ProblemTable.joined(ProblemTable(answer), ProblemTable(answer))


@get("/test/unmapped", opt=PUBLIC)
async def unmapped() -> None:
    unwrap(Err(Unmapped()))


@pytest.fixture
def app(app: Litestar) -> Litestar:
    app.register(unmapped)
    return app


async def test_given_an_error_no_table_knows_then_the_answer_is_a_500_internal_error(
    client: AsyncTestClient[Litestar],
) -> None:
    response = await client.get("/test/unmapped")
    assert response.status_code == 500
    assert response.json()["type"] == "/problems/internal-error"
