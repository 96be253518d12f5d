"""Application layer of the identity context: the use cases and the ports they need."""

from lml_identity.application.authenticate_client import (
    ClientCredentialsGrant,
    authenticate_client,
)
from lml_identity.application.authenticate_password import PasswordGrant, authenticate_password
from lml_identity.application.create_api_client import (
    CreateApiClient,
    CreatedApiClient,
    create_api_client,
)
from lml_identity.application.create_organisation import CreateOrganisation, create_organisation
from lml_identity.application.create_user import CreateUser, CreateUserError, create_user
from lml_identity.application.get_current_user import get_current_user
from lml_identity.application.ports import (
    ApiClients,
    ClientCredentials,
    Organisations,
    PasswordHasher,
    SecretGenerator,
    SignInAttempts,
    UserCredentials,
    Users,
)

__all__ = [
    "ApiClients",
    "ClientCredentials",
    "ClientCredentialsGrant",
    "CreateApiClient",
    "CreateOrganisation",
    "CreateUser",
    "CreateUserError",
    "CreatedApiClient",
    "Organisations",
    "PasswordGrant",
    "PasswordHasher",
    "SecretGenerator",
    "SignInAttempts",
    "UserCredentials",
    "Users",
    "authenticate_client",
    "authenticate_password",
    "create_api_client",
    "create_organisation",
    "create_user",
    "get_current_user",
]
