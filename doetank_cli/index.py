"""Summaries of many tanks at once, and their index in .doetank/index.sqlite: a cache keyed by each record's stat.

The index is never trusted over the files. A row is used only when the record's mtime, ctime, size and inode are
what they were when the row was made, today falls in the days over which the findings stay the same, and the code
and language that made it are the ones running now. Anything else is read from the file again. A missing, stale or
unreadable index is rebuilt; when it cannot be written, everything still works, only slower.

This module is light on purpose: when every row is current, `status`, `check` and the coordinator's views answer
from here without importing pydantic or ruamel (the record reader and the rules are imported only to read a file).
"""

from __future__ import annotations

import gc
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, closing, contextmanager, nullcontext, suppress
from datetime import date
from pathlib import Path
from stat import S_ISREG
from typing import TYPE_CHECKING, Any, NamedTuple

from doetank_cli import __version__, i18n, system
from doetank_cli.errors import DoetankError, GitError, error_of
from doetank_cli.findings import CONFLICT_RULE, LATE_RULE, Ernst, Finding
from doetank_cli.vocab import Fase, Status
from doetank_cli.workspace import RECORD, Workspace, ensure_state

if TYPE_CHECKING:
    from doetank_cli.model import Doetank

#: from this many records to read, the work is spread over the CPUs: a forked worker (Linux) starts at once, a
#: spawned one (macOS, Windows) first starts Python and imports doetank, which pays off only for more records
PARALLEL_MIN = {"fork": 400, "spawn": 1500}
#: a file changed this close to when it was read may have changed again within one tick of the file system's clock,
#: unseen by its stat (as git's "racily clean" entries): such a row is used only after its content is compared
_RACY_NS = 2_000_000_000
_SOURCES = ("rules.py", "model.py", "vocab.py", "findings.py", "index.py")
_FASE = {f.value: f for f in Fase}
_STATUS = {s.value: s for s in Status}
_SEP = "\x1f"  # between the items of a list kept in one column (names, organisations)
_UNREAD = object()  # a summary's findings, not read from the index


def index_file() -> str:
    """One index per language: findings are stored as the user reads them."""
    return f"index.{i18n.LANGUAGE}.sqlite"


Key = tuple[int, int, int, int]  # mtime_ns, ctime_ns, size, inode
Progress = Callable[[int], AbstractContextManager[Callable[[int], None]]]


def _findings_of(stored: str) -> list[Finding]:
    return [
        Finding(regel, naam, Ernst(ernst), bericht, oplossing, uitzondering)
        for regel, naam, ernst, bericht, oplossing, uitzondering in json.loads(stored)
    ]


def _dates(stored: str) -> tuple[tuple[Fase, date], ...]:
    day, fase = date.fromisoformat, _FASE
    return tuple([(fase[item[:-11]], day(item[-10:])) for item in stored.split(_SEP)]) if stored else ()


