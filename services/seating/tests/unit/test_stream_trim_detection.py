"""Whether an event's Redis stream lost entries, from what XINFO STREAM says of it."""

from __future__ import annotations

from lml_seating.infrastructure.redis_availability_events import stream_was_trimmed


def test_given_redis_7_then_entries_ever_added_beyond_the_length_mean_a_trim() -> None:
    assert stream_was_trimmed({"entries-added": 5, "length": 2, "first-entry": ("4-0", {})})
    assert not stream_was_trimmed({"entries-added": 2, "length": 2, "first-entry": ("1-0", {})})


def test_given_redis_6_without_a_count_then_a_stream_with_entries_may_have_lost_some() -> None:
    assert stream_was_trimmed({"length": 2, "first-entry": ("1-0", {})})
    assert not stream_was_trimmed({"length": 0, "first-entry": None})
