"""Commands that read: status, check, rules, log."""

from pathlib import Path
from typing import Annotated

import typer

from doetank_cli.commands.common import (
    Output,
    app,
    complete_rule,
    complete_tank,
    exit_with,
    find_ws,
    output_to,
    root_option,
    unread,
    write_bytes_output,
    write_stdout,
)
from doetank_cli.errors import ExitCode, UsageError
from doetank_cli.i18n import _
from doetank_cli.vocab import StatusFormat


@app.command(
    help=_(
        "Show where every tank stands, or one tank in full with its next "
        "steps.\n\nExample: doetank status, doetank status slimmer --json"
    )
)
def status(
    tank: Annotated[
        str | None,
        typer.Argument(
            help=_("One tank's short name (its first letters will do)."),
            show_default=False,
            autocompletion=complete_tank,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON for scripts."))] = False,
    fmt: Annotated[
        StatusFormat,
        typer.Option(
            "--format",
            help=_("table; json or csv for scripts (csv: RFC 4180, UTF-8); xlsx for Excel (needs --output)."),
        ),
    ] = StatusFormat.table,
    output: Output = None,
) -> None:
    from doetank_cli import lifecycle, render

    fmt = StatusFormat.json if as_json else fmt
    if fmt == StatusFormat.xlsx and output is None:
        raise UsageError(_("--format xlsx writes a file: add --output FILE, for example --output doetanks.xlsx."))
    ws = find_ws()
    if fmt == StatusFormat.xlsx and output is not None:
        if tank is not None:
            found = lifecycle.detail(ws, tank)
            write_bytes_output(output, render.overview_sheet([found.summary], found.today, fmt.value))
            return
        overview = lifecycle.overview(ws, progress=render.progress_bar)
        write_bytes_output(output, render.overview_sheet(overview.tanks, overview.today, fmt.value))
        unread(overview)
        return
    with output_to(output):
        if tank is not None:
            found = lifecycle.detail(ws, tank)
            if fmt == StatusFormat.csv:
                write_stdout(render.overview_sheet([found.summary], found.today, fmt.value))
            else:
                render.detail_json(found) if fmt == StatusFormat.json else render.detail(found)
            return
        overview = lifecycle.overview(ws, progress=render.progress_bar)
        if fmt == StatusFormat.csv:
            write_stdout(render.overview_sheet(overview.tanks, overview.today, fmt.value))
        else:
            render.overview_json(overview) if fmt == StatusFormat.json else render.overview_table(overview)
        unread(overview)


@app.command(
    help=_(
        "Check every rule of the spelregels over every tank, or over the named ones; "
        "exit code 1 when an error applies.\n\n"
        "TANK may also be the path of a tank's file, as git hooks pass them. "
        "Example: doetank check, doetank check slimmer --json"
    )
)
def check(
    tanks: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="TANK",
            help=_("Short names of tanks (or their first letters, or paths of their files); default: every tank."),
            show_default=False,
            autocompletion=complete_tank,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=_("Print the findings as JSON for scripts."))] = False,
    output: Output = None,
) -> None:
    from doetank_cli import lifecycle, render, workspace

    # a hook passes paths from the repository root; the workspace may be a folder below it
    paths = [name for name in tanks or [] if workspace.is_path(name)]
    ws = workspace.find(root_option(), Path(paths[0]).parent) if paths else find_ws()
    with output_to(output):
        result = lifecycle.check(ws, tanks or [], progress=render.progress_bar)
        render.check_json(result) if as_json else render.check_result(result)
        unread(result)
        if any(f.blocks for s in result.tanks for f in s.findings):
            exit_with(ExitCode.RULES)


@app.command(
    help=_(
        "List the rules, or show one rule in full with the sentence of the "
        "spelregels behind it.\n\nExample: doetank rules, doetank rules DT011"
    )
)
def rules(
    rule: Annotated[
        str | None,
        typer.Argument(
            metavar=_("RULE"),
            help=_("A rule id (DT011) or name (publiek-primair)."),
            show_default=False,
            autocompletion=complete_rule,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON for scripts."))] = False,
) -> None:
    from doetank_cli import render
    from doetank_cli import rules as catalogue

    if rule is None:
        render.rules_json(catalogue.RULES) if as_json else render.rules_table(catalogue.RULES)
        return
    found = catalogue.require(rule)
    render.rules_json([found]) if as_json else render.rule_detail(found)


@app.command(
    help=_(
        "Show a tank's history from git, or without TANK the network's recent "
        "changes: date, who, what.\n\nExample: doetank log slimmer, doetank log"
    )
)
def log(
    tank: Annotated[
        str | None,
        typer.Argument(
            help=_("One tank's short name (default: every tank)."), show_default=False, autocompletion=complete_tank
        ),
    ] = None,
) -> None:
    from doetank_cli import lifecycle, render, sync

    if tank is None:
        render.network_history(sync.network_log(find_ws()))
        return
    slug, entries = lifecycle.history(find_ws(), tank)
    render.history(slug, entries)
