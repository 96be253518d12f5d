"""The password grant: a user logs in through the organisation of the client they name."""

from __future__ import annotations

from lml_identity.application import CreatedApiClient, PasswordGrant, authenticate_password
from lml_identity.domain import (
    ApiClient,
    Grant,
    InvalidClient,
    InvalidGrant,
    InvalidScope,
    Organisation,
    User,
)
from lml_identity.fakes import (
    CountingSignInAttempts,
    FakePasswordHasher,
    InMemoryApiClients,
    InMemoryOrganisations,
    InMemoryUsers,
)
from lml_result import Err, Ok, Result


async def login(
    grant: PasswordGrant,
    clients: InMemoryApiClients,
    users: InMemoryUsers,
    hasher: FakePasswordHasher,
) -> Result[Grant, InvalidClient | InvalidGrant | InvalidScope]:
    return await authenticate_password(
        grant, clients=clients, users=users, hasher=hasher, attempts=CountingSignInAttempts()
    )


async def test_given_the_right_password_then_the_grant_names_the_user_org_and_all_their_scopes(
    clients: InMemoryApiClients,
    users: InMemoryUsers,
    hasher: FakePasswordHasher,
    box_office: CreatedApiClient,
    alice: User,
    alice_password: str,
) -> None:
    grant = PasswordGrant(
        client_id=box_office.client.client_id, username="alice", password=alice_password
    )

    assert await login(grant, clients, users, hasher) == Ok(
        Grant(subject=alice.id, org_id=alice.org_id, scopes=alice.scopes)
    )


async def test_given_the_username_in_another_spelling_then_the_user_still_logs_in(
    clients: InMemoryApiClients,
    users: InMemoryUsers,
    hasher: FakePasswordHasher,
    box_office: CreatedApiClient,
    alice: User,
    alice_password: str,
) -> None:
    grant = PasswordGrant(
        client_id=box_office.client.client_id, username=" ALICE ", password=alice_password
    )

    result = await login(grant, clients, users, hasher)

    assert isinstance(result, Ok)
    assert result.value.subject == alice.id


async def test_given_a_subset_of_the_users_scopes_requested_then_only_those_are_granted(
    clients: InMemoryApiClients,
    users: InMemoryUsers,
    hasher: FakePasswordHasher,
    box_office: CreatedApiClient,
    alice: User,
    alice_password: str,
) -> None:
    grant = PasswordGrant(
        client_id=box_office.client.client_id,
        username="alice",
        password=alice_password,
        requested_scopes=frozenset({"orders.read"}),
    )

    result = await login(grant, clients, users, hasher)

    assert isinstance(result, Ok)
    assert result.value.scopes == frozenset({"orders.read"})


async def test_given_a_scope_the_user_lacks_then_the_scope_is_invalid(
    clients: InMemoryApiClients,
    users: InMemoryUsers,
    hasher: FakePasswordHasher,
    box_office: CreatedApiClient,
    alice: User,
    alice_password: str,
) -> None:
    grant = PasswordGrant(
        client_id=box_office.client.client_id,
        username="alice",
        password=alice_password,
        requested_scopes=frozenset({"orders.read", "venues.write"}),
    )

    assert await login(grant, clients, users, hasher) == Err(
        InvalidScope(scopes=frozenset({"venues.write"}))
    )


async def test_given_an_unknown_client_then_the_client_is_invalid(
    clients: InMemoryApiClients,
    users: InMemoryUsers,
    hasher: FakePasswordHasher,
    alice: User,
    alice_password: str,
) -> None:
    grant = PasswordGrant(client_id="cli_unknown", username="alice", password=alice_password)

    assert await login(grant, clients, users, hasher) == Err(InvalidClient())


async def test_an_unknown_user_and_a_wrong_password_give_the_identical_error(
    clients: InMemoryApiClients,
    users: InMemoryUsers,
    hasher: FakePasswordHasher,
    box_office: CreatedApiClient,
    alice: User,
) -> None:
    client_id = box_office.client.client_id
    wrong_password = PasswordGrant(client_id=client_id, username="alice", password="not it at all")
    unknown_user = PasswordGrant(client_id=client_id, username="mallory", password="not it at all")

    wrong = await login(wrong_password, clients, users, hasher)
    unknown = await login(unknown_user, clients, users, hasher)

    assert wrong == unknown == Err(InvalidGrant())


async def test_given_an_unknown_user_then_the_hasher_still_verifies_exactly_once(
    clients: InMemoryApiClients,
    users: InMemoryUsers,
    hasher: FakePasswordHasher,
    box_office: CreatedApiClient,
) -> None:
    grant = PasswordGrant(
        client_id=box_office.client.client_id, username="mallory", password="guess guess guess"
    )

    await login(grant, clients, users, hasher)

    assert hasher.verify_calls == 1


