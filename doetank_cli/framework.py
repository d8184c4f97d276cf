"""Typer adapted to doetank: the one error boundary, and Typer's and Click's own words in the interface language.

Typer 0.29 carries its own Click, whose words ("Usage:", "No such option", "Show this message and exit.") are
plain English. Here they are put into _(), so `--help` and a mistyped option read Dutch in a Dutch interface.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import traceback
from collections.abc import Sequence
from contextlib import suppress
from pathlib import Path
from typing import Any

import typer
import typer.core
from typer._click import exceptions as click_errors
from typer.core import TyperCommand, TyperGroup

from doetank_cli.errors import DoetankError, ExitCode, os_error
from doetank_cli.i18n import N_, _

# Typer's own section titles and labels go through its module-level gettext _(): send them through ours
typer.core._ = _  # type: ignore[attr-defined]
_TYPER_WORDS = (
    N_("Arguments"),
    N_("Options"),
    N_("Commands"),
    N_("required"),
    N_("default: {default}"),
    N_("(dynamic)"),
    N_("env var: {var}"),
    N_("Missing command."),
    N_("No such command {name!r}."),
)

# Typer 0.29 writes a parameter's type as a developer reads it (`naam <str>`, `{tank}`, `--vraagstuk <str>`). In
# doetank's help an argument is its name in capitals (TANK, NAAM, [FASE]) and a value is said in words (TEKST).
_TYPE_WORDS = {"str": N_("TEXT"), "int": N_("NUMBER"), "float": N_("NUMBER"), "path": N_("FOLDER")}
_typer_display_type = getattr(typer.core._TyperParameter, "display_type", None)


def _argument_name(self: Any) -> str:
    return self.metavar if self.metavar is not None else (self.name or "").upper()


def _argument_usage(self: Any) -> str:
    name = _argument_name(self)
    return (name if self.required else f"[{name}]") + ("..." if self.nargs != 1 else "")


def _argument_label(self: Any) -> str:
    return _argument_name(self) + ("..." if self.nargs != 1 else "")


def _display_type(self: Any, ctx: Any) -> str:
    descriptor = getattr(self, "type_descriptor", None)
    if _typer_display_type is None or descriptor is None or descriptor.is_choice:
        return str(_typer_display_type(self, ctx)) if _typer_display_type else ""
    if self.param_type_name == "argument":
        return ""  # the argument's name says what it is
    label = "path" if descriptor.is_path else self.bare_type()
    return _(_TYPE_WORDS.get(label, N_("TEXT")))


if _typer_display_type is not None and hasattr(typer.core.TyperArgument, "_usage_display_name"):
    typer.core.TyperArgument.display_name_raw = property(_argument_name)  # type: ignore[assignment,method-assign]
    typer.core.TyperArgument._usage_display_name = _argument_usage  # type: ignore[method-assign]
    typer.core.TyperArgument._rich_display_name = _argument_label  # type: ignore[method-assign]
    typer.core._TyperParameter.display_type = _display_type  # type: ignore[method-assign]

# Click's messages that reach the user, as patterns over its English text
_CLICK_WORDS: list[tuple[re.Pattern[str], str]] = [
    # Click says "argument(s)"; older Clicks said "argument" or "arguments"
    (
        re.compile(r"^Got unexpected extra argument(?:s|\(s\))? \((?P<args>.*)\)$"),
        N_("Got unexpected extra arguments ({args})."),
    ),
    (re.compile(r"^Option '(?P<option>.*)' requires an argument\.$"), N_("Option '{option}' needs a value.")),
    (
        re.compile(r"^Option '(?P<option>.*)' requires (?P<n>\d+) arguments\.$"),
        N_("Option '{option}' needs {n} values."),
    ),
    (re.compile(r"^Option '(?P<option>.*)' does not take a value\.$"), N_("Option '{option}' does not take a value.")),
    (re.compile(r"^(?:Value error, )?Input should be (?P<choices>.*)$"), N_("should be {choices}")),
    # Typer adds its suggestion to Click's (already translated) "No such command" in English
    (re.compile(r"^(?P<said>.*)\. Did you mean (?P<option>.*)\?$", re.DOTALL), N_("{said}. Did you mean {option}?")),
    (
        re.compile(r"^Value error, '(?P<value>.*)' is not one of (?P<choices>.*)\.$"),
        N_("'{value}' is not one of {choices}."),
    ),
]

# the options Typer adds for shell completion
_COMPLETION_HELP = {
    "install_completion": N_("Install completion for the current shell."),
    "show_completion": N_("Show completion for the current shell, to copy it or customize the installation."),
}


def _click_words(message: str) -> str:
    for pattern, template in _CLICK_WORDS:
        found = pattern.match(message)
        if found:
            values = {k: v.replace(" or ", _(" or ")) for k, v in found.groupdict().items()}
            return _(template).format(**values)
    return _(message)


def display_name(param: Any) -> str:
    """How a parameter is named to the user: its options ('--rol'), or an argument's metavar, else its name in
    capitals (TANK), as the usage line shows it. Only attributes every Click and Typer parameter has."""
    if getattr(param, "param_type_name", "") == "option" and getattr(param, "opts", None):
        return " / ".join(f"'{opt}'" for opt in param.opts)
    metavar = getattr(param, "metavar", None)
    return f"'{metavar or str(getattr(param, 'name', '') or '?').upper()}'"


def _hint(exc: click_errors.ClickException) -> str:
    param = getattr(exc, "param", None)
    given = getattr(exc, "param_hint", None)
    if given:
        return given if isinstance(given, str) else " / ".join(given)
    if param is not None:
        return display_name(param)
    return ""


def message_of(exc: click_errors.ClickException) -> str:
    """Click's error as a sentence in the interface language."""
    if isinstance(exc, click_errors.NoSuchOption):
        text = _("No such option: {option}.").format(option=exc.option_name)
        if exc.possibilities:
            *others, last = sorted(exc.possibilities)
            if others:  # "--reason or --remove", in words, not "--reason / --remove"
                text += " " + _("Did you mean {options} or {last}?").format(options=", ".join(others), last=last)
            else:
                text += " " + _("Did you mean {option}?").format(option=last)
        return text
    if isinstance(exc, click_errors.MissingParameter):
        param = exc.param
        if param is not None and param.param_type_name == "argument":
            return _("Missing argument {name}.").format(name=_hint(exc))
        return _("Missing option {name}.").format(name=_hint(exc))
    if isinstance(exc, click_errors.BadParameter):
        hint = _hint(exc)
        said = _click_words(exc.message)
        return (
            _("Invalid value for {param}: {message}").format(param=hint, message=said)
            if hint
            else _("Invalid value: {message}").format(message=said)
        )
    return _click_words(exc.format_message())


