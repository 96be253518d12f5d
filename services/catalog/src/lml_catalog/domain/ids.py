"""Venue and event ids: ``ven_`` or ``evt_``, then a part that makes the id unique.

``RandomIds`` and the tests' ``SequentialIds`` differ only in that part.
"""

from __future__ import annotations

from abc import ABC, abstractmethod


class PrefixedIds(ABC):
    """``CatalogIds``'s ids; a subclass gives the unique part."""

    def new_venue_id(self) -> str:
        return f"ven_{self.unique_part()}"

    def new_event_id(self) -> str:
        return f"evt_{self.unique_part()}"

    @abstractmethod
    def unique_part(self) -> str: ...
