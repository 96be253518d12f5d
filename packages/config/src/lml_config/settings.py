"""One settings object for the whole process, read from ``LML_*`` variables.

Every field maps to the variable ``LML_<FIELD>``. Values are parsed and validated by
msgspec; cross-field rules (production refuses development defaults) come after, and
every problem names the variable at fault.
"""

from __future__ import annotations

import ipaddress
import itertools
import os
from collections.abc import Mapping
from typing import Annotated, Literal

import msgspec

PREFIX = "LML_"
TEST_PREFIX = "LML_TEST_"
DEV_APP_PASSWORD = "lml-app-dev-password"  # noqa: S105 - the known development default
MIN_SECRET_LENGTH = 16
# A published key, so development tokens work out of the box; production refuses it.
DEV_JWT_KEYS = "dev:ZGV2ZWxvcG1lbnQta2V5LW5vdC1mb3ItcHJvZHVjdGlvbi11c2U"
# Published too, so a development stack (and the fake gateway's signed events) needs no
# configuration; production refuses it.
DEV_STRIPE_WEBHOOK_SECRET = "whsec_lml_development"  # noqa: S105

Port = Annotated[int, msgspec.Meta(ge=0, le=65535)]
Positive = Annotated[int, msgspec.Meta(gt=0)]
NonNegative = Annotated[float, msgspec.Meta(ge=0)]


