"""Everything the user sees: Rich tables and panels on a terminal, stable JSON for scripts."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import IO, TYPE_CHECKING, Any

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.segment import Segment
from rich.table import Table
from rich.text import Span as RichSpan
from rich.text import Text

from doetank_cli.errors import DoetankError
from doetank_cli.findings import Ernst, Finding
from doetank_cli.i18n import N_, _, datum, getal, kanaal_label, kwartaal, ngettext
from doetank_cli.jsonout import UNSAFE as _UNSAFE
from doetank_cli.jsonout import check_json, emit_json, finding_json, json_text, overview_json
from doetank_cli.jsonout import summary_json as _summary_json
from doetank_cli.repo import what_happened as what_happened  # the words of a change live beside the log
from doetank_cli.repo import with_tank as with_tank
from doetank_cli.vocab import FASES, Status

if TYPE_CHECKING:
    # types only: this module is imported by the warm path, which loads no pydantic, ruamel or markdown_it; what the
    # functions below need of those modules at run time they import themselves
    from doetank_cli.index import Overview, Summary
    from doetank_cli.lessons import Lesson
    from doetank_cli.lifecycle import AdvanceResult, Change, Detail, InitResult
    from doetank_cli.network import Figures
    from doetank_cli.publish.report import Span
    from doetank_cli.publish.site import SiteResult
    from doetank_cli.repo import LogEntry
    from doetank_cli.resolve import Conflicts, FieldClash, FileConflict, Finished, Version
    from doetank_cli.rules import Rule
    from doetank_cli.search import Hit
    from doetank_cli.sync import SyncResult, TankChange, UndoResult

__all__ = ["check_json", "emit_json", "finding_json", "json_text", "overview_json"]  # the JSON lives in jsonout.py


def _escaped(found: re.Match[str]) -> str:
    code = ord(found.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def safe(text: str) -> str:
    """Text from a file (or typed by someone), made safe for a terminal: every control character shown as an escape
    (ESC as \\x1b), so a name in a record can never act on the terminal of the person reading it. Line breaks (also
    CRLF) and tabs stay; everything else is as it was."""
    return _UNSAFE.sub(_escaped, text)


class _Console(Console):
    """Rich's Console, made safe, and wrapping as people read.

    The one place terminal output is made safe: every control character in the text it prints is shown as an escape
    (a Text before it is laid out, so nothing is cut off; every other segment after, as the net under it); Rich's own
    control segments (cursor moves for a progress bar) are Rich's and pass as they are. A line printed with
    soft_wrap=True (so that piped output is never broken into lines) wraps at words on a terminal, instead of the
    terminal breaking it in the middle of a word.
    """

    def print(self, *objects: Any, soft_wrap: bool | None = None, **kwargs: Any) -> None:
        super().print(*objects, soft_wrap=soft_wrap and not self.is_terminal, **kwargs)

    def render(self, renderable: Any, options: Any = None) -> Iterator[Segment]:
        if isinstance(renderable, Text) and _UNSAFE.search(renderable.plain):
            renderable = _escaped_text(renderable)  # before it is wrapped, so that nothing is cut off
        for segment in super().render(renderable, options):
            if segment.control or not _UNSAFE.search(segment.text):
                yield segment
            else:
                yield Segment(safe(segment.text), segment.style, segment.control)


def _escaped_text(text: Text) -> Text:
    """A copy of a Rich Text with safe() applied, its styles moved along with the characters they cover."""
    starts, pieces = [0], []
    for char in text.plain:
        pieces.append(safe(char))
        starts.append(starts[-1] + len(pieces[-1]))
    escaped = text.copy()
    escaped.plain = "".join(pieces)
    escaped.spans = [RichSpan(starts[span.start], starts[span.end], span.style) for span in text.spans]
    return escaped


console = _Console(highlight=False)
error_console = _Console(stderr=True, highlight=False)


@contextmanager
def into(file: IO[str]) -> Iterator[None]:
    """What would go to the screen goes to `file` instead, as plain text: no colours or terminal codes, which Rich
    would otherwise keep writing when the command started on a terminal (--output)."""
    global console
    screen = console
    console = _Console(file=file, highlight=False, color_system=None, width=screen.width, soft_wrap=screen.soft_wrap)
    try:
        yield
    finally:
        console = screen


def text_out(text: str) -> None:
    """Plain text to stdout (a report), with its control characters shown as escapes, like everything else."""
    sys.stdout.write(safe(text))


_MARK = {Ernst.fout: ("✗", "red"), Ernst.waarschuwing: ("!", "yellow")}
#: a severity in running text: the English words in English (the record and JSON keep fout and waarschuwing)
_ERNST = {Ernst.fout: N_("error"), Ernst.waarschuwing: N_("warning")}


def ernst_label(ernst: Ernst) -> str:
    return _(_ERNST[ernst])


def error(exc: DoetankError) -> None:
    # split("\n"), not splitlines(): \x1c-\x1e and \x85 in a name from a file are no line breaks
    for number, line in enumerate(exc.message.split("\n")):
        said = _("Error: {message}").format(message=line) if number == 0 else "  " + line
        error_console.print(Text(said, style="red"), soft_wrap=True)
    if exc.hint:
        error_console.print(Text(exc.hint), soft_wrap=True)


#: reading fewer records than this is too quick to need a progress bar
PROGRESS_MIN = 200


@contextmanager
def progress_bar(total: int) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr for reading many records, on a terminal only; piped output stays clean."""
    if total < PROGRESS_MIN or not error_console.is_terminal:
        yield lambda n: None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn(_("Reading tanks")),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=error_console,
        transient=True,
    ) as bar:
        task = bar.add_task("", total=total)
        yield lambda n: bar.advance(task, n)


def notices(lines: list[str]) -> None:
    for line in lines:
        error_console.print(Text(_("Note: {message}").format(message=line), style="yellow"), soft_wrap=True)


def _commit_suffix(sha: str | None) -> str:
    return _(" (commit {sha})").format(sha=sha) if sha else ""


def change(result: Change) -> None:
    if result.changed:
        console.print(Text(f"{result.slug}: {result.summary}{_commit_suffix(result.sha)}"), soft_wrap=True)
    else:
        console.print(Text(_("{slug}: nothing changed").format(slug=result.slug)), soft_wrap=True)
    for line in result.lines:
        console.print(Text(line), soft_wrap=True)
    notices(result.notices)


def init_result(result: InitResult) -> None:
    console.print(Text(_("Workspace ready in {root}").format(root=result.root)), soft_wrap=True)
    if result.git_initialised:
        console.print(Text(_("  git repository initialised")))
    for path in result.created:
        console.print(Text(_("  created {path}").format(path=path)))
    if result.sha:
        console.print(Text(_("  first commit {sha}").format(sha=result.sha)))
    console.print(Text(_('Next: doetank new "Name of the tank" (it asks for the rest)')))
    notices(result.notices)


# --------------------------------------------------------------------------- findings


def _ordered(found: list[Finding]) -> list[Finding]:
    """Fouten first, then waarschuwingen, then waived findings; by rule id within each."""
    return sorted(found, key=lambda f: (f.uitzondering is not None, f.ernst != Ernst.fout, f.regel))


