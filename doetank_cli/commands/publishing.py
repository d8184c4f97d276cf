"""Commands that publish: report, site."""

from pathlib import Path
from typing import Annotated

import typer

from doetank_cli.commands.common import (
    Output,
    Tank,
    app,
    find_ws,
    output_to,
)
from doetank_cli.i18n import _
from doetank_cli.vocab import ReportFormat


@app.command(
    help=_(
        "Write a report of one tank, ready to paste into a blog post, a "
        "LinkedIn update or an e-mail to the opdrachtgever.\n\n"
        "Example: doetank report slimmer --output verslag.md, doetank report slimmer --format text"
    )
)
def report(
    tank: Tank,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", help=_("markdown (for a blog) or text (for LinkedIn or an e-mail)."))
    ] = ReportFormat.markdown,
    output: Output = None,
) -> None:
    from doetank_cli import lifecycle, render
    from doetank_cli.publish import report as publish

    found = lifecycle.report(find_ws(), tank)
    with output_to(output):
        render.text_out(publish.render(found, fmt.value))
    if found.private:
        render.notices(
            [
                _(
                    "{slug} is private (publiek: false) and stays off the site; think before you share this report."
                ).format(slug=found.slug)
            ]
        )


@app.command(
    help=_(
        "Build a static website of the workspace in FOLDER: a board of every public tank, and a page per tank.\n\n"
        "Example: doetank site public/"
    )
)
def site(
    outdir: Annotated[
        Path,
        typer.Argument(metavar=_("FOLDER"), help=_("Where to write the site (made when missing)."), show_default=False),
    ],
) -> None:
    from doetank_cli import lifecycle, render

    render.site_result(lifecycle.site(find_ws(), outdir))