def _show(exc: click_errors.ClickException) -> None:
    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, click_errors.UsageError) and ctx is not None:
        typer.echo(ctx.get_usage(), err=True)
        typer.echo(
            _("Try '{command} {option}' for help.").format(command=ctx.command_path, option=ctx.help_option_names[0])
            + "\n",
            err=True,
        )
    typer.echo(_("Error: {message}").format(message=message_of(exc)), err=True)


class _Translated:
    """What commands and groups share: the usage line's prefix and the help option's text, translated."""

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = _("Show this message and exit.")
        return option

    def get_params(self, ctx: Any) -> Any:
        params = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            if param.name in _COMPLETION_HELP:
                param.help = _(_COMPLETION_HELP[param.name])
            if param.param_type_name == "argument" and param.metavar is None and param.name:
                # the usage line, the help and the errors name an argument as people type it: TANK, not tank
                param.metavar = param.name.upper()
        return params

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        words = {"[OPTIONS]": _("[OPTIONS]"), "COMMAND [ARGS]...": _("COMMAND [ARGS]...")}
        pieces = [words.get(piece, piece) for piece in self.collect_usage_pieces(ctx)]  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=_("Usage: "))


class Command(_Translated, TyperCommand):
    """Every command: its text arguments and options checked and normalised once they are parsed (see typed_text)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        rest = super().parse_args(ctx, args)
        params = {param.name: param for param in self.get_params(ctx)}
        for name, value in list(ctx.params.items()):
            if type(value) is str:
                ctx.params[name] = typed_text(value, params.get(name), ctx)
            elif isinstance(value, (list, tuple)) and all(type(v) is str for v in value):
                ctx.params[name] = type(value)(typed_text(v, params.get(name), ctx) for v in value)
        return rest


#: characters no text typed on the command line may hold: control characters (the terminal would act on them, and
#: they break the record and git's log), line and paragraph separators (YAML reads them as line breaks), the byte
#: order mark, and Unicode's noncharacters
_REFUSED_CATEGORIES = {"Cc", "Zl", "Zp"}


def _refused(char: str) -> bool:
    import unicodedata

    code = ord(char)
    return (
        unicodedata.category(char) in _REFUSED_CATEGORIES
        or char == "\ufeff"
        or 0xFDD0 <= code <= 0xFDEF
        or (code & 0xFFFE) == 0xFFFE
    )


def typed_text(value: str, param: Any = None, ctx: Any = None) -> str:
    """Text typed on the command line, as doetank keeps it: valid UTF-8 (a terminal in another encoding sends bytes
    that Python keeps as lone surrogates), no control characters, in Unicode's composed form (NFC), so that a name
    typed on a Mac and on Windows is one name. Anything else is a usage error naming the option (exit 2)."""
    import unicodedata

    for position, char in enumerate(value):
        if 0xD800 <= ord(char) <= 0xDFFF:
            byte = ord(char) - 0xDC00 if ord(char) >= 0xDC80 else None
            raise click_errors.BadParameter(
                _(
                    "the text is not valid UTF-8 (byte {byte} at position {pos}); set your terminal to UTF-8 and type "
                    "it again."
                ).format(byte=hex(byte) if byte is not None else "?", pos=position + 1),
                ctx=ctx,
                param=param,
            )
        if _refused(char):
            raise click_errors.BadParameter(
                _("the text holds a control character ({char} at position {pos}); type it without.").format(
                    char=ascii(char).strip("'"), pos=position + 1
                ),
                ctx=ctx,
                param=param,
            )
    return unicodedata.normalize("NFC", value)


class Group(_Translated, TyperGroup):
    """The one error boundary: a DoetankError becomes a sentence on stderr and its exit code; an OSError the same (3 for
    a file, 4 for the workspace); a usage mistake the same, in the interface language; anything else is a bug: exit
    70, one line that says so, and the traceback kept in a file."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (click_errors.ClickException, typer.Exit, typer.Abort):
            raise
        except DoetankError as exc:
            _fail(ctx, exc)
        except BrokenPipeError:
            # the reader went away (`doetank log | head`): nothing more to say, and nobody to say it to
            _quiet_pipes()
            ctx.exit(int(ExitCode.PIPE))
        except OSError as exc:
            _fail(ctx, os_error(exc, root=_workspace_root(ctx)))
        except Exception as exc:
            _crash(exc, _workspace_root(ctx))
            ctx.exit(int(ExitCode.BUG))

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        # windows_expand_args stays on: `doetank check tanks/*/doetank.yaml` in cmd.exe gets no glob from the shell
        if not standalone_mode:
            return super().main(
                args, prog_name, complete_var, standalone_mode=False, windows_expand_args=windows_expand_args, **extra
            )
        try:
            result = super().main(
                args, prog_name, complete_var, standalone_mode=False, windows_expand_args=windows_expand_args, **extra
            )
        except click_errors.ClickException as exc:
            _show(exc)
            sys.exit(exc.exit_code)
        except typer.Abort:
            typer.echo(_("Aborted!"), err=True)
            sys.exit(int(ExitCode.INTERRUPTED))
        except Exception as exc:
            _crash(exc, None)
            sys.exit(int(ExitCode.BUG))
        sys.exit(result if isinstance(result, int) else 0)