async def test_given_an_unusable_username_then_the_hasher_still_verifies_exactly_once(
    clients: InMemoryApiClients,
    users: InMemoryUsers,
    hasher: FakePasswordHasher,
    box_office: CreatedApiClient,
) -> None:
    grant = PasswordGrant(
        client_id=box_office.client.client_id, username="   ", password="guess guess guess"
    )

    assert await login(grant, clients, users, hasher) == Err(InvalidGrant())
    assert hasher.verify_calls == 1


async def test_given_a_wrong_password_then_the_hasher_verifies_exactly_once(
    clients: InMemoryApiClients,
    users: InMemoryUsers,
    hasher: FakePasswordHasher,
    box_office: CreatedApiClient,
    alice: User,
) -> None:
    grant = PasswordGrant(
        client_id=box_office.client.client_id, username="alice", password="guess guess guess"
    )

    await login(grant, clients, users, hasher)

    assert hasher.verify_calls == 1


async def test_given_a_client_of_another_organisation_then_the_user_is_not_found_through_it(
    organisations: InMemoryOrganisations,
    clients: InMemoryApiClients,
    users: InMemoryUsers,
    hasher: FakePasswordHasher,
    alice: User,
    alice_password: str,
) -> None:
    await organisations.add(Organisation(id="org_other", name="Other"))
    other_client = ApiClient(
        client_id="cli_other", org_id="org_other", name="Other", scopes=frozenset()
    )
    await clients.add(other_client, await hasher.hash("irrelevant secret value"))
    grant = PasswordGrant(client_id="cli_other", username="alice", password=alice_password)

    assert await login(grant, clients, users, hasher) == Err(InvalidGrant())


async def test_given_a_hash_with_outdated_parameters_when_logging_in_then_it_is_rehashed(
    clients: InMemoryApiClients,
    users: InMemoryUsers,
    hasher: FakePasswordHasher,
    box_office: CreatedApiClient,
    alice: User,
    alice_password: str,
) -> None:
    hasher.version += 1
    grant = PasswordGrant(
        client_id=box_office.client.client_id, username="alice", password=alice_password
    )

    assert isinstance(await login(grant, clients, users, hasher), Ok)

    stored = await users.find_by_username(alice.org_id, "alice")
    assert stored is not None
    assert not hasher.needs_rehash(stored.password_hash)
    assert await hasher.verify(stored.password_hash, alice_password)


async def test_given_a_current_hash_when_logging_in_then_it_is_not_rehashed(
    clients: InMemoryApiClients,
    users: InMemoryUsers,
    hasher: FakePasswordHasher,
    box_office: CreatedApiClient,
    alice: User,
    alice_password: str,
) -> None:
    hashes_before = hasher.hash_calls
    grant = PasswordGrant(
        client_id=box_office.client.client_id, username="alice", password=alice_password
    )

    await login(grant, clients, users, hasher)

    assert hasher.hash_calls == hashes_before


def test_a_password_grant_never_shows_its_password() -> None:
    grant = PasswordGrant(client_id="cli_1", username="alice", password="s3cret passphrase")

    assert "s3cret passphrase" not in repr(grant)


async def test_given_a_password_longer_than_any_allowed_then_it_is_refused_without_hashing(
    clients: InMemoryApiClients,
    users: InMemoryUsers,
    hasher: FakePasswordHasher,
    box_office: CreatedApiClient,
    alice: User,
) -> None:
    grant = PasswordGrant(
        client_id=box_office.client.client_id, username="alice", password="x" * 1025
    )

    assert await login(grant, clients, users, hasher) == Err(InvalidGrant())
    assert hasher.verify_calls == 0


async def test_given_a_known_and_an_unknown_username_then_each_spends_one_attempt_of_its_org(
    clients: InMemoryApiClients,
    users: InMemoryUsers,
    hasher: FakePasswordHasher,
    box_office: CreatedApiClient,
    alice: User,
) -> None:
    attempts = CountingSignInAttempts()
    for username in (alice.username, "ghost@example.com"):
        grant = PasswordGrant(
            client_id=box_office.client.client_id, username=username, password="wrong"
        )
        await authenticate_password(
            grant, clients=clients, users=users, hasher=hasher, attempts=attempts
        )

    org = box_office.client.org_id
    assert attempts.spent == [(org, alice.username), (org, "ghost@example.com")]


async def test_given_an_unknown_client_then_no_attempt_is_spent_in_any_organisation(
    clients: InMemoryApiClients, users: InMemoryUsers, hasher: FakePasswordHasher, alice: User
) -> None:
    attempts = CountingSignInAttempts()
    grant = PasswordGrant(client_id="cli_unknown", username=alice.username, password="wrong")

    outcome = await authenticate_password(
        grant, clients=clients, users=users, hasher=hasher, attempts=attempts
    )

    assert outcome == Err(InvalidClient())
    assert attempts.spent == []
