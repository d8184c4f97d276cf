"""What the pages show, built from the core's own results (lifecycle, index, rules, the site's timeline): read fresh
for every request. The one thing kept is the board made of the index's snapshot, used again only while every record
is still exactly that snapshot's row (checked on every request). No rule or change is decided here."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from markupsafe import Markup

from doetank_cli import i18n, lifecycle, repo, rules, store
from doetank_cli.errors import DoetankError
from doetank_cli.i18n import N_, _, ngettext
from doetank_cli.index import Overview, Summary
from doetank_cli.model import FASES, Doetank, Fase, Status
from doetank_cli.workspace import Workspace, note_name

#: cards a column shows before "show all": a board of thousands stays quick to load and to read
COLUMN_LIMIT = 100

#: what needs a coordinator's attention, in the order the board lists it
ATTENTION = {
    "fouten": N_("breaks a rule"),
    "coach": N_("coach still sought"),
    "opdrachtgever": N_("opdrachtgever still sought"),
    "laat": N_("past its guideline"),
}
#: a severity in running text: English words in English (the record and JSON keep fout and waarschuwing)
ERNST = {rules.Ernst.fout: N_("error"), rules.Ernst.waarschuwing: N_("warning")}


def attention(s: Summary) -> list[str]:
    """The reasons a tank needs attention (keys of ATTENTION)."""
    found = []
    if s.fouten:
        found.append("fouten")
    if s.status == Status.actief:
        if s.coach is None:
            found.append("coach")
        if s.opdrachtgever is None:
            found.append("opdrachtgever")
        if s.overdue:
            found.append("laat")
    return found


class Words:
    """A card's words, translated once per board rather than once per card (a board shows up to 600)."""

    def __init__(self) -> None:
        self.trekker = _("trekker {naam}")
        self.no_trekker = _("no trekker")
        self.team = _("team of {n}")
        self.reasons = {reason: _(words) for reason, words in ATTENTION.items()}
        self.days: dict[int, str] = {}

    def dagen(self, n: int) -> str:
        found = self.days.get(n)
        if found is None:
            found = self.days[n] = ngettext("{n} day in this phase", "{n} days in this phase", n).format(n=n)
        return found


@dataclass
class Card:
    """One tank on the board, its words made here: a board of a thousand cards is rendered in one go."""

    summary: Summary
    reasons: list[str]
    dagen: int | None
    badges: list[tuple[str, str]] = field(default_factory=list)  # (css class, words)
    line: str = ""

    @classmethod
    def of(cls, s: Summary, reasons: list[str], dagen: int | None, words: Words) -> Card:
        badges = [(s.status.value, s.status.value)] if s.status != Status.actief else []
        badges += [(reason, words.reasons[reason]) for reason in reasons]
        line = [words.trekker.format(naam=s.trekker) if s.trekker else words.no_trekker]
        line.append(words.team.format(n=s.teamgrootte))
        if dagen is not None:
            line.append(words.dagen(dagen))
        return cls(s, reasons, dagen, badges, " · ".join(line))


@dataclass
class Column:
    fase: Fase
    cards: list[Card]
    total: int
    more: str | None  # the address that shows every card of this column


@dataclass
class Filters:
    fase: str = ""
    status: str = ""
    aandacht: str = ""
    naam: str = ""
    alle: str = ""

    @classmethod
    def of(cls, query: dict[str, str]) -> Filters:
        fase = query.get("fase", "")
        status = query.get("status", "")
        aandacht = query.get("aandacht", "")
        alle = query.get("alle", "")
        return cls(
            fase if fase in {f.value for f in FASES} else "",
            status if status in {s.value for s in Status} else "",
            aandacht if aandacht in ATTENTION else "",
            " ".join(query.get("naam", "").split())[:100],
            alle if alle in {f.value for f in FASES} else "",
        )

    def query(self, **changes: str) -> str:
        values = {k: v for k, v in {**self.__dict__, **changes}.items() if v}
        return "/?" + urlencode(values) if values else "/"

    @property
    def active(self) -> bool:
        return bool(self.fase or self.status or self.aandacht or self.naam)


@dataclass
class Board:
    columns: list[Column]
    counts: dict[str, int]  # attention reason -> number of tanks
    total: int
    shown: int
    errors: list[DoetankError]
    notices: list[str]
    today: date
    html: Markup | None = None  # the columns as HTML, once rendered (app.py): a kept board is not rendered again


