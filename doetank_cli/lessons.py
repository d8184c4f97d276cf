"""The network's lessons: what worked, what did not, what a tank would do differently, and why stopped tanks stopped.

"Ook leveren de Doetanks een schat aan ervaringen (wat werkt, maar zeker ook wat niet werkt) op." A lesson is a filled
section "Wat werkt", "Wat werkt niet" or "Wat we anders zouden doen" of any phase note (the leren note has them), or
the reason a tank was stopped. The CLI reads them through the search index; a tank's report from its own notes.
"""

from __future__ import annotations

from dataclasses import dataclass

from doetank_cli.model import FASES, Doetank, Fase, Status
from doetank_cli.workspace import Workspace

#: the kinds, in the order they are shown
SOORTEN = ("werkt", "werkt-niet", "anders", "gestopt")


@dataclass(frozen=True)
class Lesson:
    tank: str
    naam: str
    fase: Fase
    soort: str  # werkt | werkt-niet | anders | gestopt
    tekst: str
    publiek: bool = True


@dataclass
class Lessons:
    lessons: list[Lesson]
    unread: list[str]  # records that could not be read: their tank's lessons are missing


def of_tank(slug: str, tank: Doetank, texts: dict[Fase, str]) -> list[Lesson]:
    """One tank's lessons from its notes' texts (as the report has them), and its reason for stopping."""
    from doetank_cli import search

    found = []
    for fase in FASES:
        if fase in texts:
            for soort, tekst in search.note_lessons(search.note_text(texts[fase])):
                found.append(Lesson(slug, tank.naam, fase, soort, tekst, tank.publiek))
    if tank.status == Status.gestopt and tank.gestopt:
        found.append(Lesson(slug, tank.naam, tank.fase, "gestopt", tank.gestopt.reden.strip(), tank.publiek))
    return found


def collect(ws: Workspace, fase: Fase | None = None) -> Lessons:
    """Every tank's lessons, by tank (slug), then phase, then as they stand in the note; stopped reasons last."""
    from doetank_cli import search

    with search.Corpus(ws) as corpus:
        corpus.refresh()
        records: dict[str, dict[str, object]] = {}
        from_notes: dict[str, list[tuple[Fase, str, str]]] = {}
        for tank, path, meta, lessons in corpus.documents():
            if meta is not None:
                records[tank] = meta
            elif lessons:
                note_fase = Fase(path.rsplit("/", 1)[-1][3:-3])
                from_notes.setdefault(tank, []).extend((note_fase, soort, tekst) for soort, tekst in lessons)
        unread = corpus.unread()
    out = []
    for slug in sorted(records):
        meta = records[slug]
        naam, publiek = str(meta["naam"]), bool(meta["publiek"])
        for note_fase, soort, tekst in sorted(from_notes.get(slug, []), key=lambda x: x[0].nummer):
            out.append(Lesson(slug, naam, note_fase, soort, tekst, publiek))
        if meta["status"] == Status.gestopt.value and meta["gestopt"]:
            out.append(Lesson(slug, naam, Fase(str(meta["fase"])), "gestopt", str(meta["gestopt"]).strip(), publiek))
    if fase is not None:
        out = [lesson for lesson in out if lesson.fase == fase]
    return Lessons(out, unread)
