"""The scope rule: what a grant may carry, given what was asked and what is allowed."""

from __future__ import annotations

import pytest

from lml_identity.domain import InvalidScope, UnknownScopes, granted_scopes, known_scopes
from lml_result import Err, Ok

READ = "orders.read"
WRITE = "orders.write"
ME = "identity.me.read"
ALLOWED = frozenset({READ, WRITE})


@pytest.mark.parametrize(
    ("requested", "allowed", "expected"),
    [
        pytest.param(None, ALLOWED, Ok(ALLOWED), id="nothing requested: all allowed"),
        pytest.param(frozenset(), ALLOWED, Ok(ALLOWED), id="empty request: all allowed"),
        pytest.param(frozenset({READ}), ALLOWED, Ok(frozenset({READ})), id="a subset: that subset"),
        pytest.param(ALLOWED, ALLOWED, Ok(ALLOWED), id="exactly the allowed: all of them"),
        pytest.param(
            frozenset({READ, ME}),
            ALLOWED,
            Err(InvalidScope(scopes=frozenset({ME}))),
            id="one outside: refused, naming it",
        ),
        pytest.param(
            frozenset({"admin"}),
            ALLOWED,
            Err(InvalidScope(scopes=frozenset({"admin"}))),
            id="an unknown name: refused",
        ),
        pytest.param(None, frozenset(), Ok(frozenset()), id="nothing allowed, nothing asked"),
        pytest.param(
            frozenset({READ}),
            frozenset(),
            Err(InvalidScope(scopes=frozenset({READ}))),
            id="nothing allowed, something asked: refused",
        ),
    ],
)
def test_granted_scopes_follow_the_rule_table(
    requested: frozenset[str] | None, allowed: frozenset[str], expected: object
) -> None:
    assert granted_scopes(requested, allowed) == expected


def test_given_only_known_scopes_when_checked_then_they_pass_unchanged() -> None:
    assert known_scopes(frozenset({READ}), ALLOWED) == Ok(frozenset({READ}))


def test_given_an_unknown_scope_when_checked_then_exactly_the_unknown_ones_are_named() -> None:
    assert known_scopes(frozenset({READ, "root", "sudo"}), ALLOWED) == Err(
        UnknownScopes(scopes=frozenset({"root", "sudo"}))
    )
