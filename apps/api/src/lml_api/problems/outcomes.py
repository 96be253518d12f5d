"""Every context's table, joined: the one mapper from a use case's ``Err`` to Problem Details.

A new context registers its table here; controllers never branch on error types.
"""

from __future__ import annotations

from typing import TypeVar

from lml_api.problems.catalog_outcomes import CATALOG_PROBLEMS
from lml_api.problems.identity_outcomes import IDENTITY_PROBLEMS
from lml_api.problems.ordering_outcomes import ORDERING_PROBLEMS
from lml_api.problems.paging_outcomes import PAGING_PROBLEMS
from lml_api.problems.payments_outcomes import PAYMENTS_PROBLEMS
from lml_api.problems.seating_outcomes import SEATING_PROBLEMS
from lml_api.problems.table import ProblemTable
from lml_result import Err, Result

T = TypeVar("T")

OUTCOME_PROBLEMS = ProblemTable.joined(
    PAGING_PROBLEMS,
    CATALOG_PROBLEMS,
    SEATING_PROBLEMS,
    IDENTITY_PROBLEMS,
    ORDERING_PROBLEMS,
    PAYMENTS_PROBLEMS,
)


def unwrap(result: Result[T, object]) -> T:
    """The value of an ``Ok``; an ``Err`` is raised as its Problem Details."""
    if isinstance(result, Err):
        raise OUTCOME_PROBLEMS.problem_for(result.error)
    return result.value
