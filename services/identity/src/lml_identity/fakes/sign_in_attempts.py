"""Sign-in attempts counted in memory, with no budget: tests read what was spent."""

from __future__ import annotations


class CountingSignInAttempts:
    def __init__(self) -> None:
        self.spent: list[tuple[str, str]] = []

    async def spend(self, org_id: str, username: str) -> None:
        self.spent.append((org_id, username))
