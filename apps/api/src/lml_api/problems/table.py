"""A context's expected outcomes as Problem Details: one row per error type, found by type."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from lml_api.problems.errors import ProblemError

E = TypeVar("E")


@dataclass(frozen=True, slots=True)
class Row:
    """An error type and the problem it answers with; build it with ``row`` so mypy checks it."""

    kind: type
    answer: Callable[[Any], ProblemError]


def row(kind: type[E], answer: Callable[[E], ProblemError]) -> Row:
    # A plain function: as a generic class, the table's ``Row[Any]`` context would make mypy
    # infer ``E`` as ``Any`` and leave the answer unchecked against its error type.
    return Row(kind, answer)


class ProblemTable:
    """Error types and their answers; a type has one row, so two answers never compete."""

    def __init__(self, *rows: Row) -> None:
        self.rows = rows
        self._answers: dict[type, Callable[[Any], ProblemError]] = {}
        for row in rows:
            if row.kind in self._answers:
                raise ValueError(f"{row.kind.__qualname__} has two rows")
            self._answers[row.kind] = row.answer

    @classmethod
    def joined(cls, *tables: ProblemTable) -> ProblemTable:
        return cls(*(row for table in tables for row in table.rows))

    def kinds(self) -> frozenset[type]:
        return frozenset(self._answers)

    def problem_for(self, error: object) -> ProblemError:
        answer = self._answers.get(type(error))
        if answer is None:
            # A use case returned an outcome no table knows: a bug, answered 500.
            raise LookupError(f"no problem table has a row for {error!r}")
        return answer(error)
