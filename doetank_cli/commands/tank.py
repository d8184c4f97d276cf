"""Commands that change one tank: new, the team, the record, advance, stop, waive, edit."""

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from doetank_cli.commands.common import (
    DATE,
    NoCommit,
    Tank,
    app,
    ask_reason,
    choice,
    complete_rule,
    date_help,
    exit_with,
    find_ws,
    interactive,
    member_app,
    parse_date,
    required,
    show_change,
)
from doetank_cli.errors import ExitCode, UsageError
from doetank_cli.i18n import _
from doetank_cli.vocab import Fase, Herkomst, Kanaal, Rol, Sector, UpdateKanaal


@app.command(
    help=_(
        "Start a tank in ontdekken, with its first note. On a terminal it asks for what is missing.\n\n"
        'Example: doetank new "Slimmer vergaderen" --vraagstuk "Overleggen '
        'leveren geen besluiten op" --organisatie "Gemeente Utrecht"'
    )
)
def new(
    naam: Annotated[
        str | None,
        typer.Argument(
            help=_(
                "The tank's name; its short name (the folder) is made from it. "
                "Put -- before a name that starts with '-'."
            ),
            show_default=False,
        ),
    ] = None,
    vraagstuk: Annotated[
        str | None, typer.Option(help=_("The small, concrete problem (vraagstuk.probleem)."), show_default=False)
    ] = None,
    organisatie: Annotated[
        str | None,
        typer.Option(help=_("The organisation where the problem plays out in practice."), show_default=False),
    ] = None,
    groter_vraagstuk: Annotated[
        str | None, typer.Option(help=_("The larger vraagstuk this problem represents."), show_default=False)
    ] = None,
    herkomst: Annotated[
        Herkomst | None,
        typer.Option(
            help=_("How the tank started (default: opdrachtgever when one is named, else netwerk)."), show_default=False
        ),
    ] = None,
    kanaal: Annotated[
        Kanaal | None, typer.Option(help=_("Where the vraagstuk was raised."), show_default=False)
    ] = None,
    opdrachtgever: Annotated[str | None, typer.Option(help=_("The opdrachtgever's name."), show_default=False)] = None,
    opdrachtgever_organisatie: Annotated[
        str | None,
        typer.Option(help=_("The opdrachtgever's organisation (default: --organisatie)."), show_default=False),
    ] = None,
    opdrachtgever_sector: Annotated[Sector, typer.Option(help=_("The opdrachtgever's sector."))] = Sector.publiek,
    trekker: Annotated[str | None, typer.Option(help=_("The trekker's name."), show_default=False)] = None,
    trekker_organisatie: Annotated[
        str | None, typer.Option(help=_("The trekker's organisation (default: --organisatie)."), show_default=False)
    ] = None,
    einddatum: Annotated[
        date | None,
        typer.Option(
            parser=parse_date,
            metavar=DATE,
            help=date_help(_("The time guideline: when the tank aims to be done.")),
            show_default=False,
        ),
    ] = None,
    no_commit: NoCommit = False,
) -> None:
    from doetank_cli import lifecycle

    ws = find_ws()
    given: dict[str, Any] = {
        "naam": naam,
        "probleem": vraagstuk,
        "organisatie": organisatie,
        "groter_vraagstuk": groter_vraagstuk,
        "herkomst": herkomst,
        "kanaal": kanaal,
        "opdrachtgever": opdrachtgever,
        "opdrachtgever_organisatie": opdrachtgever_organisatie,
        "opdrachtgever_sector": opdrachtgever_sector,
        "trekker": trekker,
        "trekker_organisatie": trekker_organisatie,
        "einddatum": einddatum,
    }
    missing = [key for key in ("naam", "probleem", "organisatie") if not (given[key] or "").strip()]
    if missing and interactive():
        from doetank_cli.commands.interview import new_tank

        given = new_tank(ws, given)
    else:
        given["naam"] = required(naam, "NAAM", _("What is the tank called?"))
        given["probleem"] = required(vraagstuk, "--vraagstuk", _("What small, concrete problem does the tank take on?"))
        given["organisatie"] = required(
            organisatie, "--organisatie", _("In which organisation does the problem play out?")
        )
    spec = lifecycle.NewTank(**{k: v for k, v in given.items() if v is not None})
    show_change(lifecycle.new(ws, spec, commit=not no_commit))


