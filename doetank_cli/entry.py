"""The `doetank` command's entry point: `doetank --version` answers before Typer is imported; `status`, `check` and
`overview` from a current index without it (warm.py); all else, and anything warm.py is not sure of, goes to cli."""

from __future__ import annotations

import sys

_WARM = {"status", "check", "overview"}


def main() -> None:
    from doetank_cli import system

    system.configure_output()
    if sys.argv[1:] == ["--version"]:
        from doetank_cli import __version__
        from doetank_cli.i18n import _

        sys.stdout.write(_("doetank {version}").format(version=__version__) + "\n")
        return
    if _WARM.intersection(sys.argv[1:4]):
        from doetank_cli import warm

        code = warm.run(sys.argv[1:])
        if code is not None:
            warm.finish(code)
    from doetank_cli.cli import main as run

    run()
