"""The API remembers verified tokens briefly, never past their expiry, within a bound."""

from lml_api.tokens import CachingVerifier
from lml_auth import KeyRing, Principal, TokenIssuer, TokenRejected, TokenVerifier
from lml_auth.fakes import FakeEpochClock
from lml_result import Err, Ok, Result

KEYS = "k1:b2xkLXNpZ25pbmcta2V5LXRoYXQtaXMtbG9uZy1lbm91Z2gtMzI"
TTL = 300
START = 1_800_000_000.0


class CountingVerifier(TokenVerifier):
    """The real verifier, counting the verifications it actually performs."""

    calls = 0

    def verify(self, token: str) -> Result[Principal, TokenRejected]:
        self.calls += 1
        return super().verify(token)


def make(
    clock: FakeEpochClock, max_entries: int = 16, max_age_seconds: float = 30.0
) -> tuple[TokenIssuer, CountingVerifier, CachingVerifier]:
    ring = KeyRing.from_config(KEYS, "k1")
    issuer = TokenIssuer(ring, "iss", "aud", TTL, clock)
    inner = CountingVerifier(ring, "iss", "aud", 0, clock)
    return issuer, inner, CachingVerifier(inner, clock, max_entries, max_age_seconds)


def principal_of(result: object) -> Principal:
    assert isinstance(result, Ok)
    assert isinstance(result.value, Principal)
    return result.value


def test_given_a_verified_token_when_presented_again_then_it_is_not_verified_again() -> None:
    clock = FakeEpochClock(START)
    issuer, inner, cached = make(clock)
    token = issuer.issue("usr_1", "org_a", {"inventory.read"}).access_token

    first = principal_of(cached.verify(token))
    clock.advance(5)
    second = principal_of(cached.verify(token))

    assert first == second
    assert first.org_id == "org_a"
    assert inner.calls == 1


def test_given_a_cached_token_past_its_expiry_then_it_is_rejected() -> None:
    clock = FakeEpochClock(START)
    issuer, inner, cached = make(clock, max_age_seconds=10 * TTL)
    token = issuer.issue("usr_1", "org_a", {"inventory.read"}).access_token
    principal_of(cached.verify(token))

    clock.advance(TTL)

    assert isinstance(cached.verify(token), Err)
    assert inner.calls == 2


def test_given_a_cached_token_older_than_the_max_age_then_it_is_verified_again() -> None:
    clock = FakeEpochClock(START)
    issuer, inner, cached = make(clock, max_age_seconds=30)
    token = issuer.issue("usr_1", "org_a", {"inventory.read"}).access_token
    principal_of(cached.verify(token))

    clock.advance(30)
    principal_of(cached.verify(token))

    assert inner.calls == 2


def test_given_a_rejected_token_when_presented_again_then_it_is_verified_again() -> None:
    clock = FakeEpochClock(START)
    issuer, inner, cached = make(clock)
    token = issuer.issue("usr_1", "org_a", {"inventory.read"}).access_token
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    assert isinstance(cached.verify(forged), Err)
    assert isinstance(cached.verify(forged), Err)
    assert inner.calls == 2


def test_given_more_tokens_than_the_bound_then_the_least_recently_used_is_forgotten() -> None:
    clock = FakeEpochClock(START)
    issuer, inner, cached = make(clock, max_entries=2)
    a, b, c = (issuer.issue(f"usr_{n}", "org_a", {"inventory.read"}).access_token for n in "abc")
    for token in (a, b, a, c):  # c evicts b, the least recently used
        principal_of(cached.verify(token))
    assert inner.calls == 3

    principal_of(cached.verify(a))
    principal_of(cached.verify(c))
    assert inner.calls == 3
    principal_of(cached.verify(b))
    assert inner.calls == 4