def findings_block(found: list[Finding]) -> Table:
    """Fouten first, then waarschuwingen, then waived findings; each with the command or edit that fixes it."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for finding in _ordered(found):
        mark, style = _MARK[finding.ernst]
        body = Text()
        body.append(f"{finding.regel} {finding.naam}", style="bold")
        body.append(f"  {finding.bericht}")
        if finding.uitzondering is not None:
            mark, style = "~", "dim"
            body.append(_("\n(waived: {reason})").format(reason=finding.uitzondering), style="dim")
        else:
            body.append(f"\n→ {finding.oplossing}", style="cyan")
        grid.add_row(Text(f" {mark}", style=style), body)
    return grid


def _findings_lines(found: list[Finding]) -> Text:
    """The findings as findings_block orders and marks them, as plain lines (for long lists)."""
    out = Text()
    for finding in _ordered(found):
        mark, style = ("~", "dim") if finding.uitzondering is not None else _MARK[finding.ernst]
        out.append(f" {mark} ", style=style)
        out.append(f"{finding.regel} {finding.naam}", style="bold")
        out.append(f"  {finding.bericht}\n")
        if finding.uitzondering is not None:
            out.append("   " + _("(waived: {reason})").format(reason=finding.uitzondering) + "\n", style="dim")
        else:
            out.append(f"   → {finding.oplossing}\n", style="cyan")
    return out


def advance_result(result: AdvanceResult, dry_run: bool = False) -> None:
    naar = result.naar.value if result.naar else Status.afgerond.value
    if result.moved:
        console.print(
            Text(f"{result.slug}: {result.van.value} → {naar}{_commit_suffix(result.sha)}", style="green"),
            soft_wrap=True,
        )
        if result.forced:
            console.print(
                Text(
                    ngettext(
                        "Moved on past {n} unmet requirement; the reason is recorded in geschiedenis.",
                        "Moved on past {n} unmet requirements; the reason is recorded in geschiedenis.",
                        len(result.blocking),
                    ).format(n=len(result.blocking)),
                    style="yellow",
                )
            )
            console.print(findings_block(result.blocking))
        if result.note_created:
            console.print(Text(_("New note: {file}").format(file=result.note_created)))
        if result.note_kept:
            console.print(
                Text(_("The note {file} already existed and was kept as it is.").format(file=result.note_kept))
            )
        notices(result.notices)
        return
    if result.veto is not None:
        error_console.print(
            Text(
                _("{slug} stays in {van}: the hook {hook} stopped the advance. It said:").format(
                    slug=result.slug, van=result.van.value, hook=result.veto_hook
                ),
                style="bold red",
            ),
            soft_wrap=True,
        )
        for line in result.veto.splitlines():
            error_console.print(Text(f"  {clean_line(line)}"), soft_wrap=True)
        notices(result.notices)
        return
    blocking = result.blocking
    others = [f for f in result.findings if not f.blocks]
    if result.forced:  # a dry run with --force: what the force would go past
        console.print(
            Text(
                ngettext(
                    "With --force, {slug} would move from {van} to {naar} past {n} unmet requirement:",
                    "With --force, {slug} would move from {van} to {naar} past {n} unmet requirements:",
                    len(blocking),
                ).format(slug=result.slug, van=result.van.value, naar=naar, n=len(blocking)),
                style="bold yellow",
            ),
            soft_wrap=True,
        )
        console.print(findings_block(blocking))
        console.print(
            Text(_("Nothing was changed. The reason would be recorded in geschiedenis."), style="dim"), soft_wrap=True
        )
        return
    if blocking:
        console.print(
            Text(
                ngettext(
                    "{slug} cannot move from {van} to {naar} yet: {n} requirement is not met.",
                    "{slug} cannot move from {van} to {naar} yet: {n} requirements are not met.",
                    len(blocking),
                ).format(slug=result.slug, van=result.van.value, naar=naar, n=len(blocking)),
                style="bold",
            ),
            soft_wrap=True,
        )
    else:
        console.print(
            Text(
                _("{slug} is ready to move from {van} to {naar}.").format(
                    slug=result.slug, van=result.van.value, naar=naar
                ),
                style="green",
            ),
            soft_wrap=True,
        )
    console.print(findings_block(blocking + others))
    if result.unforceable:
        console.print(
            Text(
                _("An undecided merge conflict cannot be forced past; decide it first: doetank resolve {slug}").format(
                    slug=result.slug
                ),
                style="bold red",
            ),
            soft_wrap=True,
        )
    elif blocking and not dry_run:
        console.print(
            Text(
                _('Fix these, or move on anyway with: doetank advance {slug} --force --reason "..."').format(
                    slug=result.slug
                ),
                style="dim",
            ),
            soft_wrap=True,
        )
    notices(result.notices)


# --------------------------------------------------------------------------- status


def _row(table: Table, *cells: Any) -> None:
    """Add a row; plain strings are user text and become Text, so a name like '[bold]' is never read as markup."""
    table.add_row(*(Text(c) if isinstance(c, str) else c for c in cells))


def progress(tank: Summary) -> Text:
    done = tank.fase.nummer if tank.status == Status.afgerond else tank.fase.nummer - 1
    text = Text()
    text.append("●" * done, style="green")
    if tank.status != Status.afgerond:
        text.append("◐", style="red" if tank.status == Status.gestopt else "yellow")
    text.append("○" * (len(FASES) - done - (0 if tank.status == Status.afgerond else 1)), style="dim")
    return text


def days_in_phase(tank: Summary, today: date) -> int | None:
    return tank.dagen_in_fase(today)


def _days_cell(tank: Summary, today: date) -> Text:
    days = days_in_phase(tank, today)
    if days is None:
        return Text("–", style="dim")
    target = tank.fase_doel
    since = tank.fase_sinds
    if target is None or since is None:
        return Text(_("{days} d").format(days=days))
    allowed = (target - since).days
    return Text(_("{days}/{allowed} d").format(days=days, allowed=allowed), style="red" if today > target else "")


#: the columns of `status --json`, `--format csv` and `--format xlsx`, in this order
STATUS_KEYS = [
    "slug", "naam", "status", "fase", "fase_nummer", "teamgrootte", "trekker", "coach", "opdrachtgever",
    "dagen_in_fase", "fouten", "waarschuwingen",
]  # fmt: skip


def overview_sheet(tanks: list[Summary], today: date, fmt: str) -> bytes:
    """The tanks as `status --json` has them, as a file: json, csv (RFC 4180) or xlsx."""
    from doetank_cli import sheet

    rows = [_summary_json(s, today) for s in tanks]
    if fmt == "json":
        return json_text(rows).encode("utf-8")
    if fmt == "csv":
        return sheet.csv_bytes(rows, STATUS_KEYS)
    return sheet.xlsx_bytes(rows, STATUS_KEYS, _("Doetanks"))


#: beyond this many tanks, lists are drawn one line per item: a Rich table of thousands of rows takes seconds
LARGE = 200


def _counts(s: Summary) -> Text:
    counts = Text()
    counts.append(str(s.fouten), style="red" if s.fouten else "dim")
    counts.append("/")
    counts.append(str(s.waarschuwingen), style="yellow" if s.waarschuwingen else "dim")
    return counts


def _mid_conflict(ov: Overview, s: Summary) -> bool:
    """A tank with a merge's undecided clashes: files git holds unmerged, or notes in its record (DT060)."""
    return s.slug in ov.conflicted or s.undecided


def _styles(*names: str) -> dict[str, tuple[str, str]]:
    """The codes Rich itself writes before and after text in each style on this console (none when piped)."""
    out = {}
    for name in names:
        with console.capture() as captured:
            console.print(Text("\ue000", style=name), end="")  # a private-use character: nothing else prints it
        before, _mark, after = captured.get().partition("\ue000")
        out[name] = (before, after)
    return out