class Summary:
    """One tank as the dashboard, check and the coordinator see it: what they show, filter and count, the findings.

    Made from a record, or from a row of the index. The findings (long texts, which only `check` and a tank's page
    show) are read from the index only when asked for; lists kept in one column (names, the history) are decoded when
    first used: listing 10,000 tanks costs no more than it shows. Asked for findings it was read without, it says so.
    """

    __slots__ = (
        "_doelen",
        "_findings",
        "_geschiedenis",
        "_leden",
        "_organisaties",
        "afgerond",
        "changed_ns",
        "coach",
        "einddatum",
        "fase",
        "fase_doel",
        "fase_sinds",
        "fouten",
        "naam",
        "opdrachtgever",
        "overdue",
        "publiek",
        "slug",
        "status",
        "teamgrootte",
        "trekker",
        "undecided",
        "waarschuwingen",
    )
    # what the index keeps as text until first used (_UNREAD: findings not read at all)
    _findings: list[Finding] | str | object
    _organisaties: tuple[str, ...] | str
    _leden: tuple[str, ...] | str
    _doelen: tuple[tuple[Fase, date], ...] | str
    _geschiedenis: tuple[tuple[Fase, date], ...] | str

    def __init__(
        self,
        slug: str,
        naam: str,
        status: Status,
        fase: Fase,
        teamgrootte: int,
        trekker: str | None,
        coach: str | None,
        opdrachtgever: str | None,
        fase_sinds: date | None,
        fase_doel: date | None,  # the richtlijn's target date for the current phase
        findings: list[Finding] | None = None,
        *,
        organisaties: tuple[str, ...] = (),  # the vraagstuk's and the opdrachtgever's organisation
        leden: tuple[str, ...] = (),  # every member's name
        einddatum: date | None = None,
        doelen: tuple[tuple[Fase, date], ...] = (),  # the richtlijn's target per phase
        geschiedenis: tuple[tuple[Fase, date], ...] = (),  # each phase entered, and when
        afgerond: date | None = None,
        publiek: bool = True,
    ) -> None:
        self.slug = slug
        self.naam = naam
        self.status = status
        self.fase = fase
        self.teamgrootte = teamgrootte
        self.trekker = trekker
        self.coach = coach
        self.opdrachtgever = opdrachtgever
        self.fase_sinds = fase_sinds
        self.fase_doel = fase_doel
        self._findings = findings or []
        self.fouten = sum(1 for f in findings or () if f.counts and f.ernst == Ernst.fout)
        self.undecided = any(f.regel == CONFLICT_RULE for f in findings or ())  # an undecided merge conflict (DT060)
        # past its richtlijn as DT031 counts it (not waived): the board's mark, read without the findings
        self.overdue = any(f.regel == LATE_RULE and f.counts for f in findings or ())
        self.waarschuwingen = sum(1 for f in findings or () if f.counts and f.ernst == Ernst.waarschuwing)
        self._organisaties = organisaties
        self._leden = leden
        self.einddatum = einddatum
        self._doelen = doelen
        self._geschiedenis = geschiedenis
        self.afgerond = afgerond
        self.publiek = publiek
        self.changed_ns: int | None = None  # the record's modification time, when it was read from a file

    @classmethod
    def of(cls, slug: str, tank: Doetank, findings: list[Finding]) -> Summary:
        return cls(
            slug,
            tank.naam,
            tank.status,
            tank.fase,
            len(tank.team),
            tank.trekker.naam if tank.trekker else None,
            tank.coach.naam if tank.coach else None,
            tank.opdrachtgever.naam if tank.opdrachtgever else None,
            tank.fase_sinds,
            tank.richtlijn.fases.get(tank.fase),
            findings,
            organisaties=tuple(
                org
                for org in (tank.vraagstuk.organisatie, tank.opdrachtgever.organisatie if tank.opdrachtgever else None)
                if org
            ),
            leden=tuple(lid.naam for lid in tank.leden),
            einddatum=tank.richtlijn.einddatum,
            doelen=tuple(sorted(tank.richtlijn.fases.items(), key=lambda item: item[0].nummer)),
            geschiedenis=tuple((stap.fase, stap.datum) for stap in tank.geschiedenis),
            afgerond=tank.afgerond,
            publiek=tank.publiek,
        )

    @property
    def findings(self) -> list[Finding]:
        found = self._findings
        if found is _UNREAD:
            raise LookupError(f"the summary of {self.slug} was read from the index without its findings")
        if isinstance(found, str):
            found = self._findings = _findings_of(found)
        assert isinstance(found, list)
        return found

    def finding_values(self) -> list[tuple[str, str, str, str, str, str | None]]:
        """The findings as plain values (the ernst as its value), as `check --json` writes them: read from the index,
        no Finding is made of them."""
        found = self._findings
        if isinstance(found, str):
            return [tuple(item) for item in json.loads(found)]
        return [(f.regel, f.naam, f.ernst.value, f.bericht, f.oplossing, f.uitzondering) for f in self.findings]

    @property
    def organisaties(self) -> tuple[str, ...]:
        found = self._organisaties
        if isinstance(found, str):
            found = self._organisaties = tuple(found.split(_SEP)) if found else ()
        return found

    @property
    def leden(self) -> tuple[str, ...]:
        found = self._leden
        if isinstance(found, str):
            found = self._leden = tuple(found.split(_SEP)) if found else ()
        return found

    @property
    def doelen(self) -> tuple[tuple[Fase, date], ...]:
        found = self._doelen
        if isinstance(found, str):
            found = self._doelen = _dates(found)
        return found

    @property
    def geschiedenis(self) -> tuple[tuple[Fase, date], ...]:
        found = self._geschiedenis
        if isinstance(found, str):
            found = self._geschiedenis = _dates(found)
        return found

    def dagen_in_fase(self, today: date) -> int | None:
        """Days in the current phase; None for a tank that is not active or has no date for it."""
        if self.status != Status.actief or self.fase_sinds is None:
            return None
        return (today - self.fase_sinds).days

    def late(self, today: date) -> bool:
        """An active tank past its einddatum or a target of its current phase or one after it (as DT031 says)."""
        if self.status != Status.actief:
            return False
        if self.einddatum is not None and self.einddatum < today:
            return True
        return any(fase.nummer >= self.fase.nummer and target < today for fase, target in self.doelen)

    def _facts(self) -> tuple[object, ...]:
        return tuple(getattr(self, name.lstrip("_")) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Summary) and self._facts() == other._facts()

    # mutable, like the dataclass it was: not hashable
    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Summary({self.slug!r}, {self.naam!r}, {self.status.value}, {self.fase.value})"


