"""When two requests count as the same request."""

from __future__ import annotations

import json
import random
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from lml_idempotency import canonical_json, fingerprint

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


def shuffled(value: Any, rng: random.Random) -> Any:
    if isinstance(value, dict):
        keys = list(value)
        rng.shuffle(keys)
        return {key: shuffled(value[key], rng) for key in keys}
    if isinstance(value, list):
        return [shuffled(item, rng) for item in value]
    return value


@given(
    document=json_values,
    rng=st.randoms(use_true_random=False),
    indent=st.sampled_from([None, 0, 2, "\t"]),
    separators=st.sampled_from([(",", ":"), (", ", ": "), (" ,", " :  ")]),
    ensure_ascii=st.booleans(),
)
def test_given_one_document_written_two_ways_then_the_fingerprints_match(
    document: Any,
    rng: random.Random,
    indent: int | str | None,
    separators: tuple[str, str],
    ensure_ascii: bool,
) -> None:
    compact = json.dumps(document, sort_keys=True, separators=(",", ":")).encode()
    rewritten = json.dumps(
        shuffled(document, rng), indent=indent, separators=separators, ensure_ascii=ensure_ascii
    ).encode()

    assert fingerprint("POST", "/v1/holds", rewritten) == fingerprint("POST", "/v1/holds", compact)


@given(document=json_values)
def test_given_a_canonical_body_when_canonicalised_again_then_it_is_unchanged(
    document: Any,
) -> None:
    once = canonical_json(json.dumps(document).encode())

    assert canonical_json(once) == once


def test_canonical_json_sorts_keys_and_drops_whitespace() -> None:
    assert canonical_json(b'{ "b": [1, {"d": 2, "c": 3}], "a": "x" }') == (
        b'{"a":"x","b":[1,{"c":3,"d":2}]}'
    )


def test_given_a_body_that_is_not_json_then_its_raw_bytes_are_used() -> None:
    assert canonical_json(b"\xff not json") == b"\xff not json"
    assert canonical_json(b"") == b""


def test_given_different_bodies_then_the_fingerprints_differ() -> None:
    assert fingerprint("POST", "/v1/holds", b'{"seats":["A-1"]}') != fingerprint(
        "POST", "/v1/holds", b'{"seats":["A-2"]}'
    )


def test_given_the_same_body_on_another_path_then_the_fingerprints_differ() -> None:
    assert fingerprint("POST", "/v1/holds/h_1/extend", b"{}") != fingerprint(
        "POST", "/v1/holds/h_2/extend", b"{}"
    )


def test_given_the_same_body_with_another_method_then_the_fingerprints_differ() -> None:
    assert fingerprint("POST", "/v1/holds/h_1", b"") != fingerprint("DELETE", "/v1/holds/h_1", b"")


def test_the_fingerprint_is_a_sha256_hex_digest() -> None:
    digest = fingerprint("POST", "/v1/holds", b"{}")

    assert len(digest) == 64
    assert int(digest, 16) >= 0


def test_given_the_same_request_with_another_condition_then_the_fingerprints_differ() -> None:
    real = fingerprint("PATCH", "/v1/holds/h_1", b"{}", [("If-Match", '"token-a"')])

    assert real != fingerprint("PATCH", "/v1/holds/h_1", b"{}", [("If-Match", '"token-b"')])
    assert real != fingerprint("PATCH", "/v1/holds/h_1", b"{}")


def test_given_conditions_in_another_order_or_case_then_the_fingerprints_are_equal() -> None:
    conditions = [("If-Match", '"a"'), ("If-None-Match", '"b"')]

    assert fingerprint("PATCH", "/v1/holds/h_1", b"{}", conditions) == fingerprint(
        "PATCH", "/v1/holds/h_1", b"{}", [("if-none-match", '"b"'), ("if-match", '"a"')]
    )