@member_app.command(
    "add",
    help=_(
        "Add a member to a tank's team.\n\nExample: doetank member add "
        'slimmer "Bram Peters" --rol doetanker --organisatie Rijkswaterstaat '
        "--sector publiek"
    ),
)
def member_add(
    tank: Tank,
    naam: Annotated[str, typer.Argument(help=_("The member's name."), show_default=False)],
    rol: Annotated[Rol | None, typer.Option(help=_("trekker, doetanker or coach."), show_default=False)] = None,
    organisatie: Annotated[str | None, typer.Option(help=_("Where the member works."), show_default=False)] = None,
    sector: Annotated[
        Sector | None, typer.Option(help=_("publiek, or extern for an external adviser."), show_default=False)
    ] = None,
    no_commit: NoCommit = False,
) -> None:
    from doetank_cli import lifecycle

    ws = find_ws()

    def one_of_a_kind(chosen: Rol) -> None:
        holder = lifecycle.role_holder(ws, tank, chosen)
        if holder is not None:
            raise typer.BadParameter(
                _("The tank already has a {rol}, {holder}; a Doetank has one.").format(rol=chosen.value, holder=holder)
            )

    chosen_rol = rol or Rol(
        choice(
            "--rol",
            _("Which role does {naam} have: trekker, doetanker or coach?").format(naam=naam),
            Rol,
            one_of_a_kind,
        )
    )
    org = required(organisatie, "--organisatie", _("Which organisation does {naam} work for?").format(naam=naam))
    chosen_sector = sector or Sector(
        choice(
            "--sector",
            _("Sector of {naam}: publiek, or extern (an external firm)?").format(naam=naam),
            Sector,
        )
    )
    show_change(lifecycle.member_add(ws, tank, naam, chosen_rol, org, chosen_sector, commit=not no_commit))


@member_app.command(
    "remove", help=_('Remove a member from a tank\'s team.\n\nExample: doetank member remove slimmer "Bram Peters"')
)
def member_remove(
    tank: Tank,
    naam: Annotated[str, typer.Argument(help=_("The member's name, as the team lists it."), show_default=False)],
    no_commit: NoCommit = False,
) -> None:
    from doetank_cli import lifecycle

    show_change(lifecycle.member_remove(find_ws(), tank, naam, commit=not no_commit))


@app.command(
    help=_(
        "Set the vraagstuk's problem, organisation or larger "
        "vraagstuk.\n\nExample: doetank vraagstuk slimmer --groter-vraagstuk "
        '"Hoe besluiten publieke organisaties sneller?"'
    )
)
def vraagstuk(
    tank: Tank,
    probleem: Annotated[str | None, typer.Option(help=_("The small, concrete problem."), show_default=False)] = None,
    organisatie: Annotated[
        str | None, typer.Option(help=_("Where it plays out in practice."), show_default=False)
    ] = None,
    groter_vraagstuk: Annotated[
        str | None, typer.Option(help=_("The larger vraagstuk it represents."), show_default=False)
    ] = None,
    no_commit: NoCommit = False,
) -> None:
    from doetank_cli import lifecycle

    show_change(
        lifecycle.set_vraagstuk(
            find_ws(),
            tank,
            probleem=probleem,
            organisatie=organisatie,
            groter_vraagstuk=groter_vraagstuk,
            commit=not no_commit,
        )
    )


@app.command(
    help=_(
        "Name the tank's opdrachtgever (or change its organisation or "
        'sector).\n\nExample: doetank opdrachtgever slimmer "Karin Jansen" '
        '--organisatie "Gemeente Utrecht" --sector publiek'
    )
)
def opdrachtgever(
    tank: Tank,
    naam: Annotated[str, typer.Argument(help=_("The opdrachtgever's name."), show_default=False)],
    organisatie: Annotated[
        str | None, typer.Option(help=_("The opdrachtgever's organisation."), show_default=False)
    ] = None,
    sector: Annotated[Sector | None, typer.Option(help=_("publiek or extern."), show_default=False)] = None,
    no_commit: NoCommit = False,
) -> None:
    from doetank_cli import lifecycle

    show_change(lifecycle.set_opdrachtgever(find_ws(), tank, naam, organisatie, sector, commit=not no_commit))


@app.command(
    help=_(
        "Record the physical kickoff: the first time the team "
        "meets.\n\nExample: doetank kickoff slimmer --datum 2026-12-10 "
        "--locatie Kennisland"
    )
)
def kickoff(
    tank: Tank,
    datum: Annotated[
        date,
        typer.Option(
            parser=parse_date, metavar=DATE, help=date_help(_("The date of the kickoff.")), show_default=False
        ),
    ],
    locatie: Annotated[
        str | None, typer.Option(help=_("Where (default: Kennisland, the network's clubhuis)."), show_default=False)
    ] = None,
    no_commit: NoCommit = False,
) -> None:
    from doetank_cli import lifecycle

    show_change(lifecycle.kickoff(find_ws(), tank, datum, locatie, commit=not no_commit))


