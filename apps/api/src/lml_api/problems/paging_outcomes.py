"""The outcomes every list route shares (lml_paging) as Problem Details."""

from __future__ import annotations

from lml_api.problems.errors import validation_error
from lml_api.problems.table import ProblemTable, row
from lml_paging import InvalidCursor

PAGING_PROBLEMS = ProblemTable(
    row(
        InvalidCursor,
        lambda _: validation_error([("cursor", "is not a cursor this API issued")]),
    ),
)
