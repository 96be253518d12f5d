from pathlib import Path

from lml_config import Settings, load_settings, unknown_variables

EXAMPLE = Path(__file__).resolve().parents[3] / "ops" / "env" / "production.env.example"


def example_variables() -> dict[str, str]:
    lines = EXAMPLE.read_text().splitlines()
    assignments = (line.partition("=") for line in lines if line and not line.startswith("#"))
    return {name: value for name, _, value in assignments}


def test_the_production_example_lists_every_setting() -> None:
    listed = set(example_variables())

    missing = {f"LML_{field.upper()}" for field in Settings.__struct_fields__} - listed
    assert missing == set()


def test_the_production_example_lists_no_variable_lml_does_not_read() -> None:
    assert unknown_variables(example_variables()) == []


def test_the_production_example_passes_the_production_checks() -> None:
    settings = load_settings(example_variables())

    assert settings.is_production
