"""The command that decides what a sync left undecided: doetank resolve."""

from typing import TYPE_CHECKING, Annotated

import typer

from doetank_cli.commands.common import app, complete_tank, exit_with, find_ws, interactive
from doetank_cli.errors import ExitCode, UsageError
from doetank_cli.i18n import _

if TYPE_CHECKING:
    from doetank_cli import resolve as core
    from doetank_cli.workspace import Workspace


@app.command(
    help=_(
        "Decide changes that clash after a sync: for each field your version, the server's or a new value; a note "
        "keeps both versions unless you choose. Then the sync is finished and shared.\n\n"
        "On a terminal it asks for each clash; otherwise use --ours, --theirs or --set. "
        "Example: doetank resolve, doetank resolve slimmer --set richtlijn.einddatum=2027-05-31"
    )
)
def resolve(
    tank: Annotated[
        str | None,
        typer.Argument(
            help=_("Only this tank's conflicts (a unique prefix will do)."),
            show_default=False,
            autocompletion=complete_tank,
        ),
    ] = None,
    ours: Annotated[bool, typer.Option("--ours", help=_("Keep your version of every clash."))] = False,
    theirs: Annotated[bool, typer.Option("--theirs", help=_("Take the server's version of every clash."))] = False,
    values: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar=_("FIELD=VALUE"),
            help=_("Give one field a new value, FIELD as the clash names it (richtlijn.einddatum=2027-05-31)."),
            show_default=False,
        ),
    ] = None,
    notes: Annotated[
        str | None,
        typer.Option(
            "--notes",
            metavar=_("both|yours|server"),
            help=_("For notes: keep both versions one after the other (default), yours or the server's."),
            show_default=False,
        ),
    ] = None,
    no_sync: Annotated[
        bool, typer.Option("--no-sync", help=_("Finish the merge, but share it later with doetank sync."))
    ] = False,
) -> None:
    from doetank_cli import render
    from doetank_cli import resolve as core

    if ours and theirs:
        raise UsageError(_("--ours and --theirs exclude each other: choose one."))
    keep = _keep(notes)
    given = _values(values or [])
    ws = find_ws()
    found = core.conflicts(ws, tank)
    if not found.open and found.operation is None:
        render.nothing_to_resolve()
        return
    operation, first = found.operation, True
    while True:  # a rebase replays your changes one at a time: each may clash again
        done = _round(ws, tank, found, ours, theirs, given if first else {}, keep, notes)
        first = False
        if not done.more:
            break
        render.resolve_finished(done, more=True)
        found = core.conflicts(ws, tank)
    from doetank_cli import repo
    from doetank_cli import sync as sharing

    sharing_now = not no_sync and operation is not None and bool(repo.remotes(repo.toplevel(ws.root)))
    render.resolve_finished(done, shared_next=sharing_now)
    if not sharing_now:
        return
    result = sharing.sync(ws, progress=render.progress_bar)
    render.sync_result(result)
    if result.conflicts or not result.pushed:
        exit_with(ExitCode.WORKSPACE)


def _round(
    ws: "Workspace",
    tank: str | None,
    found: "core.Conflicts",
    ours: bool,
    theirs: bool,
    given: dict[str, str],
    keep: "core.Keep",
    notes: str | None,
) -> "core.Finished":
    """Decide what is open now, as the options say or by asking, and finish the merge (or this step of a rebase)."""
    from doetank_cli import render
    from doetank_cli import resolve as core

    # on a terminal without options it asks; otherwise what has a safe default (a note keeps both versions, a file
    # one side removed is kept) is decided, and a field that clashes waits for --ours, --theirs or --set
    asking = interactive() and not (ours or theirs or given or notes)
    choice = core.Choice.ours if ours else core.Choice.theirs if theirs else None
    used: set[str] = set()
    # the fields first: a value that does not fit stops the command before any note is decided
    fields_first = sorted(found.files, key=lambda f: f.kind not in (core.Kind.record, core.Kind.leftover))
    for conflict in fields_first:
        used |= _decide(ws, conflict, choice, given, keep, asking)
    left = core.conflicts(ws, tank)
    unknown = sorted(set(given) - used)
    if unknown:
        raise UsageError(
            _("No open clash is called {names}; the open ones are listed by 'doetank resolve'.").format(
                names=", ".join(unknown)
            )
        )
    if left.open:
        render.conflicts_list(left)
        render.resolve_how()
        exit_with(ExitCode.WORKSPACE)
    if tank is not None and core.conflicts(ws).open:
        render.resolve_left_elsewhere()
        exit_with(ExitCode.WORKSPACE)
    return core.finish(ws)


def _keep(notes: str | None) -> "core.Keep":
    from doetank_cli.resolve import Keep

    if notes is None:
        return Keep.both
    # the words of either language, and git's own
    words = {
        Keep.both: {"both", _("both")},
        Keep.ours: {"ours", "yours", "mine", _("yours")},
        Keep.theirs: {"theirs", "server", _("server")},
    }
    wanted = notes.strip().casefold()
    for keep, said in words.items():
        if wanted in {w.casefold() for w in said}:
            return keep
    raise UsageError(
        _("--notes must be one of: {choices}.").format(
            choices=", ".join(f"'{w}'" for w in _("both|yours|server").split("|"))
        )
    )


