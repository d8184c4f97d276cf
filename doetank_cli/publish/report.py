"""What a tank publishes: its timeline over the six phases, and a report to paste into a blog, LinkedIn or an e-mail.

Privacy (AVG): people appear by name, role and organisation only; what a report holds comes from
`publish.publishable()`, scrubbed of guidance comments and contact details. The report and the site are built from
the same pieces here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from doetank_cli import notes, rules
from doetank_cli.i18n import N_, _, datum
from doetank_cli.lessons import Lesson, of_tank
from doetank_cli.model import FASES, Doetank, Fase, Status
from doetank_cli.publish import Released, scrub
from doetank_cli.search import soort_of
from doetank_cli.workspace import Workspace

#: a lesson's kind as a heading (the leren note's own words)
LESSON_TITLES = {
    "werkt": N_("What works"),
    "werkt-niet": N_("What does not work"),
    "anders": N_("What we would do differently"),
    "gestopt": N_("Why it stopped"),
}


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


def stand(tank: Doetank) -> str:
    """Where a tank stands, in words: the phase of an active tank, the day a tank finished or stopped."""
    if tank.status == Status.afgerond:
        return (
            _("finished on {date}, after all six phases").format(date=datum(tank.afgerond))
            if tank.afgerond
            else _("finished, after all six phases")
        )
    if tank.status == Status.gestopt:
        return (
            _("stopped on {date}, in phase {n} of 6, {fase}").format(
                date=datum(tank.gestopt.datum), n=tank.fase.nummer, fase=tank.fase.value
            )
            if tank.gestopt
            else _("stopped in phase {n} of 6, {fase}").format(n=tank.fase.nummer, fase=tank.fase.value)
        )
    return _("phase {n} of 6, {fase}").format(n=tank.fase.nummer, fase=tank.fase.value)


@dataclass(frozen=True)
class Forced:
    """A phase the tank moved into (or finished) without meeting every requirement, and why."""

    datum: date
    fase: Fase
    reden: str
    finished: bool = False  # the tank finished (left overdragen) rather than entered `fase`

    def said(self) -> str:
        if self.finished:
            return _("{date}, finished: {reason}").format(date=datum(self.datum), reason=self.reden)
        return _("{date}, on to {fase}: {reason}").format(
            date=datum(self.datum), fase=self.fase.value, reason=self.reden
        )


def forced(tank: Doetank) -> list[Forced]:
    """Every forced step of the tank's history, with its reason, as geschiedenis records them."""
    found = []
    for index, stap in enumerate(tank.geschiedenis):
        if (stap.reden or "").strip():
            again = index > 0 and tank.geschiedenis[index - 1].fase == stap.fase
            found.append(Forced(stap.datum, stap.fase, (stap.reden or "").strip(), finished=again))
    return found


#: the next steps of a report, said to a person outside the tank (no keys of the record, no paths)
_STEPS = {
    "DT001": N_("Describe the small, concrete problem."),
    "DT002": N_("Name the organisation where the problem plays out."),
    "DT003": N_("Name the larger vraagstuk behind the problem."),
    "DT030": N_("Set a time guideline: when the tank aims to be done."),
    "DT040": N_("Put the history of the phases in order."),
}


@dataclass
class Report:
    """A tank as published: every piece already scrubbed of contact details."""

    slug: str
    tank: Doetank
    spans: list[Span]
    current_notes: dict[str, str]  # the current phase's filled sections
    lessons: list[Lesson]  # wat werkt / wat werkt niet / anders from the notes, and why it stopped (scrubbed)
    next_steps: list[str]
    ready_for: str | None = None
    note_texts: dict[Fase, str] = field(default_factory=dict)  # every note, for the site
    private: bool = False  # publiek: false (asked for by name: the report says so)


def _filled(text: str) -> dict[str, str]:
    return {heading: body for heading, body in notes.sections(text).items() if body.strip()}


def build(ws: Workspace, released: Released, today: date) -> Report:
    """A tank's report, from what `publishable()` released: every piece is scrubbed already."""
    slug, tank, texts = released.slug, released.tank, released.notes
    # the lessons have their own section; the current phase's other sections say where the tank stands
    current = {h: body for h, body in _filled(texts.get(tank.fase, "")).items() if soort_of(h) is None}
    lessons = of_tank(slug, tank, texts)
    steps: list[str] = []
    ready = None
    if tank.status == Status.actief:
        gap = notes.check(ws, slug, tank.fase, texts.get(tank.fase))  # the note as released: read once
        found = rules.gate(
            tank, rules.Context(slug, today, rules.NoteGap(ws.rel(gap.path), gap.exists, gap.empty_sections))
        )
        steps = list(
            dict.fromkeys(
                _(_STEPS[f.regel]) if f.regel in _STEPS else scrub(f.bericht)
                for f in found
                if f.blocks and f.regel != rules.GATE_RULE
            )
        )
        if gap.exists and gap.empty_sections:
            steps.append(
                _("Write in the note of {fase}: {sections}.").format(
                    fase=tank.fase.value, sections=", ".join(f"'{h}'" for h in gap.empty_sections)
                )
            )
        elif not gap.exists:
            steps.append(_("Write the note of {fase}.").format(fase=tank.fase.value))
        if not steps:
            ready = tank.fase.volgende.value if tank.fase.volgende else Status.afgerond.value
    return Report(slug, tank, timeline(tank), current, lessons, steps, ready, texts, released.private)


