"""What every command shares: the Typer app, the workspace option, common arguments, dates, prompts, completion.

Commands live in the modules beside this one, one module per part of the product; cli.py assembles them. Heavy
modules (pydantic, ruamel, rich) are imported inside the commands, so that --help and --version start fast.
"""

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from doetank_cli import __version__, framework
from doetank_cli.errors import DataError, DoetankError, ExitCode, UsageError
from doetank_cli.i18n import _

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
    root: Annotated[
        str | None,
        typer.Option(
            "--root",
            metavar="PATH",
            help=_("The workspace folder (default: DOETANK_ROOT, else the nearest folder with tanks/)."),
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help=_("Show the version and exit."))
    ] = False,
) -> None:
    global _root
    _root = root


def root_option() -> str | None:
    """The --root given to this run, if any."""
    return _root


def find_ws() -> "Workspace":
    from doetank_cli import workspace

    return workspace.find(_root)


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(_("'{value}' is not a date; use YYYY-MM-DD.").format(value=value)) from None


def exit_with(code: ExitCode) -> NoReturn:
    raise typer.Exit(int(code))


def interactive() -> bool:
    return sys.stdin.isatty()


def required(value: str | None, option: str, question: str) -> str:
    """A required value: given, else asked for on a terminal, else a usage error naming the option."""
    if value is not None and value.strip():
        return value
    if interactive():
        answer = str(typer.prompt(question)).strip()
        if answer:
            return answer
    raise UsageError(_("Missing {option}: {question}").format(option=option, question=question))


def complete_tank(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion: the slugs of the workspace's tanks (never an error: completion must stay quiet)."""
    from doetank_cli import workspace

    root = ctx.find_root().params.get("root")
    try:
        slugs = workspace.find(root).slugs()
    except DoetankError:
        return []
    return [slug for slug in slugs if slug.startswith(incomplete)]


def complete_rule(incomplete: str) -> list[tuple[str, str]]:
    from doetank_cli.rules import RULES

    wanted = incomplete.upper()
    return [
        (rule.id, rule.naam) for rule in RULES if rule.id.startswith(wanted) or rule.naam.startswith(incomplete.lower())
    ]


Tank = Annotated[
    str,
    typer.Argument(
        help=_("The tank's slug (a unique prefix will do)."), show_default=False, autocompletion=complete_tank
    ),
]
NoCommit = Annotated[bool, typer.Option("--no-commit", help=_("Save the change without making a git commit."))]


def show_change(result: Any) -> None:
    from doetank_cli import render

    render.change(result)


def choice(option: str, question: str, enum: Any) -> str:
    """An enum option that was not given: asked for on a terminal, else a usage error naming it."""
    answer = required(None, option, question).strip().lower()
    if answer not in {e.value for e in enum}:
        raise UsageError(
            _("{option} must be one of: {choices}.").format(option=option, choices=", ".join(e.value for e in enum))
        )
    return answer


def unread(overview: Any) -> None:
    """After a list of tanks: what was not a tank, the files that could not be read, and their exit code."""
    from doetank_cli import render

    render.notices(overview.notices)
    for problem in overview.errors:
        render.error(problem)
    if overview.errors:
        exit_with(max(e.exit_code for e in overview.errors))


Output = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help=_("Write to FILE (UTF-8) instead of the screen; errors and notes stay on the screen."),
        show_default=False,
    ),
]


@contextmanager
def output_to(target: Path | None) -> Iterator[None]:
    """What the command prints, written to `target` instead of stdout: UTF-8 with \n line ends whatever the console's
    code page, and whole or not at all (atomically, and only when the command ran to its end, exit code and all)."""
    if target is None:
        yield
        return
    path = _output_path(target)
    import io

    captured, screen = io.StringIO(), sys.stdout
    sys.stdout = captured
    try:
        yield
    except typer.Exit:
        _write_output(path, captured.getvalue())
        raise
    finally:
        sys.stdout = screen
    _write_output(path, captured.getvalue())


def _output_path(target: Path) -> Path:
    from doetank_cli.workspace import RECORD

    path = target.expanduser().absolute()
    if path.is_dir():
        raise UsageError(
            _("--output {file} is a folder; give the name of a file in it.").format(file=target),
        )
    if not path.parent.is_dir():
        raise UsageError(
            _("--output {file}: the folder {folder} does not exist.").format(file=target, folder=path.parent)
        )
    if path.name == RECORD or (path.parent.parent.name == "tanks" and path.suffix == ".md" and path.name[:2].isdigit()):
        raise UsageError(
            _("--output {file} would overwrite a tank's record or note; choose another file.").format(file=target)
        )
    return path


def _write_output(path: Path, text: str) -> None:
    from doetank_cli import system

    try:
        system.atomic_write(path, text)
    except OSError as exc:
        raise DataError(
            _("{file} cannot be written: {reason}.").format(file=path, reason=exc.strerror or exc)
        ) from None
    typer.echo(_("Written to {file}.").format(file=path), err=True)
