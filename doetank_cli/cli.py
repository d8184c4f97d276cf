"""The command line: parse, call one core function, render. No domain logic here.

Heavy modules (pydantic, ruamel, rich) are imported inside the commands, so that --help and --version start fast.
"""


import os
import shlex
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from doetank_cli import __version__, framework
from doetank_cli.errors import DoetankError, ExitCode, UsageError
from doetank_cli.i18n import _
from doetank_cli.vocab import Fase, Herkomst, Kanaal, ReportFormat, Rol, Sector, UpdateKanaal

if TYPE_CHECKING:
    from doetank_cli.workspace import Workspace


def _typer(help_text: str, **kwargs: Any) -> typer.Typer:
    return typer.Typer(
        cls=framework.Group,
        help=help_text,
        no_args_is_help=True,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
        **kwargs,
    )


app = _typer(_("doetank: run Doetanks by the Doetank Spelregels, from Ontdekken to Overdragen."))
member_app = _typer(_("Add or remove a member of a tank's team."))
app.add_typer(member_app, name="member")

_root: str | None = None


def _version(value: bool) -> None:
    if value:
        typer.echo(_("doetank {version}").format(version=__version__))
        raise typer.Exit()


@app.callback()
def _main(
    root: Annotated[str | None, typer.Option("--root", metavar="PATH", help=_("The workspace folder (default: DOETANK_ROOT, else the nearest folder with tanks/)."), show_default=False)] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help=_("Show the version and exit."))] = False,
) -> None:
    global _root
    _root = root


def _ws() -> "Workspace":
    from doetank_cli import workspace

    return workspace.find(_root)


def _parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(_("'{value}' is not a date; use YYYY-MM-DD.").format(value=value)) from None


def _exit(code: ExitCode) -> NoReturn:
    raise typer.Exit(int(code))


def _interactive() -> bool:
    return sys.stdin.isatty()


def _required(value: str | None, option: str, question: str) -> str:
    """A required value: given, else asked for on a terminal, else a usage error naming the option."""
    if value is not None and value.strip():
        return value
    if _interactive():
        answer = typer.prompt(question).strip()
        if answer:
            return answer
    raise UsageError(_("Missing {option}: {question}").format(option=option, question=question))


