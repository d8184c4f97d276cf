"""Commands that correct a tank in place: change a member, rename the tank."""

from typing import Annotated

import typer

from doetank_cli.commands.common import NoCommit, Tank, app, find_ws, member_app, show_change
from doetank_cli.i18n import _
from doetank_cli.vocab import Rol, Sector


@member_app.command(
    "set",
    help=_(
        "Change a member in place: role, organisation, sector or name.\n\n"
        'Example: doetank member set slimmer "Bram Peters" --rol trekker --organisatie Rijkswaterstaat'
    ),
)
def member_set(
    tank: Tank,
    naam: Annotated[str, typer.Argument(help=_("The member's name, as the team lists it."), show_default=False)],
    rol: Annotated[Rol | None, typer.Option(help=_("The new role."), show_default=False)] = None,
    organisatie: Annotated[
        str | None, typer.Option(help=_("Where the member works now (empty: not known)."), show_default=False)
    ] = None,
    sector: Annotated[Sector | None, typer.Option(help=_("publiek or extern."), show_default=False)] = None,
    nieuwe_naam: Annotated[
        str | None, typer.Option("--naam", help=_("The member's name, written anew."), show_default=False)
    ] = None,
    no_commit: NoCommit = False,
) -> None:
    from doetank_cli import lifecycle

    show_change(
        lifecycle.member_set(
            find_ws(),
            tank,
            naam,
            rol=rol,
            organisatie=organisatie,
            sector=sector,
            nieuwe_naam=nieuwe_naam,
            commit=not no_commit,
        )
    )


@app.command(
    help=_(
        "Give a tank a new name; its short name (the folder) follows, in one change.\n\n"
        'Example: doetank rename slimmer "Sneller besluiten"'
    )
)
def rename(
    tank: Tank,
    naam: Annotated[str, typer.Argument(metavar="NAAM", help=_("The new name."), show_default=False)],
    no_commit: NoCommit = False,
) -> None:
    from doetank_cli import lifecycle

    show_change(lifecycle.rename(find_ws(), tank, naam, commit=not no_commit))
