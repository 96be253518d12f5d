"""RFC 9457 Problem Details: the one way every route answers an error."""

from lml_api.problems.catalogue import CATALOGUE, ProblemType
from lml_api.problems.errors import ProblemError, validation_error
from lml_api.problems.handlers import EXCEPTION_HANDLERS
from lml_api.problems.outcomes import OUTCOME_PROBLEMS, unwrap
from lml_api.problems.responses import problem_response

__all__ = [
    "CATALOGUE",
    "EXCEPTION_HANDLERS",
    "OUTCOME_PROBLEMS",
    "ProblemError",
    "ProblemType",
    "problem_response",
    "unwrap",
    "validation_error",
]
