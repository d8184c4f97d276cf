"""The command line, assembled: every command module registers its commands on the one app (commands/common.py).

cli.py and commands/ only parse, call one core function and render; no domain logic lives here.
"""

from doetank_cli import framework

# isort: off
# the order of the modules is the order of the commands in --help
# one module per line, so that branches adding commands merge cleanly
from doetank_cli.commands import workspace  # noqa: F401  (they register commands)
from doetank_cli.commands import tank  # noqa: F401
from doetank_cli.commands import correcting  # noqa: F401
from doetank_cli.commands import reading  # noqa: F401
from doetank_cli.commands import overview  # noqa: F401
from doetank_cli.commands import knowledge  # noqa: F401
from doetank_cli.commands import publishing  # noqa: F401
from doetank_cli.commands import sharing  # noqa: F401
from doetank_cli.commands import resolve  # noqa: F401
from doetank_cli.commands import config  # noqa: F401
from doetank_cli.commands import serve  # noqa: F401

# isort: on
from doetank_cli.commands.common import app

__all__ = ["app", "main"]

framework.use_translated_commands(app)


def main() -> None:
    from doetank_cli import system

    system.configure_output()  # also when started here rather than through entry.main (python -c, a test, a wrapper)
    app(prog_name="doetank")