def _fail(ctx: Any, exc: DoetankError) -> None:
    from doetank_cli import render

    render.error(exc)
    ctx.exit(int(exc.exit_code))


def _quiet_pipes() -> None:
    # a closed pipe makes every later flush fail too; send what is left nowhere
    with suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _workspace_root(ctx: Any) -> Path | None:
    """The workspace this run works in, if there is one (for paths in messages and the place of a crash report)."""
    from doetank_cli import workspace

    try:
        return workspace.find(ctx.find_root().params.get("root")).root
    except Exception:
        return None


def _keep(text: str, root: Path | None) -> Path | None:
    """Write a crash report where the user can find it: the workspace's .doetank/, else the temp folder."""
    from datetime import datetime

    name = f"crash-{datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}"
    if root is not None:
        with suppress(Exception):
            from doetank_cli import store
            from doetank_cli.workspace import Workspace

            return _new_file(store.ensure_state(Workspace(root)), name, text)
    with suppress(OSError):
        return _new_file(Path(tempfile.gettempdir()), f"doetank-{name}", text)
    return None


def _new_file(folder: Path, name: str, text: str) -> Path:
    """`text` in a file of `folder` named `name`.txt, or -2, -3...: never over an earlier report (a server that runs
    for days may meet two bugs in one second)."""
    for n in range(1, 100):
        path = folder / (f"{name}.txt" if n == 1 else f"{name}-{n}.txt")
        try:
            with open(path, "x", encoding="utf-8", errors="backslashreplace") as handle:
                handle.write(text)
        except FileExistsError:
            continue
        return path
    raise FileExistsError(folder / f"{name}.txt")


def keep_crash(exc: BaseException, root: Path | None, what: str) -> Path | None:
    """A bug's report (version, platform, `what` was being done, the traceback) kept in the workspace's .doetank/,
    else the temp folder; where it went, or None when it could not be written. The CLI and `doetank serve` both."""
    from datetime import datetime

    from doetank_cli import __version__

    text = (
        f"doetank {__version__}, Python {sys.version.split()[0]}, {sys.platform}\n"
        f"{datetime.now().isoformat(timespec='seconds')}: {what}\n\n" + "".join(traceback.format_exception(exc))
    )
    return _keep(text, root)


def _crash(exc: BaseException, root: Path | None) -> None:
    """A bug: the traceback kept in a file (the workspace's .doetank/, else the temp folder), one line on stderr."""
    if os.environ.get("DOETANK_DEBUG"):
        raise exc
    kept = keep_crash(exc, root, f"doetank {' '.join(sys.argv[1:])!r}")
    message = (
        _(
            "doetank hit a bug ({kind}); this is not your fault. The details are in {path}: please send that file to "
            "whoever looks after doetank."
        ).format(kind=type(exc).__name__, path=kept)
        if kept
        else _(
            "doetank hit a bug ({kind}); this is not your fault. Run it again with DOETANK_DEBUG=1 to see the details."
        ).format(kind=type(exc).__name__)
    )
    with suppress(Exception):
        typer.echo(_("Error: {message}").format(message=message), err=True)


def use_translated_commands(app: typer.Typer) -> None:
    """Every command of `app` (and of the groups added to it) made with the translated Command class."""
    for info in app.registered_commands:
        info.cls = Command
    for group in app.registered_groups:
        if group.typer_instance is not None:
            use_translated_commands(group.typer_instance)
