"""Commands about the workspace itself: init, schema."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from doetank_cli.commands.common import (
    NoCommit,
    app,
    find_ws,
    show_change,
)
from doetank_cli.i18n import _


@app.command(
    help=_(
        "Make a workspace: tanks/, the default templates/, a git repository "
        "and a first commit.\n\nExample: doetank init mijn-doetanks"
    )
)
def init(
    path: Annotated[
        Path,
        typer.Argument(
            metavar=_("FOLDER"), help=_("Where to make it (default: the current folder)."), show_default=False
        ),
    ] = Path("."),
) -> None:
    from doetank_cli import lifecycle, render

    render.init_result(lifecycle.init(path))


@app.command(
    help=_(
        "Print the JSON Schema of doetank.yaml, for editors and CI; --write "
        "puts it in the workspace as doetank.schema.json.\n\n"
        "Example: doetank schema > doetank.schema.json"
    )
)
def schema(
    write: Annotated[
        bool,
        typer.Option("--write", help=_("Write (or update) doetank.schema.json at the workspace root and commit it.")),
    ] = False,
    no_commit: NoCommit = False,
) -> None:
    if write:
        from doetank_cli import lifecycle

        show_change(lifecycle.refresh_schema(find_ws(), commit=not no_commit))
        return
    from doetank_cli.schema import schema_text

    sys.stdout.write(schema_text())
