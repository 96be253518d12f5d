"""Which Redis driver errors mean "Redis cannot serve us right now"."""

import pytest
import redis.exceptions

from lml_redis_scripts import redis_faults
from lml_result import DependencyUnavailable

UNAVAILABLE = [
    pytest.param(redis.exceptions.ConnectionError("refused"), id="connection-error"),
    pytest.param(redis.exceptions.TimeoutError("too slow"), id="timeout"),
    pytest.param(redis.exceptions.BusyLoadingError("loading"), id="busy-loading"),
]

PASSED_THROUGH = [
    pytest.param(redis.exceptions.ResponseError("WRONGTYPE"), id="response-error"),
    pytest.param(redis.exceptions.NoScriptError("NOSCRIPT"), id="no-script"),
]


@pytest.mark.parametrize("error", UNAVAILABLE)
def test_given_a_connection_or_timeout_error_when_raised_then_redis_is_unavailable(
    error: Exception,
) -> None:
    with pytest.raises(DependencyUnavailable) as raised, redis_faults():
        raise error

    assert raised.value.dependency == "redis"
    assert raised.value.__cause__ is error


@pytest.mark.parametrize("error", PASSED_THROUGH)
def test_given_a_command_error_when_raised_then_it_passes_through_unchanged(
    error: Exception,
) -> None:
    with pytest.raises(type(error)) as raised, redis_faults():
        raise error

    assert raised.value is error


def test_given_an_error_without_a_message_when_translated_then_the_reason_names_its_type() -> None:
    with pytest.raises(DependencyUnavailable) as raised, redis_faults():
        raise redis.exceptions.TimeoutError

    assert "TimeoutError" in str(raised.value)
