import psycopg
import psycopg.errors
import psycopg_pool
import pytest

from lml_postgres import is_unavailable, postgres_faults
from lml_result import DependencyUnavailable

UNAVAILABLE = [
    pytest.param(psycopg.OperationalError("connection refused"), id="libpq-connection-error"),
    pytest.param(psycopg.errors.ConnectionFailure("lost"), id="connection-failure-08006"),
    pytest.param(psycopg.errors.AdminShutdown("shutting down"), id="admin-shutdown-57P01"),
    pytest.param(psycopg.errors.CannotConnectNow("starting up"), id="cannot-connect-now-57P03"),
    pytest.param(psycopg.errors.TooManyConnections("full"), id="too-many-connections-53300"),
    pytest.param(psycopg.errors.QueryCanceled("statement timeout"), id="statement-timeout-57014"),
    pytest.param(psycopg.errors.LockNotAvailable("lock timeout"), id="lock-timeout-55P03"),
    pytest.param(psycopg_pool.PoolTimeout("no connection"), id="pool-timeout"),
]

PASSED_THROUGH = [
    pytest.param(psycopg.errors.SerializationFailure("retry"), id="serialization-failure"),
    pytest.param(psycopg.errors.DeadlockDetected("deadlock"), id="deadlock"),
    pytest.param(psycopg.errors.UniqueViolation("duplicate"), id="unique-violation"),
    pytest.param(psycopg.errors.InsufficientPrivilege("rls"), id="insufficient-privilege"),
]


@pytest.mark.parametrize("error", UNAVAILABLE)
def test_given_a_connection_or_timeout_error_when_raised_then_postgresql_is_unavailable(
    error: Exception,
) -> None:
    with pytest.raises(DependencyUnavailable) as raised, postgres_faults():
        raise error

    assert raised.value.dependency == "postgresql"
    assert raised.value.__cause__ is error


@pytest.mark.parametrize("error", PASSED_THROUGH)
def test_given_a_statement_outcome_when_raised_then_it_passes_through_unchanged(
    error: Exception,
) -> None:
    with pytest.raises(type(error)) as raised, postgres_faults():
        raise error

    assert raised.value is error
    assert not is_unavailable(error)


def test_given_an_unavailable_error_when_translated_then_the_reason_names_no_server_detail() -> (
    None
):
    error = psycopg.OperationalError('connection to server at "10.0.0.5", port 5432 failed')

    with pytest.raises(DependencyUnavailable) as raised, postgres_faults():
        raise error

    assert "10.0.0.5" not in str(raised.value)