class Settings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    env: Literal["development", "test", "production"] = "development"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    host: str = "127.0.0.1"
    port: Port = 8000
    worker_port: Port = 8001
    # The API's /metrics (it names tenants): its own listener, never the public port. With
    # LML_API_WORKERS=N, process n serves LML_METRICS_PORT + n.
    metrics_host: str = "127.0.0.1"
    metrics_port: Port = 8002
    # API processes serving LML_PORT, each on its own SO_REUSEPORT socket; one per core.
    api_workers: Positive = 1
    max_body_bytes: Positive = 1_048_576
    shutdown_grace_seconds: NonNegative = 10.0

    database_url: str | None = None
    database_app_password: str = DEV_APP_PASSWORD
    db_pool_min_size: Annotated[int, msgspec.Meta(ge=0)] = 1
    db_pool_max_size: Positive = 10
    db_statement_timeout_ms: Positive = 5_000
    db_lock_timeout_ms: Positive = 2_000
    db_idle_in_transaction_timeout_ms: Positive = 10_000
    migrations_dir: str | None = None

    redis_url: str | None = None
    # LML_REDIS_URL names one node of a Redis Cluster, which the client discovers from it.
    redis_cluster: bool = False
    redis_key_prefix: str = "lml"

    mongo_url: str | None = None
    mongo_database: str = "lml"

    startup_attempts: Positive = 5
    startup_backoff_seconds: NonNegative = 0.5
    dependency_timeout_seconds: Annotated[float, msgspec.Meta(gt=0)] = 2.0
    # A call that waits this long while its server answers nothing makes the server's breaker
    # probe it (as long at most); a failed probe opens the breaker, which then answers 503
    # at once and probes again every interval until the server answers (decision 0011).
    dependency_stall_seconds: Annotated[float, msgspec.Meta(gt=0)] = 0.3
    dependency_probe_interval_seconds: Annotated[float, msgspec.Meta(gt=0)] = 0.2

    jwt_keys: str = DEV_JWT_KEYS
    jwt_signing_kid: str = "dev"
    jwt_issuer: str = "lml"
    jwt_audience: str = "lml-api"
    jwt_leeway_seconds: Annotated[int, msgspec.Meta(ge=0, le=300)] = 30
    access_token_ttl_seconds: Annotated[int, msgspec.Meta(ge=60, le=86_400)] = 900

    rate_limit_budgets: str | None = None
    # Only behind a proxy that appends the client's address: otherwise clients forge it.
    trust_forwarded_for: bool = False
    unauthenticated_attempts_per_ip: Positive = 60
    token_attempts_per_username: Positive = 10
    token_attempts_window_seconds: Positive = 300
    idempotency_lease_seconds: Annotated[float, msgspec.Meta(gt=0, le=300)] = 30.0

    # Holds: lifetimes in whole seconds. min <= default <= max <= max_lifetime.
    hold_default_ttl_seconds: Positive = 300
    hold_min_ttl_seconds: Positive = 30
    hold_max_ttl_seconds: Positive = 900
    hold_max_lifetime_seconds: Positive = 1800
    hold_sweep_interval_seconds: Annotated[float, msgspec.Meta(gt=0)] = 1.0
    # How long a pending order keeps its seats before it expires unpaid (seconds are
    # allowed so a rehearsal, bench/onsale.py, sees orders expire within its run).
    order_ttl_seconds: Annotated[int, msgspec.Meta(ge=1, le=86_400)] = 900
    # How often the worker's order_expirer looks for pending orders past expires_at.
    order_expiry_interval_seconds: Annotated[float, msgspec.Meta(gt=0)] = 5.0
    # How long an event's hold rules (max seats, channels, zones) are cached per process.
    hold_rules_cache_seconds: NonNegative = 5.0
    # Entries kept per event in the availability stream, by count and by age (approximate
    # trimming at each append); a client further behind resynchronises from a snapshot.
    availability_stream_max_length: Positive = 10_000
    availability_stream_max_age_seconds: Positive = 3_600
    # The availability stream (SSE): a comment every heartbeat so proxies and clients
    # know the connection lives; the reconnect delay clients are told; how long a burst of
    # events is gathered into one seat.batch; how many frames a subscriber may fall behind
    # before it is dropped (it resumes with Last-Event-ID).
    availability_heartbeat_seconds: Annotated[float, msgspec.Meta(gt=0)] = 15.0
    availability_retry_ms: Positive = 3_000
    availability_batch_window_ms: NonNegative = 50.0
    availability_subscriber_buffer: Positive = 256
    # Read tickets (for browsers' EventSource): how long one lasts, and the origins whose
    # pages may read the snapshot and the stream (comma-separated; none by default).
    availability_ticket_seconds: Annotated[int, msgspec.Meta(gt=0, le=600)] = 60
    availability_cors_origins: str = ""

    # Payments: with no secret key, the fake gateway (development and tests only), and with
    # it a development-only route that delivers signed events of its payments. The API
    # base points the Stripe library at a stand-in (tests); timeouts and retries are its own.
    stripe_secret_key: str | None = None
    stripe_webhook_secret: str = DEV_STRIPE_WEBHOOK_SECRET
    stripe_api_base: str | None = None
    stripe_timeout_seconds: Annotated[float, msgspec.Meta(gt=0, le=80)] = 10.0
    stripe_max_network_retries: Annotated[int, msgspec.Meta(ge=0, le=10)] = 2
    # A payment Stripe says is processing keeps its order from expiring, for at most this.
    payment_in_flight_limit_seconds: Positive = 3_600
    # Refund, through the gateway, payments that succeed after their order ended unpaid
    # (otherwise they are only flagged: `lml orders refunds-due`).
    refund_late_payments: bool = False

    # The worker's outbox: how often it looks for due rows and how many it claims at once;
    # how long a claim lasts before another worker may take the row again; retries with
    # exponential backoff (base doubling, capped, with jitter) until the row is dead.
    outbox_interval_seconds: Annotated[float, msgspec.Meta(gt=0)] = 0.1
    outbox_batch_size: Annotated[int, msgspec.Meta(gt=0, le=1000)] = 100
    outbox_lease_seconds: Positive = 60
    outbox_max_attempts: Positive = 8
    outbox_backoff_base_seconds: Annotated[float, msgspec.Meta(gt=0)] = 1.0
    outbox_backoff_max_seconds: Annotated[float, msgspec.Meta(gt=0)] = 300.0

    data_dir: str = ".lml"

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def uses_fake_gateway(self) -> bool:
        """No Stripe key: payments go to the fake gateway (production refuses to start)."""
        return not self.stripe_secret_key


FIELDS = frozenset(Settings.__struct_fields__)


