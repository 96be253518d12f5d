import pytest
from hypothesis import given
from hypothesis import strategies as st

from lml_auth import ALL_SCOPES, Scope, format_scopes, parse_scopes

API_SCOPES = {
    "identity.me.read",
    "venues.read",
    "venues.write",
    "events.write",
    "inventory.read",
    "inventory.holds:write",
    "orders.read",
    "orders.write",
}

scope_names = st.text(
    alphabet=st.characters(
        codec="ascii", min_codepoint=0x21, max_codepoint=0x7E, exclude_characters='"\\'
    ),
    min_size=1,
    max_size=20,
)


def test_given_the_api_design_then_every_scope_it_names_is_a_constant_and_in_all_scopes() -> None:
    assert {scope.value for scope in Scope} == API_SCOPES
    assert ALL_SCOPES == API_SCOPES


def test_given_a_space_separated_string_when_parsed_then_each_name_is_one_scope() -> None:
    assert parse_scopes("orders.read  venues.read orders.read") == {"orders.read", "venues.read"}


def test_given_an_empty_string_when_parsed_then_there_are_no_scopes() -> None:
    assert parse_scopes("") == frozenset()


def test_given_scopes_when_formatted_then_they_are_sorted_and_space_separated() -> None:
    formatted = format_scopes([Scope.VENUES_READ, "orders.write", Scope.INVENTORY_HOLDS_WRITE])
    assert formatted == "inventory.holds:write orders.write venues.read"


@pytest.mark.parametrize("name", ["", "orders read", 'say"hi"', "back\\slash", "caf\u00e9"])
def test_given_a_name_that_is_not_a_scope_token_when_formatted_then_it_is_refused(
    name: str,
) -> None:
    with pytest.raises(ValueError, match="not valid scope names"):
        format_scopes([name])


@given(st.frozensets(scope_names))
def test_given_any_valid_scopes_when_formatted_and_parsed_then_the_same_set_returns(
    scopes: frozenset[str],
) -> None:
    assert parse_scopes(format_scopes(scopes)) == scopes


def test_given_a_scope_string_with_a_backslash_when_parsed_then_it_is_refused() -> None:
    with pytest.raises(ValueError, match="not valid scope names"):
        parse_scopes("venues.read bad\\scope")
