"""How a scope becomes a Redis key."""

from __future__ import annotations

import dataclasses

import pytest

from lml_idempotency import IdempotencyScope

SCOPE = IdempotencyScope(
    organisation="org_1", principal="usr_1", method="POST", route="/v1/holds", key="k-1"
)


def test_the_key_starts_with_the_prefix_and_a_readable_organisation() -> None:
    assert SCOPE.storage_key("lml").startswith("lml:idem:org_1:")


def test_given_long_parts_then_the_key_stays_bounded() -> None:
    scope = IdempotencyScope(
        organisation="o" * 500, principal="p" * 500, method="POST", route="/r" * 200, key="k" * 255
    )

    longest_organisation, digest = 64, 64
    assert len(scope.storage_key("lml")) <= len("lml:idem::") + longest_organisation + digest


@pytest.mark.parametrize("organisation", ["o" * 65, "org:1", "{org}", "org 1"])
def test_given_an_unusual_organisation_then_it_is_hashed(organisation: str) -> None:
    key = dataclasses.replace(SCOPE, organisation=organisation).storage_key("lml")

    parts = key.split(":")
    assert len(parts) == 4
    assert parts[2].startswith("~")
    assert organisation not in key


@pytest.mark.parametrize("field", ["organisation", "principal", "method", "route", "key"])
def test_given_scopes_differing_in_one_part_then_their_keys_differ(field: str) -> None:
    other = dataclasses.replace(SCOPE, **{field: "PUT" if field == "method" else "x"})

    assert other.storage_key("lml") != SCOPE.storage_key("lml")


def test_given_parts_that_could_run_together_then_their_keys_differ() -> None:
    left = dataclasses.replace(SCOPE, route="/v1/a", key="b")
    right = dataclasses.replace(SCOPE, route="/v1/", key="ab")

    assert left.storage_key("lml") != right.storage_key("lml")