@app.command(
    help=_(
        "Record a LinkedIn update or a blog post on the tank's "
        "page.\n\nExample: doetank update slimmer --kanaal linkedin --url "
        "https://www.linkedin.com/posts/..."
    )
)
def update(
    tank: Tank,
    kanaal: Annotated[UpdateKanaal, typer.Option(help=_("linkedin or blog."), show_default=False)],
    url: Annotated[str, typer.Option(help=_("The address of the post."), show_default=False)],
    datum: Annotated[
        date | None,
        typer.Option(
            parser=parse_date,
            metavar=DATE,
            help=date_help(_("The date of the post (default: today).")),
            show_default=False,
        ),
    ] = None,
    no_commit: NoCommit = False,
) -> None:
    from doetank_cli import lifecycle

    show_change(lifecycle.add_update(find_ws(), tank, kanaal, url, datum, commit=not no_commit))


@app.command(
    help=_(
        "Request a consult with a content expert, or mark one as held with --held.\n\n"
        'Example: doetank consult slimmer --expert "Dr. E. Visser" --vraag "Wat zegt onderzoek over vergaderlast?"'
    )
)
def consult(
    tank: Tank,
    expert: Annotated[
        str | None,
        typer.Option(
            help=_("The expert's name (with --held: only needed when several consults are open)."), show_default=False
        ),
    ] = None,
    vraag: Annotated[str | None, typer.Option(help=_("What the tank wants to ask."), show_default=False)] = None,
    held: Annotated[bool, typer.Option("--held", help=_("Mark the open consult as held."))] = False,
    datum: Annotated[
        date | None,
        typer.Option(
            parser=parse_date, metavar=DATE, help=date_help(_("The date (default: today).")), show_default=False
        ),
    ] = None,
    no_commit: NoCommit = False,
) -> None:
    from doetank_cli import lifecycle

    ws = find_ws()
    if not held:
        expert = required(expert, "--expert", _("Which expert do you want to consult?"))
        vraag = required(vraag, "--vraag", _("What do you want to ask the expert?"))
    show_change(lifecycle.consult(ws, tank, expert, vraag, held, datum, commit=not no_commit))


@app.command(
    help=_(
        "Set the time guideline: the end date, or a target date for one "
        "phase.\n\nExample: doetank plan slimmer --einddatum 2027-06-30 --fase "
        "ontdekken --datum 2027-01-15"
    )
)
def plan(
    tank: Tank,
    einddatum: Annotated[
        date | None,
        typer.Option(
            parser=parse_date, metavar=DATE, help=date_help(_("When the tank aims to be done.")), show_default=False
        ),
    ] = None,
    fase: Annotated[
        Fase | None, typer.Option(help=_("The phase to set a target date for."), show_default=False)
    ] = None,
    datum: Annotated[
        date | None,
        typer.Option(
            parser=parse_date, metavar=DATE, help=date_help(_("The target date for --fase.")), show_default=False
        ),
    ] = None,
    no_commit: NoCommit = False,
) -> None:
    from doetank_cli import lifecycle

    show_change(lifecycle.plan(find_ws(), tank, einddatum, fase, datum, commit=not no_commit))


@app.command(
    help=_(
        "Stop a tank, with the reason. It is kept: what did not work is worth "
        'as much.\n\nExample: doetank stop slimmer --reason "Opdrachtgever '
        'vertrokken"'
    )
)
def stop(
    tank: Tank,
    reason: Annotated[
        str | None, typer.Option(help=_("Why the tank stops (asked on a terminal when missing)."), show_default=False)
    ] = None,
    no_commit: NoCommit = False,
) -> None:
    from doetank_cli import lifecycle

    ws = find_ws()
    why = ask_reason(reason, _("Why does the tank stop, and what did it learn?"))
    show_change(lifecycle.stop(ws, tank, why or "", commit=not no_commit))


@app.command(
    help=_(
        "Move a tank to its next phase when the phase's exit criteria hold; "
        "else list what is missing.\n\nExample: doetank advance slimmer"
    )
)
def advance(
    tank: Tank,
    force: Annotated[
        bool, typer.Option("--force", help=_("Advance despite unmet exit criteria (needs --reason)."))
    ] = False,
    reason: Annotated[
        str | None, typer.Option(help=_("Why, recorded in geschiedenis. Needed with --force."), show_default=False)
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help=_("Only show the checklist; change nothing."))] = False,
    no_commit: NoCommit = False,
) -> None:
    from doetank_cli import lifecycle, render

    ws = find_ws()
    if force and not dry_run:
        reason = ask_reason(reason, _("Why does the tank move on without meeting every requirement of the phase?"))
    result = lifecycle.advance(ws, tank, force=force, reason=reason, dry_run=dry_run, commit=not no_commit)
    render.advance_result(result, dry_run=dry_run)
    if not result.moved and ((result.blocking and not result.forced) or result.veto is not None):
        exit_with(ExitCode.RULES)


