"""The SecretGenerator port, run against the counter-based fake and the OS randomness."""

from __future__ import annotations

import pytest

from lml_identity.application import SecretGenerator
from lml_identity.fakes import FakeSecrets
from lml_identity.infrastructure import RandomSecrets

CALLS = 100


@pytest.fixture(params=["fake", "random"])
def secrets(request: pytest.FixtureRequest) -> SecretGenerator:
    if request.param == "fake":
        return FakeSecrets()
    return RandomSecrets()


def test_no_identifier_or_secret_is_ever_handed_out_twice(secrets: SecretGenerator) -> None:
    made = [
        make()
        for _ in range(CALLS)
        for make in (
            secrets.new_organisation_id,
            secrets.new_user_id,
            secrets.new_client_id,
            secrets.new_client_secret,
        )
    ]

    assert len(set(made)) == len(made)


def test_identifiers_are_non_empty_text_without_spaces(secrets: SecretGenerator) -> None:
    for made in (secrets.new_organisation_id(), secrets.new_user_id(), secrets.new_client_id()):
        assert made
        assert not any(char.isspace() for char in made)