def _complete_tank(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion: the slugs of the workspace's tanks (never an error: completion must stay quiet)."""
    from doetank_cli import workspace

    root = ctx.find_root().params.get("root")
    try:
        slugs = workspace.find(root).slugs()
    except DoetankError:
        return []
    return [slug for slug in slugs if slug.startswith(incomplete)]


def _complete_rule(incomplete: str) -> list[tuple[str, str]]:
    from doetank_cli.rules import RULES

    wanted = incomplete.upper()
    return [(rule.id, rule.naam) for rule in RULES if rule.id.startswith(wanted) or rule.naam.startswith(incomplete.lower())]


Tank = Annotated[str, typer.Argument(help=_("The tank's slug (a unique prefix will do)."), show_default=False, autocompletion=_complete_tank)]
NoCommit = Annotated[bool, typer.Option("--no-commit", help=_("Save the change without making a git commit."))]


def _show_change(result: Any) -> None:
    from doetank_cli import render

    render.change(result)


# --------------------------------------------------------------------------- workspace and tanks


@app.command(help=_("Make a workspace: tanks/, the default templates/, a git repository and a first commit.\n\nExample: doetank init mijn-doetanks"))
def init(
    path: Annotated[Path, typer.Argument(help=_("Where to make it (default: the current folder)."))] = Path("."),
) -> None:
    from doetank_cli import lifecycle, render

    render.init_result(lifecycle.init(path))


@app.command(
    help=_(
        "Start a tank in ontdekken, with its first note. On a terminal it asks for what is missing.\n\n"
        "Example: doetank new \"Slimmer vergaderen\" --vraagstuk \"Overleggen leveren geen besluiten op\" --organisatie \"Gemeente Utrecht\""
    )
)
def new(
    naam: Annotated[str | None, typer.Argument(help=_("The tank's name; its slug is made from it. Use -- before a name that starts with '-'."), show_default=False)] = None,
    vraagstuk: Annotated[str | None, typer.Option(help=_("The small, concrete problem (vraagstuk.probleem)."), show_default=False)] = None,
    organisatie: Annotated[str | None, typer.Option(help=_("The organisation where the problem plays out in practice."), show_default=False)] = None,
    groter_vraagstuk: Annotated[str | None, typer.Option(help=_("The larger vraagstuk this problem represents."), show_default=False)] = None,
    herkomst: Annotated[Herkomst | None, typer.Option(help=_("How the tank started (default: opdrachtgever when one is named, else netwerk)."), show_default=False)] = None,
    kanaal: Annotated[Kanaal | None, typer.Option(help=_("Where the vraagstuk was raised."), show_default=False)] = None,
    opdrachtgever: Annotated[str | None, typer.Option(help=_("The opdrachtgever's name."), show_default=False)] = None,
    opdrachtgever_organisatie: Annotated[str | None, typer.Option(help=_("The opdrachtgever's organisation (default: --organisatie)."), show_default=False)] = None,
    opdrachtgever_sector: Annotated[Sector, typer.Option(help=_("The opdrachtgever's sector."))] = Sector.publiek,
    trekker: Annotated[str | None, typer.Option(help=_("The trekker's name."), show_default=False)] = None,
    trekker_organisatie: Annotated[str | None, typer.Option(help=_("The trekker's organisation (default: --organisatie)."), show_default=False)] = None,
    einddatum: Annotated[date | None, typer.Option(parser=_parse_date, metavar="YYYY-MM-DD", help=_("The time guideline: when the tank aims to be done."), show_default=False)] = None,
    no_commit: NoCommit = False,
) -> None:
    from doetank_cli import lifecycle

    ws = _ws()
    spec = lifecycle.NewTank(
        naam=_required(naam, "NAAM", _("What is the tank called?")),
        probleem=_required(vraagstuk, "--vraagstuk", _("What small, concrete problem does the tank take on?")),
        organisatie=_required(organisatie, "--organisatie", _("In which organisation does the problem play out?")),
        groter_vraagstuk=groter_vraagstuk,
        herkomst=herkomst,
        kanaal=kanaal,
        opdrachtgever=opdrachtgever,
        opdrachtgever_organisatie=opdrachtgever_organisatie,
        opdrachtgever_sector=opdrachtgever_sector,
        trekker=trekker,
        trekker_organisatie=trekker_organisatie,
        einddatum=einddatum,
    )
    _show_change(lifecycle.new(ws, spec, commit=not no_commit))


@member_app.command("add", help=_("Add a member to a tank's team.\n\nExample: doetank member add slimmer \"Bram Peters\" --rol doetanker --organisatie Rijkswaterstaat --sector publiek"))
def member_add(
    tank: Tank,
    naam: Annotated[str, typer.Argument(help=_("The member's name."), show_default=False)],
    rol: Annotated[Rol | None, typer.Option(help=_("trekker, doetanker or coach."), show_default=False)] = None,
    organisatie: Annotated[str | None, typer.Option(help=_("Where the member works."), show_default=False)] = None,
    sector: Annotated[Sector | None, typer.Option(help=_("publiek, or extern for an external adviser."), show_default=False)] = None,
    no_commit: NoCommit = False,
) -> None:
    from doetank_cli import lifecycle

    chosen_rol = rol or Rol(_choice("--rol", _("Role (trekker, doetanker, coach)?"), Rol))
    chosen_sector = sector or Sector(_choice("--sector", _("Sector (publiek, extern)?"), Sector))
    org = _required(organisatie, "--organisatie", _("Which organisation does the member work for?"))
    _show_change(lifecycle.member_add(_ws(), tank, naam, chosen_rol, org, chosen_sector, commit=not no_commit))


def _choice(option: str, question: str, enum: Any) -> str:
    """An enum option that was not given: asked for on a terminal, else a usage error naming it."""
    answer = _required(None, option, question).strip().lower()
    if answer not in {e.value for e in enum}:
        raise UsageError(_("{option} must be one of: {choices}.").format(option=option, choices=", ".join(e.value for e in enum)))
    return answer


@member_app.command("remove", help=_("Remove a member from a tank's team.\n\nExample: doetank member remove slimmer \"Bram Peters\""))
def member_remove(
    tank: Tank,
    naam: Annotated[str, typer.Argument(help=_("The member's name, as in leden."), show_default=False)],
    no_commit: NoCommit = False,
) -> None:
    from doetank_cli import lifecycle

    _show_change(lifecycle.member_remove(_ws(), tank, naam, commit=not no_commit))


@app.command(help=_("Set the vraagstuk's problem, organisation or larger vraagstuk.\n\nExample: doetank vraagstuk slimmer --groter-vraagstuk \"Hoe besluiten publieke organisaties sneller?\""))
def vraagstuk(
    tank: Tank,
    probleem: Annotated[str | None, typer.Option(help=_("The small, concrete problem."), show_default=False)] = None,
    organisatie: Annotated[str | None, typer.Option(help=_("Where it plays out in practice."), show_default=False)] = None,
    groter_vraagstuk: Annotated[str | None, typer.Option(help=_("The larger vraagstuk it represents."), show_default=False)] = None,
    no_commit: NoCommit = False,
) -> None:
    from doetank_cli import lifecycle

    _show_change(lifecycle.set_vraagstuk(_ws(), tank, probleem=probleem, organisatie=organisatie, groter_vraagstuk=groter_vraagstuk, commit=not no_commit))


@app.command(help=_("Name the tank's opdrachtgever (or change its organisation or sector).\n\nExample: doetank opdrachtgever slimmer \"Karin Jansen\" --organisatie \"Gemeente Utrecht\" --sector publiek"))
def opdrachtgever(
    tank: Tank,
    naam: Annotated[str, typer.Argument(help=_("The opdrachtgever's name."), show_default=False)],
    organisatie: Annotated[str | None, typer.Option(help=_("The opdrachtgever's organisation."), show_default=False)] = None,
    sector: Annotated[Sector | None, typer.Option(help=_("publiek or extern."), show_default=False)] = None,
    no_commit: NoCommit = False,
) -> None:
    from doetank_cli import lifecycle

    _show_change(lifecycle.set_opdrachtgever(_ws(), tank, naam, organisatie, sector, commit=not no_commit))


@app.command(help=_("Record the physical kickoff: the first time the team meets.\n\nExample: doetank kickoff slimmer --datum 2026-12-10 --locatie Kennisland"))
def kickoff(
    tank: Tank,
    datum: Annotated[date, typer.Option(parser=_parse_date, metavar="YYYY-MM-DD", help=_("The date of the kickoff."), show_default=False)],
    locatie: Annotated[str | None, typer.Option(help=_("Where (default: Kennisland, the network's clubhuis)."), show_default=False)] = None,
    no_commit: NoCommit = False,
) -> None:
    from doetank_cli import lifecycle

    _show_change(lifecycle.kickoff(_ws(), tank, datum, locatie, commit=not no_commit))


@app.command(help=_("Record a LinkedIn update or a blog post on the tank's page.\n\nExample: doetank update slimmer --kanaal linkedin --url https://www.linkedin.com/posts/..."))
def update(
    tank: Tank,
    kanaal: Annotated[UpdateKanaal, typer.Option(help=_("linkedin or blog."), show_default=False)],
    url: Annotated[str, typer.Option(help=_("The address of the post."), show_default=False)],
    datum: Annotated[date | None, typer.Option(parser=_parse_date, metavar="YYYY-MM-DD", help=_("The date of the post (default: today)."), show_default=False)] = None,
    no_commit: NoCommit = False,
) -> None:
    from doetank_cli import lifecycle

    _show_change(lifecycle.add_update(_ws(), tank, kanaal, url, datum, commit=not no_commit))


@app.command(
    help=_(
        "Request a consult with a content expert, or mark one as held with --held.\n\n"
        "Example: doetank consult slimmer --expert \"Dr. E. Visser\" --vraag \"Wat zegt onderzoek over vergaderlast?\""
    )
)
def consult(
    tank: Tank,
    expert: Annotated[str, typer.Option(help=_("The expert's name."), show_default=False)],
    vraag: Annotated[str | None, typer.Option(help=_("What the tank wants to ask."), show_default=False)] = None,
    held: Annotated[bool, typer.Option("--held", help=_("Mark the open consult with this expert as held."))] = False,
    datum: Annotated[date | None, typer.Option(parser=_parse_date, metavar="YYYY-MM-DD", help=_("The date (default: today)."), show_default=False)] = None,
    no_commit: NoCommit = False,
) -> None:
    from doetank_cli import lifecycle

    _show_change(lifecycle.consult(_ws(), tank, expert, vraag, held, datum, commit=not no_commit))


@app.command(help=_("Set the time guideline: the einddatum, or a target date for one phase.\n\nExample: doetank plan slimmer --einddatum 2027-06-30 --fase ontdekken --datum 2027-01-15"))
def plan(
    tank: Tank,
    einddatum: Annotated[date | None, typer.Option(parser=_parse_date, metavar="YYYY-MM-DD", help=_("When the tank aims to be done."), show_default=False)] = None,
    fase: Annotated[Fase | None, typer.Option(help=_("The phase to set a target date for."), show_default=False)] = None,
    datum: Annotated[date | None, typer.Option(parser=_parse_date, metavar="YYYY-MM-DD", help=_("The target date for --fase."), show_default=False)] = None,
    no_commit: NoCommit = False,
) -> None:
    from doetank_cli import lifecycle

    _show_change(lifecycle.plan(_ws(), tank, einddatum, fase, datum, commit=not no_commit))


@app.command(help=_("Stop a tank, with the reason. It is kept: what did not work is worth as much.\n\nExample: doetank stop slimmer --reason \"Opdrachtgever vertrokken\""))
def stop(
    tank: Tank,
    reason: Annotated[str, typer.Option(help=_("Why the tank stops."), show_default=False)],
    no_commit: NoCommit = False,
) -> None:
    from doetank_cli import lifecycle

    _show_change(lifecycle.stop(_ws(), tank, reason, commit=not no_commit))


@app.command(help=_("Move a tank to its next phase when the phase's exit criteria hold; else list what is missing.\n\nExample: doetank advance slimmer"))
def advance(
    tank: Tank,
    force: Annotated[bool, typer.Option("--force", help=_("Advance despite unmet exit criteria (needs --reason)."))] = False,
    reason: Annotated[str | None, typer.Option(help=_("Why, recorded in geschiedenis. Needed with --force."), show_default=False)] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help=_("Only show the checklist; change nothing."))] = False,
    no_commit: NoCommit = False,
) -> None:
    from doetank_cli import lifecycle, render

    result = lifecycle.advance(_ws(), tank, force=force, reason=reason, dry_run=dry_run, commit=not no_commit)
    render.advance_result(result, dry_run=dry_run)
    if not result.moved and result.blocking:
        _exit(ExitCode.RULES)


