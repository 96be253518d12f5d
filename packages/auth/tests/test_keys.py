import base64

import pytest

from lml_auth import KeyConfigError, KeyRing, SigningKey

SECRET = b"\x01" * 32
OTHER_SECRET = b"\x02" * 48


def encoded(secret: bytes, *, padded: bool = False) -> str:
    text = base64.urlsafe_b64encode(secret).decode("ascii")
    return text if padded else text.rstrip("=")


def test_given_a_32_byte_secret_when_a_key_is_made_then_it_is_accepted() -> None:
    assert SigningKey("k1", SECRET).secret == SECRET


def test_given_a_secret_shorter_than_256_bits_when_a_key_is_made_then_it_is_refused() -> None:
    with pytest.raises(KeyConfigError, match="'k1' is 31 bytes"):
        SigningKey("k1", b"\x01" * 31)


@pytest.mark.parametrize("kid", ["", "has space", "a:b", "a,b", "x" * 65])
def test_given_a_kid_unfit_for_a_header_or_config_when_a_key_is_made_then_it_is_refused(
    kid: str,
) -> None:
    with pytest.raises(KeyConfigError, match="kid"):
        SigningKey(kid, SECRET)


def test_given_a_key_when_shown_then_its_secret_is_not() -> None:
    assert "\\x01" not in repr(SigningKey("k1", SECRET))


def test_given_a_ring_then_the_signing_key_signs_and_every_key_is_found_by_kid() -> None:
    ring = KeyRing([SigningKey("old", SECRET), SigningKey("new", OTHER_SECRET)], "new")
    assert ring.signing_key.kid == "new"
    assert ring.find("old") == SigningKey("old", SECRET)
    assert ring.kids == {"old", "new"}


def test_given_a_ring_when_an_unknown_kid_is_looked_up_then_nothing_is_found() -> None:
    assert KeyRing([SigningKey("k1", SECRET)], "k1").find("k9") is None


def test_given_two_keys_with_one_kid_when_a_ring_is_made_then_it_is_refused() -> None:
    with pytest.raises(KeyConfigError, match="'k1' appears more than once"):
        KeyRing([SigningKey("k1", SECRET), SigningKey("k1", OTHER_SECRET)], "k1")


def test_given_a_signing_kid_not_in_the_ring_when_a_ring_is_made_then_it_is_refused() -> None:
    with pytest.raises(KeyConfigError, match="signing kid 'k2' is not one of the keys"):
        KeyRing([SigningKey("k1", SECRET)], "k2")


def test_given_no_keys_when_a_ring_is_made_then_it_is_refused() -> None:
    with pytest.raises(KeyConfigError, match="at least one key"):
        KeyRing([], "k1")


def test_given_a_ring_when_shown_then_it_names_kids_but_no_secret() -> None:
    shown = repr(KeyRing([SigningKey("k1", SECRET)], "k1"))
    assert shown == "KeyRing(kids=['k1'], signing_kid='k1')"


def test_given_a_config_string_when_parsed_then_every_key_and_the_signing_kid_are_set() -> None:
    spec = f"old:{encoded(SECRET)},new:{encoded(OTHER_SECRET, padded=True)}"
    ring = KeyRing.from_config(spec, "new")
    assert ring.find("old") == SigningKey("old", SECRET)
    assert ring.signing_key == SigningKey("new", OTHER_SECRET)


def test_given_a_config_string_with_spaces_around_entries_when_parsed_then_they_are_ignored() -> (
    None
):
    ring = KeyRing.from_config(f" k1 : {encoded(SECRET)} ", " k1 ")
    assert ring.signing_key == SigningKey("k1", SECRET)


@pytest.mark.parametrize("spec", ["", "   "])
def test_given_an_empty_config_string_when_parsed_then_it_is_refused(spec: str) -> None:
    with pytest.raises(KeyConfigError, match="key list is empty"):
        KeyRing.from_config(spec, "k1")


def test_given_an_entry_without_a_kid_when_parsed_then_the_error_cites_its_position_only() -> None:
    bare_secret = encoded(OTHER_SECRET)
    with pytest.raises(KeyConfigError, match="entry 2 of the key list") as raised:
        KeyRing.from_config(f"k1:{encoded(SECRET)},{bare_secret}", "k1")
    assert bare_secret not in str(raised.value)


def test_given_a_trailing_comma_when_parsed_then_the_empty_entry_is_refused() -> None:
    with pytest.raises(KeyConfigError, match="entry 2 of the key list"):
        KeyRing.from_config(f"k1:{encoded(SECRET)},", "k1")


@pytest.mark.parametrize("secret_text", ["+/+/" * 11, "not base64 at all!", "Zqzqz", "=AAAA"])
def test_given_a_secret_that_is_not_base64url_when_parsed_then_the_error_names_the_kid_only(
    secret_text: str,
) -> None:
    with pytest.raises(KeyConfigError, match="secret for kid 'k1' is not base64url") as raised:
        KeyRing.from_config(f"k1:{secret_text}", "k1")
    assert secret_text not in str(raised.value)
    assert raised.value.__cause__ is None


def test_given_a_short_secret_in_config_when_parsed_then_the_error_names_kid_and_length() -> None:
    short = encoded(b"\x03" * 16)
    with pytest.raises(KeyConfigError, match="'k1' is 16 bytes; HS256 needs at least 32") as raised:
        KeyRing.from_config(f"k1:{short}", "k1")
    assert short not in str(raised.value)


def test_given_a_signing_kid_missing_from_the_config_when_parsed_then_it_is_refused() -> None:
    with pytest.raises(KeyConfigError, match="signing kid 'k2'") as raised:
        KeyRing.from_config(f"k1:{encoded(SECRET)}", "k2")
    assert encoded(SECRET) not in str(raised.value)