class Overview:
    """Many tanks at once, with the files that could not be read and what else there is to say about them.

    (Plain classes rather than dataclasses here and in the warm path's other modules: a dataclass costs a
    millisecond or two to define at import, a noticeable part of a 40 ms command.)
    """

    __slots__ = ("conflicted", "errors", "filtered", "generation", "notices", "of", "tanks", "today", "unfinished")

    def __init__(
        self,
        today: date,
        tanks: list[Summary],
        errors: list[DoetankError],
        notices: list[str] | None = None,
        of: int | None = None,  # when filtered: how many tanks there were before
        unfinished: str | None = None,  # a merge (rebase, ...) of the workspace that waits for a person
        conflicted: set[str] | None = None,  # the tanks with files it left undecided
        filtered: str = "",  # when filtered: the filters as typed, to name them back ('--fase leren --late')
    ) -> None:
        self.filtered = filtered
        self.today = today
        self.tanks = tanks
        self.errors = errors
        self.notices = notices if notices is not None else []
        self.of = of
        self.unfinished = unfinished
        self.conflicted = conflicted if conflicted is not None else set()
        # the index's snapshot these tanks are, when they are exactly its rows (the warm path): what is worked out
        # from all of them (overview's figures) can be kept beside it, and stays true while it does
        self.generation: str | None = None


# --------------------------------------------------------------------------- reading one record


class _Fresh(NamedTuple):
    """What reading one record gave: a summary with the days it holds for, or the error (picklable, for workers)."""

    slug: str
    key: Key | None = None
    digest: str = ""
    read_ns: int = 0
    summary: Summary | None = None
    window: tuple[date, date] | None = None
    error: tuple[str, str | None, int] | None = None


def _digest(raw: bytes) -> str:
    import hashlib  # only for a record read, or changed within a tick of its stat: loading it costs milliseconds

    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def _key(path: str | Path) -> Key | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)


def _read(args: tuple[Path, str, date]) -> _Fresh:
    from doetank_cli import rules, store  # the heavy part: only when a record is read

    root, slug, day = args
    ws = Workspace(root)
    read_ns = time.time_ns()
    try:
        path = ws.record_path(slug)
        key = _key(path)  # before reading: a change during the read makes the row stale, never wrongly fresh
        raw = store.read_bytes(path, ws.rel(path), store.MAX_RECORD)
        tank = store.load_record(path, ws.rel(path), raw)
    except DoetankError as exc:
        return _Fresh(slug, error=(exc.message, exc.hint, int(exc.exit_code)))
    conflicts = tuple(store.conflict_lines(raw.decode("utf-8-sig"))) if store.CONFLICT_TAG.encode() in raw else ()
    summary = Summary.of(slug, tank, rules.evaluate(tank, rules.Context(slug, day, conflicts=conflicts)))
    summary.changed_ns = key[0] if key else None
    return _Fresh(slug, key, _digest(raw), read_ns, summary, rules.valid_window(tank, day))