def _unread(overview: Any) -> None:
    """After a list of tanks: what was not a tank, the files that could not be read, and their exit code."""
    from doetank_cli import render

    render.notices(overview.notices)
    for problem in overview.errors:
        render.error(problem)
    if overview.errors:
        _exit(max(e.exit_code for e in overview.errors))


@app.command(help=_("Show where every tank stands, or one tank in full with its next steps.\n\nExample: doetank status, doetank status slimmer --json"))
def status(
    tank: Annotated[str | None, typer.Argument(help=_("One tank's slug (a unique prefix will do)."), show_default=False, autocompletion=_complete_tank)] = None,
    as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON for scripts."))] = False,
) -> None:
    from doetank_cli import lifecycle, render

    ws = _ws()
    if tank is not None:
        found = lifecycle.detail(ws, tank)
        render.detail_json(found) if as_json else render.detail(found)
        return
    overview = lifecycle.overview(ws, progress=render.progress_bar)
    render.overview_json(overview) if as_json else render.overview_table(overview)
    _unread(overview)


@app.command(
    help=_(
        "Check every rule of the spelregels over every tank, or over the named ones; exit 1 when a fout applies.\n\n"
        "TANK may also be the path of a tank's file, as git hooks pass them. Example: doetank check, doetank check slimmer --json"
    )
)
def check(
    tanks: Annotated[list[str] | None, typer.Argument(metavar="[TANK]...", help=_("Slugs (or prefixes, or paths of tank files); default: every tank."), show_default=False, autocompletion=_complete_tank)] = None,
    as_json: Annotated[bool, typer.Option("--json", help=_("Print the findings as JSON for scripts."))] = False,
) -> None:
    from doetank_cli import lifecycle, render, workspace

    # a hook passes paths from the repository root; the workspace may be a folder below it
    paths = [name for name in tanks or [] if workspace.is_path(name)]
    ws = workspace.find(_root, Path(paths[0]).parent) if paths else _ws()
    result = lifecycle.check(ws, tanks or [], progress=render.progress_bar)
    render.check_json(result) if as_json else render.check_result(result)
    _unread(result)
    if any(f.blocks for s in result.tanks for f in s.findings):
        _exit(ExitCode.RULES)


