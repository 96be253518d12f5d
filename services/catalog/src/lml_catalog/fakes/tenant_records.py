"""Catalog items kept in memory as PostgreSQL keeps them: each visible only through its own
organisation (as under Row-Level Security), listed in (time, id) order after a cursor."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Generic, Protocol, TypeVar

from lml_catalog.domain import Cursor


class Owned(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def org_id(self) -> str: ...


Item = TypeVar("Item", bound=Owned)


class TenantRecords(Generic[Item]):
    def __init__(self, order: Callable[[Item], tuple[datetime, str]]) -> None:
        self._items: dict[str, Item] = {}
        self._order = order

    def __contains__(self, item_id: str) -> bool:
        return item_id in self._items

    def put(self, item: Item) -> None:
        self._items[item.id] = item

    def get(self, org_id: str, item_id: str) -> Item | None:
        item = self._items.get(item_id)
        return item if item is not None and item.org_id == org_id else None

    def page(self, org_id: str, after: Cursor | None, limit: int) -> list[Item]:
        """Up to ``limit`` of the organisation's items, strictly after the cursor's position."""
        ordered = sorted(
            (item for item in self._items.values() if item.org_id == org_id), key=self._order
        )
        if after is not None:
            position = (after.after, after.after_id)
            ordered = [item for item in ordered if self._order(item) > position]
        return ordered[:limit]