def _read_all(ws: Workspace, slugs: list[str], day: date, progress: Progress | None) -> Iterator[_Fresh]:
    jobs = [(ws.root, slug, day) for slug in slugs]
    workers = min(os.cpu_count() or 1, 8)
    bar = progress(len(jobs)) if progress and jobs else nullcontext(lambda n: None)
    if workers > 1 and len(jobs) >= PARALLEL_MIN[system.start_method()]:
        # the pool starts before the progress bar starts its thread (a fork copies no running thread)
        with system.worker_pool(workers) as pool, bar as advance:
            for fresh in pool.imap(_read, jobs, chunksize=32):
                advance(1)
                yield fresh
        return
    with bar as advance:
        for job in jobs:
            yield _read(job)
            advance(1)


# --------------------------------------------------------------------------- the index


def _fingerprint() -> str:
    """The code and language the rows were made with; a row made by other code or in another language is stale.

    The code is known by its source files' sizes and modification times, as the rows know records by theirs (a stat
    each, where hashing them would cost more than the rest of a warm `status`).
    """
    here = os.path.dirname(__file__)
    parts = [__version__, i18n.catalog_key()]
    for name in _SOURCES:
        st = os.stat(os.path.join(here, name))
        parts.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
    return "\0".join(parts)


#: what every command reads of a row; then the detail (the findings, long texts), read only by those that show them
_MAIN = (
    "slug, mtime_ns, ctime_ns, size, ino, read_ns, valid_from, valid_until, naam, status, fase, teamgrootte, "
    "trekker, coach, opdrachtgever, fase_sinds, fase_doel, fouten, waarschuwingen, einddatum, "
    "organisaties, leden, doelen, geschiedenis, afgerond, publiek, undecided, overdue"
)
_DETAIL = "digest, findings"
_COLUMNS = f"{_MAIN}, {_DETAIL}"
_N_COLUMNS = _COLUMNS.count(",") + 1
_DETAIL_AT = _MAIN.count(",") + 1  # the digest: the first column of the detail
_TANK_TABLE = f"CREATE TABLE tank ({_COLUMNS.replace('slug,', 'slug TEXT PRIMARY KEY,')})"


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _dated(items: tuple[tuple[Fase, date], ...]) -> str:
    return _SEP.join(f"{fase.value} {day.isoformat()}" for fase, day in items)


def _row(fresh: _Fresh) -> tuple[object, ...]:
    s, key, window = fresh.summary, fresh.key, fresh.window
    assert s is not None and key is not None and window is not None
    findings = json.dumps(
        [[f.regel, f.naam, f.ernst.value, f.bericht, f.oplossing, f.uitzondering] for f in s.findings],
        ensure_ascii=False,
    )
    return (
        s.slug, *key, fresh.read_ns, window[0].isoformat(), window[1].isoformat(), s.naam, s.status.value,
        s.fase.value, s.teamgrootte, s.trekker, s.coach, s.opdrachtgever, _iso(s.fase_sinds), _iso(s.fase_doel),
        s.fouten, s.waarschuwingen, _iso(s.einddatum), _SEP.join(s.organisaties), _SEP.join(s.leden),
        _dated(s.doelen), _dated(s.geschiedenis), _iso(s.afgerond), int(s.publiek), int(s.undecided),
        int(s.overdue), fresh.digest, findings,
    )  # fmt: skip


