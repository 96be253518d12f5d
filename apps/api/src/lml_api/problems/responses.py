"""Render a catalogued problem as an ``application/problem+json`` response."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Response

from lml_api.problems.catalogue import CATALOGUE

MEDIA_TYPE = "application/problem+json"


def problem_body(slug: str, detail: str, instance: str, **extensions: Any) -> dict[str, Any]:
    problem = CATALOGUE[slug]
    return {
        "type": problem.type_uri,
        "title": problem.title,
        "status": problem.status,
        "detail": detail,
        "instance": instance,
        **extensions,
    }


def problem_response(
    request: Request[Any, Any, Any],
    slug: str,
    detail: str,
    *,
    headers: dict[str, str] | None = None,
    **extensions: Any,
) -> Response[bytes]:
    body = problem_body(slug, detail, request.url.path, **extensions)
    return Response(
        content=msgspec.json.encode(body),
        status_code=CATALOGUE[slug].status,
        media_type=MEDIA_TYPE,
        headers=headers,
    )