@app.command(help=_("List the rules, or show one rule in full with the sentence of the spelregels behind it.\n\nExample: doetank rules, doetank rules DT011"))
def rules(
    rule: Annotated[str | None, typer.Argument(help=_("A rule id (DT011) or name (publiek-primair)."), show_default=False, autocompletion=_complete_rule)] = None,
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
        "Waive a rule for one tank, with the reason; the finding stays visible, marked, and no longer counts.\n\n"
        "Example: doetank waive archiveren DT011 --reason \"Twee externe adviseurs tot de werving rond is\""
    )
)
def waive(
    tank: Tank,
    rule: Annotated[str, typer.Argument(help=_("The rule id (DT011) or name."), show_default=False, autocompletion=_complete_rule)],
    reason: Annotated[str | None, typer.Option(help=_("Why the rule does not apply to this tank (required)."), show_default=False)] = None,
    remove: Annotated[bool, typer.Option("--remove", help=_("Lift the waiver instead."))] = False,
    no_commit: NoCommit = False,
) -> None:
    from doetank_cli import lifecycle

    _show_change(lifecycle.waive(_ws(), tank, rule, reason, remove=remove, commit=not no_commit))


@app.command(
    help=_(
        "Print the JSON Schema of doetank.yaml, for editors and CI; --write puts it in the workspace as doetank.schema.json.\n\n"
        "Example: doetank schema > doetank.schema.json"
    )
)
def schema(
    write: Annotated[bool, typer.Option("--write", help=_("Write (or update) doetank.schema.json at the workspace root and commit it."))] = False,
    no_commit: NoCommit = False,
) -> None:
    if write:
        from doetank_cli import lifecycle

        _show_change(lifecycle.refresh_schema(_ws(), commit=not no_commit))
        return
    from doetank_cli.schema import schema_text

    sys.stdout.write(schema_text())