def _summary(r: Any) -> Summary:
    """A row of the index as a Summary; its detail, when read, is decoded when first used.

    The slots are filled directly, not through __init__: for 10,000 rows that is a good part of the warm path's work.
    """
    day = date.fromisoformat
    s = object.__new__(Summary)
    s.slug, s.naam, s.status, s.fase, s.teamgrootte = r[0], r[8], _STATUS[r[9]], _FASE[r[10]], r[11]
    s.trekker, s.coach, s.opdrachtgever = r[12], r[13], r[14]
    s.fase_sinds = day(r[15]) if r[15] else None
    s.fase_doel = day(r[16]) if r[16] else None
    s.fouten, s.waarschuwingen = r[17], r[18]
    s.einddatum = day(r[19]) if r[19] else None
    s._organisaties, s._leden, s._doelen, s._geschiedenis = r[20], r[21], r[22], r[23]
    s.afgerond = day(r[24]) if r[24] else None
    s.publiek = bool(r[25])
    s.undecided = bool(r[26])
    s.overdue = bool(r[27])
    s.changed_ns = r[1]
    s._findings = r[_DETAIL_AT + 1] if len(r) > _DETAIL_AT else _UNREAD
    return s


class _Remembered(NamedTuple):
    generation: str  # the snapshot's token
    rows: dict[str, Any]
    made: dict[str, Summary]  # the summaries made of these rows so far, by slug


#: the last snapshot a long-running process (serve) read of each index, once remember_snapshots() is called: decoded
#: again only when its token changed, which every update does. Its rows are still checked against every record's
#: stat and content as any row is, so nothing a terminal command changes is missed.
_remembered: dict[str, _Remembered] | None = None


def remember_snapshots() -> None:
    """Keep the last snapshot read (and the summaries made of it) between calls: for a process that answers the same
    question many times (serve's board). A command run once has no use for it."""
    global _remembered  # one switch for the whole process
    if _remembered is None:
        _remembered = {}


_SNAPSHOT_TABLE = "CREATE TABLE IF NOT EXISTS snapshot (k TEXT PRIMARY KEY, v TEXT NOT NULL)"
_ACTIVITY_TABLE = "CREATE TABLE IF NOT EXISTS activity (slug TEXT PRIMARY KEY, last INTEGER NOT NULL)"


