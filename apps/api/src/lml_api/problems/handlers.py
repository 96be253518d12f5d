"""The one table from exceptions to Problem Details, registered once on the app."""

from __future__ import annotations

import logging
from typing import Any

import psycopg
import psycopg_pool
import pymongo.errors
import redis.exceptions
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.types import ExceptionHandlersMap

from lml_api.problems.catalogue import SLUG_BY_STATUS
from lml_api.problems.errors import ProblemError, validation_error
from lml_api.problems.responses import problem_response
from lml_result import DependencyUnavailable

log = logging.getLogger("lml.api")

# A breaker probes a lost dependency several times a second and closes at its first
# answer (lml_result.breakers), so a client may come back after a second.
RETRY_AFTER_SECONDS = "1"

AnyRequest = Request[Any, Any, Any]

# Adapters translate their driver's errors into DependencyUnavailable; these catch what
# slips through so a lost server is always a 503, never a 500.
DRIVER_OUTAGES: dict[type[Exception], str] = {
    psycopg.OperationalError: "postgresql",
    psycopg_pool.PoolTimeout: "postgresql",
    redis.exceptions.ConnectionError: "redis",
    redis.exceptions.TimeoutError: "redis",
    pymongo.errors.ConnectionFailure: "mongodb",
}


def handle_problem(request: AnyRequest, error: ProblemError) -> Response[bytes]:
    return problem_response(
        request, error.slug, error.detail, headers=error.headers, **error.extensions
    )


def handle_validation(request: AnyRequest, error: ValidationException) -> Response[bytes]:
    fields = [item for item in (error.extra or []) if isinstance(item, dict) and item.get("key")]
    if not fields:
        return problem_response(request, "bad-request", "The request body could not be read.")
    return handle_problem(
        request, validation_error((item["key"], item.get("message", "")) for item in fields)
    )


def handle_http(request: AnyRequest, error: HTTPException) -> Response[bytes]:
    if error.status_code >= 500:
        return handle_unexpected(request, error)
    slug = SLUG_BY_STATUS.get(error.status_code, "bad-request")
    return problem_response(request, slug, str(error.detail), headers=error.headers)


def handle_outage(request: AnyRequest, error: Exception) -> Response[bytes]:
    if isinstance(error, DependencyUnavailable):
        dependency = error.dependency
    else:
        dependency = next(name for kind, name in DRIVER_OUTAGES.items() if isinstance(error, kind))
    log.warning("dependency unavailable", extra={"dependency": dependency, "error": str(error)})
    return problem_response(
        request,
        "dependency-unavailable",
        f"{dependency} is unavailable; retry shortly.",
        headers={"Retry-After": RETRY_AFTER_SECONDS},
        dependency=dependency,
    )


def handle_unexpected(request: AnyRequest, error: Exception) -> Response[bytes]:
    log.error("unhandled error", exc_info=error)
    return problem_response(request, "internal-error", "The server failed to answer the request.")


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    ProblemError: handle_problem,
    ValidationException: handle_validation,
    HTTPException: handle_http,
    DependencyUnavailable: handle_outage,
    **dict.fromkeys(DRIVER_OUTAGES, handle_outage),
    Exception: handle_unexpected,
}
