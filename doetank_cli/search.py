"""Full-text search over every record and note, Dutch word forms included, in the index database's own tables.

Each record and phase note is a document, kept fresh by the same stat keys as index.py (mtime, ctime, size, inode,
and the racy-clean rule: a file changed within a tick of when it was read is compared by content). SQLite's FTS5 has
no Dutch stemmer that Python can plug in, so every document is indexed twice: its words, and their stems (Snowball's
`dutch_porter`, which keeps "gemeente" and "mening" apart where the newer `dutch` conflates them). A query matches
on stems; exact words rank above stems, and a hit in the tank's name above one in its notes. Fragments are cut in
Python from the original text. The same documents carry each note's lessons and each record's facts, so that
`doetank lessons` reads through this index too.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import time
import unicodedata
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from doetank_cli import index, notes, store
from doetank_cli.errors import DoetankError
from doetank_cli.model import FASES, Doetank
from doetank_cli.workspace import RECORD, Workspace, is_slug, note_name

#: bump when what a document holds changes; rows made by other code are rebuilt (the source hash covers the rest)
_VERSION = "1"
_NOTES = {note_name(fase): fase for fase in FASES}
_WORD = re.compile(r"\w+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")
_SPACE = re.compile(r"\s+")
_MARKUP = re.compile(r"(?m)^[ \t]*#{1,6}[ \t]+")  # a heading's hashes say nothing in a fragment
#: the headings of a note that hold lessons, and their kind (`lessons --json`'s "soort")
LESSON_HEADINGS = {"wat werkt": "werkt", "wat werkt niet": "werkt-niet", "wat we anders zouden doen": "anders"}
#: how much text a fragment shows around the first hit
FRAGMENT = 160

Key = tuple[int, int, int, int]


# --------------------------------------------------------------------------- words and stems


def fold(text: str) -> str:
    """Lower case without diacritics: 'Eén' and 'een' are one word to a search."""
    folded = text.casefold()
    if folded.isascii():
        return folded  # most text: nothing to take apart
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import snowballstemmer  # only search, lessons and the site need it

    return snowballstemmer.stemmer("dutch_porter")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return str(_stemmer().stemWord(word))


def stems(tokens: list[str]) -> list[str]:
    return [stem(t) for t in tokens]


def clean(text: str) -> str:
    """Text from a file as one line for a terminal or JSON: no control characters, whitespace collapsed."""
    return _SPACE.sub(" ", _CONTROL.sub(" ", text)).strip()


def fragment(text: str, exact: list[str], stemmed: list[str], width: int = FRAGMENT) -> str:
    """A short piece of `text` around the first word that is one of `exact`, else the first whose stem is in
    `stemmed`; the start of the text when neither is there."""
    first = None
    for match in _WORD.finditer(text):
        word = fold(match.group())
        if word in exact:
            first = match
            break
        if first is None and stem(word) in stemmed:
            first = match
    if first is None:
        start, end = 0, width
    else:
        start = max(0, first.start() - width // 3)
        end = start + width
    if start > 0:
        cut = text.find(" ", start, first.start() if first else start + 1)
        start = cut + 1 if cut != -1 else start
    if end < len(text):
        cut = text.rfind(" ", start, end)
        end = cut if cut > (first.end() if first else start) else end
    piece = clean(_MARKUP.sub("", text[start:end]))
    return ("… " if start > 0 else "") + piece + (" …" if end < len(text) else "")


# --------------------------------------------------------------------------- documents


@dataclass
class Document:
    """One record or note as search and lessons see it."""

    path: str  # tanks/<slug>/<file>, with forward slashes
    tank: str
    title: str  # the tank's name, for a record; empty for a note
    text: str  # what is searched and what fragments are cut from
    meta: dict[str, Any] | None = None  # a record: naam, status, fase, publiek, gestopt
    lessons: list[tuple[str, str]] | None = None  # a note: (soort, tekst) in the order of the note


def record_text(tank: Doetank) -> str:
    """The words a record holds for people, one value a line: no keys, enums, dates or addresses (every record
    has those, so they would match every tank)."""
    v = tank.vraagstuk
    values: list[str | None] = [v.probleem, v.organisatie, v.groter_vraagstuk]
    if tank.opdrachtgever:
        values += [tank.opdrachtgever.naam, tank.opdrachtgever.organisatie]
    for lid in tank.leden:
        values += [lid.naam, lid.organisatie]
    if tank.kickoff:
        values.append(tank.kickoff.locatie)
    for c in tank.consulten:
        values += [c.expert, c.vraag]
    values += [stap.reden for stap in tank.geschiedenis]
    values += list(tank.uitzonderingen.values())
    if tank.gestopt:
        values.append(tank.gestopt.reden)
    return "\n".join(value.strip() for value in values if value and value.strip())


def record_meta(tank: Doetank) -> dict[str, Any]:
    return {
        "naam": tank.naam,
        "status": tank.status.value,
        "fase": tank.fase.value,
        "publiek": tank.publiek,
        "gestopt": tank.gestopt.reden if tank.gestopt else None,
    }


def note_text(text: str) -> str:
    """A note without its guidance comments and without its title line (the template's '$naam — N. Fase')."""
    body = notes.strip_guidance(text)
    lines = body.lstrip("\ufeff").splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    return "\n".join(lines).strip()


def soort_of(heading: str) -> str | None:
    """The kind of lesson a note's heading holds: 'Wat werkt niet' -> werkt-niet; None for other headings."""
    name = " ".join(heading.replace(notes.OPTIONAL, " ").split()).casefold().rstrip(" :?.")
    return LESSON_HEADINGS.get(name)


def note_lessons(text: str) -> list[tuple[str, str]]:
    """The filled lesson sections of a note, as (soort, tekst)."""
    found = []
    for heading, body in notes.sections(text).items():
        soort = soort_of(heading)
        if soort and body.strip():
            found.append((soort, body.strip()))
    return found


def _document(slug: str, name: str, raw: bytes) -> Document:
    rel = f"tanks/{slug}/{name}"
    if len(raw) > store.MAX_RECORD:
        return Document(rel, slug, "", "")  # not a record or a note a person wrote; not searched
    if name == RECORD:
        try:
            tank = store.load_record(Path(rel), rel, raw)
        except DoetankError:
            # a record that does not read: its words are still found, its facts are not known
            return Document(rel, slug, "", raw.decode("utf-8", errors="replace"))
        return Document(rel, slug, tank.naam, record_text(tank), meta=record_meta(tank))
    text = note_text(raw.decode("utf-8-sig", errors="replace"))
    return Document(rel, slug, "", text, lessons=note_lessons(text))


# --------------------------------------------------------------------------- the tables


def _fingerprint() -> str:
    digest = hashlib.sha256(_VERSION.encode())
    here = Path(__file__).parent
    for name in ("search.py", "notes.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


_SCHEMA = (
    "DROP TABLE IF EXISTS search_doc",
    "DROP TABLE IF EXISTS search_fts",
    "CREATE TABLE search_doc (id INTEGER PRIMARY KEY, path TEXT UNIQUE NOT NULL, tank TEXT NOT NULL, "
    "mtime_ns INTEGER, ctime_ns INTEGER, size INTEGER, ino INTEGER, digest TEXT, read_ns INTEGER, "
    "title TEXT NOT NULL, text TEXT NOT NULL, meta TEXT, lessons TEXT)",
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, title_stems, body, body_stems, "
    "tokenize='unicode61 remove_diacritics 2')",
)


def _key(path: str) -> Key | None:
    """What a file's stat says about its content (as index.py's key); None when it cannot be stat'ed."""
    try:
        st = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)


def _digest(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


@dataclass
class _Row:
    id: int
    key: Key
    digest: str
    read_ns: int


class Corpus:
    """The documents of a workspace in the index database (or in memory when that cannot be written)."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.conn = self._open()

    def _open(self) -> sqlite3.Connection:
        path = self.ws.state / index.index_file()
        try:
            store.ensure_state(self.ws)
            conn = sqlite3.connect(path, timeout=5, isolation_level=None)
            self._prepare(conn)
            return conn
        except (sqlite3.Error, OSError):
            # a cache: when it cannot be used, search works from memory, only slower
            conn = sqlite3.connect(":memory:", isolation_level=None)
            self._prepare(conn)
            return conn

    def _prepare(self, conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)")
        stamp = _fingerprint()
        found = conn.execute("SELECT v FROM meta WHERE k = 'search'").fetchone()
        if found is None or found[0] != stamp:
            with conn:
                conn.execute("BEGIN IMMEDIATE")
                for statement in _SCHEMA:
                    conn.execute(statement)
                conn.execute("INSERT OR REPLACE INTO meta VALUES ('search', ?)", (stamp,))

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------------- freshness

    def _files(self) -> Iterator[tuple[str, str, str, Key]]:
        """(slug, file name, path, stat key) of every record and phase note; links, FIFOs and devices are skipped."""
        tanks = str(self.ws.tanks)
        try:
            entries = list(os.scandir(tanks))
        except OSError:
            return
        for tank in sorted(entries, key=lambda e: e.name):
            if tank.name.startswith(".") or not is_slug(tank.name) or tank.is_symlink() or not tank.is_dir():
                continue
            try:
                inside = list(os.scandir(tank.path))
            except OSError:
                continue
            for entry in inside:
                if entry.name != RECORD and entry.name not in _NOTES:
                    continue
                try:
                    regular = entry.is_file(follow_symlinks=False)
                except OSError:
                    continue
                key = _key(entry.path) if regular else None
                if key is not None:
                    yield tank.name, entry.name, entry.path, key

    def _rows(self) -> dict[str, _Row]:
        found = self.conn.execute("SELECT path, id, mtime_ns, ctime_ns, size, ino, digest, read_ns FROM search_doc")
        return {r[0]: _Row(r[1], (r[2], r[3], r[4], r[5]), r[6], r[7]) for r in found}

    def refresh(self) -> None:
        """Bring the documents up to date with the files: new and changed ones read, gone ones dropped."""
        try:
            self._refresh()
        except sqlite3.Error:
            # busy or broken on disk: do the same in memory, from scratch
            self.conn.close()
            self.conn = sqlite3.connect(":memory:", isolation_level=None)
            self._prepare(self.conn)
            self._refresh()

    def _refresh(self) -> None:
        rows = self._rows()
        now = time.time_ns()
        todo: list[tuple[str, str, str, Key, bytes | None]] = []
        settled: list[tuple[int, int]] = []
        seen: set[str] = set()
        for slug, name, path, key in self._files():
            rel = f"tanks/{slug}/{name}"
            seen.add(rel)
            row = rows.get(rel)
            if row is None or row.key != key:
                todo.append((slug, name, path, key, None))
                continue
            changed_at = max(key[0], key[1])
            if changed_at >= row.read_ns - index._RACY_NS and key[2] <= store.MAX_RECORD:
                # changed within a tick of when it was read: its stat cannot tell, its content can
                try:
                    raw = store.read_bytes(Path(path), rel)
                except DoetankError:
                    continue
                if _digest(raw) != row.digest:
                    todo.append((slug, name, path, key, raw))
                elif now - changed_at > index._RACY_NS:
                    settled.append((now, row.id))
        gone = [row.id for rel, row in rows.items() if rel not in seen]
        if not todo and not gone and not settled:
            return
        fresh = []
        for slug, name, path, key, known in todo:
            read_ns = time.time_ns()
            # a file larger than any record or note a person writes is not read at all
            data = known if known is not None else (b"" if key[2] > store.MAX_RECORD else _read(path))
            # one read for the text and its digest: a change in between cannot pair new content with old text
            fresh.append((_document(slug, name, data), key, _digest(data), read_ns))
        with self.conn:
            self.conn.execute("BEGIN IMMEDIATE")
            for doc_id in gone:
                self.conn.execute("DELETE FROM search_doc WHERE id = ?", (doc_id,))
                self.conn.execute("DELETE FROM search_fts WHERE rowid = ?", (doc_id,))
            self.conn.executemany("UPDATE search_doc SET read_ns = ? WHERE id = ?", settled)
            for doc, key, digest, read_ns in fresh:
                self._store(doc, key, digest, read_ns, rows.get(doc.path))

    def _store(self, doc: Document, key: Key, digest: str, read_ns: int, old: _Row | None) -> None:
        values = (
            doc.path, doc.tank, *key, digest, read_ns, doc.title, doc.text,
            json.dumps(doc.meta, ensure_ascii=False) if doc.meta is not None else None,
            json.dumps(doc.lessons, ensure_ascii=False) if doc.lessons else None,
        )  # fmt: skip
        if old is not None:
            self.conn.execute("DELETE FROM search_fts WHERE rowid = ?", (old.id,))
            self.conn.execute(
                "UPDATE search_doc SET path = ?, tank = ?, mtime_ns = ?, ctime_ns = ?, size = ?, ino = ?, digest = ?, "
                "read_ns = ?, title = ?, text = ?, meta = ?, lessons = ? WHERE id = ?",
                (*values, old.id),
            )
            doc_id = old.id
        else:
            cursor = self.conn.execute(
                "INSERT INTO search_doc (path, tank, mtime_ns, ctime_ns, size, ino, digest, read_ns, title, text, "
                "meta, lessons) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                values,
            )
            assert cursor.lastrowid is not None  # an INSERT into a rowid table always has one
            doc_id = cursor.lastrowid
        title, body = words(doc.title), words(doc.text)
        self.conn.execute(
            "INSERT INTO search_fts (rowid, title, title_stems, body, body_stems) VALUES (?, ?, ?, ?, ?)",
            (doc_id, " ".join(title), " ".join(stems(title)), " ".join(body), " ".join(stems(body))),
        )

    # ----------------------------------------------------------------------- reading

    def find(self, text: str, limit: int | None) -> list[Hit]:
        exact = list(dict.fromkeys(words(text)))
        if not exact:
            return []
        stemmed = list(dict.fromkeys(stems(exact)))

        def terms(found: list[str]) -> str:
            return " AND ".join(f'"{t}"' for t in found)

        query = (
            "SELECT d.tank, d.path, d.title, d.text, "
            "CASE WHEN f.rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH :t0) THEN 0 "
            "WHEN f.rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH :t1) THEN 1 "
            "WHEN f.rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH :t2) THEN 2 ELSE 3 END AS tier "
            "FROM search_fts f JOIN search_doc d ON d.id = f.rowid WHERE search_fts MATCH :all "
            "ORDER BY tier, bm25(search_fts, 10.0, 5.0, 2.0, 1.0), d.path LIMIT :limit"
        )
        found = self.conn.execute(
            query,
            {
                "t0": f"title : ({terms(exact)})",
                "t1": f"title_stems : ({terms(stemmed)})",
                "t2": f"body : ({terms(exact)})",
                "all": f"{{title_stems body_stems}} : ({terms(stemmed)})",
                "limit": limit or -1,  # -1: no limit
            },
        ).fetchall()
        hits = []
        for tank, path, title, body, tier in found:
            in_body = any(stem(w) in stemmed for w in words(body))
            if tier <= 1:  # the tank's name holds the words: show it, and where the record says them too
                piece = clean(title) + (" — " + fragment(body, exact, stemmed) if in_body else "")
            else:
                piece = fragment(body, exact, stemmed)
            hits.append(Hit(tank, path, piece))
        return hits

    def documents(self) -> Iterator[tuple[str, str, dict[str, Any] | None, list[tuple[str, str]] | None]]:
        """(tank, path, meta, lessons) of every record and of every note that holds lessons, by path."""
        found = self.conn.execute(
            "SELECT tank, path, meta, lessons FROM search_doc WHERE meta IS NOT NULL OR lessons IS NOT NULL "
            "ORDER BY path"
        )
        for tank, path, meta, lessons in found:
            yield (
                tank,
                path,
                json.loads(meta) if meta else None,
                [(str(x[0]), str(x[1])) for x in json.loads(lessons)] if lessons else None,
            )

    def unread(self) -> list[str]:
        """Records whose facts could not be read (they do not parse or do not fit the schema)."""
        found = self.conn.execute("SELECT path FROM search_doc WHERE meta IS NULL AND path LIKE '%/' || ?", (RECORD,))
        return [row[0] for row in found]


def _read(path: str) -> bytes:
    # store's reader: a file swapped for a pipe since it was listed is refused, never opened in a way that hangs
    with suppress(DoetankError):
        return store.read_bytes(Path(path), path)
    return b""


@dataclass(frozen=True)
class Hit:
    tank: str
    bestand: str
    fragment: str


def search(ws: Workspace, text: str, limit: int | None = 20) -> list[Hit]:
    """The documents that hold every word of `text` (in any Dutch form), best first."""
    with Corpus(ws) as corpus:
        corpus.refresh()
        return corpus.find(text, limit)


# --------------------------------------------------------------------------- for the site


def site_index(docs: list[tuple[str, str, str, str, str]]) -> dict[str, Any]:
    """A small prebuilt index for the site's search box: the documents (slug, naam, label, url, text), every word
    form that occurs with its stem, and for every stem the documents that hold it. The browser needs no stemmer:
    it looks a typed word up among the forms, else among the forms it begins."""
    forms: dict[str, str] = {}
    postings: dict[str, list[int]] = {}
    for number, (_slug, naam, _label, _url, text) in enumerate(docs):
        for word in set(words(naam)) | set(words(text)):
            forms[word] = stem(word)
            postings.setdefault(forms[word], []).append(number)
    return {
        "docs": [
            [slug, naam, label, url, clean(_MARKUP.sub("", text))[:1500]] for slug, naam, label, url, text in docs
        ],
        "forms": dict(sorted(forms.items())),
        "stems": dict(sorted(postings.items())),
    }