class Index:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.path = ws.state / index_file()
        self.conn: sqlite3.Connection | None = None
        self.generation: str | None = None  # the snapshot's token, when rows() read it
        self.made: dict[str, Summary] | None = None  # summaries of the snapshot's rows, when remembered

    def open(self) -> None:
        """Open (or create) the index; one that cannot be read is deleted and made anew; failing that, none is used."""
        for attempt in (1, 2):
            try:
                ensure_state(self.ws)
                conn = sqlite3.connect(self.path, timeout=2, isolation_level=None)
                conn.execute("CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)")
                stamp = _fingerprint()
                found = conn.execute("SELECT v FROM meta WHERE k = 'fingerprint'").fetchone()
                if found is None or found[0] != stamp:
                    # other code made it: its rows, and maybe its columns, are not ours
                    with conn:
                        conn.execute("BEGIN IMMEDIATE")
                        conn.execute("DROP TABLE IF EXISTS tank")
                        conn.execute("DROP TABLE IF EXISTS activity")
                        conn.execute("DROP TABLE IF EXISTS snapshot")
                        conn.execute("DELETE FROM meta WHERE k = 'activity_head'")
                        conn.execute(_TANK_TABLE)
                        conn.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)", (stamp,))
                self.conn = conn
                return
            except sqlite3.Error:
                if attempt == 2:
                    return
                self._discard()
            except (OSError, DoetankError):
                return  # no folder for the index (.doetank is a file or a link): everything still works, slower

    def _discard(self) -> None:
        for suffix in ("", "-journal", "-wal", "-shm"):
            with suppress(OSError):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def rows(self, *, detail: bool = True) -> dict[str, Any]:
        """Every row by slug (a row: a sequence of the columns, _MAIN and with `detail` _DETAIL too)."""
        if self.conn is None:
            return {}
        if not detail:
            snapshot = self._snapshot()
            if snapshot is not None:
                return snapshot
        try:
            found = self.conn.execute(f"SELECT {_COLUMNS if detail else _MAIN} FROM tank").fetchall()  # noqa: S608
        except sqlite3.Error:
            self.conn = None
            return {}
        return {r[0]: r for r in found}

    def _snapshot(self) -> dict[str, Any] | None:
        """Every row's main columns at once, as update() last wrote them: one JSON text that reads in about half the
        time the same rows take through SQL (what 10,000 tanks on the warm path need). Damaged or missing: None."""
        assert self.conn is not None
        known = _remembered.get(str(self.path)) if _remembered is not None else None
        if known is not None:
            try:
                token = self.conn.execute("SELECT v FROM snapshot WHERE k = 'gen'").fetchone()
            except sqlite3.Error:
                return None
            if token is not None and token[0] == known.generation:
                self.generation, self.made = known.generation, known.made
                return known.rows
        try:
            # one statement: the rows and the token written with them are read together, never one without the other
            found = dict(self.conn.execute("SELECT k, v FROM snapshot WHERE k IN ('main', 'gen')").fetchall())
            rows: Any = json.loads(found["main"]) if "main" in found else None
        except (sqlite3.Error, ValueError, TypeError):
            return None
        self.generation = found.get("gen")
        if not isinstance(rows, list) or not all(isinstance(r, list) and r for r in rows):
            return None
        by_slug = {r[0]: r for r in rows}
        if _remembered is not None and self.generation is not None:
            self.made = {}
            _remembered[str(self.path)] = _Remembered(self.generation, by_slug, self.made)
        return by_slug

    def _write_snapshot(self) -> None:
        assert self.conn is not None
        line = json.JSONEncoder(ensure_ascii=False).encode
        rows = self.conn.execute(f"SELECT {_MAIN} FROM tank")  # noqa: S608 (constant column list)
        text = "[" + ",".join([line(row) for row in rows]) + "]"  # row by row: never every row's objects at once
        self.conn.execute(_SNAPSHOT_TABLE)
        self.conn.execute("INSERT OR REPLACE INTO snapshot VALUES ('main', ?)", (text,))
        # a new token with every snapshot (in the same transaction): what was kept under the old one is not used
        self.conn.execute("INSERT OR REPLACE INTO snapshot VALUES ('gen', ?)", (os.urandom(12).hex(),))

    def kept(self, key: str) -> str | None:
        """What keep() stored under `key` (one thing at a time: overview's figures); None when it is another's."""
        if self.conn is None:
            return None
        try:
            found = self.conn.execute("SELECT v FROM snapshot WHERE k = 'kept'").fetchone()
        except sqlite3.Error:
            return None
        head, _sep, text = found[0].partition("\n") if found else ("", "", "")
        return text if found and head == key else None

    def keep(self, key: str, text: str) -> None:
        if self.conn is None:
            return
        with suppress(sqlite3.Error), self.conn:
            self.conn.execute("INSERT OR REPLACE INTO snapshot VALUES ('kept', ?)", (f"{key}\n{text}",))

    def digest(self, slug: str) -> str | None:
        if self.conn is None:
            return None
        try:
            found = self.conn.execute("SELECT digest FROM tank WHERE slug = ?", (slug,)).fetchone()
        except sqlite3.Error:
            return None
        return found[0] if found else None

    def update(self, fresh: Iterable[_Fresh], confirmed: Iterable[tuple[int, str]], gone: Iterable[str]) -> None:
        """Store new rows, mark confirmed ones settled, forget tanks that are gone; busy or broken: skip (a cache)."""
        if self.conn is None:
            return
        made = [f for f in fresh if f.summary is not None and f.key is not None]
        rows = (_row(f) for f in made)  # one at a time: 50,000 rows at once would be another 100 MB
        settled = list(confirmed)
        dropped = [(slug,) for slug in gone]
        if not made and not dropped and not settled:
            return
        marks = ", ".join("?" * _N_COLUMNS)
        try:
            with self.conn:
                self.conn.execute("BEGIN IMMEDIATE")
                self.conn.executemany(f"INSERT OR REPLACE INTO tank ({_COLUMNS}) VALUES ({marks})", rows)  # noqa: S608 (constants)
                self.conn.executemany("UPDATE tank SET read_ns = ? WHERE slug = ?", settled)
                self.conn.executemany("DELETE FROM tank WHERE slug = ?", dropped)
                self._write_snapshot()
        except sqlite3.Error:
            pass

    def meta(self, key: str) -> str | None:
        if self.conn is None:
            return None
        try:
            found = self.conn.execute("SELECT v FROM meta WHERE k = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        return found[0] if found else None

    def activity(self) -> dict[str, int]:
        if self.conn is None:
            return {}
        try:
            return dict(self.conn.execute("SELECT slug, last FROM activity").fetchall())
        except sqlite3.Error:
            return {}

    def store_activity(self, head: str, last: dict[str, int], *, replace: bool) -> None:
        if self.conn is None:
            return
        try:
            with self.conn:
                self.conn.execute("BEGIN IMMEDIATE")
                self.conn.execute(_ACTIVITY_TABLE)
                if replace:
                    self.conn.execute("DELETE FROM activity")
                self.conn.executemany("INSERT OR REPLACE INTO activity VALUES (?, ?)", last.items())
                self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('activity_head', ?)", (head,))
        except sqlite3.Error:
            pass

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


class _Lookup(NamedTuple):
    """What the index holds for the named tanks: current rows as summaries, and what must be read again."""

    tanks: list[Summary]
    todo: list[str]
    confirmed: list[tuple[int, str]]
    cached: dict[str, tuple[Any, ...]]


def _lookup(index: Index, ws: Workspace, slugs: list[str], day: date, findings: bool) -> _Lookup:
    with _collecting_later():
        return _current_rows(index, ws, slugs, day, findings)


def _current_rows(index: Index, ws: Workspace, slugs: list[str], day: date, findings: bool) -> _Lookup:
    cached = index.rows(detail=findings)
    made = index.made if not findings else None  # summaries already made of these very rows (remembered)
    tanks, todo, confirmed = [], [], []
    now = time.time_ns()
    today = day.isoformat()  # ISO dates compare as text: no date objects for 10,000 rows
    base = f"{ws.tanks}{os.sep}"  # plain strings: path objects cost more than the stat for 10,000 tanks
    tail = f"{os.sep}{RECORD}"
    stat = os.stat
    for slug in slugs:
        r = cached.get(slug)
        if r is None or not r[6] <= today < r[7]:
            todo.append(slug)
            continue
        path = f"{base}{slug}{tail}"
        try:
            st = stat(path)
        except OSError:
            todo.append(slug)
            continue
        if st.st_mtime_ns != r[1] or st.st_ctime_ns != r[2] or st.st_size != r[3] or st.st_ino != r[4]:
            todo.append(slug)
            continue
        if not S_ISREG(st.st_mode):
            todo.append(slug)  # a pipe or device where a record was: the cold path names it, never opens it
            continue
        changed = max(st.st_mtime_ns, st.st_ctime_ns)
        if changed >= r[5] - _RACY_NS:
            try:
                same = _digest(Path(path).read_bytes()) == (r[_DETAIL_AT] if findings else index.digest(slug))
            except OSError:
                same = False
            if not same:
                todo.append(slug)
                continue
            if now - changed > _RACY_NS:
                confirmed.append((now, slug))
        s = made.get(slug) if made is not None else None
        if s is None:
            s = _summary(r)
            if made is not None:
                made[slug] = s
        tanks.append(s)
    return _Lookup(tanks, todo, confirmed, cached)


@contextmanager
def _collecting_later() -> Iterator[None]:
    """No cycle collection while thousands of rows become summaries: each collection would walk every object made so
    far, so the cost per tank would grow with the network. Nothing built from rows forms a cycle; counting references
    frees what is dropped, and the collector runs again afterwards. (Not while records are read: a YAML parser
    leaves cycles behind, which the collector must take.)"""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def summaries(
    ws: Workspace,
    slugs: list[str],
    day: date,
    *,
    complete: bool,
    progress: Progress | None = None,
    findings: bool = True,
) -> Overview:
    """The named tanks with their findings, from the index where it is current and from the files where not.

    `complete`: slugs is every tank of the workspace, so rows of tanks that are gone can be dropped.
    `findings`: False when they are not shown (a summary from the index then lacks them; one from its file has them).
    """
    errors: list[DoetankError] = []
    with closing(Index(ws)) as index:
        index.open()
        found = _lookup(index, ws, slugs, day, findings)
        tanks, todo, cached = found.tanks, found.todo, found.cached
        fresh = []
        for result in _read_all(ws, todo, day, progress):
            if result.error is not None:
                errors.append(error_of(*result.error))
            else:
                assert result.summary is not None
                tanks.append(result.summary)
                fresh.append(result)
        failed = set(todo) - {f.slug for f in fresh}
        gone = (set(cached) - set(slugs)) | (failed & set(cached)) if complete else failed & set(cached)
        index.update(fresh, found.confirmed, gone)
        ov = Overview(day, tanks, errors)
        # exactly the snapshot's rows (as in current): what is worked out from all of them can be kept beside it
        exact = complete and not findings and not todo and not gone and not found.confirmed
        if exact and index.generation is not None:
            ov.generation = index.generation
    if not findings:  # as from the index: what is not shown is not kept (50,000 tanks' findings are ~70 MB)
        for result in fresh:
            assert result.summary is not None
            result.summary._findings = _UNREAD
    return ov


def current(ws: Workspace, slugs: list[str], day: date, *, complete: bool, findings: bool = True) -> Overview | None:
    """The named tanks when the index holds a current row for every one of them, else None (then: `summaries`).

    Reads no record and imports nothing heavy: the warm path of `status`, `check` and the coordinator's views.
    `complete` as for `summaries`: rows of tanks that are gone send it to `summaries` too, which forgets them.
    """
    with closing(Index(ws)) as index:
        if not index.path.is_file():
            return None
        index.open()
        found = _lookup(index, ws, slugs, day, findings)
        if found.todo or (complete and len(found.cached) != len(found.tanks)):
            return None
        index.update((), found.confirmed, ())
        ov = Overview(day, found.tanks, [])
        # exactly the snapshot's rows when they came from it, every row of it was asked for, and none was rewritten
        if index.generation is not None and complete and not findings and not found.confirmed:
            ov.generation = index.generation
    return ov


# --------------------------------------------------------------------------- when each tank last changed


def _commit_times(ws: Workspace) -> tuple[str | None, dict[str, int]]:
    """Each tank's newest commit time, from git's history, cached in the index per HEAD (a new HEAD that descends
    from the cached one adds only its new commits); and that HEAD (None: no history to ask)."""
    if not any((folder / ".git").exists() for folder in (ws.root, *ws.root.parents)):
        return None, {}  # no repository to ask (what git itself would find, without starting it)
    from doetank_cli import repo  # subprocess and friends: only when the dates of changes are asked for

    try:
        head = repo.rev(ws.root, "HEAD") if repo.available() else None
    except GitError:
        head = None
    if head is None:
        return None, {}
    with closing(Index(ws)) as index:
        index.open()
        before = index.meta("activity_head")
        if before == head:
            return head, index.activity()
        try:
            if before is not None and repo.is_ancestor(ws.root, before, head):
                newer = repo.last_changes(ws.root, "tanks", since=before)
                merged = index.activity()
                for slug, seconds in newer.items():
                    merged[slug] = max(seconds, merged.get(slug, seconds))
                index.store_activity(head, newer, replace=False)
                return head, merged
            found = repo.last_changes(ws.root, "tanks")
        except GitError:
            return None, {}
        index.store_activity(head, found, replace=True)
        return head, found


def last_changes(ws: Workspace, tanks: Iterable[Summary]) -> dict[str, date]:
    """The day each tank last changed: its newest commit, else (not committed yet, or no git) its record's mtime.

    File times alone would not do: after a clone they are the time of the clone.
    """
    return last_changes_at(ws, tanks)[1]


def last_changes_at(ws: Workspace, tanks: Iterable[Summary]) -> tuple[str | None, dict[str, date]]:
    """last_changes, and the commit (HEAD) they were read at: None when there is no history to read them from."""
    head, commits = _commit_times(ws)
    out = {}
    for s in tanks:
        seconds = commits.get(s.slug)
        if seconds is None and s.changed_ns is not None:
            seconds = s.changed_ns // 1_000_000_000
        if seconds is not None:
            out[s.slug] = date.fromtimestamp(seconds)
    return head, out
