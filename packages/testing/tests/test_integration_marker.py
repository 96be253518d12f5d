"""Tests that need a server are integration tests, whether or not they say so."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

UNMARKED_TESTS = """
import pytest

@pytest.fixture
def through_a_fixture(redis_url):
    return redis_url

def test_uses_redis_directly(redis_url):
    pass

def test_uses_redis_through_another_fixture(through_a_fixture):
    pass

def test_uses_postgres(postgres_admin_url):
    pass

def test_uses_mongo(mongo_url):
    pass

def test_needs_no_server():
    pass
"""


def test_given_unmarked_server_tests_when_deselecting_integration_then_only_serverless_runs(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_unmarked=UNMARKED_TESTS)

    result = pytester.runpytest(
        "-p",
        "lml",
        "-m",
        "not integration",
        "-q",
        "-o",
        "asyncio_default_fixture_loop_scope=function",
    )

    result.assert_outcomes(passed=1, deselected=4)
