"""The static website of a workspace: a board of every public tank across the six phases, and a page per tank.

Every page stands alone (styles and the small filter script inline, no fonts, scripts or images from elsewhere), so it
opens from disk and publishes on any web host. All user text is escaped; notes are rendered from markdown with raw
HTML off and links kept only when they go to http(s). What is on it comes from `publish.publishable()`: the public
tanks of now, scrubbed.

The site is built in a folder beside OUTDIR and then swapped in whole (the old one renamed away, the new one renamed
in, the old one deleted), so OUTDIR always holds one whole site: pages of tanks that became private, were renamed or
are gone disappear with the old one. OUTDIR must lie outside tanks/, templates/, .doetank/ and .git/ and may not be
the workspace itself; an OUTDIR that holds files doetank did not write is refused (the marker file says it did).
"""

from __future__ import annotations

import glob
import html
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import urlparse

from markdown_it import MarkdownIt

from doetank_cli import i18n
from doetank_cli.errors import UsageError
from doetank_cli.i18n import _, datum, getal, kanaal_label
from doetank_cli.model import FASES, Status
from doetank_cli.publish import scrub
from doetank_cli.publish.report import LESSON_TITLES, Report, Span, forced, span_range, stand
from doetank_cli.workspace import STATE_DIR, Workspace

if TYPE_CHECKING:
    from doetank_cli.network import Figures

#: the file that marks a folder as a site doetank wrote (and may therefore replace)
MARKER = ".doetank-site"

CSS = """
:root{--ink:#1c2430;--muted:#4d5968;--line:#d5dbe3;--paper:#ffffff;--tint:#f3f6f9;--accent:#0b5cad;
--ok:#1f7a3d;--late:#b3261e;--warn:#8a5a00}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Ubuntu,sans-serif;
color:var(--ink);background:var(--tint)}
a{color:var(--accent)}
a:focus,select:focus{outline:3px solid #f2b705;outline-offset:2px}
header.site{background:var(--paper);border-bottom:1px solid var(--line);padding:1rem 1.5rem}
header.site h1{margin:0;font-size:1.5rem}
header.site p{margin:.25rem 0 0;color:var(--muted)}
main{padding:1rem 1.5rem;max-width:1400px;margin:0 auto}
.filters{display:flex;gap:1rem;flex-wrap:wrap;margin:0 0 1rem}
.filters label{font-weight:600}
.filters select{font:inherit;padding:.25rem .5rem;margin-left:.5rem}
.board{display:grid;grid-template-columns:repeat(6,minmax(170px,1fr));gap:.75rem}
.column{background:var(--paper);border:1px solid var(--line);border-radius:8px;padding:.5rem}
.column h2{font-size:1rem;margin:.25rem .25rem .5rem;display:flex;justify-content:space-between}
.column h2 .count{color:var(--muted);font-weight:400}
.card{display:block;border:1px solid var(--line);border-radius:6px;padding:.5rem .6rem;margin:0 0 .5rem;
background:var(--paper);text-decoration:none;color:inherit}
.card:hover{border-color:var(--accent)}
.column,.card{min-width:0}
.card h3{font-size:.95rem;margin:0 0 .25rem;color:var(--accent);overflow-wrap:anywhere;hyphens:auto}
.card p{margin:0;font-size:.85rem;color:var(--muted)}
.badge{display:inline-block;font-size:.75rem;font-weight:600;border-radius:999px;padding:0 .5rem;
border:1px solid currentColor}
.badge.actief{color:var(--ok)}.badge.afgerond{color:var(--accent)}.badge.gestopt{color:var(--muted)}.badge.late{color:var(--late)}
.empty{color:var(--muted);font-size:.85rem;margin:.25rem}
article{background:var(--paper);border:1px solid var(--line);border-radius:8px;padding:1rem 1.5rem;margin:0 0 1rem}
article h2{margin-top:0}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}
dl.facts dt{font-weight:600}dl.facts dd{margin:0}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--line)}
td,li,dd,p,h1,h2,h3{overflow-wrap:anywhere}
.timeline svg,.chart svg{width:100%;height:auto;max-width:900px}
.chart table{width:auto;margin:.5rem 0}.chart td.n{text-align:right}
.aandacht h3{margin:.75rem 0 .25rem}.aandacht ul{margin:0;padding-left:1.25rem}
.note h3{margin-bottom:.25rem}
nav.links{margin:0 0 1rem}
form.search{margin:0 0 .75rem}form.search label{font-weight:600}
form.search input{font:inherit;padding:.3rem .5rem;width:min(32rem,100%)}
#zoekresultaten{background:var(--paper);border:1px solid var(--line);border-radius:8px;padding:.5rem 1rem;
margin:0 0 1rem}#zoekresultaten p{margin:.1rem 0 .5rem;color:var(--muted)}
.lesson h4{margin:.75rem 0 .25rem}.lesson.werkt h4{color:var(--ok)}
.lesson.werkt-niet h4,.lesson.gestopt h4{color:var(--late)}
footer{color:var(--muted);font-size:.85rem;padding:1rem 1.5rem;text-align:center}
@media (max-width:760px){.board{grid-template-columns:1fr}main{padding:.75rem}article{padding:.75rem}
dl.facts{grid-template-columns:1fr}}
"""

