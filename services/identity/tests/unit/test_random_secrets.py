"""Real identifiers and secrets: unguessable, URL-safe, never repeated."""

from __future__ import annotations

import base64
import re

from lml_identity.infrastructure import RandomSecrets

URL_SAFE = re.compile(r"[A-Za-z0-9_-]+")


def test_a_client_secret_carries_at_least_32_random_bytes_as_url_safe_text() -> None:
    secret = RandomSecrets().new_client_secret()

    assert URL_SAFE.fullmatch(secret)
    assert len(base64.urlsafe_b64decode(secret + "=" * (-len(secret) % 4))) >= 32


def test_client_secrets_do_not_repeat() -> None:
    secrets = RandomSecrets()

    assert len({secrets.new_client_secret() for _ in range(1000)}) == 1000


def test_ids_say_what_they_identify() -> None:
    secrets = RandomSecrets()

    assert secrets.new_organisation_id().startswith("org_")
    assert secrets.new_user_id().startswith("usr_")
    assert secrets.new_client_id().startswith("cli_")
