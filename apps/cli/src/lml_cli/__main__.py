"""``python -m lml_cli``: the ``lml`` command without relying on the script on PATH."""

from lml_cli.main import cli

# Guarded: the API's worker processes are spawned, and spawning imports this module again.
if __name__ == "__main__":
    cli(prog_name="lml")
