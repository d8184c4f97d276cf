"""What every command shares: the Typer app, the workspace option, common arguments, dates, prompts, completion.

Commands live in the modules beside this one, one module per part of the product; cli.py assembles them. Heavy
modules (pydantic, ruamel, rich) are imported inside the commands, so that --help and --version start fast.
"""

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer

from doetank_cli import __version__, framework
from doetank_cli.errors import DataError, DoetankError, ExitCode, UsageError
from doetank_cli.i18n import _

if TYPE_CHECKING:
    from doetank_cli.workspace import Workspace

T = TypeVar("T")


def _typer(help_text: str, **kwargs: Any) -> typer.Typer:
    return typer.Typer(
        cls=kwargs.pop("cls", framework.Group),
        help=help_text,
        no_args_is_help=True,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
        **kwargs,
    )


app = _typer(_("doetank: run Doetanks by the Doetank Spelregels, from Ontdekken to Overdragen."))
member_app = _typer(_("Add, change or remove a member of a tank's team."))
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
            metavar=_("FOLDER"),
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


#: the metavar of every date option, in the interface language (DATE, DATUM)
DATE = _("DATE")


def date_help(text: str) -> str:
    """The help of a date option: what the date is for, then the forms it may take (as the error says them)."""
    from doetank_cli import dates

    return text + " " + _("For example {forms}.").format(forms=dates.forms())


def to_date(value: str) -> date:
    """A date as a person types it (dates.parse), within the days a record may hold; else BadParameter saying why."""
    from doetank_cli import dates
    from doetank_cli.clock import today
    from doetank_cli.vocab import FIRST_DAY, LAST_DAY

    day = dates.parse(value, today())
    if day is None:
        raise typer.BadParameter(
            _("'{value}' is not a date; write it as {forms}.").format(value=value, forms=dates.forms())
        )
    if not FIRST_DAY <= day <= LAST_DAY:
        from doetank_cli.i18n import datum

        raise typer.BadParameter(
            _("{day} is too far off; give a date between {first} and {last}.").format(
                day=datum(day), first=datum(FIRST_DAY), last=datum(LAST_DAY)
            )
        )
    return day


def parse_date(value: str | date) -> date:
    """The parser of every date option: ISO always, and the forms of the interface language (see dates.py)."""
    return value if isinstance(value, date) else to_date(value)


def exit_with(code: ExitCode) -> NoReturn:
    raise typer.Exit(int(code))


def interactive() -> bool:
    """Whether a person can answer questions: prompts appear only on a terminal."""
    return sys.stdin.isatty()


def ask(question: str, convert: Callable[[str], T] | None = None, *, skip: str | None = None) -> T | str | None:
    """Ask on the terminal until the answer is good: a wrong answer is said and asked again, never the end of the
    command. `skip` (e.g. "Enter: later") makes Enter a valid answer, which returns None."""
    text = f"{question} ({skip})" if skip else question
    while True:
        answer = str(typer.prompt(text, default="", show_default=False, prompt_suffix=" ")).strip()
        if not answer:
            if skip is not None:
                return None
            typer.echo(_("An answer is needed here."), err=True)
            continue
        try:
            answer = framework.typed_text(answer)  # what is typed at a question is checked as on the command line
            return answer if convert is None else convert(answer)
        except (typer.BadParameter, DoetankError) as exc:
            typer.echo(_("{problem} Try again.").format(problem=exc.message), err=True)


def required(value: str | None, option: str, question: str) -> str:
    """A required value: given, else asked for on a terminal (again until it is given), else a usage error naming
    the option."""
    if value is not None and value.strip():
        return value
    if interactive():
        return str(ask(question))
    raise missing(option, question)


def missing(option: str, question: str, hint: str | None = None) -> UsageError:
    """The error for a required value that was not given and cannot be asked: it names the option, as Click does."""
    said = _("Missing option {name}.") if option.startswith("-") else _("Missing argument {name}.")
    return UsageError(said.format(name=f"'{option}'") + " " + question, hint=hint)


