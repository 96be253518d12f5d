"""Which ``Idempotency-Key`` header values name a key, and which one."""

from __future__ import annotations

import pytest

from lml_idempotency import InvalidKey, parse_idempotency_key
from lml_result import Err, Ok


@pytest.mark.parametrize(
    ("header", "key"),
    [
        pytest.param("abc", "abc", id="bare"),
        pytest.param('"abc"', "abc", id="sf-string means the same key"),
        pytest.param(
            "8e03978e-40d5-43e8-bc93-6894a57f9324",
            "8e03978e-40d5-43e8-bc93-6894a57f9324",
            id="uuid",
        ),
        pytest.param("a b", "a b", id="inner space is printable"),
        pytest.param("  abc\t", "abc", id="surrounding whitespace is not part of the value"),
        pytest.param('"a\\"b"', 'a"b', id="escaped quote"),
        pytest.param('"a\\\\b"', "a\\b", id="escaped backslash"),
        pytest.param('"  padded  "', "  padded  ", id="spaces inside quotes are kept"),
        pytest.param('ab"c', 'ab"c', id="bare with a quote inside"),
        pytest.param(
            "~!#$%&'()*+,-./:;<=>?@[]^_`{|}", "~!#$%&'()*+,-./:;<=>?@[]^_`{|}", id="punctuation"
        ),
        pytest.param("x" * 255, "x" * 255, id="255 characters"),
        pytest.param('"' + "x" * 255 + '"', "x" * 255, id="255 characters quoted"),
        pytest.param('"' + '\\"' * 255 + '"', '"' * 255, id="255 escaped characters"),
    ],
)
def test_given_a_valid_header_when_parsed_then_it_names_the_key(header: str, key: str) -> None:
    assert parse_idempotency_key(header) == Ok(key)


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        pytest.param("", "empty", id="empty"),
        pytest.param("   ", "empty", id="only whitespace"),
        pytest.param('""', "empty", id="empty sf-string"),
        pytest.param("x" * 256, "longer than 255", id="256 characters"),
        pytest.param('"' + "x" * 256 + '"', "longer than 255", id="256 characters quoted"),
        pytest.param("x" * 10_000, "longer than 255", id="huge"),
        pytest.param("caf\u00e9", "non-printable character at position 3", id="non-ASCII"),
        pytest.param("a\x00b", "non-printable character at position 1", id="NUL"),
        pytest.param("a\tb", "non-printable character at position 1", id="inner tab"),
        pytest.param("a\x7fb", "non-printable character at position 1", id="DEL"),
        pytest.param('"abc', "never closes", id="unterminated"),
        pytest.param('"abc\\"', "never closes", id="escaped final quote"),
        pytest.param('"abc"def', "after its closing quote", id="text after closing quote"),
        pytest.param('"abc";p=1', "after its closing quote", id="parameters"),
        pytest.param('"a\\nb"', "bad escape", id="unknown escape"),
        pytest.param('"abc\\', "bad escape", id="trailing backslash"),
        pytest.param('"caf\u00e9"', "non-printable character", id="non-ASCII quoted"),
    ],
)
def test_given_an_invalid_header_when_parsed_then_it_says_why(header: str, reason: str) -> None:
    result = parse_idempotency_key(header)

    assert isinstance(result, Err)
    assert isinstance(result.error, InvalidKey)
    assert reason in result.error.reason