FILTER_JS = """
(function(){
  var fase=document.getElementById('fase'),status=document.getElementById('status');
  var wanted=new URLSearchParams(location.hash.slice(1));
  if(wanted.get('fase')){fase.value=wanted.get('fase');}
  if(wanted.get('status')){status.value=wanted.get('status');}
  function apply(){
    var f=fase.value,s=status.value;
    var hash=new URLSearchParams();if(f){hash.set('fase',f);}if(s){hash.set('status',s);}
    history.replaceState(null,'',hash.toString()?'#'+hash.toString():location.pathname);
    document.querySelectorAll('.column').forEach(function(col){
      col.hidden=!!f&&col.dataset.fase!==f;
      var shown=0;
      col.querySelectorAll('.card').forEach(function(card){
        card.hidden=!!s&&card.dataset.status!==s; if(!card.hidden){shown++;}
      });
      col.querySelector('.count').textContent=shown;
    });
  }
  fase.addEventListener('change',apply);status.addEventListener('change',apply);apply();
})();
"""


def e(text: object) -> str:
    return html.escape(str(text), quote=True)


def safe_url(url: str) -> str | None:
    """Only web links leave the site: anything but http(s) (javascript:, data:, file:) is dropped."""
    try:
        scheme = urlparse(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


_MARKDOWN: list[MarkdownIt] = []


def _markdown() -> MarkdownIt:
    """One parser for every note (making one costs more than rendering a note); it keeps no state between notes."""
    if not _MARKDOWN:
        md = MarkdownIt("commonmark", {"html": False})
        md.validateLink = lambda url: safe_url(url) is not None  # type: ignore[method-assign]
        _MARKDOWN.append(md)
    return _MARKDOWN[0]


def note_html(text: str) -> str:
    """A note as HTML: its own title dropped (the page has one), headings one level down, raw HTML shown as text."""
    lines = text.splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    md = _markdown()
    tokens = md.parse("\n".join(lines))
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + 1)}"
    html: str = md.renderer.render(tokens, md.options, {})
    return html


def page(title: str, body: str, script: str = "", home: str | None = None, scripts: tuple[str, ...] = ()) -> str:
    home_link = f'<p><a href="{e(home)}">{e(_("All Doetanks"))}</a></p>' if home else ""
    files = "".join(f'<script src="{e(src)}" defer></script>' for src in scripts)
    return f"""<!doctype html>
<html lang="{e(i18n.LANGUAGE)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}</title>
<style>{CSS}</style>
</head>
<body>
<header class="site"><h1>{e(title)}</h1>{home_link}</header>
<main>
{body}
</main>
<footer>{e(_("Made with doetank, by the Doetank Spelregels."))}</footer>
{f"<script>{script}</script>" if script else ""}{files}
</body>
</html>
"""


