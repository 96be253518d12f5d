"""Render a catalogued problem as an ``application/problem+json`` response."""

from __future__ import annotations

from typing import Any, NamedTuple

import msgspec
from litestar import Request, Response

from lml_api.problems.catalogue import CATALOGUE

MEDIA_TYPE = "application/problem+json"


class EncodedProblem(NamedTuple):
    status: int
    content: bytes


def encode_problem(slug: str, detail: str, instance: str, **extensions: Any) -> EncodedProblem:
    """The status and JSON body of a catalogued problem, for a route or a raw ASGI answer."""
    problem = CATALOGUE[slug]
    body = {
        "type": problem.type_uri,
        "title": problem.title,
        "status": problem.status,
        "detail": detail,
        "instance": instance,
        **extensions,
    }
    return EncodedProblem(problem.status, msgspec.json.encode(body))


def problem_response(
    request: Request[Any, Any, Any],
    slug: str,
    detail: str,
    *,
    headers: dict[str, str] | None = None,
    **extensions: Any,
) -> Response[bytes]:
    problem = encode_problem(slug, detail, request.url.path, **extensions)
    return Response(
        content=problem.content,
        status_code=problem.status,
        media_type=MEDIA_TYPE,
        headers=headers,
    )
