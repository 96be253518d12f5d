"""The rate-limit headers a limited response carries."""

from __future__ import annotations

from lml_ratelimit import Decision, Policy, rate_limit_headers

POLICY = Policy("POST /v1/holds", quota=20, window_seconds=60)


def test_given_an_allowed_request_then_the_headers_show_the_budget_and_no_retry() -> None:
    decision = Decision(
        allowed=True, limit=20, remaining=17, reset_seconds=41.2, retry_after_seconds=0
    )

    assert rate_limit_headers(POLICY, decision) == [
        ("X-RateLimit-Limit", "20"),
        ("X-RateLimit-Remaining", "17"),
        ("X-RateLimit-Reset", "42"),
        ("RateLimit-Policy", '"POST /v1/holds";q=20;w=60'),
        ("RateLimit", '"POST /v1/holds";r=17;t=42'),
    ]


def test_given_a_denied_request_then_retry_after_is_added_in_whole_seconds_rounded_up() -> None:
    decision = Decision(
        allowed=False, limit=20, remaining=0, reset_seconds=59.0, retry_after_seconds=2.000001
    )

    assert rate_limit_headers(POLICY, decision) == [
        ("X-RateLimit-Limit", "20"),
        ("X-RateLimit-Remaining", "0"),
        ("X-RateLimit-Reset", "59"),
        ("RateLimit-Policy", '"POST /v1/holds";q=20;w=60'),
        ("RateLimit", '"POST /v1/holds";r=0;t=59'),
        ("Retry-After", "3"),
    ]


def test_given_a_denial_due_in_under_a_second_then_retry_after_is_one() -> None:
    decision = Decision(
        allowed=False, limit=20, remaining=0, reset_seconds=0.2, retry_after_seconds=0.2
    )

    assert ("Retry-After", "1") in rate_limit_headers(POLICY, decision)


def test_given_a_policy_name_with_quotes_then_it_is_escaped_as_an_sf_string() -> None:
    policy = Policy('say "hi" \\o/', quota=1, window_seconds=1)
    decision = Decision(allowed=True, limit=1, remaining=0, reset_seconds=1, retry_after_seconds=0)

    headers = dict(rate_limit_headers(policy, decision))

    assert headers["RateLimit-Policy"] == '"say \\"hi\\" \\\\o/";q=1;w=1'