@app.command(
    help=_(
        "Waive a rule for one tank, with the reason; the finding stays visible, marked, and no longer counts.\n\n"
        'Example: doetank waive archiveren DT011 --reason "Twee externe adviseurs tot de werving rond is"'
    )
)
def waive(
    tank: Tank,
    rule: Annotated[
        str,
        typer.Argument(
            metavar=_("RULE"),
            help=_("The rule id (DT011) or name."),
            show_default=False,
            autocompletion=complete_rule,
        ),
    ],
    reason: Annotated[
        str | None, typer.Option(help=_("Why the rule does not apply to this tank (required)."), show_default=False)
    ] = None,
    remove: Annotated[bool, typer.Option("--remove", help=_("Lift the waiver instead."))] = False,
    no_commit: NoCommit = False,
) -> None:
    from doetank_cli import lifecycle
    from doetank_cli import rules as catalogue

    ws = find_ws()
    found = catalogue.require(rule)
    if not remove and found.id not in catalogue.UNWAIVABLE:  # one that cannot be waived is refused, not asked about
        reason = ask_reason(
            reason, _("Why does {rule} {naam} not apply to this tank?").format(rule=found.id, naam=found.naam)
        )
    show_change(lifecycle.waive(ws, tank, rule, reason, remove=remove, commit=not no_commit))


@app.command(
    help=_(
        "Open a phase note (the current phase by default) in your editor; commit it when it changed.\n\n"
        "The editor is $VISUAL, $EDITOR, 'doetank config set editor', git's core.editor, else Notepad on Windows "
        "and nano elsewhere. Example: doetank edit slimmer onderzoeken"
    )
)
def edit(
    tank: Tank,
    fase: Annotated[
        Fase | None,
        typer.Argument(help=_("The phase whose note you want to open (default: the current one)."), show_default=False),
    ] = None,
    no_commit: NoCommit = False,
) -> None:
    from doetank_cli import lifecycle, render

    ws = find_ws()
    result = lifecycle.edit_note(ws, tank, fase, lambda path: _run_editor(ws.root, path), commit=not no_commit)
    show_change(result)
    if not result.changed:
        render.notices(
            [
                _(
                    "If the editor closed before you saved, let it wait until you are done: "
                    'doetank config set editor "code --wait" (or notepad++ -multiInst).'
                )
            ]
        )


def _where_chosen(source: str) -> str:
    """Where the editor command came from, as a person can change it."""
    if source in ("VISUAL", "EDITOR"):
        return _("the environment variable {name}").format(name=source)
    if source == "git":
        return _("git's setting core.editor")
    return _("your doetank setting (doetank config set editor)")


def _run_editor(root: Path, path: Path) -> None:
    from doetank_cli import render, repo, settings, system

    setting, configured = settings.get("editor"), repo.configured_editor(root)
    try:
        editor = system.choose_editor(setting, configured)
    except system.BadCommand as exc:
        raise UsageError(
            _("The editor command {command} has a quote that does not close; it comes from {where}.").format(
                command=exc.shown, where=_where_chosen(exc.source)
            )
        ) from None
    if editor.fallback and settings.mark_once("editor-chosen"):
        render.notices(
            [
                _(
                    "No editor is chosen, so the note opens in {editor}. To choose your own: "
                    'doetank config set editor "code --wait" (or notepad, notepad++ -multiInst, nano).'
                ).format(editor=editor.shown)
            ]
        )
    try:
        code = system.run_editor(editor, path)
    except FileNotFoundError:
        raise UsageError(
            _("The editor '{editor}' was not found; it comes from {where}.").format(
                editor=editor.shown, where=_where_chosen(editor.source)
            ),
            hint=_('Choose one that is installed: doetank config set editor "notepad" (or code --wait, nano).')
            if editor.source != "VISUAL" and editor.source != "EDITOR"
            else _("Correct or remove {name}; then doetank uses its own setting.").format(name=editor.source),
        ) from None
    if code != 0:
        raise UsageError(
            _("The editor '{editor}' exited with code {code}; the note was not committed.").format(
                editor=editor.shown, code=code
            )
        )
