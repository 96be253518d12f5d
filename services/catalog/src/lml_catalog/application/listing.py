"""A page of a list use case: the cursor read, one item more fetched than the page holds."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from lml_catalog.domain import Cursor, InvalidCursor, Page, page_of, start_after
from lml_result import Err, Ok, Result

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Listing(Protocol[T_co]):
    """What ``Venues`` and ``Events`` share: a list in a stable order, after a cursor."""

    async def list(self, org_id: str, *, after: Cursor | None, limit: int) -> Sequence[T_co]: ...


async def list_page(
    listing: Listing[T],
    org_id: str,
    *,
    limit: int,
    cursor: str | None,
    key: Callable[[T], Cursor],
) -> Result[Page[T], InvalidCursor]:
    """The page after ``cursor``; ``key`` is the sort key of an item, as the listing orders."""
    after = start_after(cursor)
    if isinstance(after, Err):
        return after
    # The extra item says whether more follow (see page_of).
    fetched = await listing.list(org_id, after=after.value, limit=limit + 1)
    return Ok(page_of(fetched, limit, key))
