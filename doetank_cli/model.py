"""The record of one tank (doetank.yaml) as pydantic models, and the vocabulary of the spelregels. No I/O."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from doetank_cli.i18n import _
from doetank_cli.vocab import (
    FASES,
    FIRST_DAY,
    LAST_DAY,
    ConsultStatus,
    Fase,
    Herkomst,
    Kanaal,
    Rol,
    Sector,
    Status,
    UpdateKanaal,
)

__all__ = ["FASES", "ConsultStatus", "Fase", "Herkomst", "Kanaal", "Rol", "Sector", "Status", "UpdateKanaal"]


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def _iso_date(value: Any) -> Any:
    """Dates are ISO YYYY-MM-DD within FIRST_DAY..LAST_DAY: a YAML date, or a quoted string in exactly that form.

    Nothing else: not 20260101 or 2026-W05-3 (which Python's own parser takes), and not 9999-12-31 (a typo, and a date
    no timeline can add a day to).
    """
    if isinstance(value, datetime):
        raise ValueError(_("a date without a time is expected (YYYY-MM-DD)"))
    day: date | None = value if isinstance(value, date) else None
    if isinstance(value, str) and _ISO_DAY.fullmatch(value.strip()):
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            day = None
    if day is None:
        raise ValueError(_("not a date; write it as YYYY-MM-DD"))
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(
            _("a date between {first} and {last} is expected").format(
                first=FIRST_DAY.isoformat(), last=LAST_DAY.isoformat()
            )
        )
    return day


def _none_as_empty(factory: type) -> BeforeValidator:
    # `leden:` with nothing after it is how people write "none yet"
    return BeforeValidator(lambda v: factory() if v is None else v)


def _or_null(schema: dict[str, Any]) -> None:
    """In the JSON Schema, an empty key (`leden:`) is allowed wherever the model reads it as empty."""
    inner = {key: schema.pop(key) for key in list(schema) if key not in ("title", "description", "default")}
    schema["anyOf"] = [inner, {"type": "null"}]


def _empty(factory: type) -> Any:
    return Field(default_factory=factory, json_schema_extra=_or_null)


def name_key(naam: str) -> str:
    """How two spellings of one person's name compare: case, spacing and Unicode's form do not matter (é typed on a
    Mac is e + a combining accent, on Windows one letter: the same person)."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", " ".join(naam.split())).casefold())


Datum = Annotated[date, BeforeValidator(_iso_date)]
Tekst = Annotated[str, Field(min_length=1)]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Vraagstuk(_Record):
    probleem: str | None = None
    organisatie: str | None = None
    groter_vraagstuk: str | None = None


class Opdrachtgever(_Record):
    naam: Tekst
    organisatie: str | None = None
    sector: Sector | None = None


class Lid(_Record):
    naam: Tekst
    rol: Rol
    organisatie: str | None = None
    sector: Sector | None = None


class Richtlijn(_Record):
    einddatum: Datum | None = None
    fases: Annotated[dict[Fase, Datum], _none_as_empty(dict)] = _empty(dict)


class Kickoff(_Record):
    datum: Datum
    locatie: Tekst


class Update(_Record):
    datum: Datum
    kanaal: UpdateKanaal
    url: Tekst


class Consult(_Record):
    expert: Tekst
    vraag: Tekst
    status: ConsultStatus = ConsultStatus.aangevraagd
    datum: Datum | None = None
    gehouden: Datum | None = None


class Stap(_Record):
    """One entry of geschiedenis: a phase entered on a date (reden: why it was forced; geforceerd: past which rules)."""

    fase: Fase
    datum: Datum
    reden: str | None = None
    geforceerd: list[str] | None = None


class Gestopt(_Record):
    datum: Datum
    reden: Tekst


class Doetank(_Record):
    naam: Tekst
    status: Status = Status.actief
    fase: Fase
    vraagstuk: Annotated[Vraagstuk, _none_as_empty(Vraagstuk)] = _empty(Vraagstuk)
    herkomst: Herkomst | None = None
    kanaal: Kanaal | None = None
    opdrachtgever: Opdrachtgever | None = None
    leden: Annotated[list[Lid], _none_as_empty(list)] = _empty(list)
    richtlijn: Annotated[Richtlijn, _none_as_empty(Richtlijn)] = _empty(Richtlijn)
    kickoff: Kickoff | None = None
    updates: Annotated[list[Update], _none_as_empty(list)] = _empty(list)
    consulten: Annotated[list[Consult], _none_as_empty(list)] = _empty(list)
    geschiedenis: Annotated[list[Stap], _none_as_empty(list)] = _empty(list)
    # stable across renames: what the agenda's UIDs are made of. After geschiedenis, so that the keys a change adds
    # later (uitzonderingen, gestopt, afgerond) still go at the end of the file, where people look for them
    id: Tekst | None = None
    uitzonderingen: Annotated[dict[str, str | None], _none_as_empty(dict)] = _empty(dict)
    publiek: bool = True
    gestopt: Gestopt | None = None
    afgerond: Datum | None = None

    # --- derived facts the rules and the dashboard share ---

    def met_rol(self, rol: Rol) -> list[Lid]:
        return [lid for lid in self.leden if lid.rol == rol]

    @property
    def trekker(self) -> Lid | None:
        found = self.met_rol(Rol.trekker)
        return found[0] if found else None

    @property
    def coach(self) -> Lid | None:
        found = self.met_rol(Rol.coach)
        return found[0] if found else None

    @property
    def team(self) -> list[Lid]:
        """Trekker and doetankers: the people the spelregels count (the coach guides, and is not counted)."""
        return [lid for lid in self.leden if lid.rol != Rol.coach]

    @property
    def fase_sinds(self) -> date | None:
        """The date the current phase was entered, from geschiedenis."""
        for stap in reversed(self.geschiedenis):
            if stap.fase == self.fase:
                return stap.datum
        return None


#: The order of the record's top-level keys, used when the tool adds a key a file does not have yet.
KEY_ORDER: list[str] = list(Doetank.model_fields)