def _values(given: list[str]) -> dict[str, str]:
    found = {}
    for item in given:
        path, sep, value = item.partition("=")
        if not sep or not path.strip():
            raise UsageError(
                _("--set takes FIELD=VALUE, as --set richtlijn.einddatum=2027-05-31 (got '{item}').").format(item=item)
            )
        found[path.strip()] = value.strip()
    return found


def _decide(
    ws: "Workspace",
    conflict: "core.FileConflict",
    choice: "core.Choice | None",
    given: dict[str, str],
    keep: "core.Keep",
    asking: bool,
) -> set[str]:
    """Decide one file as the options say, or by asking; returns the --set paths it used."""
    from doetank_cli import render
    from doetank_cli import resolve as core

    used: set[str] = set()
    if conflict.kind in (core.Kind.record, core.Kind.leftover):
        for clash in conflict.clashes:
            if clash.id in given:
                used.add(clash.id)
                core.decide(ws, conflict.path, clash.id, core.Choice.value, given[clash.id])
            elif choice is not None:
                core.decide(ws, conflict.path, clash.id, choice, None)
            elif asking:
                render.clash(conflict, clash)
                answer = _ask_clash(conflict.kind == core.Kind.leftover)
                if answer is not None:
                    decided, value = answer
                    core.decide(ws, conflict.path, clash.id, decided, value)
        if conflict.comments:
            if asking and choice is None:
                render.comments_clash(conflict)
                answer_keep = _ask_note(editor=False)
                if isinstance(answer_keep, core.Keep):
                    core.decide_note(ws, conflict.path, answer_keep)
            else:
                core.decide_note(ws, conflict.path, core.Keep.ours if choice == core.Choice.ours else core.Keep.both)
        return used
    if conflict.kind == core.Kind.deleted and conflict.removed_by is None:
        core.decide_note(ws, conflict.path)  # both sides removed it: nothing to ask
        return used
    if asking:
        render.file_conflict(conflict)
        answer_keep = _ask_note(editor=conflict.kind == core.Kind.note, both=conflict.kind != core.Kind.unreadable)
        if answer_keep == "editor":
            _edit(ws, conflict)
        elif isinstance(answer_keep, core.Keep):
            core.decide_note(ws, conflict.path, answer_keep)
        return used
    if conflict.kind == core.Kind.note:
        core.decide_note(ws, conflict.path, keep)
    elif choice is not None:
        core.decide_note(ws, conflict.path, core.Keep(choice.value))
    elif conflict.kind == core.Kind.deleted and not conflict.added:
        core.decide_note(ws, conflict.path, core.Keep.both)  # keep the file: nothing is lost
    # a file only one side has (each side renamed the tank its own way) waits for --ours or --theirs: keeping both
    # names would make two tanks of one
    return used


def _word(text: str) -> str:
    return text.strip().casefold()


def _matches(answer: str, word: str) -> bool:
    answer, word = _word(answer), _word(word)
    return bool(answer) and (answer == word or answer == word[0])


def _ask_clash(leftover: bool) -> "tuple[core.Choice, str | None] | None":
    from doetank_cli import render
    from doetank_cli.resolve import Choice

    words = {"yours": _("yours"), "server": _("server"), "new": _("new"), "later": _("later")}
    if leftover:
        del words["server"]
    while True:
        answer = typer.prompt(render.choices_prompt(list(words.values())), default="", show_default=False)
        if _matches(answer, words["yours"]):
            return Choice.ours, None
        if "server" in words and _matches(answer, words["server"]):
            return Choice.theirs, None
        if _matches(answer, words["new"]):
            value = typer.prompt(_("New value"), default="", show_default=False)
            if value.strip():
                return Choice.value, value
            continue
        if _matches(answer, words["later"]):
            return None


def _ask_note(editor: bool, both: bool = True) -> "core.Keep | str | None":
    from doetank_cli import render
    from doetank_cli.resolve import Keep

    words = {"both": _("both"), "yours": _("yours"), "server": _("server"), "editor": _("editor"), "later": _("later")}
    if not editor:
        del words["editor"]
    if not both:
        del words["both"]
    while True:
        answer = typer.prompt(render.choices_prompt(list(words.values())), default="", show_default=False)
        if not answer.strip() and both:
            return Keep.both
        for key, keep in (("both", Keep.both), ("yours", Keep.ours), ("server", Keep.theirs)):
            if key in words and _matches(answer, words[key]):
                return keep
        if "editor" in words and _matches(answer, words["editor"]):
            return "editor"
        if _matches(answer, words["later"]):
            return None


def _edit(ws: "Workspace", conflict: "core.FileConflict") -> None:
    from doetank_cli import repo, store
    from doetank_cli.commands.tank import _run_editor

    path = ws.root / conflict.path
    _run_editor(ws.root, path)
    if store.marker_line(store.read_bytes(path, conflict.path).decode("utf-8", errors="replace")) is None:
        repo.git(ws.root, "add", "--", conflict.path)
