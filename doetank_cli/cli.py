"""The command line, assembled: every command module registers its commands on the one app (commands/common.py).

cli.py and commands/ only parse, call one core function and render; no domain logic lives here.
"""

from doetank_cli import framework

# isort: off
# the order of the modules is the order of the commands in --help
from doetank_cli.commands import workspace, tank, reading, publishing, sharing, config  # noqa: F401  (they register commands)

# isort: on
from doetank_cli.commands.common import app

__all__ = ["app", "main"]

framework.use_translated_commands(app)


def main() -> None:
    app(prog_name="doetank")
