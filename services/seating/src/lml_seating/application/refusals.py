"""How a lock store's refusal reads to the holder of a token."""

from __future__ import annotations

from lml_seating.application.ports import LockProblem
from lml_seating.domain import HoldTokenProblem

_TOKEN_PROBLEMS: dict[LockProblem, HoldTokenProblem] = {
    "unknown": "ended",
    "token": "wrong",
    "ended": "ended",
    "expired": "expired",
    "limit": "expired",
}


def token_rejection(reason: LockProblem) -> HoldTokenProblem:
    return _TOKEN_PROBLEMS[reason]