def _overview_lines(ov: Overview) -> None:
    """The dashboard of a large network: one line per tank, columns aligned, cut at the console's width with '…'.

    Written as text, line by line, with the codes Rich would write for each style: Rich's own Text for 50,000 lines
    takes seconds and hundreds of MB, and its cost per line grows with the list.
    """
    from rich.cells import cell_len

    width = console.width
    style = _styles("bold", "green", "yellow", "red", "dim", "bold red", "")
    slug_width = min(40, max(len(_("Tank")), *(len(s.slug) for s in ov.tanks)))
    head = (
        f"{_('Tank'):<{slug_width}}  {_('Phase'):<18}  {_('Team'):>4}  {_('In phase'):>9}  {_('E/W'):>5}  "
        f"{_('Trekker / coach')}"
    )
    chunk = [style["bold"][0] + _cut(head, width) + style["bold"][1] + "\n"]
    n_fases = len(FASES)
    for s in ov.tanks:
        done = s.fase.nummer if s.status == Status.afgerond else s.fase.nummer - 1
        current = "" if s.status == Status.afgerond else "◐"
        state = s.fase.value if s.status == Status.actief else s.status.value
        days = _days_cell(s, ov.today)
        counts = f"{s.fouten}/{s.waarschuwingen}"
        people = f"{safe(s.trekker or _('no trekker'))} / {safe(s.coach or _('coach still sought'))}"
        fixed = f"{s.slug:<{slug_width}}  " + "●" * done + current + "○" * (n_fases - done - len(current))
        fixed += f" {state:<11}  {s.teamgrootte:>4}  {days.plain:>9}{counts:>7}  "
        room = width - cell_len(fixed)
        people = _cut(people, room) if room > 0 else ""
        f_style, w_style = ("red" if s.fouten else "dim"), ("yellow" if s.waarschuwingen else "dim")
        mark = "red" if s.status == Status.gestopt else "yellow"
        line = (
            _paint(style["bold red" if _mid_conflict(ov, s) else ""], f"{s.slug:<{slug_width}}")
            + "  "
            + _paint(style["green"], "●" * done)
            + _paint(style[mark], current)
            + _paint(style["dim"], "○" * (n_fases - done - len(current)))
            + f" {state:<11}  {s.teamgrootte:>4}  "
            + " " * max(0, 9 - len(days.plain))
            + _paint(style[str(days.style) or ""], days.plain)
            + " " * max(0, 7 - len(counts))
            + _paint(style[f_style], str(s.fouten))
            + "/"
            + _paint(style[w_style], str(s.waarschuwingen))
            + "  "
            + _people(people, s, style)
        )
        chunk.append(line + "\n")
        if len(chunk) >= 1000:
            console.file.write("".join(chunk))
            chunk = []
    console.file.write("".join(chunk))


def _paint(codes: tuple[str, str], text: str) -> str:
    return f"{codes[0]}{text}{codes[1]}" if text and codes[0] else text


def _people(cut: str, s: Summary, style: dict[str, tuple[str, str]]) -> str:
    """'trekker / coach', cut to fit, each part in its style (red: no trekker; yellow: coach sought)."""
    trekker, sep, coach = cut.partition(" / ")
    out = _paint(style["" if s.trekker else "red"], trekker)
    if sep:
        out += _paint(style["" if s.trekker else "red"], sep) + _paint(style["dim" if s.coach else "yellow"], coach)
    return out


def _cut(text: str, room: int) -> str:
    """Text cut to `room` cells, ending in '…' when it was longer."""
    from rich.cells import cell_len, set_cell_size

    if text.isascii():
        return text if len(text) <= room else text[: max(0, room - 1)] + "…"
    return text if cell_len(text) <= room else set_cell_size(text, max(0, room - 1)) + "…"


def overview_table(ov: Overview) -> None:
    if not ov.tanks and not ov.errors and ov.of:
        console.print(Text(_nothing_fits(ov, "status")), soft_wrap=True)
        return
    if not ov.tanks and not ov.errors:
        console.print(
            Text(_('No tanks yet. Start one with: doetank new "Name of the tank"')),
            soft_wrap=True,
        )
        return
    if len(ov.tanks) > LARGE:
        _overview_lines(ov)
        _overview_footer(ov)
        return
    table = _overview_grid(ov, days_apart=True)
    if not _fit(table, console.width, squeeze=False):
        table = _overview_grid(ov, days_apart=False)  # a narrow terminal: the days go under the phase
        if not _fit(table, console.width):
            console.print(_overview_blocks(ov))  # too narrow for columns: a block per tank
            _overview_footer(ov)
            return
    console.print(table)
    _overview_footer(ov)


def _overview_blocks(ov: Overview) -> Text:
    """The dashboard for a terminal too narrow for its columns: the slug on a line of its own, never cut, then the
    same facts as the table, labelled."""
    out = Text()
    for s in ov.tanks:
        out.append(s.slug, style="bold")
        out.append(f"\n  {s.naam}\n  ")
        out.append_text(progress(s))
        out.append(f" {s.fase.value if s.status == Status.actief else s.status.value}")
        days = _days_cell(s, ov.today)
        if days.plain != "–":
            out.append(" · ")
            out.append_text(days)
        out.append(" · " + _("Team") + f" {s.teamgrootte} · " + _("E/W") + " ")
        out.append_text(_counts(s))
        out.append("\n  ")
        out.append(s.trekker or _("no trekker"), style="" if s.trekker else "red")
        out.append(" / ")
        out.append(f"{s.coach or _('coach still sought')}\n", style="dim" if s.coach else "yellow")
    return out


def _fit(table: Table, width: int, squeeze: bool = True) -> bool:
    """Share `width` among the columns so that none is cut: no-wrap columns whole, the others (names, people)
    wrapped at words (when `squeeze`) but never narrower than their longest word or `min_width`. False when that
    cannot fit.

    (Left to itself, Rich fits a table that is too wide by narrowing every column, no-wrap ones too: "F/".)
    """
    from rich.measure import Measurement

    def measure(column: Any) -> Measurement:
        found = [Measurement.get(console, console.options, cell) for cell in [column.header, *column.cells]]
        least = max(max(m.minimum for m in found), column.min_width or 0)
        return Measurement(least, max(least, max(m.maximum for m in found)))

    spacing = 2 * len(table.columns)  # a space either side of every column
    sizes = [measure(column) for column in table.columns]
    flexible = [i for i, column in enumerate(table.columns) if not column.no_wrap]
    fixed = sum(sizes[i].maximum for i in range(len(sizes)) if i not in flexible) + spacing
    room = width - fixed
    if sum(sizes[i].maximum for i in flexible) <= room:
        return True
    if not squeeze or sum(sizes[i].minimum for i in flexible) > room:
        return False
    # every flexible column its least, then the room left to the rightmost first (people's names before the
    # tank's: a name of a person reads badly over two lines, a tank's name wraps at its words)
    extra = room - sum(sizes[i].minimum for i in flexible)
    for i in reversed(flexible):
        grow = min(extra, sizes[i].maximum - sizes[i].minimum)
        table.columns[i].width = sizes[i].minimum + grow
        extra -= grow
    return True


