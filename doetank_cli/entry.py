"""The `doetank` command's entry point: `doetank --version` answers before Typer is imported; `status`, `check` and
`overview` from a current index without it (warm.py); git's merge driver (`merge-file`, once per record both sides
changed) without it too; all else, and anything these are not sure of, goes to cli."""

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
    args = sys.argv[1:]
    if len(args) in (4, 5) and args[0] == "merge-file" and all(a.isprintable() and a[:1] != "-" for a in args[1:]):
        _merge_file(args[1:])  # exits, unless something unexpected happened: then the command below says what
    if _WARM.intersection(sys.argv[1:4]):
        from doetank_cli import warm

        code = warm.run(sys.argv[1:])
        if code is not None:
            warm.finish(code)
    from doetank_cli.cli import main as run

    run()


def _merge_file(args: list[str]) -> None:
    """`merge-file BASE OURS THEIRS [PATH]` as the command does it (commands/sharing.py), without loading Typer."""
    from pathlib import Path

    from doetank_cli import merge

    try:
        code = merge.merge_files(
            Path(args[0]), Path(args[1]), Path(args[2]), args[3] if len(args) == 4 else "doetank.yaml"
        )
    except Exception:  # anything unexpected: the command runs it again, and its error boundary says what went wrong
        return
    sys.exit(code)
