"""``python -m lml_cli``: the ``lml`` command without relying on the script on PATH."""

from lml_cli.main import cli

cli(prog_name="lml")
