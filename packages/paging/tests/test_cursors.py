"""List cursors: opaque to clients, exact for us."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from lml_paging import Cursor, InvalidCursor, decode_cursor, encode_cursor, start_after
from lml_result import Err, Ok


def test_a_cursor_decodes_to_the_position_it_was_made_from() -> None:
    cursor = Cursor(datetime(2026, 11, 30, 20, 15, 0, 123456, tzinfo=UTC), "evt_42")

    assert decode_cursor(encode_cursor(cursor)) == cursor
    assert start_after(encode_cursor(cursor)) == Ok(cursor)


def test_a_cursor_is_url_safe() -> None:
    text = encode_cursor(Cursor(datetime(2026, 1, 1, tzinfo=UTC), "ven_?&/+="))

    assert text.replace("-", "").replace("_", "").isalnum()


@pytest.mark.parametrize(
    "text",
    ["", "!!!", "bm90IGpzb24", "WzEsMl0", "WyIyMDI2LTAxLTAxVDAwOjAwOjAwIiwieCJd"],
    ids=["empty", "not base64", "not json", "wrong types", "naive time"],
)
def test_anything_else_is_an_invalid_cursor(text: str) -> None:
    assert decode_cursor(text) is None
    assert start_after(text) == Err(InvalidCursor())


def test_no_cursor_starts_at_the_beginning() -> None:
    assert start_after(None) == Ok(None)
