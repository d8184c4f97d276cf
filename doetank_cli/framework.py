"""Typer adapted to doetank: the one error boundary, and Typer's and Click's own words in the interface language.

Typer 0.29 carries its own Click, whose words ("Usage:", "No such option", "Show this message and exit.") are
plain English. Here they are put into _(), so `--help` and a mistyped option read Dutch in a Dutch interface.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import Any

import typer
import typer.core
from typer._click import exceptions as click_errors
from typer.core import TyperCommand, TyperGroup

from doetank_cli.errors import DoetankError
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
    (re.compile(r"^Got unexpected extra arguments? \((?P<args>.*)\)$"), N_("Got unexpected extra arguments ({args}).")),
    (re.compile(r"^Option '(?P<option>.*)' requires an argument\.$"), N_("Option '{option}' needs a value.")),
    (
        re.compile(r"^Option '(?P<option>.*)' requires (?P<n>\d+) arguments\.$"),
        N_("Option '{option}' needs {n} values."),
    ),
    (re.compile(r"^Option '(?P<option>.*)' does not take a value\.$"), N_("Option '{option}' does not take a value.")),
    (re.compile(r"^(?:Value error, )?Input should be (?P<choices>.*)$"), N_("should be {choices}")),
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


def _hint(exc: click_errors.ClickException) -> str:
    param = getattr(exc, "param", None)
    given = getattr(exc, "param_hint", None)
    if given:
        return given if isinstance(given, str) else " / ".join(given)
    if param is not None:
        return (
            " / ".join(f"'{opt}'" for opt in param.opts)
            if param.param_type_name == "option"
            else f"'{param.human_readable_name}'"
        )
    return ""


def message_of(exc: click_errors.ClickException) -> str:
    """Click's error as a sentence in the interface language."""
    if isinstance(exc, click_errors.NoSuchOption):
        text = _("No such option: {option}").format(option=exc.option_name)
        if exc.possibilities:
            text += " " + _("Did you mean {option}?").format(option=" / ".join(sorted(exc.possibilities)))
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
        return params

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        words = {"[OPTIONS]": _("[OPTIONS]"), "COMMAND [ARGS]...": _("COMMAND [ARGS]...")}
        pieces = [words.get(piece, piece) for piece in self.collect_usage_pieces(ctx)]  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=_("Usage: "))


class Command(_Translated, TyperCommand):
    pass


class Group(_Translated, TyperGroup):
    """The one error boundary: a DoetankError becomes a sentence on stderr and its exit code; a usage mistake the same,
    in the interface language; anything else is a bug and keeps its traceback."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except DoetankError as exc:
            from doetank_cli import render

            render.error(exc)
            ctx.exit(int(exc.exit_code))

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
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


def use_translated_commands(app: typer.Typer) -> None:
    """Every command of `app` (and of the groups added to it) made with the translated Command class."""
    for info in app.registered_commands:
        info.cls = Command
    for group in app.registered_groups:
        if group.typer_instance is not None:
            use_translated_commands(group.typer_instance)