def _overview_grid(ov: Overview, days_apart: bool) -> Table:
    """The dashboard as a table whose rows take two or three lines; every column stays, no slug is cut."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1), collapse_padding=True)
    # slugs are what people type next: their column is as wide as the longest, and a slug is never cut
    table.add_column(_("Tank"), min_width=max((len(s.slug) for s in ov.tanks), default=16), overflow="fold")
    table.add_column(_("Phase") if days_apart else _("Phase, days"), no_wrap=True)
    table.add_column(_("Team"), justify="right", no_wrap=True)
    table.add_column(_("Trekker / coach"), overflow="fold")
    if days_apart:
        table.add_column(_("In phase"), justify="right", no_wrap=True)
    table.add_column(_("E/W"), justify="right", no_wrap=True)
    for s in ov.tanks:
        fase = progress(s)
        fase.append(
            f"\n{s.fase.value}" if s.status == Status.actief else f"\n{s.status.value}",
            style="" if s.status == Status.actief else "dim",
        )
        days = _days_cell(s, ov.today)
        if not days_apart and days.plain != "–":
            fase.append("\n")
            fase.append_text(days)
        people = Text(s.trekker) if s.trekker else Text(_("no trekker"), style="red")
        people.append("\n")
        people.append(s.coach or _("coach still sought"), style="dim" if s.coach else "yellow")
        parts = [Text(s.naam), Text(s.slug, style="dim", no_wrap=True, overflow="fold")]
        if _mid_conflict(ov, s):
            parts.append(Text(_("⚠ changes clash: doetank resolve"), style="bold red"))
        name = Group(*parts)
        cells: list[Any] = [name, fase, str(s.teamgrootte), people]
        if days_apart:
            cells.append(days)
        table.add_row(*cells, _counts(s))
    return table


def _nothing_fits(ov: Overview, command: str) -> str:
    """What to say when the filters leave no tank: which filters, and what to do next."""
    n = ov.of or 0
    said = (
        ngettext(
            "No tank fits the filters {filters} ({n} tank in all).",
            "No tank fits the filters {filters} ({n} tanks in all).",
            n,
        ).format(filters=ov.filtered, n=n)
        if ov.filtered
        else ngettext(
            "No tank fits these filters ({n} tank in all).", "No tank fits these filters ({n} tanks in all).", n
        ).format(n=n)
    )
    return said + " " + _("Leave a filter out, or see every tank with: doetank {command}").format(command=command)


def _overview_footer(ov: Overview) -> None:
    active = sum(1 for s in ov.tanks if s.status == Status.actief)
    count = (
        ngettext("{n} tank, {active} active.", "{n} tanks, {active} active.", len(ov.tanks))
        if ov.of is None
        else ngettext(
            "{n} tank of {of} fits the filters, {active} active.",
            "{n} tanks of {of} fit the filters, {active} active.",
            len(ov.tanks),
        )
    )
    console.print(
        Text(
            count.format(n=len(ov.tanks), active=active, of=ov.of)
            + " "
            + _("E/W: errors/warnings; 'doetank status TANK' shows one tank in full."),
            style="dim",
        )
    )


def detail(d: Detail) -> None:
    from doetank_cli.publish.report import timeline as spans_of

    s, t = d.summary, d.tank
    head = Text()
    head.append(t.naam, style="bold")
    head.append(f"  ({s.slug})\n", style="dim")
    head.append_text(progress(s))
    head.append(f" {t.fase.value} · {t.status.value}")
    days = days_in_phase(s, d.today)
    if days is not None:
        head.append(_(" · {days} days in this phase").format(days=days))
    lines: list[Any] = [head, Text()]
    v = t.vraagstuk
    info = Table.grid(padding=(0, 2))
    info.add_column(style="bold", no_wrap=True)
    info.add_column(overflow="fold")
    _row(info, _("Vraagstuk"), v.probleem or Text("–", style="red"))
    _row(info, _("Organisation"), v.organisatie or Text("–", style="red"))
    _row(info, _("Larger vraagstuk"), v.groter_vraagstuk or Text("–", style="dim"))
    herkomst = t.herkomst.value if t.herkomst else "–"
    _row(info, _("Origin"), herkomst + (f" ({kanaal_label(t.kanaal.value)})" if t.kanaal else ""))
    og = t.opdrachtgever
    _row(
        info,
        _("Opdrachtgever"),
        ", ".join(part for part in (og.naam, og.organisatie) if part) + (f" ({og.sector.value})" if og.sector else "")
        if og
        else Text(_("still sought"), style="yellow"),
    )
    einde = t.richtlijn.einddatum
    _row(info, _("End date"), datum(einde) if einde else Text("–", style="red"))
    _row(info, _("Kickoff"), f"{datum(t.kickoff.datum)}, {t.kickoff.locatie}" if t.kickoff else Text("–", style="dim"))
    if t.updates:
        _row(
            info, _("Updates"), "\n".join(f"{datum(u.datum)} {kanaal_label(u.kanaal.value)} {u.url}" for u in t.updates)
        )
    if t.consulten:
        _row(
            info,
            _("Consults"),
            "\n".join(
                f"{c.expert}: {c.vraag} ({c.status.value}{', ' + datum(c.gehouden) if c.gehouden else ''})"
                for c in t.consulten
            ),
        )
    if t.gestopt:
        _row(info, _("Stopped"), f"{datum(t.gestopt.datum)}: {t.gestopt.reden}")
    if t.afgerond:
        _row(info, _("Finished"), datum(t.afgerond))
    lines.append(info)
    if not t.team:
        title = _("Team: nobody yet, and the coach") if t.coach else _("Team: nobody yet, coach still sought")
    elif t.coach:
        title = ngettext("Team: {n} person and the coach", "Team: {n} people and the coach", len(t.team))
    else:
        title = ngettext("Team: {n} person, coach still sought", "Team: {n} people, coach still sought", len(t.team))
    team = Table(box=box.SIMPLE_HEAD, pad_edge=False, title=title.format(n=len(t.team)), title_justify="left")
    team.add_column(_("Name"))
    team.add_column(_("Role"))
    team.add_column(_("Organisation"), overflow="fold")
    team.add_column(_("Sector"))
    for lid in t.leden:
        _row(team, lid.naam, lid.rol.value, lid.organisatie or "", lid.sector.value if lid.sector else "")
    lines += [
        Text(),
        team,
        Text(_("The six phases"), style="bold"),
        timeline(spans_of(t), t.richtlijn.einddatum, d.today),
    ]
    if s.findings:
        lines += [Text(_("Findings"), style="bold"), findings_block(s.findings)]
    if t.status == Status.actief:
        naar = t.fase.volgende.value if t.fase.volgende else Status.afgerond.value
        blocking = [f for f in d.gate if f.blocks]
        lines.append(Text())
        if blocking:
            lines.append(Text(_("Next steps to move to {naar}:").format(naar=naar), style="bold"))
            lines.append(findings_block(blocking))
        else:
            lines.append(
                Text(_("Ready for {naar}: doetank advance {slug}").format(naar=naar, slug=s.slug), style="green")
            )
    console.print(Panel(Group(*lines), box=box.ROUNDED, expand=False))


def detail_json(d: Detail) -> None:
    out = _summary_json(d.summary, d.today)
    out["bevindingen"] = [finding_json(d.summary.slug, f) for f in d.summary.findings]
    out["volgende_stappen"] = [finding_json(d.summary.slug, f) for f in d.gate if f.blocks]
    emit_json(out)


def _log_table(first: str) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1), collapse_padding=True)
    table.add_column(first, no_wrap=True)
    table.add_column(_("What"), overflow="fold")
    return table


def history(slug: str, entries: list[LogEntry]) -> None:
    """A tank's history at any width: when and who on two lines, what beside them (folded, never cut)."""
    if not entries:
        console.print(Text(_("{slug} has no history yet.").format(slug=slug)))
        return
    table = _log_table(_("When, who"))
    for e in entries:
        when = Text(log_date(e.datum))
        when.append(f"\n{e.wie}", style="dim")
        _row(table, when, what_happened(e.wat))
    console.print(table)


