"""In-memory adapters for every identity port, for unit tests and demos."""

from lml_identity.fakes.api_clients import InMemoryApiClients
from lml_identity.fakes.fake_secrets import FakeSecrets
from lml_identity.fakes.organisations import InMemoryOrganisations
from lml_identity.fakes.password_hasher import FakePasswordHasher
from lml_identity.fakes.sign_in_attempts import CountingSignInAttempts
from lml_identity.fakes.users import InMemoryUsers

__all__ = [
    "CountingSignInAttempts",
    "FakePasswordHasher",
    "FakeSecrets",
    "InMemoryApiClients",
    "InMemoryOrganisations",
    "InMemoryUsers",
]
