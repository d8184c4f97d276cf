"""doetank config: the user's own settings (taal, editor, naam, email), kept in the platform's folder for them."""

from typing import Annotated, Any

import typer

from doetank_cli import framework
from doetank_cli.commands.common import _typer, app
from doetank_cli.errors import DataError, UsageError
from doetank_cli.i18n import _


class _ConfigGroup(framework.Group):
    """`doetank config taal nl`, without `set`: the setting's name where a command was expected is answered with the
    command that was meant, in the language in force (not Click's bare "No such command")."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        from doetank_cli import settings

        name = args[0].strip().lower() if args else ""
        if name in settings.KEYS and self.get_command(ctx, args[0]) is None:
            said = _("'{name}' is a setting, not a command.").format(name=name)
            if len(args) > 1:
                value = " ".join(args[1:])
                value = f'"{value}"' if " " in value else value
                raise UsageError(said, hint=_("Choose it with: doetank config set {name} {value}").format(
                    name=name, value=value
                ))  # fmt: skip
            raise UsageError(
                said,
                hint=_(
                    "See it with: doetank config get {name}; choose it with: doetank config set {name} VALUE"
                ).format(name=name),
            )
        return super().resolve_command(ctx, args)


config_app = _typer(
    _(
        "Your own settings, for every workspace: taal (the language doetank speaks), editor, and naam and email "
        "(your name and e-mail address in the history, when git has none on this computer).\n\n"
        'Example: doetank config set taal nl, doetank config set naam "Anna de Vries"'
    ),
    cls=_ConfigGroup,
)
app.add_typer(config_app, name="config")

Name = Annotated[str, typer.Argument(metavar=_("SETTING"), help=_("taal, editor, naam or email."), show_default=False)]


def _key(name: str):  # type: ignore[no-untyped-def]
    from doetank_cli import settings

    key = settings.KEYS.get(name.strip().lower())
    if key is None:
        raise UsageError(
            _("There is no setting '{name}'; the settings are: {names}.").format(
                name=name, names=", ".join(settings.KEYS)
            )
        )
    return key


def _current() -> dict[str, str]:
    from doetank_cli import settings

    try:
        return settings.read()
    except settings.SettingsError as exc:
        where = f"{exc.path}:{exc.line}" if exc.line else str(exc.path)
        raise DataError(
            _("{file}: the settings file cannot be read: {problem}.").format(file=where, problem=exc.problem),
            hint=_("Correct it, or delete it and set what you need again with 'doetank config set'."),
        ) from None


@config_app.command(
    "get", help=_("Print one setting (nothing when it is not set).\n\nExample: doetank config get taal")
)
def get(name: Name) -> None:
    value = _current().get(_key(name).name)
    if value is not None:
        typer.echo(value)


@config_app.command(
    "set",
    help=_(
        "Choose a setting: taal (nl or en), editor (the command that opens notes), naam and email (yours, for the "
        "history).\n\n"
        'Example: doetank config set taal nl, doetank config set editor "notepad++ -multiInst", '
        "doetank config set email anna@utrecht.nl"
    ),
)
def set_(
    name: Name,
    value: Annotated[str, typer.Argument(metavar=_("VALUE"), help=_("The value."), show_default=False)],
) -> None:
    from doetank_cli import settings, system

    key = _key(name)
    value = value.strip()
    if key.choices and value.lower() not in key.choices:
        raise UsageError(
            _("'{value}' is not a value of {name}; choose one of: {choices}.").format(
                value=value, name=key.name, choices=", ".join(key.choices)
            )
        )
    if key.choices:
        value = value.lower()
    if not value:
        raise UsageError(
            _("The value of {name} is empty; to forget the setting: doetank config unset {name}").format(name=key.name)
        )
    if any(ord(c) < 0x20 or c == "\x7f" for c in value):
        raise UsageError(_("The value of {name} must be text on one line.").format(name=key.name))
    if key.name == "naam" and not settings.usable("naam", value):
        raise UsageError(_("A name for the history is letters and spaces, without < or >: {value}").format(value=value))
    if key.name == "email" and not settings.usable("email", value):
        raise UsageError(
            _("{value} is not an e-mail address (name@organisation.nl, without spaces).").format(value=value)
        )
    if key.name == "editor":
        try:
            system.split_command(value)
        except ValueError:
            raise UsageError(
                _("The editor command {value} has a quote that does not close.").format(value=value)
            ) from None
    values = _current()
    values[key.name] = value
    where = settings.write(values)
    typer.echo(_("{name} = {value} (in {file})").format(name=key.name, value=value, file=where))


@config_app.command("unset", help=_("Forget a setting.\n\nExample: doetank config unset editor"))
def unset(name: Name) -> None:
    from doetank_cli import settings

    key = _key(name)
    values = _current()
    if values.pop(key.name, None) is None:
        typer.echo(_("{name} was not set.").format(name=key.name))
        return
    settings.write(values)
    typer.echo(_("{name} is no longer set.").format(name=key.name))


@config_app.command("list", help=_("Show every setting and where they are kept.\n\nExample: doetank config list"))
def list_() -> None:
    from doetank_cli import settings

    values = _current()
    for name in settings.KEYS:
        if name not in values:
            typer.echo(_("{name}: not set").format(name=name))
        elif name in ("naam", "email") and not settings.usable(name, values[name]):
            typer.echo(
                _(
                    "{name} = {value} (not used: the history cannot take it; set it again with doetank config set)"
                ).format(name=name, value=ascii(values[name]))
            )
        else:
            typer.echo(f"{name} = {values[name]}")
    typer.echo(_("Kept in {file}").format(file=settings.path()))
