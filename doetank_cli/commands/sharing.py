"""Commands for working together: sync, undo, and the merge driver git calls."""

from pathlib import Path
from typing import Annotated

import typer

from doetank_cli.commands.common import (
    app,
    exit_with,
    find_ws,
)
from doetank_cli.errors import ExitCode
from doetank_cli.i18n import _


@app.command(
    help=_(
        "Share the workspace with the team's git server: commit local edits, "
        "fetch, merge field by field, re-check, push.\n\n"
        "Example: doetank sync"
    )
)
def sync() -> None:
    from doetank_cli import render
    from doetank_cli import sync as sharing

    result = sharing.sync(find_ws(), progress=render.progress_bar)
    render.sync_result(result)
    if result.conflicts or not result.pushed:
        exit_with(ExitCode.WORKSPACE)


@app.command(
    help=_(
        "Undo your own last change, with a new commit that reverts it; again, and it goes one change further back. "
        "It never takes back a colleague's work.\n\nExample: doetank undo, doetank undo --dry-run"
    )
)
def undo(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=_("Only show what would be undone; change nothing."))
    ] = False,
) -> None:
    from doetank_cli import render, sync

    render.undo_result(sync.undo(find_ws(), dry_run=dry_run))


@app.command(
    "merge-file", hidden=True, help=_("The git merge driver for doetank.yaml (git calls it; people need not).")
)
def merge_file(
    base: Annotated[Path, typer.Argument(help=_("The common ancestor (git's %O)."))],
    ours: Annotated[Path, typer.Argument(help=_("Our version, where the merge is written (git's %A)."))],
    theirs: Annotated[Path, typer.Argument(help=_("Their version (git's %B)."))],
    path: Annotated[str, typer.Argument(help=_("The record's path, for messages (git's %P)."))] = "doetank.yaml",
) -> None:
    from doetank_cli import merge

    exit_with(ExitCode(merge.merge_files(base, ours, theirs, path)))
