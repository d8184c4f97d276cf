"""The interview of `doetank new` on a terminal: everything the first gate needs, each question skippable with Enter.

It runs only when a required value is missing and a person can answer (commands/common.interactive); with the flags
of a script nothing is asked. Every answer is checked as it is given, and a wrong one is asked again.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import typer

from doetank_cli.commands.common import ask, enum_value, to_date
from doetank_cli.i18n import _
from doetank_cli.vocab import Herkomst, Rol, Sector

if TYPE_CHECKING:
    from doetank_cli.workspace import Workspace


def _say(text: str) -> None:
    typer.echo(text)


def _sector(naam: str, default: Sector) -> Sector:
    answer = ask(
        _("Sector of {naam}: publiek, or extern (an external firm)?").format(naam=naam),
        enum_value(Sector, "--sector"),
        skip=_("Enter: {default}").format(default=default.value),
    )
    return answer if isinstance(answer, Sector) else default


def _organisation(naam: str, default: str) -> str:
    answer = ask(
        _("Which organisation does {naam} work for?").format(naam=naam),
        skip=_("Enter: {default}").format(default=default),
    )
    return str(answer) if answer else default


def _member(question: str, skip: str, rol: Rol, organisatie: str, sector: Sector, taken: set[str]) -> Any:
    """One person: the name (Enter: nobody), then where they work. Returns (naam, organisatie, sector) or None."""
    from doetank_cli.model import name_key

    def fresh(answer: str) -> str:
        if name_key(answer) in taken:
            raise typer.BadParameter(_("{naam} is already in the team.").format(naam=answer))
        return answer

    naam = ask(question, fresh, skip=skip)
    if naam is None:
        return None
    taken.add(name_key(str(naam)))
    return str(naam), _organisation(str(naam), organisatie), _sector(str(naam), sector)


def new_tank(ws: Workspace, given: dict[str, Any]) -> dict[str, Any]:
    """The values of a new tank: what the flags gave, and for the rest the answers. Keys as lifecycle.NewTank's.
    A name that is taken is said before the first question (or asked again), so no answer is lost."""
    from doetank_cli.lifecycle import NewMember, free_slug

    values = dict(given)
    if values.get("naam"):
        free_slug(ws, str(values["naam"]))
    _say(_("A new Doetank. Answer what you know; Enter skips a question, and you can add it later."))
    if not values.get("naam"):

        def fresh_name(answer: str) -> str:
            free_slug(ws, answer)
            return answer

        values["naam"] = ask(_("What is the tank called?"), fresh_name)
    if not values.get("probleem"):
        values["probleem"] = ask(_("What small, concrete problem does the tank take on?"))
    if not values.get("organisatie"):
        values["organisatie"] = ask(_("In which organisation does the problem play out?"))
    organisatie = str(values["organisatie"])
    if not values.get("groter_vraagstuk"):
        values["groter_vraagstuk"] = ask(
            _("Which larger vraagstuk does this problem stand for?"), skip=_("Enter: later")
        )
    if not values.get("opdrachtgever"):
        values["opdrachtgever"] = ask(
            _("Who is the opdrachtgever, the person who brings the problem?"), skip=_("Enter: still sought")
        )
        if values["opdrachtgever"]:
            naam = str(values["opdrachtgever"])
            values["opdrachtgever_organisatie"] = values.get("opdrachtgever_organisatie") or _organisation(
                naam, organisatie
            )
            values["opdrachtgever_sector"] = _sector(naam, Sector.publiek)
    if values.get("herkomst") is None:
        default = Herkomst.opdrachtgever if values.get("opdrachtgever") else Herkomst.netwerk
        values["herkomst"] = ask(
            _("Did the vraagstuk come from an opdrachtgever, or from the network (netwerk)?"),
            enum_value(Herkomst, "--herkomst"),
            skip=_("Enter: {default}").format(default=default.value),
        )
    taken: set[str] = set()
    if not values.get("trekker"):
        trekker = _member(
            _("Who is the trekker, the one who coordinates?"),
            _("Enter: later"),
            Rol.trekker,
            organisatie,
            Sector.publiek,
            taken,
        )
        if trekker:
            values["trekker"], values["trekker_organisatie"], values["trekker_sector"] = trekker
    else:
        from doetank_cli.model import name_key

        taken.add(name_key(str(values["trekker"])))
    leden: list[NewMember] = []
    while True:
        member = _member(
            _("Who else takes part as a doetanker?"),
            _("Enter: nobody more"),
            Rol.doetanker,
            organisatie,
            Sector.publiek,
            taken,
        )
        if member is None:
            break
        leden.append(NewMember(member[0], Rol.doetanker, member[1], member[2]))
    coach = _member(
        _("Who is the coach, who guides the process?"),
        _("Enter: still sought"),
        Rol.coach,
        "Kennisland",
        Sector.extern,
        taken,
    )
    if coach:
        leden.append(NewMember(coach[0], Rol.coach, coach[1], coach[2]))
    values["leden"] = leden
    kickoff = ask(_("When is the kickoff, the first time the team meets?"), to_date, skip=_("Enter: not known yet"))
    if isinstance(kickoff, date):
        values["kickoff"] = kickoff
        values["kickoff_locatie"] = ask(_("Where does the team meet?"), skip=_("Enter: Kennisland"))
    if values.get("einddatum") is None:
        values["einddatum"] = ask(
            _("By when does the tank aim to be done (the end date)?"), to_date, skip=_("Enter: later")
        )
    return values