def _matches(s: Summary, reasons: list[str], f: Filters) -> bool:
    if f.fase and s.fase.value != f.fase:
        return False
    if f.status and s.status.value != f.status:
        return False
    if f.aandacht and f.aandacht not in reasons:
        return False
    if f.naam:
        wanted = f.naam.casefold()
        return wanted in s.naam.casefold() or wanted in s.slug
    return True


def _every_tank(ws: Workspace) -> Overview:
    """Every tank's summary, as `doetank status` reads them (network.py): the badges need no finding itself."""
    from doetank_cli import network

    return network.overview(ws, findings=False, ordered=False)  # each column is ordered by name below


#: boards made of an index snapshot, by what they were made of: the snapshot's token, the day, the filters, what
#: else the board says, the language. A new token (every change to a record makes one) forgets them all.
_kept: dict[tuple[object, ...], Board] = {}
_kept_lock = threading.Lock()  # requests are answered in threads
_KEEP = 16


def board(ws: Workspace, f: Filters) -> Board:
    """The board: every tank in its phase's column, what needs attention, the filters applied.

    Every record is checked against the index on every request (network.overview); when the tanks are exactly the
    index's snapshot a board was made of before, with the same day and filters, that board is used again: over a
    thousand tanks, making the cards and their HTML is most of the work.
    """
    ov = _every_tank(ws)
    if ov.generation is None or ov.errors:
        return _board(ov, f)
    key = (str(ws.root), ov.generation, ov.today, tuple(f.__dict__.values()), tuple(ov.notices), i18n.LANGUAGE)
    with _kept_lock:
        found = _kept.get(key)
    if found is None:
        found = _board(ov, f)
        with _kept_lock:
            if len(_kept) >= _KEEP or any(k[1] != ov.generation for k in _kept):
                _kept.clear()
            _kept[key] = found
    return found


def _board(ov: Overview, f: Filters) -> Board:
    counts = dict.fromkeys(ATTENTION, 0)
    per_fase: dict[Fase, list[tuple[Summary, list[str], int | None]]] = {fase: [] for fase in FASES}
    shown = 0
    for s in ov.tanks:
        reasons = attention(s)
        for reason in reasons:
            counts[reason] += 1
        if _matches(s, reasons, f):
            dagen = (ov.today - s.fase_sinds).days if s.fase_sinds and s.status == Status.actief else None
            per_fase[s.fase].append((s, reasons, dagen))
            shown += 1
    columns = []
    words = Words()
    for fase in FASES:
        found = sorted(per_fase[fase], key=lambda c: c[0].naam.casefold())
        limited = f.alle != fase.value and len(found) > COLUMN_LIMIT
        more = f.query(alle=fase.value) + f"#kolom-{fase.value}" if limited else None
        cards = [Card.of(*c, words) for c in (found[:COLUMN_LIMIT] if limited else found)]
        columns.append(Column(fase, cards, len(found), more))
    return Board(columns, counts, len(ov.tanks), shown, ov.errors, ov.notices, ov.today)


# --------------------------------------------------------------------------- one tank

#: where a finding of each rule is put right on the tank's page (an anchor), or on another page (a path)
FIX = {
    "DT001": "#vraagstuk",
    "DT002": "#vraagstuk",
    "DT003": "#vraagstuk",
    "DT004": "#opdrachtgever",
    "DT005": "#opdrachtgever",
    "DT010": "#member-add",
    "DT011": "#member-add",
    "DT012": "#member-add",
    "DT013": "#member-add",
    "DT014": "#team",
    "DT020": "#kickoff",
    "DT021": "#update",
    "DT022": "#update",
    "DT030": "#plan",
    "DT031": "#plan",
    "DT040": "log",
    rules.GATE_RULE: "notitie",
    rules.WAIVER_RULE: "#waive",
    "DT060": "/conflicten",
}
FIX_LABEL = {
    "#vraagstuk": N_("Change the vraagstuk"),
    "#opdrachtgever": N_("Name the opdrachtgever"),
    "#member-add": N_("Add a member"),
    "#team": N_("Change the team"),
    "#kickoff": N_("Record the kickoff"),
    "#update": N_("Record an update"),
    "#plan": N_("Set the guideline"),
    "log": N_("See the history"),
    "notitie": N_("Write the note"),
    "#waive": N_("Waive a rule"),
    "/conflicten": N_("Decide the conflict"),
}


