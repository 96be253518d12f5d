"""Domain layer of the identity context: organisations, users, API clients and their rules."""

from lml_identity.domain.errors import (
    InvalidClient,
    InvalidGrant,
    InvalidScope,
    InvalidUsername,
    OrganisationExists,
    UnknownOrganisation,
    UnknownScopes,
    UsernameTaken,
    UserNotFound,
    WeakPassword,
)
from lml_identity.domain.models import ApiClient, Grant, Organisation, User
from lml_identity.domain.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, check_password
from lml_identity.domain.scopes import grant_for, granted_scopes, known_scopes
from lml_identity.domain.usernames import MAX_USERNAME_LENGTH, normalise_username

__all__ = [
    "MAX_PASSWORD_LENGTH",
    "MAX_USERNAME_LENGTH",
    "MIN_PASSWORD_LENGTH",
    "ApiClient",
    "Grant",
    "InvalidClient",
    "InvalidGrant",
    "InvalidScope",
    "InvalidUsername",
    "Organisation",
    "OrganisationExists",
    "UnknownOrganisation",
    "UnknownScopes",
    "User",
    "UserNotFound",
    "UsernameTaken",
    "WeakPassword",
    "check_password",
    "grant_for",
    "granted_scopes",
    "known_scopes",
    "normalise_username",
]
