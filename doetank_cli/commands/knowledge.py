"""Commands for what the network learns and plans: lessons, search, agenda."""

from typing import Annotated

import typer

from doetank_cli.commands.common import Output, app, exit_with, find_ws, output_to, unread_files, write_stdout
from doetank_cli.errors import UsageError
from doetank_cli.i18n import _
from doetank_cli.vocab import Fase


@app.command(
    help=_(
        "Show the network's lessons: what works, what does not, what a tank would do differently, and why stopped "
        "tanks stopped.\n\nExample: doetank lessons, doetank lessons --fase ontdekken --json"
    )
)
def lessons(
    fase: Annotated[
        Fase | None, typer.Option(help=_("Only the lessons learned in this phase."), show_default=False)
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON for scripts."))] = False,
) -> None:
    from doetank_cli import lessons as network
    from doetank_cli import render

    found = network.collect(find_ws(), fase)
    render.lessons_json(found.lessons) if as_json else render.lessons_list(found.lessons)
    unread_files(found.unread)


@app.command(
    help=_(
        "Search every record and note, Dutch word forms included ('vergadering' also finds 'vergaderingen'); "
        'best hits first.\n\nExample: doetank search vergaderlast, doetank search "nieuwe collega" --json'
    )
)
def search(
    text: Annotated[
        list[str] | None,
        typer.Argument(metavar=_("WORD"), help=_("The words to find (all of them)."), show_default=False),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON for scripts."))] = False,
    limit: Annotated[int, typer.Option(min=0, help=_("Show at most this many hits; 0 shows every one."))] = 20,
) -> None:
    from doetank_cli import render
    from doetank_cli import search as full_text

    query = " ".join(text or [])
    if not query.strip():
        raise UsageError(_("Say what to search for: doetank search WORD..."))
    hits = full_text.search(find_ws(), query, limit or None)
    render.search_json(hits) if as_json else render.search_results(query, hits, limit or None)


@app.command(
    help=_(
        "Write the network's dates as an iCalendar file for Outlook: kickoffs, phase targets, einddatums and "
        "consults of every active public tank.\n\nExample: doetank agenda --output doetanks.ics"
    )
)
def agenda(output: Output = None) -> None:
    from doetank_cli import lifecycle, render

    with output_to(output):
        made = lifecycle.agenda(find_ws())
        write_stdout(made.data)
    render.notices(made.notices)
    for problem in made.errors:
        render.error(problem)
    if made.errors:
        exit_with(max(e.exit_code for e in made.errors))
