"""The query parameters of every list route: the page size and the cursor to the next page."""

from __future__ import annotations

from typing import Annotated

from litestar.params import QueryParameter

DEFAULT_LIMIT = 50
MAX_LIMIT = 200

Limit = Annotated[
    int,
    QueryParameter(ge=1, le=MAX_LIMIT, description=f"Page size, 1 to {MAX_LIMIT}."),
]
PageCursor = Annotated[
    str | None,
    QueryParameter(description="`next_cursor` of the previous page; omit for the first page."),
]