def log_date(iso: str) -> str:
    """A commit's day (git's --date=short) as the language writes it: '28 november 2026'."""
    try:
        return datum(date.fromisoformat(iso))
    except ValueError:
        return iso


def network_history(entries: list[LogEntry]) -> None:
    """The network's recent changes: when and who, then the tank (never cut) and what happened to it."""
    if not entries:
        console.print(Text(_("No doetank changes yet.")))
        return
    table = _log_table(_("When, who"))
    table.columns[1].header = _("Tank, what")
    for e in entries:
        when = Text(log_date(e.datum))
        when.append(f"\n{e.wie}", style="dim")
        what = Group(Text(e.tank, style="bold", no_wrap=True, overflow="fold"), Text(what_happened(e.wat)))
        table.add_row(when, what)
    console.print(table)


# --------------------------------------------------------------------------- sharing


def _tank_changes(title: str, changes: list[TankChange], others: list[str] | None = None) -> None:
    if not changes and not others:
        return
    console.print(Text(title, style="bold"))
    for c in changes:
        style = ""
        if c.kind == "added":
            line = _("  + {slug} (new, in {fase})").format(slug=c.slug, fase=c.fase_naar or "?")
        elif c.kind == "removed":
            line = _("  - {slug} (removed)").format(slug=c.slug)
        elif c.kind == "unreadable":
            line, style = _("  ! {slug}: the record does not read").format(slug=c.slug), "red"
        elif c.kind == "renamed":
            line = _("  ~ {old} → {new} (renamed)").format(old=c.van, new=c.slug)
            if c.status_naar == Status.gestopt.value:
                line += ", " + Status.gestopt.value
            elif c.status_naar == Status.afgerond.value or c.fase_van != c.fase_naar:
                line += f", {c.fase_van} → {c.status_naar or c.fase_naar}"
        elif c.status_naar == Status.afgerond.value:
            line = _("  ~ {slug}: {van} → afgerond").format(slug=c.slug, van=c.fase_van)
        elif c.status_naar == Status.gestopt.value:
            line = _("  ~ {slug}: gestopt").format(slug=c.slug)
        elif c.fase_van != c.fase_naar:
            line = _("  ~ {slug}: {van} → {naar}").format(slug=c.slug, van=c.fase_van, naar=c.fase_naar)
        else:
            line = _("  ~ {slug} (changed)").format(slug=c.slug)
        console.print(Text(line, style=style), soft_wrap=True)
        for detail in c.details:
            console.print(Text(f"      {detail}", style="dim"), soft_wrap=True)
        if c.more:
            console.print(
                Text("      " + ngettext("and {n} more change", "and {n} more changes", c.more).format(n=c.more)),
                style="dim",
            )
    for path in (others or [])[:_MAX_OTHERS]:
        console.print(Text(_("  {path} (not a file of a tank)").format(path=path)), soft_wrap=True)
    if len(others or []) > _MAX_OTHERS:
        more = len(others or []) - _MAX_OTHERS
        console.print(Text("  " + ngettext("and {n} more file", "and {n} more files", more).format(n=more)))


_MAX_OTHERS = 10


def _exchanged(result: SyncResult) -> None:
    """What was exchanged besides the tank changes told above: commits that came in and changed no file, and commits
    sent that leave every tank as the server has it (a decision about a clash, a merge): said, never "up to date"."""
    if result.received and not (result.incoming or result.received_other):
        _heading(
            ngettext(
                "In from the team's server: {n} change, which changes no file.",
                "In from the team's server: {n} changes, which change no file.",
                result.received,
            ).format(n=result.received)
        )
    if result.sent and not result.outgoing:
        _heading(
            ngettext(
                "Out to the team's server: {n} change, which leaves every tank as the server has it:",
                "Out to the team's server: {n} changes, which leave every tank as the server has it:",
                result.sent,
            ).format(n=result.sent)
        )
        for subject in dict.fromkeys(with_tank(s) for s in result.sent_subjects):
            console.print(Text(f"  {subject}"), soft_wrap=True)


def _heading(text: str) -> None:
    console.print(Text(text, style="bold"), soft_wrap=True)


def _committed(result: SyncResult) -> None:
    """Which local edits sync committed, per tank; every file that is no record or note by name."""
    per_tank: dict[str, list[str]] = {}
    for path in result.committed:
        parts = path.split("/")
        if len(parts) >= 3 and parts[0] == "tanks" and path not in result.shared_other:
            per_tank.setdefault(parts[1], []).append("/".join(parts[2:]))
    if per_tank:
        console.print(Text(_("Your edits, saved first:"), style="bold"))
        for slug, files in per_tank.items():
            console.print(Text(f"  {slug}: {', '.join(files)}"), soft_wrap=True)
    for path in result.shared_other:
        console.print(Text(_("Also shared, and not a record or note: {path}").format(path=path), style="yellow"))
    for path in result.left_out:
        console.print(
            Text(_("Not shared (not a file of a tank): {path}").format(path=path), style="dim"), soft_wrap=True
        )


def sync_result(result: SyncResult) -> None:
    from doetank_cli.resolve import Conflicts

    _committed(result)
    if result.joined == "server":
        console.print(
            Text(
                _("The server's project held no tanks yet; your workspace and it are joined into one."),
                style="yellow",
            ),
            soft_wrap=True,
        )
    elif result.joined == "local":
        console.print(
            Text(
                _("This workspace held no tanks yet; it is joined with the server's project."),
                style="yellow",
            ),
            soft_wrap=True,
        )
    for old, new in result.renamed:
        console.print(
            Text(
                _(
                    "Both you and the server started a tank called '{old}'; yours is now "
                    "'{new}' (rename it with git mv if you like)."
                ).format(old=old, new=new),
                style="yellow",
            ),
            soft_wrap=True,
        )
    _tank_changes(_("In from the team's server:"), result.incoming, result.received_other)
    if result.conflicts:
        console.print(
            Text(_("The merge needs you: both sides changed the same thing."), style="bold red"), soft_wrap=True
        )
        conflicts_list(Conflicts("merge", result.conflicts))
        console.print(
            Text(
                _("Decide with: doetank resolve (it asks for each, then finishes the sync)."),
                style="cyan",
            ),
            soft_wrap=True,
        )
        notices(result.notices)
        return
    _tank_changes(_("Out to the team's server:"), result.outgoing)
    _exchanged(result)
    if result.pushed:
        if result.nothing_new:
            said = _("Up to date with the team's server: nothing new on either side.")
        elif result.sent:
            said = _("Shared with the team's server.")
        else:
            said = _("Up to date with the team's server.")
        console.print(Text(said, style="green"))
    for slug, n in result.fouten.items():
        console.print(
            Text(
                ngettext(
                    "{slug} now breaks {n} rule: doetank status {slug}",
                    "{slug} now breaks {n} rules: doetank status {slug}",
                    n,
                ).format(slug=slug, n=n),
                style="yellow",
            ),
            soft_wrap=True,
        )
    notices(result.notices)


# --------------------------------------------------------------------------- resolve