def enum_value(enum: Any, option: str) -> Callable[[str], Any]:
    """A converter from an answer to one of `enum`'s values, whose error lists the values."""

    def convert(answer: str) -> Any:
        wanted = answer.strip().lower()
        for member in enum:
            if member.value == wanted:
                return member
        raise typer.BadParameter(
            _("'{value}' is none of: {choices}.").format(
                value=answer, choices=", ".join(member.value for member in enum)
            )
        )

    return convert


def choice(option: str, question: str, enum: Any, check: Callable[[Any], None] | None = None) -> str:
    """An enum option that was not given: asked for on a terminal (again after a wrong answer, or after one that
    `check` refuses with BadParameter), else a usage error naming it."""
    if interactive():
        convert = enum_value(enum, option)

        def checked(answer: str) -> Any:
            value = convert(answer)
            if check is not None:
                check(value)
            return value

        return str(ask(question, checked))
    raise missing(
        option,
        question,
        hint=_("{option} is one of: {choices}.").format(option=option, choices=", ".join(e.value for e in enum)),
    )


def ask_reason(value: str | None, question: str) -> str | None:
    """A reason (for a waiver, a stop, a forced advance): given, else asked for on a terminal. Without a terminal,
    None: the core says that the reason is needed and why."""
    if value is not None and value.strip():
        return value
    if interactive():
        return str(ask(question))
    return value


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
        help=_("The tank's short name (its first letters will do)."), show_default=False, autocompletion=complete_tank
    ),
]
NoCommit = Annotated[bool, typer.Option("--no-commit", help=_("Save the change without making a git commit."))]


def show_change(result: Any) -> None:
    from doetank_cli import render

    render.change(result)


def unread(overview: Any) -> None:
    """After a list of tanks: what was not a tank, the files that could not be read, and their exit code."""
    from doetank_cli import render

    render.notices(overview.notices)
    for problem in overview.errors:
        render.error(problem)
    if overview.errors:
        exit_with(max(e.exit_code for e in overview.errors))


def unread_files(paths: list[str]) -> None:
    """After a list built from many files: the records that could not be read, named on stderr (exit code unchanged:
    what could be read was shown)."""
    from doetank_cli import render

    render.notices(
        [_("{path} could not be read; 'doetank check' says what is wrong with it.").format(path=path) for path in paths]
    )


Output = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar=_("FILE"),
        help=_("Write to this file (UTF-8) instead of the screen; errors and notes stay on the screen."),
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

    from doetank_cli import render

    captured, screen = io.StringIO(), sys.stdout
    sys.stdout = captured
    try:
        with render.into(captured):
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
    if path.exists() and not path.is_file():  # a device (/dev/null, NUL), a FIFO: never replaced by a file
        raise UsageError(_("--output {file} is not a regular file; give the name of a file.").format(file=target))
    if not path.parent.is_dir():
        raise UsageError(
            _("--output {file}: the folder {folder} does not exist.").format(file=target, folder=path.parent)
        )
    if path.name == RECORD or (path.parent.parent.name == "tanks" and path.suffix == ".md" and path.name[:2].isdigit()):
        raise UsageError(
            _("--output {file} would overwrite a tank's record or note; choose another file.").format(file=target)
        )
    return path


def _write_output(path: Path, text: str | bytes) -> None:
    from doetank_cli import system

    try:
        system.atomic_write(path, text)
    except OSError as exc:
        raise DataError(
            _("{file} cannot be written: {reason}.").format(file=path, reason=exc.strerror or exc)
        ) from None
    typer.echo(_("Written to {file}.").format(file=path), err=True)


def write_bytes_output(target: Path, data: bytes) -> None:
    """--output for what is not text (an Excel workbook): the same checks as output_to, written whole or not at all."""
    _write_output(_output_path(target), data)


def write_stdout(data: bytes) -> None:
    """Bytes to stdout as they are (a CSV's or calendar's CRLF must not become CR CR LF on Windows); into --output's
    capture as text, which output_to writes with its line ends as they are. On a terminal, text from the records
    passes render.safe first: a control character in a name is shown, never acted on (a pipe gets the data as is)."""
    if sys.stdout.isatty():
        from doetank_cli.render import safe

        data = safe(data.decode("utf-8", "replace")).encode("utf-8")
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(data.decode("utf-8"))
        return
    sys.stdout.flush()
    buffer.write(data)
    buffer.flush()