@app.command(help=_("Show a tank's history from git, or without TANK the network's recent changes: date, who, what.\n\nExample: doetank log slimmer, doetank log"))
def log(
    tank: Annotated[str | None, typer.Argument(help=_("One tank's slug (default: every tank)."), show_default=False, autocompletion=_complete_tank)] = None,
) -> None:
    from doetank_cli import lifecycle, render, sync

    if tank is None:
        render.network_history(sync.network_log(_ws()))
        return
    slug, entries = lifecycle.history(_ws(), tank)
    render.history(slug, entries)


@app.command(
    help=_(
        "Write a report of one tank, ready to paste into a blog post, a LinkedIn update or an e-mail to the opdrachtgever.\n\n"
        "Example: doetank report slimmer > verslag.md, doetank report slimmer --format text"
    )
)
def report(
    tank: Tank,
    fmt: Annotated[ReportFormat, typer.Option("--format", help=_("markdown (for a blog) or text (for LinkedIn or an e-mail)."))] = ReportFormat.markdown,
) -> None:
    from doetank_cli import lifecycle
    from doetank_cli import report as publish

    sys.stdout.write(publish.render(lifecycle.report(_ws(), tank), fmt.value))


@app.command(
    help=_(
        "Build a static website of the workspace in OUTDIR: a board of every public tank, and a page per tank.\n\n"
        "Example: doetank site public/"
    )
)
def site(
    outdir: Annotated[Path, typer.Argument(metavar="OUTDIR", help=_("Where to write the site (made when missing)."), show_default=False)],
) -> None:
    from doetank_cli import lifecycle, render

    render.site_result(lifecycle.site(_ws(), outdir))