def nothing_to_resolve() -> None:
    console.print(Text(_("Nothing to decide: no sync waits for you."), style="green"))


def _by(version: Version) -> str:
    if not version.wie:
        return ""
    return f"  ({version.wie}, {datum(version.wanneer)})" if version.wanneer else f"  ({version.wie})"


def clash(conflict: FileConflict, found: FieldClash) -> None:
    """One clash of a record: the three versions, and who made each."""
    from doetank_cli.resolve import Kind

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    if conflict.kind == Kind.leftover:
        _row(grid, _("Note"), found.ours.shown)
    else:
        _row(grid, _("Before"), found.base.shown)
        _row(grid, _("Yours"), found.ours.shown + _by(found.ours))
        _row(grid, _("Server"), found.theirs.shown + _by(found.theirs))
    title = Text(conflict.path, style="bold")
    if conflict.kind != Kind.leftover:
        title.append(f" · {found.id}", style="bold cyan")
    console.print(Panel(grid, title=title, title_align="left", box=box.ROUNDED, expand=False))


def comments_clash(conflict: FileConflict) -> None:
    body = Text(_("Both sides wrote comments in this record. The server's side also wrote:") + "\n")
    for comment in conflict.comments:
        body.append(f"  {comment}\n", style="cyan")
    body.append(_("'both' adds them at the top of the record; 'yours' leaves them out."), style="dim")
    console.print(
        Panel(body, title=Text(conflict.path, style="bold"), title_align="left", box=box.ROUNDED, expand=False)
    )


def file_conflict(conflict: FileConflict) -> None:
    """A file decided as a whole: a note with both versions, a record git merged line by line, a removed file."""
    from doetank_cli.resolve import Kind

    what = {
        Kind.note: _("Both versions of this note are in the file between <<<<<<< and >>>>>>>."),
        Kind.unreadable: _(
            "This record could only be merged line by line; choose whose lines to keep where they clash."
        ),
        Kind.deleted: _deleted(conflict, long=True),
    }[conflict.kind]
    body = Text(what)
    if conflict.ours_by or conflict.theirs_by:
        body.append(
            "\n"
            + _("Yours: last changed by {ours}; the server's: by {theirs}.").format(
                ours=conflict.ours_by or "-", theirs=conflict.theirs_by or "-"
            ),
            style="dim",
        )
    if conflict.kind == Kind.note:
        body.append("\n" + _("'both' keeps both versions one after the other, so nothing is lost."), style="dim")
    if conflict.kind == Kind.deleted:
        body.append("\n" + _("'both' keeps the file."), style="dim")
    console.print(
        Panel(body, title=Text(conflict.path, style="bold"), title_align="left", box=box.ROUNDED, expand=False)
    )


def choices_prompt(words: list[str]) -> str:
    """'[j]ouw / [s]erver / [n]ieuw / [l]ater' from the words a person may answer with."""
    return " / ".join(f"[{word[0]}]{word[1:]}" for word in words)


def conflicts_list(found: Conflicts) -> None:
    from doetank_cli.resolve import Kind

    console.print(Text(_("To decide:"), style="bold"))
    for conflict in found.files:
        console.print(Text(f"  {conflict.path}", style="bold"), soft_wrap=True)
        if conflict.kind in (Kind.record, Kind.leftover):
            for c in conflict.clashes:
                line = (
                    f"    {c.ours.shown}"
                    if conflict.kind == Kind.leftover
                    else "    "
                    + _("{clash}: yours {ours}{ours_by}, server {theirs}{theirs_by}").format(
                        clash=c.id,
                        ours=c.ours.shown,
                        ours_by=_by(c.ours),
                        theirs=c.theirs.shown,
                        theirs_by=_by(c.theirs),
                    )
                )
                console.print(Text(line), soft_wrap=True)
            if conflict.comments:
                console.print(Text("    " + _("comments written on both sides")), soft_wrap=True)
        elif conflict.kind == Kind.note:
            console.print(Text("    " + _("both versions of the note")), soft_wrap=True)
        elif conflict.kind == Kind.unreadable:
            console.print(Text("    " + _("merged line by line: choose yours or the server's")), soft_wrap=True)
        else:
            console.print(Text("    " + _deleted(conflict, long=False)), soft_wrap=True)


def _deleted(conflict: FileConflict, long: bool) -> str:
    """What happened to a file one side (or each side) removed, or that only one side has."""
    from doetank_cli.resolve import Choice

    if conflict.removed_by is None:
        return _("Both you and the server removed this file.") if long else _("removed on both sides")
    if conflict.added:  # each side renamed the tank its own way: this name is only on one side
        if conflict.removed_by == Choice.ours:
            return _("Only the server has this file (it gave the tank this name).") if long else _("only on the server")
        return _("Only you have this file (you gave the tank this name).") if long else _("only yours")
    if conflict.removed_by == Choice.ours:
        return (
            _("You removed this file, and the server changed it.")
            if long
            else _("removed by you, changed on the server")
        )
    return (
        _("The server removed this file, and you changed it.") if long else _("removed on the server, changed by you")
    )


def resolve_how() -> None:
    console.print(
        Text(
            _(
                "On a terminal 'doetank resolve' asks for each. Otherwise: doetank resolve --ours (your versions), "
                "--theirs (the server's), or --set FIELD=VALUE for one field; notes keep both versions unless "
                "--notes 'yours' or 'server'."
            ),
            style="cyan",
        ),
        soft_wrap=True,
    )


def resolve_left_elsewhere() -> None:
    console.print(
        Text(_("This tank is decided; other tanks still wait: doetank resolve"), style="yellow"), soft_wrap=True
    )


def resolve_finished(done: Finished, shared_next: bool = False, more: bool = False) -> None:
    if more:
        console.print(
            Text(_("Decided. Your next change clashes as well:"), style="green"),
            soft_wrap=True,
        )
        return
    console.print(
        Text(
            _("Decided{commit}: {tanks}.").format(commit=_commit_suffix(done.sha), tanks=", ".join(done.tanks))
            if done.tanks
            else _("Decided{commit}.").format(commit=_commit_suffix(done.sha)),
            style="green",
        ),
        soft_wrap=True,
    )
    if done.unshared and not shared_next:
        console.print(
            Text(
                ngettext(
                    "{n} change is not on the server yet: doetank sync",
                    "{n} changes are not on the server yet: doetank sync",
                    done.unshared,
                ).format(n=done.unshared)
            )
        )
    notices(done.notices)


def undo_result(result: UndoResult) -> None:
    if result.dry_run:
        console.print(Text(_("Would undo: {what}").format(what=with_tank(result.undone))), soft_wrap=True)
        for path in result.files:
            console.print(Text(f"  {path}"), soft_wrap=True)
        console.print(Text(_("Nothing was changed (--dry-run)."), style="dim"))
        return
    console.print(
        Text(_("Undone: {what}{commit}").format(what=with_tank(result.undone), commit=_commit_suffix(result.sha))),
        soft_wrap=True,
    )
    if result.was_pushed:
        console.print(
            Text(
                _("That change was already shared; the undo is a new commit, which 'doetank sync' shares too."),
                style="yellow",
            ),
            soft_wrap=True,
        )
    notices(result.notices)


# --------------------------------------------------------------------------- publishing