class ConfigError(ValueError):
    """The environment does not describe a valid configuration."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("invalid configuration: " + "; ".join(problems))


def variable(field: str) -> str:
    return PREFIX + field.upper()


def unknown_variables(environ: Mapping[str, str] | None = None) -> list[str]:
    """``LML_*`` variables that no setting reads: almost always a typo.

    ``LML_TEST_*`` variables belong to the test fixtures, not to the settings.
    """
    environ = os.environ if environ is None else environ
    return sorted(
        name
        for name in environ
        if name.startswith(PREFIX)
        and not name.startswith(TEST_PREFIX)
        and name[len(PREFIX) :].lower() not in FIELDS
    )


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read, parse and check the settings; raise ``ConfigError`` naming each bad variable."""
    environ = os.environ if environ is None else environ
    raw = {
        field: environ[variable(field)]
        for field in Settings.__struct_fields__
        if variable(field) in environ
    }
    problems: list[str] = []
    parsed: dict[str, object] = {}
    for field, value in raw.items():
        try:
            msgspec.convert({field: value}, Settings, strict=False)
        except msgspec.ValidationError as error:
            problems.append(f"{variable(field)}={value!r}: {_reason(error)}")
        else:
            parsed[field] = value
    if problems:
        raise ConfigError(problems)
    settings = msgspec.convert(parsed, Settings, strict=False)
    problems = _cross_field_problems(settings)
    if problems:
        raise ConfigError(problems)
    return settings


def listens_beyond_loopback(settings: Settings) -> bool:
    """Whether ``LML_HOST`` lets other machines connect (any name but localhost does)."""
    if settings.host == "localhost":
        return False
    try:
        return not ipaddress.ip_address(settings.host).is_loopback
    except ValueError:
        return True


def published_secrets(settings: Settings) -> list[str]:
    """The variables still at a development default that is published in this repository.

    Anyone can mint tokens with the development key for any organisation and scope, so a
    process others can reach must not use it, in any ``LML_ENV``.
    """
    defaults = (("jwt_keys", DEV_JWT_KEYS), ("database_app_password", DEV_APP_PASSWORD))
    return [variable(field) for field, default in defaults if getattr(settings, field) == default]


def _reason(error: msgspec.ValidationError) -> str:
    message = str(error)
    return message.split(" - at ", 1)[0]


def _hold_lifetime_problems(settings: Settings) -> list[str]:
    ordered = (
        "hold_min_ttl_seconds",
        "hold_default_ttl_seconds",
        "hold_max_ttl_seconds",
        "hold_max_lifetime_seconds",
    )
    return [
        f"{variable(lower)} must not exceed {variable(upper)}"
        for lower, upper in itertools.pairwise(ordered)
        if getattr(settings, lower) > getattr(settings, upper)
    ]


def _cross_field_problems(settings: Settings) -> list[str]:
    problems: list[str] = []
    if settings.db_pool_min_size > settings.db_pool_max_size:
        problems.append(
            f"{variable('db_pool_min_size')} must not exceed {variable('db_pool_max_size')}"
        )
    problems.extend(_hold_lifetime_problems(settings))
    if not settings.is_production:
        return problems
    for field in (
        "database_url",
        "redis_url",
        "mongo_url",
        "stripe_secret_key",
    ):
        if not getattr(settings, field):
            problems.append(f"{variable(field)} is required when LML_ENV=production")
    if settings.stripe_webhook_secret == DEV_STRIPE_WEBHOOK_SECRET:
        problems.append(
            f"{variable('stripe_webhook_secret')} is required (not the development secret)"
            " when LML_ENV=production"
        )
    if settings.jwt_keys == DEV_JWT_KEYS:
        problems.append(
            f"{variable('jwt_keys')} must not be the development key when LML_ENV=production"
        )
    password = settings.database_app_password
    if password == DEV_APP_PASSWORD or len(password) < MIN_SECRET_LENGTH:
        problems.append(
            f"{variable('database_app_password')} must be a non-default secret of at least "
            f"{MIN_SECRET_LENGTH} characters when LML_ENV=production"
        )
    return problems