# --------------------------------------------------------------------------- the timeline


def timeline_svg(spans: list[Span], einddatum: date | None, today: date, naam: str) -> str:
    """Six rows, one per phase: the actual time in the phase as a bar, its target as a diamond, today and the
    einddatum as lines. A phase past its target is drawn and named in red."""
    first, last = span_range(spans, einddatum, today)
    start, end = first - timedelta(days=3), last + timedelta(days=3)
    width, left, row, top = 900, 150, 34, 30
    height = top + row * len(spans) + 24
    scale = (width - left - 20) / max(1, (end - start).days)

    def x(day: date) -> float:
        return round(left + (day - start).days * scale, 1)

    parts = [f'<line x1="{left}" y1="{top - 8}" x2="{left}" y2="{height - 20}" stroke="#d5dbe3"/>']
    summary = []
    for i, span in enumerate(spans):
        y = top + i * row
        late = span.late_on(today)
        colour = "#b3261e" if late else {"done": "#1f7a3d", "current": "#0b5cad", "future": "#9aa5b1"}[span.state]
        label = f"{span.fase.nummer}. {span.fase.value}"
        parts.append(
            f'<text x="8" y="{y + 15}" font-size="13" fill="{"#b3261e" if late else "#1c2430"}">'
            f"{e(label)}{' ⚠' if late else ''}</text>"
        )
        if span.entered:
            until = span.left or (today if span.state == "current" else span.entered)
            parts.append(
                f'<rect x="{x(span.entered)}" y="{y + 4}" width="{max(3.0, x(until) - x(span.entered))}" '
                f'height="16" rx="3" fill="{colour}"/>'
            )
        if span.target:
            tx = x(span.target)
            parts.append(
                f'<path d="M{tx} {y + 2} l6 10 l-6 10 l-6 -10 z" fill="#fff" stroke="{colour}" stroke-width="2"/>'
            )
        words = [label, _("entered {date}").format(date=datum(span.entered)) if span.entered else _("not yet reached")]
        if span.target:
            words.append(_("target {date}").format(date=datum(span.target)))
        if late:
            words.append(_("past its target"))
        summary.append(", ".join(words))
    parts.append(
        f'<line x1="{x(today)}" y1="{top - 10}" x2="{x(today)}" y2="{height - 20}" stroke="#f2b705" stroke-width="2"/>'
    )
    parts.append(f'<text x="{x(today) + 4}" y="{top - 14}" font-size="12" fill="#1c2430">{e(_("today"))}</text>')
    if einddatum:
        parts.append(
            f'<line x1="{x(einddatum)}" y1="{top - 10}" x2="{x(einddatum)}" '
            f'y2="{height - 20}" stroke="#1c2430" stroke-dasharray="4 3"/>'
        )
        parts.append(
            f'<text x="{x(einddatum) - 4}" y="{height - 6}" font-size="12" text-anchor="end" fill="#1c2430">'
            f"{e(_('end date {date}').format(date=datum(einddatum)))}</text>"
        )
    title = _("Timeline of {naam}").format(naam=naam)
    return (
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-labelledby="tl-title tl-desc" '
        'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="tl-title">{e(title)}</title><desc id="tl-desc">{e("; ".join(summary))}</desc>'
        f"{''.join(parts)}</svg>"
    )


# --------------------------------------------------------------------------- pages


def _card(r: Report, today: date) -> str:
    t = r.tank
    late = any(s.late_on(today) for s in r.spans if s.state == "current")
    badges = f'<span class="badge {e(t.status.value)}">{e(t.status.value)}</span>' + (
        f' <span class="badge late">{e(_("late"))}</span>' if late else ""
    )
    who = _("trekker {naam}").format(naam=t.trekker.naam) if t.trekker else _("no trekker")
    return (
        f'<a class="card" href="tanks/{e(r.slug)}.html" '
        f'data-fase="{e(t.fase.value)}" data-status="{e(t.status.value)}" '
        f'data-slug="{e(r.slug)}">'
        f"<h3>{e(t.naam)}</h3><p>{badges}</p><p>{e(who)} · {e(_('team of {n}').format(n=len(t.team)))}</p></a>"
    )


