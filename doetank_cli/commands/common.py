"""What every command shares: the Typer app, the workspace option, common arguments, dates, prompts, completion.

Commands live in the modules beside this one, one module per part of the product; cli.py assembles them. Heavy
modules (pydantic, ruamel, rich) are imported inside the commands, so that --help and --version start fast.
"""

import re
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from doetank_cli import __version__, framework
from doetank_cli.errors import DoetankError, ExitCode, UsageError
from doetank_cli.i18n import _
from doetank_cli.vocab import FIRST_DAY, LAST_DAY

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

_root: Path | None = None


def _version(value: bool) -> None:
    if value:
        typer.echo(_("doetank {version}").format(version=__version__))
        raise typer.Exit()


@app.callback()
def _main(
    root: Annotated[
        Path | None,
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


def root_option() -> Path | None:
    """The --root given to this run, if any."""
    return _root


def find_ws() -> "Workspace":
    from doetank_cli import workspace

    return workspace.find(_root)


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def parse_date(value: str) -> date:
    """A date option: strictly YYYY-MM-DD, within vocab.FIRST_DAY..LAST_DAY (#15 brings dates as people type them)."""
    try:
        day = date.fromisoformat(value.strip()) if _ISO_DAY.fullmatch(value.strip()) else None
    except ValueError:
        day = None
    if day is None:
        raise typer.BadParameter(_("'{value}' is not a date; use YYYY-MM-DD.").format(value=value))
    if not FIRST_DAY <= day <= LAST_DAY:
        raise typer.BadParameter(
            _("'{value}' is not between {first} and {last}; is it a typo?").format(
                value=value, first=FIRST_DAY.isoformat(), last=LAST_DAY.isoformat()
            )
        )
    return day


def exit_with(code: ExitCode) -> NoReturn:
    raise typer.Exit(int(code))


def interactive() -> bool:
    return sys.stdin.isatty()


def required(value: str | None, option: str, question: str) -> str:
    """A required value: given, else asked for on a terminal, else a usage error naming the option."""
    if value is not None and value.strip():
        return value
    if interactive():
        answer = typer.prompt(question).strip()
        try:
            answer = framework.typed_text(answer)
        except typer.BadParameter as exc:
            raise UsageError(f"{option}: {exc.message}") from None
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