def site_result(result: SiteResult) -> None:
    console.print(
        Text(
            ngettext(
                "Site written to {outdir}: {n} page.", "Site written to {outdir}: {n} pages.", len(result.pages)
            ).format(outdir=result.outdir, n=len(result.pages))
        ),
        soft_wrap=True,
    )
    if result.left_out:
        console.print(
            Text(
                ngettext(
                    "{n} tank with publiek: false is left out.",
                    "{n} tanks with publiek: false are left out.",
                    result.left_out,
                ).format(n=result.left_out),
                style="dim",
            )
        )
    console.print(
        Text(
            _("Open {index} in a browser, or publish the folder on any web host.").format(
                index=result.outdir / "index.html"
            ),
            style="dim",
        ),
        soft_wrap=True,
    )


def timeline(spans: list[Span], einddatum: date | None, today: date, width: int = 24) -> Table:
    """The six phases as bars in the terminal: time spent in each, its target (◆), and late phases in red."""
    from doetank_cli.publish.report import span_range

    start, end = span_range(spans, einddatum, today)
    scale = (width - 1) / max(1, (end - start).days)

    def col(day: date) -> int:
        return round((day - start).days * scale)

    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, min_width=16)
    grid.add_column(no_wrap=True, width=width)
    grid.add_column(overflow="fold")
    for span in spans:
        late = span.late_on(today)
        colour = "red" if late else {"done": "green", "current": "blue", "future": "dim"}[span.state]
        cells = [" "] * width
        if span.entered:
            until = span.left or (today if span.state == "current" else span.entered)
            for i in range(col(span.entered), max(col(span.entered), col(until)) + 1):
                cells[i] = "█"
        if span.target:
            cells[col(span.target)] = "◆"
        bar = Text("".join(cells), style=colour)
        when = datum(span.entered) if span.entered else ""
        if span.target:
            when += ("  " if when else "") + _("target {date}").format(date=datum(span.target))
        grid.add_row(
            Text(
                f"{span.fase.nummer}. {span.fase.value}" + (" ⚠" if late else ""),
                style="red" if late else ("bold" if span.state == "current" else ""),
            ),
            bar,
            Text(when, style="dim"),
        )
    return grid


# --------------------------------------------------------------------------- check and rules


def check_result(ov: Overview) -> None:
    """Findings per tank (only tanks that have any), fouten first, then one summary line."""
    fouten = waarschuwingen = waived = clean = 0
    many = Text()  # for a large network: one Text, printed at once (a grid per tank would take seconds)
    for s in ov.tanks:
        if not s.findings:
            clean += 1
            continue
        fouten += s.fouten
        waarschuwingen += s.waarschuwingen
        waived += sum(1 for f in s.findings if not f.counts)
        head = Text(s.slug, style="bold")
        head.append(
            f"  {s.naam} · {s.fase.value}" + ("" if s.status == Status.actief else f" · {s.status.value}"), style="dim"
        )
        if len(ov.tanks) > LARGE:
            many.append_text(head)
            many.append("\n")
            many.append_text(_findings_lines(s.findings))
            continue
        if fouten + waarschuwingen + waived > len(s.findings):
            console.print()
        console.print(head, soft_wrap=True)
        console.print(findings_block(s.findings))
    if many:
        console.print(many, soft_wrap=True, end="")
    checked = len(ov.tanks) + len(ov.errors)
    parts = [
        ngettext("{n} tank checked", "{n} tanks checked", checked).format(n=checked),
        ngettext("{n} error", "{n} errors", fouten).format(n=fouten),
        ngettext("{n} warning", "{n} warnings", waarschuwingen).format(n=waarschuwingen),
    ]
    if waived:
        parts.append(ngettext("{n} waived", "{n} waived", waived).format(n=waived))
    if ov.errors:
        parts.append(ngettext("{n} file unreadable", "{n} files unreadable", len(ov.errors)).format(n=len(ov.errors)))
    style = "red" if fouten or ov.errors else ("yellow" if waarschuwingen else "green")
    mark = "✗" if fouten or ov.errors else "✓"
    console.print(Text(f"{mark} " + ", ".join(parts) + ".", style=style), soft_wrap=True)
    if not ov.tanks and not ov.errors and ov.of:
        console.print(Text(_nothing_fits(ov, "check")), soft_wrap=True)
    if clean and (fouten or waarschuwingen or waived):
        console.print(
            Text(
                ngettext("{n} tank has no findings.", "{n} tanks have no findings.", clean).format(n=clean), style="dim"
            )
        )


def ernst_summary(rule: Rule) -> str:
    """'fout', 'waarschuwing in ontdekken, fout from onderzoeken', 'waarschuwing from onderzoeken', ..."""
    from doetank_cli.rules import GATE_RULE

    per_fase = list(rule.ernst_per_fase().values())
    runs: list[tuple[int, int, Ernst | None]] = []
    for index, ernst in enumerate(per_fase):
        if runs and runs[-1][2] == ernst:
            runs[-1] = (runs[-1][0], index, ernst)
        else:
            runs.append((index, index, ernst))
    last = len(FASES) - 1
    parts = []
    for start, end, ernst in runs:
        if ernst is None:
            continue
        if start == 0 and end == last:
            parts.append(ernst_label(ernst))
        elif end == last:
            parts.append(_("{ernst} from {fase}").format(ernst=ernst_label(ernst), fase=FASES[start].value))
        elif start == end:
            parts.append(_("{ernst} in {fase}").format(ernst=ernst_label(ernst), fase=FASES[start].value))
        else:
            parts.append(
                _("{ernst} from {first} to {last}").format(
                    ernst=ernst_label(ernst), first=FASES[start].value, last=FASES[end].value
                )
            )
    text = ", ".join(parts)
    if rule.id == GATE_RULE:
        text += _(" (when advancing)")
    return text


def rules_table(catalogue: list[Rule]) -> None:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1), collapse_padding=True)
    table.add_column(_("Rule"), no_wrap=True)
    table.add_column(_("Name"), no_wrap=True)
    table.add_column(_("Severity"))
    table.add_column(_("Checks"))
    for rule in catalogue:
        _row(table, rule.id, rule.naam, ernst_summary(rule), rule.controle)
    console.print(table)
    console.print(
        Text(_("'doetank rules RULE' shows one rule with the sentence of the spelregels behind it."), style="dim"),
        soft_wrap=True,
    )


def rule_detail(rule: Rule) -> None:
    from doetank_cli.rules import UNWAIVABLE

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    _row(grid, _("Checks"), rule.controle)
    _row(grid, _("Severity"), ernst_summary(rule))
    per_fase = Text()
    for fase, ernst in rule.ernst_per_fase().items():
        mark, style = _MARK[ernst] if ernst else ("·", "dim")
        per_fase.append(f"{mark} ", style=style)
        per_fase.append(
            f"{fase.nummer}. {fase.value}: {ernst_label(ernst) if ernst else _('does not apply')}\n",
            style="" if ernst else "dim",
        )
    per_fase.rstrip()
    _row(grid, _("Per phase"), per_fase)
    if rule.uitleg:
        _row(grid, "", rule.uitleg)
    _row(grid, _("Spelregels"), Text(f"“{rule.spelregel}”", style="italic"))
    _row(
        grid,
        _("Waive"),
        _('doetank waive TANK {rule} --reason "..."').format(rule=rule.id)
        if rule.id not in UNWAIVABLE
        else _("cannot be waived"),
    )
    console.print(
        Panel(
            grid, title=Text(f"{rule.id} {rule.naam}", style="bold"), title_align="left", box=box.ROUNDED, expand=False
        )
    )


