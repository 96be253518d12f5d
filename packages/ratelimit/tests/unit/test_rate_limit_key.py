"""Whose budget a request spends."""

from __future__ import annotations

from lml_ratelimit import rate_limit_key


def test_the_key_names_kind_identity_route_and_method() -> None:
    assert rate_limit_key("org", "org_1", "/v1/holds", "POST") == "{org:org_1}:/v1/holds:POST"


def test_the_identity_is_the_redis_cluster_hash_tag_even_when_the_route_has_braces() -> None:
    key = rate_limit_key("user", "usr_1", "/v1/holds/{hold_id}", "PATCH")

    assert key.startswith("{user:usr_1}:")
    assert key.index("}") == len("{user:usr_1}") - 1


def test_an_ipv6_address_stays_readable() -> None:
    assert rate_limit_key("ip", "2001:db8::1", "/v1/oauth/token", "POST").startswith(
        "{ip:2001:db8::1}:"
    )


def test_an_email_address_is_hashed_out_of_sight() -> None:
    key = rate_limit_key("username", "alice@example.com", "/v1/oauth/token", "POST")

    assert "alice" not in key
    assert key.startswith("{username:~")


def test_a_long_or_unusual_identity_or_route_is_hashed_to_a_bounded_length() -> None:
    key = rate_limit_key("ip", "x" * 1000, "/" + "r" * 1000, "GET")

    assert len(key) < 100


def test_different_kinds_with_the_same_identity_have_different_keys() -> None:
    assert rate_limit_key("user", "alice", "/v1/x", "GET") != rate_limit_key(
        "username", "alice", "/v1/x", "GET"
    )
