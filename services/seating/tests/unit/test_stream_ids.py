"""Stream ids, and when a client that saw one may resume after it."""

from __future__ import annotations

import pytest

from lml_seating.domain import ORIGIN, StreamPosition, is_stream_id, resumption, stream_order

UNTRIMMED = StreamPosition(last_id="20-0", first_id="10-0", trimmed=False)
TRIMMED = StreamPosition(last_id="20-0", first_id="15-0", trimmed=True)


@pytest.mark.parametrize("text", ["0-0", "1733212800000-7", "9" * 19 + "-" + "9" * 19])
def test_given_redis_shaped_ids_then_they_are_stream_ids(text: str) -> None:
    assert is_stream_id(text)


@pytest.mark.parametrize(
    "text",
    # 20 digits can pass 2**64 - 1, past which Redis refuses an id.
    ["", "12", "1-", "-1", "a-1", "1-1-1", " 1-1", "1" * 20 + "-0", "0-" + "1" * 20],
)
def test_given_anything_else_then_it_is_not_a_stream_id(text: str) -> None:
    assert not is_stream_id(text)


def test_given_ids_then_they_sort_by_their_numbers_not_as_text() -> None:
    assert stream_order("9-0") < stream_order("10-0") < stream_order("10-1")


def test_given_an_event_the_stream_holds_then_the_client_resumes() -> None:
    assert resumption("15-0", TRIMMED, known=True) == "resume"
    assert resumption("20-0", TRIMMED, known=False) == "resume"


def test_given_the_origin_and_nothing_trimmed_then_the_client_resumes_from_the_start() -> None:
    assert resumption(ORIGIN, UNTRIMMED, known=False) == "resume"


def test_given_an_id_before_the_oldest_kept_after_a_trim_then_it_is_too_old() -> None:
    assert resumption("12-0", TRIMMED, known=False) == "too_old"
    assert resumption(ORIGIN, TRIMMED, known=False) == "too_old"


def test_given_an_id_the_stream_never_had_then_it_is_unknown() -> None:
    assert resumption("21-0", UNTRIMMED, known=False) == "unknown"
    assert resumption("12-5", UNTRIMMED, known=False) == "unknown"
    assert resumption("17-0", TRIMMED, known=False) == "unknown"
