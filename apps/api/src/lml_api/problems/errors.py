"""The exception a guard or controller raises to answer with a catalogued problem."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lml_api.problems.catalogue import CATALOGUE


class ProblemError(Exception):
    def __init__(
        self,
        slug: str,
        detail: str,
        *,
        headers: dict[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        if slug not in CATALOGUE:
            raise ValueError(f"unknown problem type {slug!r}")
        super().__init__(detail)
        self.slug = slug
        self.detail = detail
        self.headers = headers or {}
        self.extensions = extensions


def validation_error(fields: Iterable[tuple[str, str]]) -> ProblemError:
    """422 ``validation-error``: one ``{field, message}`` entry per ``(field, message)`` given."""
    return ProblemError(
        "validation-error",
        "The request does not satisfy the contract.",
        errors=[{"field": field, "message": message} for field, message in fields],
    )
