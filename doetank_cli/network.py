"""The network of tanks as a whole: every tank's summary, the coordinator's filters and sort orders, the overview's
figures. Light on purpose: it reads the index (index.py) and never a record itself, so that the warm path of
`status`, `check` and `overview` imports no pydantic, ruamel or Typer.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable, Mapping
from contextlib import closing
from datetime import date
from operator import attrgetter
from os import PathLike
from pathlib import Path
from typing import Any, NamedTuple

from doetank_cli import index
from doetank_cli.clock import today
from doetank_cli.errors import WorkspaceError
from doetank_cli.filters import Filters
from doetank_cli.i18n import N_, _
from doetank_cli.index import Overview, Progress, Summary
from doetank_cli.vocab import FASES, Fase, SortOrder, Sought, Status
from doetank_cli.workspace import Workspace, find, is_path

_STATUS_ORDER = {Status.actief: 0, Status.afgerond: 1, Status.gestopt: 2}
#: a tank without a commit for this many days is named in the overview's list of what needs attention
QUIET_DAYS = 30


# --------------------------------------------------------------------------- every tank


def overview(
    ws: Workspace, progress: Progress | None = None, *, findings: bool = True, ordered: bool = True
) -> Overview:
    """Every tank, active ones first, then by phase and name; a file that cannot be read is reported, never skipped.

    `findings=False`: without the findings themselves (their counts are there), for `status` (see index.summaries).
    `ordered=False`: in no particular order, for a caller that orders them its own way (serve's board).
    """
    ov = _every_tank(ws, progress, findings)
    if ordered:
        _dashboard_order(ov)
    return ov


def workspace_of(root: str | PathLike[str] | None, names: list[str]) -> Workspace:
    """The workspace `check` works in: as always, unless it is given paths, which a git hook passes from the
    repository's root (the workspace may be a folder below it): then the one holding the first path."""
    paths = [name for name in names if is_path(name)]
    if not paths:
        return find(root)
    try:
        return find(root, Path(paths[0]).parent)
    except WorkspaceError:
        # a path in no workspace at all ('/', C:\): the workspace here, which says the path is in none of its tanks
        # (exit 2, a mistyped argument), or that there is no workspace here either (exit 4)
        return find(root)


def check(ws: Workspace, names: list[str], progress: Progress | None = None) -> Overview:
    """Every rule over the named tanks (slugs, prefixes or paths of their files, as pre-commit passes them), or all."""
    if names:
        slugs = list(dict.fromkeys(ws.slug_of(name) for name in names))
        ov = index.summaries(ws, slugs, today(), complete=False, progress=progress)
        _mark_unfinished(ws, ov)
    else:
        ov = _every_tank(ws, progress, True)
    ov.tanks.sort(key=lambda s: s.slug)
    return ov


def current_overview(ws: Workspace, *, findings: bool = True) -> Overview | None:
    """`overview` when the index is current for every tank and there is nothing to say besides (the warm path)."""
    ov = _every_tank_current(ws, findings)
    if ov is not None:
        _dashboard_order(ov)
    return ov


def current_check(ws: Workspace, names: list[str]) -> Overview | None:
    """`check` when the index is current for every tank asked for (the warm path); else None."""
    if names:
        if _unfinished(ws):
            return None
        slugs = list(dict.fromkeys(ws.slug_of(name) for name in names))
        ov = index.current(ws, slugs, today(), complete=False)
    else:
        ov = _every_tank_current(ws, True)
    if ov is not None:
        ov.tanks.sort(key=lambda s: s.slug)
    return ov


def _dashboard_order(ov: Overview) -> None:
    ov.tanks.sort(key=lambda s: (_STATUS_ORDER[s.status], s.fase.nummer, s.naam.casefold()))


def _every_tank(ws: Workspace, progress: Progress | None, findings: bool) -> Overview:
    slugs, strays = ws.scan()
    ov = index.summaries(ws, slugs, today(), complete=True, progress=progress, findings=findings)
    ov.notices = [
        _(
            "{path} is not a tank folder (a tank's folder is named after its short name); doetank leaves it alone."
        ).format(path=ws.rel(ws.tanks / name))
        for name in strays
    ]
    _mark_unfinished(ws, ov)
    return ov


def _every_tank_current(ws: Workspace, findings: bool) -> Overview | None:
    slugs, strays = ws.scan()
    if strays or _unfinished(ws):  # the notices about them are the full path's to say
        return None
    return index.current(ws, slugs, today(), complete=True, findings=findings)


def _unfinished(ws: Workspace) -> bool:
    """A merge (rebase, ...) waits for a person: checked without starting git (and without importing repo when
    there is no repository at all)."""
    if not any((folder / ".git").exists() for folder in (ws.root, *ws.root.parents)):
        return False
    from doetank_cli import repo

    return repo.unfinished(ws.root) is not None


def _mark_unfinished(ws: Workspace, ov: Overview) -> None:
    """A merge that waits for a person: which tanks have files it left undecided (git is asked only then)."""
    from doetank_cli import repo
    from doetank_cli.errors import GitError

    ov.unfinished = repo.unfinished(ws.root)
    if ov.unfinished is None:
        return
    try:
        paths = repo.unmerged(ws.root, relative=True)
    except GitError:
        paths = []
    tanks = ws.rel(ws.tanks)
    ov.conflicted = {p.split("/")[1] for p in paths if p.startswith(f"{tanks}/") and p.count("/") >= 2}
    ov.notices.append(
        _("A sync waits for you to decide changes that clash ({files}): doetank resolve").format(
            files=", ".join(paths) if paths else ov.unfinished
        )
    )


# --------------------------------------------------------------------------- the coordinator's filters (filters.py)


def _holds(s: Summary, f: Filters, day: date, last: Mapping[str, date]) -> bool:
    if f.fase and s.fase not in f.fase:
        return False
    if f.status is not None and s.status != f.status:
        return False
    if f.organisatie is not None and not any(f.organisatie in _folded(org) for org in s.organisaties):
        return False
    if f.sought is not None:
        missing = s.coach if f.sought == Sought.coach else s.opdrachtgever
        if s.status != Status.actief or missing is not None:
            return False
    if f.late and not s.late(day):
        return False
    if f.failing and not s.fouten:
        return False
    if f.member is not None and not any(f.member in _folded(naam) for naam in s.leden):
        return False
    if f.quiet is not None:
        changed = last.get(s.slug)
        if changed is None or (day - changed).days < f.quiet:
            return False
    return True


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


_ORDERS: dict[SortOrder, Callable[[Summary, date], Any]] = {
    SortOrder.naam: lambda s, day: (s.naam.casefold(), s.slug),
    SortOrder.fase: lambda s, day: (s.fase.nummer, _STATUS_ORDER[s.status], s.naam.casefold(), s.slug),
    SortOrder.dagen_in_fase: lambda s, day: (
        s.dagen_in_fase(day) is None,
        -(s.dagen_in_fase(day) or 0),
        s.naam.casefold(),
        s.slug,
    ),
    SortOrder.einddatum: lambda s, day: (s.einddatum is None, s.einddatum or day, s.naam.casefold(), s.slug),
}


def select(ws: Workspace, ov: Overview, f: Filters) -> Overview:
    """The tanks of `ov` that every given filter holds for, in the order asked (else as they came)."""
    if not f:
        return ov
    last = index.last_changes(ws, ov.tanks) if f.quiet is not None else {}
    tanks = [s for s in ov.tanks if _holds(s, f, ov.today, last)]
    if f.sort is not None:
        order = _ORDERS[f.sort]
        tanks.sort(key=lambda s: order(s, ov.today))
    return Overview(
        ov.today,
        tanks,
        ov.errors,
        ov.notices,
        of=len(ov.tanks),
        unfinished=ov.unfinished,
        conflicted=ov.conflicted,
        filtered=f.typed(),
    )


# --------------------------------------------------------------------------- the overview's figures


class Reden(NamedTuple):
    """Why a tank needs attention: the code in JSON, the sentence shown to a person, and the filter that lists every
    tank with this reason."""

    code: str
    text: str  # a message id
    listing: str  # the command that lists them all


#: in the order the overview lists them
REDENEN = (
    Reden("fouten", N_("Breaks a rule"), "doetank check --failing"),
    Reden("richtlijn-verlopen", N_("Past its end date or a phase's target date"), "doetank status --late"),
    Reden("coach-gezocht", N_("No coach yet"), "doetank status --sought coach"),
    Reden("opdrachtgever-gezocht", N_("No opdrachtgever yet"), "doetank status --sought opdrachtgever"),
    Reden("stil", N_("No change for {days} days or more"), f"doetank status --status actief --quiet {QUIET_DAYS}"),
)


class Figures(NamedTuple):
    """The network at a glance (`doetank overview`, the site's Overzicht page)."""

    today: date
    per_fase: dict[Fase, int]
    per_status: dict[Status, int]
    aandacht: list[tuple[Summary, Reden]]
    dagen_per_fase: dict[Fase, tuple[float | None, float | None]]  # median days spent, median days the richtlijn gave
    per_kwartaal: list[tuple[str, int, int]]  # quarter, started, completed


def median(values: Iterable[int]) -> float | None:
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def quarter(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def figures(ov: Overview, last: Mapping[str, date]) -> Figures:
    """The overview's figures over the tanks of `ov`; `last` is when each last changed (index.last_changes).

    One pass over the tanks, each decoded once: over 10,000 tanks this is what `overview` adds to `status`.
    """
    day = ov.today
    per_fase = dict.fromkeys(FASES, 0)
    per_status = dict.fromkeys(Status, 0)
    spent: dict[Fase, list[int]] = {fase: [] for fase in FASES}
    allowed: dict[Fase, list[int]] = {fase: [] for fase in FASES}
    started: dict[tuple[int, int], int] = {}
    completed: dict[tuple[int, int], int] = {}
    found: dict[str, list[Summary]] = {r.code: [] for r in REDENEN}
    actief, afgerond = Status.actief, Status.afgerond
    for s in ov.tanks:
        status = s.status
        per_status[status] += 1
        steps = s.geschiedenis
        if steps:
            first = steps[0][1]
            key = (first.year, (first.month - 1) // 3)
            started[key] = started.get(key, 0) + 1
            fase, entered = steps[0]
            for nxt, left in steps[1:]:
                spent[fase].append((left - entered).days)
                fase, entered = nxt, left
            if status is afgerond and s.afgerond is not None:
                spent[fase].append((s.afgerond - entered).days)
            if s.doelen:
                since = dict(steps)
                for fase, target in s.doelen:
                    if fase in since:
                        allowed[fase].append((target - since[fase]).days)
        if status is afgerond and s.afgerond is not None:
            key = (s.afgerond.year, (s.afgerond.month - 1) // 3)
            completed[key] = completed.get(key, 0) + 1
        if s.fouten:
            found["fouten"].append(s)
        if status is not actief:
            continue
        per_fase[s.fase] += 1
        if s.late(day):
            found["richtlijn-verlopen"].append(s)
        if s.coach is None:
            found["coach-gezocht"].append(s)
        if s.opdrachtgever is None:
            found["opdrachtgever-gezocht"].append(s)
        changed = last.get(s.slug)
        if changed is not None and (day - changed).days >= QUIET_DAYS:
            found["stil"].append(s)
    by_slug = attrgetter("slug")
    aandacht = [(s, reden) for reden in REDENEN for s in sorted(found[reden.code], key=by_slug)]
    return Figures(
        day,
        per_fase,
        per_status,
        aandacht,
        {fase: (median(spent[fase]), median(allowed[fase])) for fase in FASES},
        _quarters(started, completed),
    )


def overview_figures(ws: Workspace, ov: Overview) -> Figures:
    """figures() of every tank, with when each last changed: kept in the index beside the rows they come from.

    Working them out is one pass over every tank's history (45 ms over 10,000 tanks, a quarter of `overview`); they
    stay true while the index's snapshot, the day, the commit the dates of change were read at, and this code are
    the same, and are used only then. Tanks that are not exactly the snapshot's rows (ov.generation None) are
    worked out every time.
    """
    head, last = index.last_changes_at(ws, ov.tanks)
    if ov.generation is None:
        return figures(ov, last)
    code = os.stat(__file__)
    # the day of a commit is its day where the laptop is: the time zone is part of what the figures come from
    zone = f"{time.timezone}:{time.altzone}:{'/'.join(time.tzname)}"
    key = f"figures 1 {ov.generation} {ov.today.isoformat()} {head} {zone} {code.st_size}:{code.st_mtime_ns}"
    with closing(index.Index(ws)) as kept:
        kept.open()
        text = kept.kept(key)
        if text is not None:
            found = _figures_from(text, ov)
            if found is not None:
                return found
        fig = figures(ov, last)
        kept.keep(key, _figures_text(fig))
    return fig


def _figures_text(fig: Figures) -> str:
    return json.dumps(
        {
            "per_fase": [fig.per_fase[fase] for fase in FASES],
            "per_status": {status.value: n for status, n in fig.per_status.items()},
            "aandacht": [[s.slug, reden.code] for s, reden in fig.aandacht],
            "dagen_per_fase": [list(fig.dagen_per_fase[fase]) for fase in FASES],
            "per_kwartaal": [list(row) for row in fig.per_kwartaal],
        },
        ensure_ascii=False,
    )


def _figures_from(text: str, ov: Overview) -> Figures | None:
    """The figures _figures_text kept, with the tanks of `ov`; None when they do not fit (then they are worked out)."""
    try:
        data = json.loads(text)
        by_slug = {s.slug: s for s in ov.tanks}
        reden = {r.code: r for r in REDENEN}
        return Figures(
            ov.today,
            dict(zip(FASES, data["per_fase"], strict=True)),
            {Status(value): n for value, n in data["per_status"].items()},
            [(by_slug[slug], reden[code]) for slug, code in data["aandacht"]],
            {fase: (spent, allowed) for fase, (spent, allowed) in zip(FASES, data["dagen_per_fase"], strict=True)},
            [(kwartaal, gestart, afgerond) for kwartaal, gestart, afgerond in data["per_kwartaal"]],
        )
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def _quarters(started: dict[tuple[int, int], int], completed: dict[tuple[int, int], int]) -> list[tuple[str, int, int]]:
    """Every quarter (a year, and 0 to 3) from the first to the last with a start or a completion, empty ones too."""
    known = sorted(set(started) | set(completed))
    if not known:
        return []
    (year, q), end = known[0], known[-1]
    out = []
    while (year, q) <= end:
        out.append((f"{year}-Q{q + 1}", started.get((year, q), 0), completed.get((year, q), 0)))
        year, q = (year + 1, 0) if q == 3 else (year, q + 1)
    return out