def _compact(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def index_page(reports: list[Report], today: date, search_index: dict[str, Any] | None = None) -> str:
    options = "".join(f'<option value="{e(f.value)}">{e(f"{f.nummer}. {f.value}")}</option>' for f in FASES)
    statuses = "".join(f'<option value="{e(s.value)}">{e(s.value)}</option>' for s in Status)
    columns = []
    for fase in FASES:
        cards = [_card(r, today) for r in sorted(reports, key=lambda r: r.tank.naam.casefold()) if r.tank.fase == fase]
        columns.append(
            f'<section class="column" data-fase="{e(fase.value)}" aria-labelledby="col-{e(fase.value)}">'
            f'<h2 id="col-{e(fase.value)}">{e(f"{fase.nummer}. {fase.value}")} '
            f'<span class="count">{len(cards)}</span></h2>'
            + ("".join(cards) or f'<p class="empty">{e(_("No tanks in this phase."))}</p>')
            + "</section>"
        )
    filters = (
        f'<form class="filters" aria-label="{e(_("Filter"))}">'
        f'<label>{e(_("Phase"))}<select id="fase"><option value="">{e(_("all"))}</option>{options}</select></label>'
        f'<label>{e(_("Status"))}<select id="status"><option '
        f'value="">{e(_("all"))}</option>{statuses}</select></label></form>'
    )
    links = (
        f'<nav class="links"><a href="overzicht.html">{e(_("The network at a glance"))}</a> · '
        f'<a href="lessen.html">{e(_("Lessons of the network"))}</a> · '
        f'<a href="agenda.ics" title="{e(_("Copy this link and add it in Outlook as an Internet calendar."))}">'
        f"{e(_('Agenda: subscribe in Outlook'))}</a></nav>"
    )
    search = (
        f'<form class="search" role="search" action="#">'
        f'<label for="zoek">{e(_("Search"))}</label> <input type="search" id="zoek" autocomplete="off" '
        f'placeholder="{e(_("a word from any tank or note"))}"></form>'
        f'<section id="zoekresultaten" aria-live="polite" hidden data-found="{e(_("{n} found"))}" '
        f'data-none="{e(_("Nothing found."))}"></section>'
        f'<div id="zoekindex" hidden data-index="{e(_compact(search_index))}"></div>'
        if search_index is not None
        else ""
    )
    body = links + search + filters + f'<div class="board">{"".join(columns)}</div>'
    return page(_("Doetanks"), body, FILTER_JS, scripts=("zoeken.js",) if search_index is not None else ())


def tank_page(r: Report, today: date) -> str:
    t = r.tank
    v = t.vraagstuk
    facts = [
        (_("Vraagstuk"), v.probleem or "–"),
        (_("Organisation"), v.organisatie or "–"),
        (_("Larger vraagstuk"), v.groter_vraagstuk or "–"),
        (
            _("Opdrachtgever"),
            f"{t.opdrachtgever.naam}" + (f", {t.opdrachtgever.organisatie}" if t.opdrachtgever.organisatie else "")
            if t.opdrachtgever
            else _("still sought"),
        ),
        (_("Origin"), t.herkomst.value if t.herkomst else "–"),
        (_("Where it stands"), stand(t)),
        (_("End date"), datum(t.richtlijn.einddatum) if t.richtlijn.einddatum else "–"),
    ]
    if t.gestopt:
        facts.append((_("Why the tank stopped"), t.gestopt.reden))
    if t.kickoff:
        facts.append((_("Kickoff"), f"{datum(t.kickoff.datum)}, {t.kickoff.locatie}"))
    dl = "".join(f"<dt>{e(k)}</dt><dd>{e(val)}</dd>" for k, val in facts)
    team = "".join(
        f"<tr><td>{e(lid.naam)}</td><td>{e(lid.rol.value)}</td><td>{e(lid.organisatie or '')}</td></tr>"
        for lid in t.leden
    )
    sections = [
        f'<article><h2>{e(_("The tank"))}</h2><dl class="facts">{dl}</dl></article>',
        (
            f"<article><h2>{e(_('Team'))}</h2><table><thead><tr><th "
            f'scope="col">{e(_("Name"))}</th><th scope="col">{e(_("Role"))}</th>'
            f'<th scope="col">{e(_("Organisation"))}</th></tr></thead><tbody>{team}</tbody></table></article>'
        ),
        f'<article class="timeline"><h2>{e(_("The six phases"))}</h2>'
        f"{timeline_svg(r.spans, t.richtlijn.einddatum, today, t.naam)}</article>",
    ]
    moved_on = forced(t)
    if moved_on:
        steps = "".join(f"<li>{e(scrub(f.said()))}</li>" for f in moved_on)
        sections.append(
            f"<article><h2>{e(_('Moved on without meeting every requirement'))}</h2><ul>{steps}</ul></article>"
        )
    for fase, text in r.note_texts.items():
        sections.append(
            f'<article class="note" id="{e(fase.value)}"><h2>{e(f"{fase.nummer}. {fase.value}")}</h2>'
            f"{note_html(text)}</article>"
        )
    if any(lesson.soort == "gestopt" for lesson in r.lessons):
        sections.insert(1, f"<article><h2>{e(_('Lessons'))}</h2>{_lessons_html(r)}</article>")
    if t.updates:
        items = []
        for u in t.updates:
            url = safe_url(u.url)
            link = f'<a href="{e(url)}" rel="noopener noreferrer">{e(url)}</a>' if url else e(u.url)
            items.append(f"<li>{e(datum(u.datum))} · {e(kanaal_label(u.kanaal.value))} · {link}</li>")
        sections.append(f"<article><h2>{e(_('Updates'))}</h2><ul>{''.join(items)}</ul></article>")
    if t.consulten:
        items = [f"<li>{e(c.expert)}: {e(c.vraag)} ({e(c.status.value)})</li>" for c in t.consulten]
        sections.append(f"<article><h2>{e(_('Consults'))}</h2><ul>{''.join(items)}</ul></article>")
    return page(t.naam, "".join(sections), home="../index.html")


def _lessons_html(r: Report) -> str:
    md = _markdown()
    items = []
    for lesson in r.lessons:
        label = f"{_(LESSON_TITLES[lesson.soort])} ({lesson.fase.value})"
        items.append(f'<div class="lesson {e(lesson.soort)}"><h4>{e(label)}</h4>{md.render(scrub(lesson.tekst))}</div>')
    return "".join(items)


def lessons_page(reports: list[Report]) -> str:
    """The network's lessons, grouped by tank: what works, what does not, and why stopped tanks stopped."""
    with_lessons = sorted((r for r in reports if r.lessons), key=lambda r: r.tank.naam.casefold())
    parts = [
        f"<p>{e(_('What the Doetanks learned: what works, but certainly also what does not.'))}</p>",
    ]
    for r in with_lessons:
        state = r.tank.fase.value if r.tank.status == Status.actief else r.tank.status.value
        parts.append(
            f'<article id="{e(r.slug)}"><h2><a href="tanks/{e(r.slug)}.html">{e(r.tank.naam)}</a> '
            f'<span class="badge {e(r.tank.status.value)}">{e(state)}</span></h2>{_lessons_html(r)}</article>'
        )
    if not with_lessons:
        parts.append(f'<p class="empty">{e(_("No lessons yet."))}</p>')
    return page(_("Lessons of the network"), "".join(parts), home="index.html")


def search_docs(reports: list[Report]) -> list[tuple[str, str, str, str, str]]:
    """What the site's search box searches: each public tank's record and notes, as published (scrubbed)."""
    from doetank_cli import search

    docs = []
    for r in reports:
        docs.append((r.slug, r.tank.naam, _("the tank"), f"tanks/{r.slug}.html", scrub(search.record_text(r.tank))))
        for fase, text in r.note_texts.items():
            label = f"{fase.nummer}. {fase.value}"
            docs.append((r.slug, r.tank.naam, label, f"tanks/{r.slug}.html#{fase.value}", search.note_text(text)))
    return docs


@dataclass
class SiteResult:
    outdir: Path
    pages: list[str] = field(default_factory=list)
    left_out: int = 0  # tanks with publiek: false


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def check_outdir(ws: Workspace, outdir: Path) -> Path:
    """The folder the site may go to, as it really is on disk (a link is followed, so it is judged by where it
    leads); a usage error (exit 2) for the workspace itself, a folder inside tanks/, templates/, .doetank/ or a .git/,
    a file, or a folder with files that doetank did not write there."""
    target = _real(outdir.expanduser().absolute())
    root = _real(ws.root)
    forbidden = [ws.tanks, ws.templates, ws.state, ws.root / ".git"]
    forbidden += [parent / ".git" for parent in ws.root.parents if (parent / ".git").exists()]
    if root.is_relative_to(target) or any(target == _real(f) or target.is_relative_to(_real(f)) for f in forbidden):
        raise UsageError(
            _(
                "The site cannot go in {outdir}: that is the workspace (or a folder around it) or a folder of its "
                "own (tanks/, templates/, {state}/, .git/), which the next sync would share."
            ).format(outdir=outdir, state=STATE_DIR),
            hint=_("Choose a folder beside them, such as: doetank site public"),
        )
    if target.exists() and not target.is_dir():
        raise UsageError(
            _("{outdir} is a file; the site needs a folder.").format(outdir=outdir),
            hint=_("Choose a new folder: doetank site public"),
        )
    if target.is_dir() and not (target / MARKER).is_file() and any(target.iterdir()):
        raise UsageError(
            _(
                "{outdir} already holds files that doetank did not write; the site replaces the whole folder, so it "
                "will not go there."
            ).format(outdir=outdir),
            hint=_("Choose a new or empty folder, such as: doetank site public"),
        )
    return target


def write(
    outdir: Path,
    reports: list[Report],
    today: date,
    left_out: int,
    agenda: bytes = b"",
    shown: Path | None = None,
    figures: Figures | None = None,
) -> SiteResult:
    """Build the whole site in a folder beside `outdir`, then swap it in: never half a site, never a page of a tank
    that is no longer public. `outdir` has passed check_outdir()."""
    result = SiteResult(shown or outdir, left_out=left_out)
    outdir.parent.mkdir(parents=True, exist_ok=True)
    _recover(outdir)
    fresh = Path(tempfile.mkdtemp(dir=outdir.parent, prefix=f".{outdir.name}.new-"))
    try:
        (fresh / "tanks").mkdir()
        (fresh / MARKER).write_text(_("Made by doetank site; the next run replaces this whole folder.\n"), "utf-8")
        from doetank_cli import search

        _page(fresh / "index.html", index_page(reports, today, search.site_index(search_docs(reports))))
        result.pages.append("index.html")
        _page(fresh / "lessen.html", lessons_page(reports))
        result.pages.append("lessen.html")
        if figures is not None:
            _page(fresh / "overzicht.html", overview_page(figures, {r.slug: r.tank.naam for r in reports}))
            result.pages.append("overzicht.html")
        _page(fresh / "zoeken.js", (Path(__file__).parent / "static" / "zoeken.js").read_text("utf-8"))
        if agenda:
            _page(fresh / "agenda.ics", agenda.decode("utf-8"))  # CRLF as RFC 5545 wants, kept as is
        for r in reports:
            _page(fresh / "tanks" / f"{r.slug}.html", tank_page(r, today))
            result.pages.append(f"tanks/{r.slug}.html")
        _swap(fresh, outdir)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    return result


def _page(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def _swap(fresh: Path, outdir: Path) -> None:
    """The new site in, the old one out. Between the two renames a crash leaves the old site beside OUTDIR, where
    the next run puts it back (_recover) before it builds."""
    if not outdir.exists():
        os.replace(fresh, outdir)
        return
    old = Path(tempfile.mkdtemp(dir=outdir.parent, prefix=f".{outdir.name}.old-"))
    os.rmdir(old)
    os.replace(outdir, old)
    try:
        os.replace(fresh, outdir)
    except BaseException:
        os.replace(old, outdir)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _recover(outdir: Path) -> None:
    """What a run that was killed left beside OUTDIR: a half-built site is deleted; an old site that was renamed away
    but not replaced is put back first."""
    leftovers = sorted(
        outdir.parent.glob(f".{glob.escape(outdir.name)}.*-*"), key=lambda p: p.stat().st_mtime, reverse=True
    )
    for path in leftovers:
        if not (path / MARKER).is_file() and not path.name.startswith(f".{outdir.name}.new-"):
            continue  # not ours
        if path.name.startswith(f".{outdir.name}.old-") and not outdir.exists():
            with suppress(OSError):
                os.replace(path, outdir)
                continue
        shutil.rmtree(path, ignore_errors=True)


# --------------------------------------------------------------------------- the network at a glance (overzicht.html)


class _Series(NamedTuple):
    name: str
    colour: str
    values: list[float | None]


def _figure(value: float | None, unit: str) -> str:
    """A chart's figure as people read it: '52,5 d' in Dutch, '–' for none."""
    return "–" if value is None else f"{getal(value)}{unit}"


def _chart(ident: str, title: str, labels: list[str], series: list[_Series], unit: str = "") -> str:
    """Horizontal bars, one row per label and a bar per series, as an inline SVG with its title and its data in words
    (the chart's text alternative), and the same figures as a table under it."""
    width, left, bar, gap = 900, 170, 16, 10
    row = len(series) * (bar + 2) + gap
    top = 26 if len(series) > 1 else 8
    height = top + row * len(labels) + 4
    most = max((v for s in series for v in s.values if v is not None), default=0) or 1
    scale = (width - left - 70) / most
    parts = []
    if len(series) > 1:  # the legend
        x = left
        for s in series:
            parts.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{s.colour}"/>')
            parts.append(f'<text x="{x + 16}" y="15" font-size="13" fill="#1c2430">{e(s.name)}</text>')
            x += 30 + 8 * len(s.name)
    words = []
    for i, label in enumerate(labels):
        y = top + i * row
        parts.append(f'<text x="8" y="{y + bar - 2}" font-size="13" fill="#1c2430">{e(label)}</text>')
        said = []
        for j, s in enumerate(series):
            value = s.values[i]
            by = y + j * (bar + 2)
            shown = _figure(value, unit)
            if value:
                parts.append(
                    f'<rect x="{left}" y="{by}" width="{max(2.0, round(value * scale, 1))}" height="{bar}" rx="2" '
                    f'fill="{s.colour}"/>'
                )
            end = left + (round(value * scale, 1) if value else 0) + 6
            parts.append(f'<text x="{end}" y="{by + bar - 3}" font-size="12" fill="#1c2430">{e(shown)}</text>')
            said.append(f"{s.name} {shown}" if len(series) > 1 else shown)
        words.append(f"{label}: {', '.join(said)}")
    svg = (
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-labelledby="{ident}-title {ident}-desc" '
        'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{ident}-title">{e(title)}</title><desc id="{ident}-desc">{e("; ".join(words))}</desc>'
        f"{''.join(parts)}</svg>"
    )
    head = "".join(f'<th scope="col">{e(s.name)}</th>' for s in series)
    body = "".join(
        f'<tr><th scope="row">{e(label)}</th>'
        + "".join(f'<td class="n">{e(_figure(s.values[i], unit))}</td>' for s in series)
        + "</tr>"
        for i, label in enumerate(labels)
    )
    table = (
        f"<details><summary>{e(_('The figures as a table'))}</summary>"
        f"<table><thead><tr><th></th>{head}</tr></thead><tbody>{body}</tbody></table></details>"
    )
    return f'<figure class="chart" id="{ident}">{svg}<figcaption>{e(title)}</figcaption>{table}</figure>'


def overview_page(fig: Figures, names: dict[str, str]) -> str:
    """The network at a glance, as `doetank overview` has it, over the public tanks: charts with their figures in
    words and as tables, and what needs attention, each tank linked to its page under its released (scrubbed) name."""
    intro = f"<p>{e(_('The public Doetanks of the network on {date}.').format(date=datum(fig.today)))}</p>"
    body = intro + overview_body(fig, names, lambda slug: f"tanks/{slug}.html")
    return page(_("The network at a glance"), body, home="index.html")


def overview_body(fig: Figures, names: dict[str, str], link: Callable[[str], str]) -> str:
    """The overview's figures as HTML, every value escaped: the site's Overzicht page and `doetank serve`'s
    /overzicht show the same. A tank needing attention is linked to `link(slug)` under `names[slug]`; a tank not in
    `names` (not released) is left out."""
    from doetank_cli import network

    fases = [f"{fase.nummer}. {fase.value}" for fase in fig.per_fase]
    days = _(" d")
    parts = [
        f"<article><h2>{e(_('Active tanks per phase'))}</h2>"
        + _chart(
            "per-fase",
            _("Active tanks per phase"),
            fases,
            [_Series(_("tanks"), "#0b5cad", list(fig.per_fase.values()))],
        )
        + _chart(
            "per-status",
            _("Tanks per status"),
            [status.value for status in fig.per_status],
            [_Series(_("tanks"), "#4d5968", list(fig.per_status.values()))],
        )
        + "</article>",
        f"<article><h2>{e(_('Days per phase'))}</h2><p>"
        + e(
            _(
                "The median number of days the tanks that left a phase spent in it, next to the median number of "
                "days their guideline gave it."
            )
        )
        + "</p>"
        + _chart(
            "dagen",
            _("Days per phase: spent, and allowed by the guideline"),
            fases,
            [
                _Series(_("spent"), "#1f7a3d", [spent for spent, _allowed in fig.dagen_per_fase.values()]),
                _Series(_("guideline"), "#9aa5b1", [allowed for _spent, allowed in fig.dagen_per_fase.values()]),
            ],
            days,
        )
        + "</article>",
    ]
    if fig.per_kwartaal:
        parts.append(
            f"<article><h2>{e(_('Per quarter'))}</h2>"
            + _chart(
                "kwartalen",
                _("Tanks started and completed per quarter"),
                [i18n.kwartaal(kwartaal) for kwartaal, _started, _done in fig.per_kwartaal],
                [
                    _Series(_("started"), "#0b5cad", [started for _k, started, _d in fig.per_kwartaal]),
                    _Series(_("completed"), "#1f7a3d", [done for _k, _s, done in fig.per_kwartaal]),
                ],
            )
            + "</article>"
        )
    groups: dict[str, list[Any]] = {}
    for tank, reden in fig.aandacht:
        groups.setdefault(reden.code, []).append(tank)
    attention = []
    for reden in network.REDENEN:
        tanks = groups.get(reden.code, [])
        if tanks:
            links = "".join(
                f'<li><a href="{e(link(t.slug))}">{e(names[t.slug])}</a></li>' if t.slug in names else "" for t in tanks
            )
            attention.append(
                f"<h3>{e(_(reden.text).format(days=network.QUIET_DAYS))} ({len(tanks)})</h3><ul>{links}</ul>"
            )
    parts.append(
        f'<article class="aandacht"><h2>{e(_("Needs attention"))}</h2>'
        + ("".join(attention) or f"<p>{e(_('Nothing needs attention.'))}</p>")
        + "</article>"
    )
    return "".join(parts)
