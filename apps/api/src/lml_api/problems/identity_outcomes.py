"""Identity's outcomes as Problem Details (the token endpoint answers RFC 6749 errors instead)."""

from __future__ import annotations

from lml_api.problems.errors import ProblemError
from lml_api.problems.table import ProblemTable, row
from lml_identity.domain import UserNotFound

IDENTITY_PROBLEMS = ProblemTable(
    # Only a token's own subject is looked up, so a missing user means a user-less token.
    row(
        UserNotFound,
        lambda _: ProblemError(
            "not-found", "The token was not issued to a user of this organisation."
        ),
    ),
)
