"""RFC 9457 Problem Details: the one way every route answers an error."""

from lml_api.problems.catalogue import CATALOGUE, ProblemType
from lml_api.problems.errors import ProblemError
from lml_api.problems.handlers import EXCEPTION_HANDLERS
from lml_api.problems.responses import problem_response

__all__ = ["CATALOGUE", "EXCEPTION_HANDLERS", "ProblemError", "ProblemType", "problem_response"]