def _short(text: str, limit: int = 400) -> str:
    first = text.strip().split("\n\n", 1)[0].replace("\n", " ")
    return first if len(first) <= limit else first[: limit - 1].rsplit(" ", 1)[0] + " …"


#: a link's destination a blog may follow: the web and e-mail, written out (`&#106;avascript:` is no web address)
_SAFE_DESTINATION = r"\s*<?\s*(?:https?://|mailto:)"
#: an inline link or image whose destination is anything else (javascript:, data:, an entity in disguise)
_UNSAFE_LINK = re.compile(r"\]\((?!" + _SAFE_DESTINATION + ")", re.I)
#: a link reference definition (`[x]: javascript:...`) with such a destination, also inside a quote or a list
_UNSAFE_REFERENCE = re.compile(
    r"^([ \t>*+-]*(?:\d+[.)][ \t]*)?)\[(?=[^\]\n]+\]:(?!" + _SAFE_DESTINATION + "))", re.I | re.M
)


def _inert(markdown: str) -> str:
    """Markdown a blog can render without running anything from a note or a record: raw HTML (`<script>`,
    `<img onerror=...>`, `<javascript:...>`) shown as text, and links to anything but the web or e-mail shown as
    text, not followed. The site renders notes itself, HTML off; a blog's renderer may leave both on."""
    markdown = markdown.replace("<", "&lt;")
    return _UNSAFE_REFERENCE.sub(r"\1\\[", _UNSAFE_LINK.sub(r"]\\(", markdown))


#: a control character as scrub() shows it (\x1b, \u202e): it stays as it is in a title in capitals
_ESCAPE = re.compile(r"(\\(?:x[0-9a-f]{2}|u[0-9a-f]{4}))")


def _upper(text: str) -> str:
    parts = _ESCAPE.split(text)
    return "".join(part if index % 2 else part.upper() for index, part in enumerate(parts))


def render(report: Report, fmt: str = "markdown") -> str:
    """The report as markdown (for a blog) or plain text (for LinkedIn or an e-mail)."""
    md = fmt == "markdown"
    t = report.tank
    out: list[str] = []

    def heading(text: str, level: int = 2) -> None:
        out.append(
            ("#" * level + " " + text)
            if md
            else (_upper(text) if level == 1 else text) + ("\n" + ("=" if level == 1 else "-") * len(text))
        )
        out.append("")

    def line(label: str, value: str) -> None:
        out.append(f"**{label}:** {value}  " if md else f"{label}: {value}")

    heading(t.naam, 1)
    v = t.vraagstuk
    line(_("Vraagstuk"), f"{v.probleem or '–'}" + (f" ({v.organisatie})" if v.organisatie else ""))
    if v.groter_vraagstuk:
        line(_("Larger vraagstuk"), v.groter_vraagstuk)
    og = t.opdrachtgever
    line(
        _("Opdrachtgever"),
        f"{og.naam}" + (f", {og.organisatie}" if og.organisatie else "") if og else _("still sought"),
    )
    line(_("Where it stands"), stand(t))
    if t.richtlijn.einddatum:
        line(_("End date"), datum(t.richtlijn.einddatum))
    out.append("")

    if t.status == Status.gestopt and t.gestopt:
        heading(_("Why the tank stopped"))
        out += [scrub(t.gestopt.reden), ""]

    heading(_("Team"))
    for lid in t.leden:
        out.append(f"- {lid.naam} — {lid.rol.value}" + (f", {lid.organisatie}" if lid.organisatie else ""))
    if not t.leden:
        out.append(_("(no members yet)"))
    out.append("")

    heading(_("The six phases"))
    if md:
        out += [f"| {_('Phase')} | {_('Entered')} | {_('Target')} |", "|---|---|---|"]
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

    moved_on = forced(t)
    if moved_on:
        heading(_("Moved on without meeting every requirement"))
        out += [f"- {scrub(f.said())}" for f in moved_on]
        out.append("")

    if report.current_notes:
        where = {
            Status.actief: N_("Where we stand: {fase}"),
            Status.afgerond: N_("Where we ended: {fase}"),
            Status.gestopt: N_("Where we stopped: {fase}"),
        }[t.status]
        heading(_(where).format(fase=t.fase.value))
        for title, body in report.current_notes.items():
            out += [f"**{title}**" if md else title, "", _short(body), ""]

    if report.lessons:
        heading(_("Lessons"))
        for lesson in report.lessons:
            title = _(LESSON_TITLES[lesson.soort])
            tekst = scrub(lesson.tekst) if lesson.soort == "gestopt" else lesson.tekst
            out += [f"**{title}**" if md else title, "", _short(tekst, 600), ""]

    if t.status == Status.actief:
        heading(_("Next steps"))
        if report.ready_for:
            out.append(_("Ready to move on to {fase}.").format(fase=report.ready_for))
        out += [f"- {step}" for step in report.next_steps]
        out.append("")
    text = "\n".join(out).rstrip() + "\n"
    return _inert(text) if md else text
