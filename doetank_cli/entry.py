"""The `doetank` command's entry point: `doetank --version` answers before Typer is imported; all else goes to cli."""

from __future__ import annotations

import sys


def main() -> None:
    from doetank_cli import system

    system.configure_output()
    if sys.argv[1:] == ["--version"]:
        from doetank_cli import __version__
        from doetank_cli.i18n import _

        sys.stdout.write(_("doetank {version}").format(version=__version__) + "\n")
        return
    from doetank_cli.cli import main as run

    run()
