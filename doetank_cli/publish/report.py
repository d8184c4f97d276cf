"""What a tank publishes: its timeline over the six phases, and a report to paste into a blog, LinkedIn or an e-mail.

Privacy (AVG): people appear by name, role and organisation only; what a report holds comes from
`publish.publishable()`, scrubbed of guidance comments and contact details. The report and the site are built from
the same pieces here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from doetank_cli import notes, rules
from doetank_cli.i18n import _, datum
from doetank_cli.model import FASES, Doetank, Fase, Status
from doetank_cli.publish import Released, scrub
from doetank_cli.workspace import Workspace


@dataclass(frozen=True)
class Span:
    """One phase on the timeline: when it was entered and left, its target date, and whether it ran late."""

    fase: Fase
    entered: date | None
    left: date | None  # None: the current phase (or not reached)
    target: date | None
    state: str  # done | current | future

    def late_on(self, today: date) -> bool:
        if self.target is None or self.state == "future":
            return False
        return (self.left or today) > self.target


def span_range(spans: list[Span], einddatum: date | None, today: date) -> tuple[date, date]:
    """The first and last day a timeline must show: every date of its phases, today and the einddatum."""
    days = [d for s in spans for d in (s.entered, s.left, s.target) if d] + [today] + ([einddatum] if einddatum else [])
    return min(days), max(days)


def timeline(tank: Doetank) -> list[Span]:
    entered: dict[Fase, date] = {}
    for stap in tank.geschiedenis:
        entered.setdefault(stap.fase, stap.datum)
    spans = []
    for index, fase in enumerate(FASES):
        nxt = FASES[index + 1] if index + 1 < len(FASES) else None
        if fase.nummer < tank.fase.nummer or (tank.status == Status.afgerond and fase == tank.fase):
            state = "done"
            left = entered.get(nxt) if nxt else tank.afgerond
        elif fase == tank.fase:
            state, left = "current", None
        else:
            state, left = "future", None
        spans.append(Span(fase, entered.get(fase), left, tank.richtlijn.fases.get(fase), state))
    return spans


@dataclass
class Report:
    """A tank as published: every piece already scrubbed of contact details."""

    slug: str
    tank: Doetank
    spans: list[Span]
    current_notes: dict[str, str]  # the current phase's filled sections
    lessons: dict[str, str]  # wat werkt / wat werkt niet, from the leren note
    next_steps: list[str]
    ready_for: str | None = None
    note_texts: dict[Fase, str] = field(default_factory=dict)  # every note, for the site
    private: bool = False  # publiek: false (asked for by name: the report says so)


def _filled(text: str) -> dict[str, str]:
    return {heading: body for heading, body in notes.sections(text).items() if body.strip()}


def build(ws: Workspace, released: Released, today: date) -> Report:
    """A tank's report, from what `publishable()` released: every piece is scrubbed already."""
    slug, tank, texts = released.slug, released.tank, released.notes
    current = _filled(texts.get(tank.fase, ""))
    leren = _filled(texts.get(Fase.leren, ""))
    lessons = {h: body for h, body in leren.items() if h.casefold().startswith("wat werkt")}
    steps: list[str] = []
    ready = None
    if tank.status == Status.actief:
        gap = notes.check(ws, slug, tank.fase)
        found = rules.gate(
            tank, rules.Context(slug, today, rules.NoteGap(ws.rel(gap.path), gap.exists, gap.empty_sections))
        )
        steps = [scrub(f.bericht) for f in found if f.blocks]
        if not steps:
            ready = tank.fase.volgende.value if tank.fase.volgende else Status.afgerond.value
    return Report(slug, tank, timeline(tank), current, lessons, steps, ready, texts, released.private)


def _short(text: str, limit: int = 400) -> str:
    first = text.strip().split("\n\n", 1)[0].replace("\n", " ")
    return first if len(first) <= limit else first[: limit - 1].rsplit(" ", 1)[0] + " …"


def render(report: Report, fmt: str = "markdown") -> str:
    """The report as markdown (for a blog) or plain text (for LinkedIn or an e-mail)."""
    md = fmt == "markdown"
    t = report.tank
    out: list[str] = []

    def heading(text: str, level: int = 2) -> None:
        out.append(
            ("#" * level + " " + text)
            if md
            else (text.upper() if level == 1 else text) + ("\n" + ("=" if level == 1 else "-") * len(text))
        )
        out.append("")

    def line(label: str, value: str) -> None:
        out.append(f"**{label}:** {value}  " if md else f"{label}: {value}")

    heading(t.naam, 1)
    v = t.vraagstuk
    line(_("Vraagstuk"), f"{v.probleem or '–'}" + (f" ({v.organisatie})" if v.organisatie else ""))
    if v.groter_vraagstuk:
        line(_("Groter vraagstuk"), v.groter_vraagstuk)
    og = t.opdrachtgever
    line(_("Opdrachtgever"), f"{og.naam}" + (f", {og.organisatie}" if og.organisatie else "") if og else _("gezocht"))
    state = t.fase.value if t.status == Status.actief else t.status.value
    line(_("Stand"), _("phase {n} of 6, {fase}").format(n=t.fase.nummer, fase=state))
    if t.richtlijn.einddatum:
        line(_("Einddatum"), datum(t.richtlijn.einddatum))
    out.append("")

    heading(_("Team"))
    for lid in t.leden:
        out.append(f"- {lid.naam} — {lid.rol.value}" + (f", {lid.organisatie}" if lid.organisatie else ""))
    if not t.leden:
        out.append(_("(no members yet)"))
    out.append("")

    heading(_("The six phases"))
    if md:
        out += [f"| {_('Fase')} | {_('Entered')} | {_('Target')} |", "|---|---|---|"]
    for span in report.spans:
        began = datum(span.entered) if span.entered else "–"
        target = datum(span.target) if span.target else "–"
        mark = " ←" if span.state == "current" else ""
        out.append(
            f"| {span.fase.nummer}. {span.fase.value}{mark} | {began} | {target} |"
            if md
            else f"{span.fase.nummer}. {span.fase.value:<12} {began:<20} {target}{mark}"
        )
    out.append("")

    if report.current_notes:
        heading(_("Where we stand: {fase}").format(fase=t.fase.value))
        for title, body in report.current_notes.items():
            out += [f"**{title}**" if md else title, "", _short(body), ""]

    if report.lessons:
        heading(_("Lessons"))
        for title, body in report.lessons.items():
            out += [f"**{title}**" if md else title, "", _short(body, 600), ""]

    if t.status == Status.actief:
        heading(_("Next steps"))
        if report.ready_for:
            out.append(_("Ready for {fase}.").format(fase=report.ready_for))
        out += [f"- {step}" for step in report.next_steps]
        out.append("")
    return "\n".join(out).rstrip() + "\n"
