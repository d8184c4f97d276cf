"""The JSON Schema of doetank.yaml, made from the pydantic model, with a Dutch description of every field.

The descriptions are part of the record's vocabulary (like its keys), so they are Dutch in every interface language.
"""

from __future__ import annotations

import json
from typing import Any

from doetank_cli.model import Doetank

_DESCRIPTIONS: dict[str, str] = {
    "Doetank": "Het dossier van één Doetank volgens de Doetank Spelregels.",
    "Doetank.naam": "De naam van de Doetank.",
    "Doetank.status": "actief, afgerond (na overdragen) of gestopt (met een reden onder gestopt).",
    "Doetank.fase": "De fase waarin de Doetank nu zit, van ontdekken tot overdragen.",
    "Doetank.vraagstuk": "Het vraagstuk: iets kleins en concreets dat een groter vraagstuk representeert.",
    "Doetank.herkomst": "Hoe de Doetank is gestart: met een vraagstuk van een opdrachtgever, of vanuit het netwerk.",
    "Doetank.kanaal": "Waar het vraagstuk kenbaar is gemaakt.",
    "Doetank.opdrachtgever": "De opdrachtgever, het liefst vanuit de publieke sector. Weglaten "
    "zolang die nog wordt gezocht.",
    "Doetank.leden": "Het team: één trekker, de Doetankers en één coach.",
    "Doetank.richtlijn": "De richtlijn voor het tijdsbestek: een einddatum en eventueel streefdata per fase.",
    "Doetank.kickoff": "De fysieke kickoff: de eerste keer bij elkaar komen.",
    "Doetank.updates": "De digitale kant: updates op LinkedIn en blogs op de pagina van de Doetank.",
    "Doetank.consulten": "Consulten met een inhoudelijke expert.",
    "Doetank.geschiedenis": "Elke fase waarin de Doetank is gekomen, met de datum. Wordt door doetank bijgehouden.",
    "Doetank.uitzonderingen": "Regels die voor deze Doetank niet gelden, per regel-id (zoals DT011) met de reden.",
    "Doetank.publiek": "false: deze Doetank wordt nooit op de site gepubliceerd.",
    "Doetank.gestopt": "Wanneer en waarom de Doetank is gestopt.",
    "Doetank.afgerond": "De datum waarop de Doetank na overdragen is afgerond.",
    "Doetank.id": "Een vaste sleutel van deze Doetank, door doetank geschreven. Hij blijft gelijk als de naam "
    "verandert, zodat de agenda in Outlook dezelfde afspraken houdt. Niet wijzigen en niet meekopiëren naar een "
    "nieuwe Doetank.",
    "Vraagstuk": "Het vraagstuk van de Doetank.",
    "Vraagstuk.probleem": "Het kleine, concrete probleem.",
    "Vraagstuk.organisatie": "De organisatie waar het probleem in de praktijk speelt.",
    "Vraagstuk.groter_vraagstuk": "Het grotere, publieke-sectorbrede vraagstuk dat dit probleem representeert.",
    "Opdrachtgever": "De opdrachtgever die het vraagstuk aandraagt.",
    "Opdrachtgever.naam": "De naam van de opdrachtgever.",
    "Opdrachtgever.organisatie": "De organisatie van de opdrachtgever.",
    "Opdrachtgever.sector": "publiek of extern.",
    "Lid": "Een lid van het team.",
    "Lid.naam": "De naam; iedereen staat één keer in het team.",
    "Lid.rol": "trekker (coördineert), doetanker, of coach (begeleidt het proces).",
    "Lid.organisatie": "De organisatie waar het lid werkt.",
    "Lid.sector": "publiek, of extern voor adviseurs van externe bureaus.",
    "Richtlijn": "De richtlijn voor het tijdsbestek.",
    "Richtlijn.einddatum": "Wanneer de Doetank klaar wil zijn (JJJJ-MM-DD).",
    "Richtlijn.fases": "Streefdatum per fase, bijvoorbeeld {ontdekken: 2027-01-15}.",
    "Kickoff": "De fysieke kickoff.",
    "Kickoff.datum": "De datum van de kickoff (JJJJ-MM-DD).",
    "Kickoff.locatie": "Waar; Kennisland wordt aangeboden als clubhuis.",
    "Update": "Een update op LinkedIn of een blog op de site.",
    "Update.datum": "De datum van het bericht (JJJJ-MM-DD).",
    "Update.kanaal": "linkedin of blog.",
    "Update.url": "Het adres van het bericht (http of https).",
    "Consult": "Een consult met een inhoudelijke expert.",
    "Consult.expert": "De naam van de expert.",
    "Consult.vraag": "Wat de Doetank de expert wil vragen.",
    "Consult.status": "aangevraagd of gehouden.",
    "Consult.datum": "De datum van de aanvraag (JJJJ-MM-DD).",
    "Consult.gehouden": "De datum waarop het consult is gehouden (JJJJ-MM-DD).",
    "Stap": "Een fase waarin de Doetank is gekomen.",
    "Stap.fase": "De fase.",
    "Stap.datum": "De datum waarop de fase begon (JJJJ-MM-DD).",
    "Stap.reden": "Waarom de Doetank verder ging terwijl niet aan alle eisen van de fase was voldaan.",
    "Stap.geforceerd": "De regels (zoals DT010) waar de Doetank met --force voorbij ging. Zolang de Doetank in "
    "deze fase zit, tellen ze als uitzondering met de reden hierboven; de volgende fase toetst opnieuw. "
    "Wordt door doetank bijgehouden.",
    "Gestopt": "Het stoppen van de Doetank; wat niet werkte is ook een opbrengst.",
    "Gestopt.datum": "De datum waarop de Doetank is gestopt (JJJJ-MM-DD).",
    "Gestopt.reden": "Waarom de Doetank is gestopt.",
    "Fase": "De zes fasen van het Doetank stappenplan.",
    "Status": "actief, afgerond of gestopt.",
    "Rol": "trekker, doetanker of coach.",
    "Sector": "publiek, of extern.",
    "Herkomst": "opdrachtgever of netwerk.",
    "Kanaal": "linkedin, slimmernetwerk-cafe of anders.",
    "UpdateKanaal": "linkedin of blog.",
    "ConsultStatus": "aangevraagd of gehouden.",
}


def _describe(name: str, schema: dict[str, Any]) -> None:
    schema.pop("title", None)
    schema["description"] = _DESCRIPTIONS[name]
    for field, sub in schema.get("properties", {}).items():
        sub.pop("title", None)
        sub["description"] = _DESCRIPTIONS[f"{name}.{field}"]


def record_schema() -> dict[str, Any]:
    """The schema as a dict; a KeyError here means a field was added without its Dutch description."""
    schema = Doetank.model_json_schema()
    for name, sub in schema.get("$defs", {}).items():
        _describe(name, sub)
    _describe("Doetank", schema)
    # a waiver names a rule id; the tool reports other keys as a finding (DT050), the editor flags them as you type
    schema["properties"]["uitzonderingen"]["anyOf"][0]["propertyNames"] = {"pattern": "^DT[0-9]{3}$"}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "doetank.yaml", **schema}


def schema_text() -> str:
    return json.dumps(record_schema(), indent=2, ensure_ascii=False) + "\n"
