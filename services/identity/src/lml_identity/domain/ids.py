"""Organisation, user and client ids: a prefix naming the kind, then a unique part.

``RandomSecrets`` and the tests' ``FakeSecrets`` differ only in that part (and in the
client secret), so the fake's ids look like production's.
"""

from __future__ import annotations

from abc import ABC, abstractmethod


class PrefixedIds(ABC):
    """``SecretGenerator``'s ids; a subclass gives the unique part and the client secret."""

    def new_organisation_id(self) -> str:
        return f"org_{self.unique_part()}"

    def new_user_id(self) -> str:
        return f"usr_{self.unique_part()}"

    def new_client_id(self) -> str:
        return f"cli_{self.unique_part()}"

    @abstractmethod
    def unique_part(self) -> str: ...
