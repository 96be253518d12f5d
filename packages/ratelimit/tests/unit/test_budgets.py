"""Reading budgets from configuration and finding the one for a request."""

from __future__ import annotations

import re

import pytest

from lml_ratelimit import (
    DEFAULT_BUDGETS,
    Algorithm,
    Budgets,
    FailurePolicy,
    InvalidBudgets,
    Policy,
)

BUDGETS = Budgets.parse(
    "POST /v1/holds=20/1s,token-bucket; POST /v1/oauth/token=10/60s,fail-closed;"
    "POST *=120/1m;*=600/60s"
)


def test_given_a_route_with_its_own_budget_then_that_budget_applies() -> None:
    assert BUDGETS.policy_for("POST", "/v1/holds") == Policy(
        "POST /v1/holds", 20, 1, Algorithm.TOKEN_BUCKET, FailurePolicy.OPEN
    )


def test_given_a_route_of_a_method_with_a_budget_then_the_method_budget_applies() -> None:
    assert BUDGETS.policy_for("POST", "/v1/orders") == Policy("POST *", 120, 60)


def test_given_any_other_request_then_the_default_budget_applies() -> None:
    assert BUDGETS.policy_for("GET", "/v1/holds") == Policy("default", 600, 60)


def test_the_method_is_matched_case_insensitively() -> None:
    assert BUDGETS.policy_for("post", "/v1/holds").name == "POST /v1/holds"


def test_the_failure_policy_is_read_from_the_options() -> None:
    policy = BUDGETS.policy_for("POST", "/v1/oauth/token")

    assert policy.on_backend_error is FailurePolicy.CLOSED
    assert policy.algorithm is Algorithm.SLIDING_WINDOW


@pytest.mark.parametrize(
    ("window", "seconds"), [("1s", 1), ("15m", 900), ("2h", 7200), ("1d", 86400)]
)
def test_windows_take_a_unit(window: str, seconds: int) -> None:
    assert Budgets.parse(f"*=1/{window}").default.window_seconds == seconds


def test_the_default_budgets_throttle_the_token_endpoint_and_fail_closed_there() -> None:
    budgets = Budgets.parse(DEFAULT_BUDGETS)
    token = budgets.policy_for("POST", "/v1/oauth/token")

    assert token.on_backend_error is FailurePolicy.CLOSED
    assert budgets.default.on_backend_error is FailurePolicy.OPEN


def per_second(policy: Policy) -> float:
    return policy.quota / policy.window_seconds


@pytest.mark.parametrize(
    ("method", "route"),
    [
        ("POST", "/v1/holds"),
        ("PATCH", "/v1/holds/{hold_id}"),
        ("DELETE", "/v1/holds/{hold_id}"),
        ("GET", "/v1/events/{event_id}/availability"),
    ],
)
def test_the_default_budgets_let_an_on_sale_outpace_other_writes(method: str, route: str) -> None:
    budgets = Budgets.parse(DEFAULT_BUDGETS)
    on_sale = budgets.policy_for(method, route)

    assert on_sale.algorithm is Algorithm.TOKEN_BUCKET
    assert per_second(on_sale) >= 1000
    assert per_second(on_sale) > 100 * per_second(budgets.policy_for("POST", "/v1/venues"))


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        pytest.param("POST /v1/holds=20/1s", "need a default", id="no default"),
        pytest.param("*=1/1s;*=2/1s", "given twice", id="two defaults"),
        pytest.param("*=1/1s;POST *=1/1s;POST *=2/1s", "given twice", id="method twice"),
        pytest.param("*=1/1s;POST /a=1/1s;post /a=2/1s", "given twice", id="route twice"),
        pytest.param("*", "expected <selector>=", id="no rate"),
        pytest.param("*=20", "expected <quota>/<window>", id="no window"),
        pytest.param("*=20/60", "expected <quota>/<window>", id="window without unit"),
        pytest.param("*=20/1w", "expected <quota>/<window>", id="unknown unit"),
        pytest.param("*=0/1s", "quota must be at least 1", id="zero quota"),
        pytest.param("*=1/0s", "window must be at least 1 second", id="zero window"),
        pytest.param("*=1000000/30d", "must not exceed", id="too large"),
        pytest.param("*=1/1s,leaky", "unknown option 'leaky'", id="unknown option"),
        pytest.param("*=1/1s,fail-open,fail-closed", "contradict", id="contradiction"),
        pytest.param("/v1/holds=1/1s;*=1/1s", "expected '*', '<METHOD> *'", id="no method"),
        pytest.param("POST v1/holds=1/1s;*=1/1s", "starts with '/'", id="relative route"),
        pytest.param("P0ST /v1=1/1s;*=1/1s", "expected '*', '<METHOD> *'", id="bad method"),
    ],
)
def test_given_bad_configuration_then_parsing_says_which_entry_and_why(
    text: str, reason: str
) -> None:
    with pytest.raises(InvalidBudgets, match=re.escape(reason)):
        Budgets.parse(text)


def test_empty_entries_and_surrounding_spaces_are_ignored() -> None:
    assert Budgets.parse(" ; *=5/1s ; ").default == Policy("default", 5, 1)
