"""The coordinator's command: the network at a glance."""

from typing import Annotated

import typer

from doetank_cli.commands.common import app, find_ws, unread
from doetank_cli.i18n import _


@app.command(
    help=_(
        "The network at a glance: tanks per phase and per status, what needs attention, the days each phase takes "
        "against the guideline, tanks started and completed per quarter.\n\nExample: doetank overview, "
        "doetank overview --json"
    )
)
def overview(
    as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON for scripts."))] = False,
) -> None:
    from doetank_cli import jsonout, network, render

    ws = find_ws()
    ov = network.overview(ws, progress=render.progress_bar, findings=False)
    figures = network.overview_figures(ws, ov)
    jsonout.figures_json(figures) if as_json else render.figures(figures)
    unread(ov)
