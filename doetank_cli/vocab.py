"""The vocabulary of the spelregels as enums: phases, roles, sectors. Light on purpose: the CLI imports it first."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

#: The days a date in a record or on the command line may fall on: anything else is a typo (and 9999-12-31 breaks
#: date arithmetic). Dates outside are refused: exit 2 on the command line, exit 3 in a record.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2199, 12, 31)


class Fase(StrEnum):
    ontdekken = "ontdekken"
    onderzoeken = "onderzoeken"
    ontwikkelen = "ontwikkelen"
    uitproberen = "uitproberen"
    leren = "leren"
    overdragen = "overdragen"

    @property
    def nummer(self) -> int:
        return FASES.index(self) + 1

    @property
    def volgende(self) -> Fase | None:
        return FASES[self.nummer] if self.nummer < len(FASES) else None


FASES: list[Fase] = list(Fase)


class Status(StrEnum):
    actief = "actief"
    afgerond = "afgerond"
    gestopt = "gestopt"


class Rol(StrEnum):
    trekker = "trekker"
    doetanker = "doetanker"
    coach = "coach"


class Sector(StrEnum):
    publiek = "publiek"
    extern = "extern"


class Herkomst(StrEnum):
    opdrachtgever = "opdrachtgever"
    netwerk = "netwerk"


class Kanaal(StrEnum):
    """Where the vraagstuk was first raised ("De opstart")."""

    linkedin = "linkedin"
    slimmernetwerk_cafe = "slimmernetwerk-cafe"
    anders = "anders"


class UpdateKanaal(StrEnum):
    """The digital side of the kickoff: a LinkedIn update or a blog post on the tank's page."""

    linkedin = "linkedin"
    blog = "blog"


class ConsultStatus(StrEnum):
    aangevraagd = "aangevraagd"
    gehouden = "gehouden"


class ReportFormat(StrEnum):
    """How `doetank report` writes: markdown for a blog post, text for LinkedIn or an e-mail."""

    markdown = "markdown"
    text = "text"


class StatusFormat(StrEnum):
    """How `doetank status` writes the tanks: a table for people, JSON or CSV for scripts, xlsx for Excel."""

    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"
