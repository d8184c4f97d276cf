"""Summaries of many tanks at once, and their index in .doetank/index.sqlite: a cache keyed by each record's stat.

The index is never trusted over the files. A row is used only when the record's mtime, ctime, size and inode are
what they were when the row was made, today falls in the days over which the findings stay the same, and the code
and language that made it are the ones running now. Anything else is read from the file again. A missing, stale or
unreadable index is rebuilt; when it cannot be written, everything still works, only slower.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, closing, nullcontext, suppress
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from doetank_cli import __version__, i18n, rules, store, system
from doetank_cli.errors import DoetankError, error_of
from doetank_cli.model import Doetank
from doetank_cli.vocab import Fase, Status
from doetank_cli.workspace import RECORD, Workspace

#: from this many records to read, the work is spread over the CPUs: a forked worker (Linux) starts at once, a
#: spawned one (macOS, Windows) first starts Python and imports doetank, which pays off only for more records
PARALLEL_MIN = {"fork": 400, "spawn": 1500}
#: a file changed this close to when it was read may have changed again within one tick of the file system's clock,
#: unseen by its stat (as git's "racily clean" entries): such a row is used only after its content is compared
_RACY_NS = 2_000_000_000
_SOURCES = ("rules.py", "model.py", "vocab.py", "index.py")


def index_file() -> str:
    """One index per language: findings are stored as the user reads them."""
    return f"index.{i18n.LANGUAGE}.sqlite"


Key = tuple[int, int, int, int]  # mtime_ns, ctime_ns, size, inode
Progress = Callable[[int], AbstractContextManager[Callable[[int], None]]]


@dataclass
class Summary:
    """One tank as the dashboard and check see it: what they show, and the findings."""

    slug: str
    naam: str
    status: Status
    fase: Fase
    teamgrootte: int
    trekker: str | None
    coach: str | None
    opdrachtgever: str | None
    fase_sinds: date | None
    fase_doel: date | None  # the richtlijn's target date for the current phase
    findings: list[rules.Finding] = field(default_factory=list)

    @classmethod
    def of(cls, slug: str, tank: Doetank, findings: list[rules.Finding]) -> Summary:
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
        )

    @property
    def fouten(self) -> int:
        return sum(1 for f in self.findings if f.counts and f.ernst == rules.Ernst.fout)

    @property
    def waarschuwingen(self) -> int:
        return sum(1 for f in self.findings if f.counts and f.ernst == rules.Ernst.waarschuwing)


@dataclass
class Overview:
    today: date
    tanks: list[Summary]
    errors: list[DoetankError]
    notices: list[str] = field(default_factory=list)
    unfinished: str | None = None  # a merge (rebase, ...) of the workspace that waits for a person
    conflicted: set[str] = field(default_factory=set)  # the tanks with files it left undecided


# --------------------------------------------------------------------------- reading one record


@dataclass
class _Fresh:
    """What reading one record gave: a summary with the days it holds for, or the error (picklable, for workers)."""

    slug: str
    key: Key | None = None
    digest: str = ""
    read_ns: int = 0
    summary: Summary | None = None
    window: tuple[date, date] | None = None
    error: tuple[str, str | None, int] | None = None


def _digest(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def _key(path: str | Path) -> Key | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)


def _read(args: tuple[Path, str, date]) -> _Fresh:
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
    """The code and language the rows were made with; a row made by other code or in another language is stale."""
    digest = hashlib.sha256(f"{__version__}\0{i18n.catalog_key()}".encode())
    here = Path(__file__).parent
    for name in _SOURCES:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


_COLUMNS = (
    "slug, mtime_ns, ctime_ns, size, ino, digest, read_ns, valid_from, "
    "valid_until, naam, status, fase, teamgrootte, trekker, coach, "
    "opdrachtgever, fase_sinds, fase_doel, findings"
)
_TANK_TABLE = f"CREATE TABLE tank ({_COLUMNS.replace('slug,', 'slug TEXT PRIMARY KEY,')})"


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _row(fresh: _Fresh) -> tuple[object, ...]:
    s, key, window = fresh.summary, fresh.key, fresh.window
    assert s is not None and key is not None and window is not None
    findings = json.dumps(
        [[f.regel, f.naam, f.ernst.value, f.bericht, f.oplossing, f.uitzondering] for f in s.findings],
        ensure_ascii=False,
    )
    return (
        s.slug, *key, fresh.digest, fresh.read_ns, window[0].isoformat(), window[1].isoformat(), s.naam, s.status.value,
        s.fase.value, s.teamgrootte, s.trekker, s.coach, s.opdrachtgever,
        _iso(s.fase_sinds), _iso(s.fase_doel), findings,
    )  # fmt: skip


@dataclass(frozen=True)
class _Hit:
    key: Key
    digest: str
    read_ns: int
    window: tuple[date, date]
    row: tuple[Any, ...]  # a row as sqlite gives it

    def summary(self) -> Summary:
        r = self.row
        findings = [
            rules.Finding(regel, naam, rules.Ernst(ernst), bericht, oplossing, uitzondering)
            for regel, naam, ernst, bericht, oplossing, uitzondering in json.loads(r[18])
        ]
        return Summary(
            r[0], r[9], Status(r[10]), Fase(r[11]), r[12], r[13], r[14], r[15], _day(r[16]), _day(r[17]), findings
        )


class Index:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.path = ws.state / index_file()
        self.conn: sqlite3.Connection | None = None

    def open(self) -> None:
        """Open (or create) the index; one that cannot be read is deleted and made anew; failing that, none is used."""
        for attempt in (1, 2):
            try:
                store.ensure_state(self.ws)
                conn = sqlite3.connect(self.path, timeout=2, isolation_level=None)
                conn.execute("CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)")
                stamp = _fingerprint()
                found = conn.execute("SELECT v FROM meta WHERE k = 'fingerprint'").fetchone()
                if found is None or found[0] != stamp:
                    # other code made it: its rows, and maybe its columns, are not ours
                    with conn:
                        conn.execute("BEGIN IMMEDIATE")
                        conn.execute("DROP TABLE IF EXISTS tank")
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

    def rows(self) -> dict[str, _Hit]:
        if self.conn is None:
            return {}
        try:
            found = self.conn.execute(f"SELECT {_COLUMNS} FROM tank").fetchall()  # noqa: S608 (constant column list)
        except sqlite3.Error:
            self.conn = None
            return {}
        return {
            r[0]: _Hit((r[1], r[2], r[3], r[4]), r[5], r[6], (date.fromisoformat(r[7]), date.fromisoformat(r[8])), r)
            for r in found
        }

    def update(self, fresh: Iterable[_Fresh], confirmed: Iterable[tuple[int, str]], gone: Iterable[str]) -> None:
        """Store new rows, mark confirmed ones settled, forget tanks that are gone; busy or broken: skip (a cache)."""
        if self.conn is None:
            return
        rows = [_row(f) for f in fresh if f.summary is not None and f.key is not None]
        settled = list(confirmed)
        dropped = [(slug,) for slug in gone]
        if not rows and not dropped and not settled:
            return
        try:
            with self.conn:
                self.conn.execute("BEGIN IMMEDIATE")
                self.conn.executemany(f"INSERT OR REPLACE INTO tank ({_COLUMNS}) VALUES ({', '.join('?' * 19)})", rows)  # noqa: S608 (constants)
                self.conn.executemany("UPDATE tank SET read_ns = ? WHERE slug = ?", settled)
                self.conn.executemany("DELETE FROM tank WHERE slug = ?", dropped)
        except sqlite3.Error:
            pass

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


def summaries(
    ws: Workspace, slugs: list[str], day: date, *, complete: bool, progress: Progress | None = None
) -> Overview:
    """The named tanks with their findings, from the index where it is current and from the files where not.

    `complete`: slugs is every tank of the workspace, so rows of tanks that are gone can be dropped.
    """
    tanks: list[Summary] = []
    errors: list[DoetankError] = []
    with closing(Index(ws)) as index:
        index.open()
        cached = index.rows()
        todo, confirmed = [], []
        now = time.time_ns()
        base = f"{ws.tanks}{os.sep}"  # plain strings: path objects cost more than the stat for 10,000 tanks
        for slug in slugs:
            hit = cached.get(slug)
            if hit is None or not hit.window[0] <= day < hit.window[1]:
                todo.append(slug)
                continue
            path = f"{base}{slug}{os.sep}{RECORD}"
            key = _key(path)
            if key != hit.key:
                todo.append(slug)
                continue
            if max(key[0], key[1]) >= hit.read_ns - _RACY_NS:
                try:
                    same = _digest(store.read_bytes(Path(path), slug)) == hit.digest
                except DoetankError:
                    same = False
                if not same:
                    todo.append(slug)
                    continue
                if now - max(key[0], key[1]) > _RACY_NS:
                    confirmed.append((now, slug))
            tanks.append(hit.summary())
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
        index.update(fresh, confirmed, gone)
    return Overview(day, tanks, errors)
