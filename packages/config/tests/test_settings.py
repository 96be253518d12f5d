import pytest

from lml_config import ConfigError, load_settings, unknown_variables

PRODUCTION = {
    "LML_ENV": "production",
    "LML_DATABASE_URL": "postgresql://owner@db/lml",
    "LML_DATABASE_APP_PASSWORD": "a-long-production-secret",
    "LML_REDIS_URL": "redis://cache:6379/0",
    "LML_MONGO_URL": "mongodb://mongo:27017",
    "LML_STRIPE_SECRET_KEY": "sk_live_example",
    "LML_STRIPE_WEBHOOK_SECRET": "whsec_example",
    "LML_JWT_KEYS": "k1:cHJvZHVjdGlvbi1zaWduaW5nLWtleS0zMi1ieXRlcy1sb25n",
    "LML_JWT_SIGNING_KID": "k1",
}


def test_given_no_variables_when_loaded_then_development_defaults_apply() -> None:
    settings = load_settings({})
    assert settings.env == "development"
    assert settings.port == 8000
    assert settings.database_url is None


def test_given_string_values_when_loaded_then_they_are_parsed_to_their_types() -> None:
    settings = load_settings({"LML_PORT": "9001", "LML_STARTUP_BACKOFF_SECONDS": "0.25"})
    assert settings.port == 9001
    assert settings.startup_backoff_seconds == 0.25


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("LML_PORT", "eighty"),
        ("LML_PORT", "70000"),
        ("LML_ENV", "prod"),
        ("LML_DB_POOL_MAX_SIZE", "0"),
        ("LML_LOG_LEVEL", "LOUD"),
    ],
)
def test_given_a_malformed_value_when_loaded_then_the_error_names_the_variable(
    name: str, value: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings({name: value})
    assert len(raised.value.problems) == 1
    assert raised.value.problems[0].startswith(f"{name}={value!r}")


def test_given_trust_forwarded_for_unset_or_true_when_loaded_then_it_is_false_or_true() -> None:
    assert load_settings({}).trust_forwarded_for is False
    assert load_settings({"LML_TRUST_FORWARDED_FOR": "true"}).trust_forwarded_for is True


def test_given_several_malformed_values_when_loaded_then_every_one_is_reported() -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings({"LML_PORT": "x", "LML_WORKER_PORT": "y"})
    assert len(raised.value.problems) == 2


def test_given_pool_min_above_max_when_loaded_then_the_cross_check_fails() -> None:
    with pytest.raises(ConfigError, match="LML_DB_POOL_MIN_SIZE must not exceed"):
        load_settings({"LML_DB_POOL_MIN_SIZE": "5", "LML_DB_POOL_MAX_SIZE": "2"})


def test_given_a_complete_production_environment_when_loaded_then_it_is_accepted() -> None:
    assert load_settings(PRODUCTION).is_production


@pytest.mark.parametrize(
    "missing",
    [
        "LML_DATABASE_URL",
        "LML_REDIS_URL",
        "LML_MONGO_URL",
        "LML_STRIPE_SECRET_KEY",
        "LML_STRIPE_WEBHOOK_SECRET",
    ],
)
def test_given_production_without_a_required_setting_then_it_refuses_naming_it(
    missing: str,
) -> None:
    environ = {k: v for k, v in PRODUCTION.items() if k != missing}
    with pytest.raises(ConfigError, match=missing):
        load_settings(environ)


@pytest.mark.parametrize("password", ["lml-app-dev-password", "short"])
def test_given_production_with_a_default_or_short_secret_then_it_refuses(password: str) -> None:
    with pytest.raises(ConfigError, match="LML_DATABASE_APP_PASSWORD"):
        load_settings({**PRODUCTION, "LML_DATABASE_APP_PASSWORD": password})


def test_given_production_with_the_development_webhook_secret_then_it_refuses() -> None:
    with pytest.raises(ConfigError, match="LML_STRIPE_WEBHOOK_SECRET"):
        load_settings({**PRODUCTION, "LML_STRIPE_WEBHOOK_SECRET": "whsec_lml_development"})


def test_given_development_without_stripe_settings_then_the_fake_gateway_and_dev_secret() -> None:
    settings = load_settings({})

    assert settings.uses_fake_gateway
    assert settings.stripe_webhook_secret == "whsec_lml_development"


def test_given_a_misspelt_variable_then_it_is_reported_as_unknown() -> None:
    environ = {
        "LML_PROT": "8000",
        "LML_PORT": "8000",
        "LML_TEST_REDIS_URL": "redis://localhost",
        "HOME": "/root",
    }
    assert unknown_variables(environ) == ["LML_PROT"]


def test_given_production_with_the_development_signing_key_then_it_refuses() -> None:
    environ = {k: v for k, v in PRODUCTION.items() if k != "LML_JWT_KEYS"}
    with pytest.raises(ConfigError, match="LML_JWT_KEYS must not be the development key"):
        load_settings(environ)


def test_given_no_hold_variables_then_holds_last_five_minutes_bounded_by_30_s_and_15_min() -> None:
    settings = load_settings({})

    assert settings.hold_default_ttl_seconds == 300
    assert (settings.hold_min_ttl_seconds, settings.hold_max_ttl_seconds) == (30, 900)
    assert settings.hold_max_lifetime_seconds == 1800


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"LML_HOLD_MIN_TTL_SECONDS": "400"}, "LML_HOLD_MIN_TTL_SECONDS"),
        ({"LML_HOLD_DEFAULT_TTL_SECONDS": "1000"}, "LML_HOLD_DEFAULT_TTL_SECONDS"),
        ({"LML_HOLD_MAX_LIFETIME_SECONDS": "600"}, "LML_HOLD_MAX_TTL_SECONDS"),
    ],
)
def test_given_hold_lifetimes_out_of_order_when_loaded_then_the_cross_check_names_them(
    overrides: dict[str, str], named: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings(overrides)

    assert any(problem.startswith(named) for problem in raised.value.problems)