def rules_json(catalogue: list[Rule]) -> None:
    emit_json(
        [
            {
                "regel": rule.id,
                "naam": rule.naam,
                "controle": rule.controle,
                "spelregel": rule.spelregel,
                "ernst": {
                    fase.value: (ernst.value if ernst else None) for fase, ernst in rule.ernst_per_fase().items()
                },
            }
            for rule in catalogue
        ]
    )


# --------------------------------------------------------------------------- what the network learns


def lessons_json(found: list[Lesson]) -> None:
    emit_json([{"tank": x.tank, "fase": x.fase.value, "soort": x.soort, "tekst": x.tekst} for x in found])


def lessons_list(found: list[Lesson]) -> None:
    """Grouped by tank: each lesson under its kind, with the phase it was learned in."""
    from doetank_cli.publish.report import LESSON_TITLES

    if not found:
        console.print(
            Text(
                _(
                    "No lessons yet: they come from the sections 'Wat werkt', 'Wat werkt niet' and 'Wat we anders "
                    "zouden doen' of the leren note, and from the reason a tank was stopped."
                )
            ),
            soft_wrap=True,
        )
        return
    current = None
    for lesson in found:
        if lesson.tank != current:
            current = lesson.tank
            head = Text(("\n" if lesson is not found[0] else "") + lesson.naam, style="bold")
            head.append(f"  {lesson.tank}", style="dim")
            console.print(head, soft_wrap=True)
        label = Text(f"  {_(LESSON_TITLES[lesson.soort])}", style="red" if lesson.soort == "gestopt" else "green")
        label.append(f" ({lesson.fase.value})", style="dim")
        console.print(label)
        for line in lesson.tekst.splitlines():
            console.print(Text(f"    {clean_line(line)}"), soft_wrap=True)
    tanks = len({x.tank for x in found})
    console.print(
        Text(
            "\n"
            + ngettext("{n} lesson", "{n} lessons", len(found)).format(n=len(found))
            + " "
            + ngettext("from {n} tank.", "from {n} tanks.", tanks).format(n=tanks),
            style="dim",
        )
    )


def clean_line(text: str) -> str:
    """One line of text from a file, without control characters that would steer the terminal."""
    return "".join(c if c.isprintable() or c == "\t" else " " for c in text)


def search_json(hits: list[Hit]) -> None:
    emit_json([{"tank": h.tank, "bestand": h.bestand, "fragment": h.fragment} for h in hits])


def search_results(query: str, hits: list[Hit], limit: int | None) -> None:
    if not hits:
        console.print(Text(_("Nothing found for '{query}'.").format(query=clean_line(query))), soft_wrap=True)
        return
    from doetank_cli.search import fold

    wanted = {fold(w) for w in query.split()}
    for hit in hits:
        line = Text(hit.tank, style="bold")
        line.append(f"  {hit.bestand}", style="dim")
        console.print(line, soft_wrap=True)
        piece = Text(f"  {hit.fragment}")
        for word in wanted:
            piece.highlight_regex(rf"(?i)\b{re.escape(word)}\w*", style="bold yellow")
        console.print(piece, soft_wrap=True)
    if limit and len(hits) >= limit:
        console.print(
            Text(_("The first {n} hits; --limit 0 shows every one.").format(n=limit), style="dim"), soft_wrap=True
        )


# --------------------------------------------------------------------------- the network at a glance


def _bar(value: float, most: float, width: int = 30, style: str = "blue") -> Text:
    cells = round(width * value / most) if most else 0
    return Text("█" * cells or ("▏" if value else ""), style=style)


def _days(value: float | None) -> str:
    if value is None:
        return "–"
    return _("{days} d").format(days=getal(value))


#: how many tanks the overview names for each reason; the command after them lists every one
ATTENTION_SHOWN = 10


def figures(fig: Figures) -> None:
    """`doetank overview`: bars per phase and for the days per phase, the quarters, and what needs attention."""
    from doetank_cli import network

    out = Text()
    out.append(_("The network on {date}").format(date=datum(fig.today)) + "\n\n", style="bold")
    total = sum(fig.per_status.values())
    if not total:
        console.print(
            Text(_('No tanks yet. Start one with: doetank new "Naam" --vraagstuk "..." --organisatie "..."')),
            soft_wrap=True,
        )
        return
    out.append(_("Active tanks per phase") + "\n", style="bold")
    most = max(fig.per_fase.values())
    for fase, n in fig.per_fase.items():
        out.append(f"  {fase.nummer}. {fase.value:<12} ")
        out.append_text(_bar(n, most))
        out.append(f" {n}\n")
    out.append(
        "  "
        + " · ".join(f"{status.value} {n}" for status, n in fig.per_status.items())
        + "  "
        + ngettext("({n} tank in all)", "({n} tanks in all)", total).format(n=total)
        + "\n\n",
        style="dim",
    )
    out.append(_("Days per phase: the median of the tanks that left it, against the guideline's") + "\n", style="bold")
    longest = max((v for pair in fig.dagen_per_fase.values() for v in pair if v is not None), default=0)
    for fase, (spent, allowed) in fig.dagen_per_fase.items():
        late = spent is not None and allowed is not None and spent > allowed
        out.append(f"  {fase.nummer}. {fase.value:<12} ")
        bar = _bar(spent or 0, longest, style="red" if late else "green")
        out.append_text(bar)
        out.append(" " * (31 - len(bar.plain)))
        out.append(f"{_days(spent):>7}", style="red" if late else "")
        out.append("  " + _("guideline {days}").format(days=_days(allowed)) + "\n", style="dim")
    out.append("\n")
    if fig.per_kwartaal:
        out.append(_("Per quarter: started / completed") + "\n", style="bold")
        most = max(max(started, done) for _kwartaal, started, done in fig.per_kwartaal) or 1
        for quarter, started, done in fig.per_kwartaal:
            out.append(f"  {kwartaal(quarter)}  ")
            bar = _bar(started, most, 20, "blue")
            out.append_text(bar)
            out.append(f" {started}".ljust(25 - len(bar.plain)))
            out.append_text(_bar(done, most, 20, "green"))
            out.append(f" {done}\n")
        out.append("\n")
    if not fig.aandacht:
        out.append(_("Nothing needs attention.") + "\n", style="green")
    else:
        out.append(_("Needs attention") + "\n", style="bold")
        width = min(40, max(len(s.slug) for s, _reden in fig.aandacht))
        groups: dict[str, list[Summary]] = {}
        for s, reden in fig.aandacht:
            groups.setdefault(reden.code, []).append(s)
        for reden in network.REDENEN:
            tanks = groups.get(reden.code, [])
            if not tanks:
                continue
            mark, style = ("✗", "red") if reden.code == "fouten" else ("!", "yellow")
            out.append(f"  {mark} ", style=style)
            out.append(f"{_(reden.text).format(days=network.QUIET_DAYS)} ({len(tanks)})\n")
            for s in tanks[:ATTENTION_SHOWN]:
                command = f"doetank check {s.slug}" if reden.code == "fouten" else f"doetank status {s.slug}"
                out.append(f"      {s.slug:<{width}}  ")
                out.append(f"→ {command}", style="cyan")
                out.append(f"  {s.naam}\n", style="dim")
            if len(tanks) > ATTENTION_SHOWN:
                more = len(tanks) - ATTENTION_SHOWN
                out.append("      " + ngettext("and {n} more:", "and {n} more:", more).format(n=more) + " ")
                out.append(f"{reden.listing}\n", style="cyan")
    console.print(out, end="", soft_wrap=True)