@app.command(
    help=_(
        "Share the workspace with the team's git server: commit local edits, fetch, merge field by field, re-check, push.\n\n"
        "Example: doetank sync"
    )
)
def sync() -> None:
    from doetank_cli import render
    from doetank_cli import sync as sharing

    result = sharing.sync(_ws(), progress=render.progress_bar)
    render.sync_result(result)
    if result.conflicts:
        _exit(ExitCode.WORKSPACE)


@app.command(help=_("Undo the last change doetank made, with a new commit that reverts it.\n\nExample: doetank undo"))
def undo() -> None:
    from doetank_cli import render, sync

    render.undo_result(sync.undo(_ws()))


@app.command("merge-file", hidden=True, help=_("The git merge driver for doetank.yaml (git calls it; people need not)."))
def merge_file(
    base: Annotated[Path, typer.Argument(help=_("The common ancestor (git's %O)."))],
    ours: Annotated[Path, typer.Argument(help=_("Our version, where the merge is written (git's %A)."))],
    theirs: Annotated[Path, typer.Argument(help=_("Their version (git's %B)."))],
    path: Annotated[str, typer.Argument(help=_("The record's path, for messages (git's %P)."))] = "doetank.yaml",
) -> None:
    from doetank_cli import merge

    _exit(ExitCode(merge.merge_files(base, ours, theirs, path)))


@app.command(help=_("Open a phase note (the current phase by default) in $VISUAL or $EDITOR; commit it when it changed.\n\nExample: doetank edit slimmer onderzoeken"))
def edit(
    tank: Tank,
    fase: Annotated[Fase | None, typer.Argument(help=_("The phase whose note to open."), show_default=False)] = None,
    no_commit: NoCommit = False,
) -> None:
    from doetank_cli import lifecycle

    _show_change(lifecycle.edit_note(_ws(), tank, fase, _run_editor, commit=not no_commit))


def _run_editor(path: Path) -> None:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    try:
        done = subprocess.run([*shlex.split(editor), str(path)], check=False)
    except FileNotFoundError:
        raise UsageError(_("The editor '{editor}' was not found; set EDITOR to the command of your editor.").format(editor=editor)) from None
    if done.returncode != 0:
        raise UsageError(_("The editor '{editor}' exited with code {code}; the note was not committed.").format(editor=editor, code=done.returncode))


framework.use_translated_commands(app)


def main() -> None:
    app(prog_name="doetank")
