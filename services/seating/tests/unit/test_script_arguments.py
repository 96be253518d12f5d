"""The hold scripts read their arguments by name; Python builds them by the same names."""

from __future__ import annotations

import re
from importlib.resources import files
from typing import get_args

from lml_seating.infrastructure import ScriptArguments
from lml_seating.infrastructure.hold_scripts import HoldScript

SCRIPTS = files("lml_seating.infrastructure").joinpath("scripts")


def names_the_scripts_read() -> set[str]:
    return {
        name
        for script in SCRIPTS.iterdir()
        if script.name.endswith(".lua")
        for name in re.findall(r"\bargs\.(\w+)", script.read_text("utf-8"))
    }


def test_given_the_hold_scripts_then_they_read_exactly_the_arguments_python_sends() -> None:
    assert names_the_scripts_read() == set(ScriptArguments.__struct_fields__)


def positions_read(script: str) -> list[str]:
    code = re.sub(r"--[^\n]*", "", SCRIPTS.joinpath(script).read_text("utf-8"))
    return re.findall(r"ARGV\[([^\]]+)\]", code)


def test_given_the_hold_scripts_then_only_the_variable_lists_are_read_by_position() -> None:
    """The named arguments, then the seat ids, zone ids and quantities; nothing else."""
    assert positions_read("prelude.lua") == ["1", "1 + i", "1 + n + j", "1 + n + m + j"]
    for name in get_args(HoldScript):
        assert positions_read(f"{name}.lua") == [], name
