"""Answers more than one controller gives."""

from __future__ import annotations

from typing import TypeVar

from litestar import Response

T = TypeVar("T")


def created_response(body: T, location: str, *, etag: str | None = None) -> Response[T]:
    """201 with the new resource's Location (and its ETag, when it has one)."""
    headers = {"Location": location} if etag is None else {"Location": location, "ETag": etag}
    return Response(body, status_code=201, headers=headers)