@dataclass
class Line:
    """One finding as the page shows it, with the link to the form that puts it right."""

    finding: rules.Finding
    href: str
    label: str


def _line(slug: str, f: rules.Finding) -> Line:
    target = FIX.get(f.regel, "#waive")
    if target.startswith("#"):
        href = f"/tanks/{slug}{target}"
    elif target.startswith("/"):
        href = target
    else:
        href = f"/tanks/{slug}/{target}"
    return Line(f, href, _(FIX_LABEL[target]))


def _order(found: list[rules.Finding]) -> list[rules.Finding]:
    return sorted(found, key=lambda f: (not f.blocks, f.uitzondering is not None, f.ernst != rules.Ernst.fout, f.regel))


@dataclass
class PastNote:
    fase: Fase
    html: Markup


@dataclass
class TankPage:
    slug: str
    tank: Doetank
    summary: Summary
    today: date
    dagen: int | None
    naar: str | None  # the phase (or afgerond) an advance moves to; None when the tank is not active
    checklist: list[Line]
    findings: list[Line]
    timeline: Markup
    note_file: str
    note_exists: bool
    note_empty: list[str]
    note_problem: str | None
    past_notes: list[PastNote] = field(default_factory=list)


def tank_page(ws: Workspace, slug: str) -> TankPage:
    from doetank_cli.publish.report import timeline
    from doetank_cli.publish.site import timeline_svg

    d = lifecycle.detail(ws, slug)
    t, s = d.tank, d.summary
    naar = None
    if t.status == Status.actief:
        naar = t.fase.volgende.value if t.fase.volgende else Status.afgerond.value
    svg = timeline_svg(timeline(t), t.richtlijn.einddatum, d.today, t.naam)  # escapes every value itself
    problem = None
    try:
        draft = lifecycle.read_note(ws, slug)
        exists, empty, note_file = draft.exists, draft.empty, draft.file
    except DoetankError as exc:
        exists, empty, problem, note_file = True, [], exc.message, ws.rel(ws.tanks / slug / note_name(t.fase))
    past = []
    for fase in FASES[: t.fase.nummer - 1]:
        try:
            path = ws.note_path(slug, fase)  # the workspace boundary: no link out of tanks/, no pipe, never opened
            if path.is_file():
                past.append(PastNote(fase, markdown(store.read_text(path, ws.rel(path)))))
        except DoetankError:
            continue  # not a note that can be read: never shown
    return TankPage(
        slug,
        t,
        s,
        d.today,
        (d.today - s.fase_sinds).days if s.fase_sinds and t.status == Status.actief else None,
        naar,
        [_line(slug, f) for f in _order(d.gate) if f.blocks],
        [_line(slug, f) for f in _order(s.findings)],
        Markup(svg),  # noqa: S704  (built by publish/site.py, which escapes every value it puts in)
        note_file,
        exists,
        empty,
        problem,
        past,
    )


def markdown(text: str) -> Markup:
    """A note as HTML: raw HTML in it is shown as text, and only http(s) links stay links."""
    from markdown_it import MarkdownIt

    from doetank_cli.publish.site import safe_url

    md = MarkdownIt("commonmark", {"html": False})
    md.validateLink = lambda url: safe_url(url) is not None  # type: ignore[method-assign]
    lines = text.splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]  # the page names the phase itself
    tokens = md.parse("\n".join(lines))
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + 2)}"
    return Markup(md.renderer.render(tokens, md.options, {}))  # noqa: S704  (markdown-it escapes; raw HTML is off)


def rule_choices() -> list[tuple[str, str]]:
    """The rules a tank may waive, for the waive form's select: never one of rules.UNWAIVABLE, as `doetank waive`."""
    return [(r.id, f"{r.id} {r.naam}") for r in rules.RULES if r.id not in rules.UNWAIVABLE]


def last_change(ws: Workspace) -> repo.LogEntry | None:
    """The change `undo` would take back now, to show it and to check that it is still the one the person saw when they
    press the button: sync.undo_candidate where undo takes back only your own changes (issue #12), else the same
    choice as sync.undo makes."""
    from doetank_cli import sync

    candidate = getattr(sync, "undo_candidate", None)
    if candidate is not None:
        found: repo.LogEntry | None = candidate(ws)
        return found
    if not repo.is_repo(ws.root):
        return None
    top = repo.toplevel(ws.root)
    entries = repo.log(top, ws.root if ws.root != top else None, limit=1, doetank_only=True)
    return entries[0] if entries else None
