import json
import logging

import pytest

from lml_logging import JsonLinesFormatter, bind, redact, update


def record(message: str, **extra: object) -> logging.LogRecord:
    return logging.makeLogRecord({"msg": message, "levelname": "INFO", "name": "lml.test", **extra})


def formatted(message: str, **extra: object) -> dict[str, object]:
    return json.loads(JsonLinesFormatter().format(record(message, **extra)))


def test_given_a_bound_request_context_when_logging_then_the_line_carries_it() -> None:
    with bind(request_id="req-1", tenant_id="org_a", route="/v1/holds", trace_id="abc"):
        line = formatted("hold created")
    assert line["message"] == "hold created"
    assert line["request_id"] == "req-1"
    assert line["tenant_id"] == "org_a"
    assert line["route"] == "/v1/holds"
    assert line["trace_id"] == "abc"
    assert line["level"] == "info"


def test_given_no_context_when_logging_then_no_empty_context_fields_appear() -> None:
    line = formatted("started")
    assert "request_id" not in line
    assert "tenant_id" not in line


def test_given_the_block_has_ended_then_its_context_is_gone() -> None:
    with bind(request_id="req-2"):
        pass
    assert "request_id" not in formatted("later")


@pytest.mark.parametrize(
    "key", ["password", "client_secret", "access_token", "Authorization", "card_number"]
)
def test_given_an_extra_named_like_a_secret_then_its_value_is_redacted(key: str) -> None:
    line = formatted("login", **{key: "hunter2-very-secret"})
    assert line[key] == "[redacted]"
    assert "hunter2" not in json.dumps(line)


def test_given_a_bearer_token_inside_a_message_then_it_is_redacted() -> None:
    line = formatted("header was Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig")
    assert line["message"] == "header was Bearer [redacted]"


def test_given_nested_extras_then_secrets_are_redacted_at_any_depth() -> None:
    assert redact({"request": {"headers": {"authorization": "Bearer x"}, "path": "/v1"}}) == {
        "request": {"headers": {"authorization": "[redacted]"}, "path": "/v1"}
    }


def test_given_an_exception_then_the_traceback_is_one_json_field() -> None:
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        import sys

        rec = record("failed", exc_info=sys.exc_info())
    line = json.loads(JsonLinesFormatter().format(rec))
    assert "RuntimeError: boom" in line["exception"]


def test_given_a_field_learnt_mid_request_then_it_lasts_until_the_request_block_ends() -> None:
    with bind(request_id="req-3"):
        update(tenant_id="org_b")
        assert formatted("inside")["tenant_id"] == "org_b"
    assert "tenant_id" not in formatted("after")


def test_given_uvicorns_coloured_duplicate_then_it_is_left_out() -> None:
    line = formatted("Started server", color_message="\x1b[32mStarted server\x1b[0m")
    assert "color_message" not in line
