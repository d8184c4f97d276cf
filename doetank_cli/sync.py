"""Working together over git: sync with the team's server, undo your own last change, the network's history.

sync goes in this order, so that what must be refused is refused before anything changes:

1. a repository, a remote, a branch; no merge that waits for a person (then: what to decide); no stale index.lock
2. fetch; two histories with nothing in common are refused (unless one side holds no tanks yet: then joined)
3. the local edits doetank manages (records, notes, templates, its own files; never OS junk or a site), every record
   among them re-read: an unreadable record or an undecided clash stops the sync before anything is committed
4. commit them; a tank both sides started under one slug gets a slug of its own
5. merge: records field by field (merge.py), notes as text; a clash stops here, with what to decide (resolve.py)
6. every record that came in and every record about to go out is read again: nothing unreadable or undecided is pushed
7. push: a server that refuses is exit 4 with its own words, and what is left unshared
8. say what changed, and who changed it
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from doetank_cli import hooks, index, merge, repo, store
from doetank_cli.clock import today
from doetank_cli.errors import DataError, GitError, WorkspaceError
from doetank_cli.i18n import N_, _, datum, ngettext
from doetank_cli.resolve import Author, FileConflict, blame, history
from doetank_cli.undo import UndoResult, network_log, undo, undo_candidate
from doetank_cli.vocab import FASES
from doetank_cli.workspace import RECORD, Workspace, is_slug, note_name

# --------------------------------------------------------------------------- what is never shared

#: files an operating system, an office suite or an editor leaves beside people's work (compared without case)
JUNK_NAMES = frozenset({".ds_store", "thumbs.db", "ehthumbs.db", "desktop.ini", ".directory", "icon\r", ".localized"})
JUNK_FOLDERS = frozenset({"__macosx", ".trashes", ".spotlight-v100", ".fseventsd", ".temporaryitems", ".git"})
#: Office's lock files (~$rapport.docx), LibreOffice's (.~lock.x#), macOS's resource forks (._x), Emacs's locks (.#x)
JUNK_PREFIXES = ("~$", ".~lock.", "._", ".#")
#: editors' swap and backup files, merge leftovers, and temp files (doetank's own: .doetank.yaml.x1y2.tmp)
JUNK_SUFFIXES = (".swp", ".swo", ".swn", ".swx", "~", ".bak", ".tmp", ".temp", ".orig", ".rej", ".crdownload", ".part")


def is_junk(path: str) -> bool:
    """A file nobody means to share: OS, office and editor leftovers, doetank's own temp files."""
    parts = path.split("/")
    if any(part.casefold() in JUNK_FOLDERS for part in parts[:-1]):
        return True
    name = parts[-1].casefold()
    return (
        name in JUNK_NAMES
        or name.startswith(JUNK_PREFIXES)
        or name.endswith(JUNK_SUFFIXES)
        or (name.startswith("#") and name.endswith("#"))
    )


_NOTES = {note_name(fase) for fase in FASES}

__all__ = ["SyncResult", "TankChange", "UndoResult", "is_junk", "network_log", "sync", "undo", "undo_candidate"]


# --------------------------------------------------------------------------- results


@dataclass
class TankChange:
    slug: str
    kind: str  # added | changed | removed | renamed | unreadable
    fase_van: str | None = None
    fase_naar: str | None = None
    status_naar: str | None = None  # afgerond or gestopt, when that is what changed
    details: list[str] = field(default_factory=list)  # "richtlijn.einddatum 2027-06-30 → 2027-05-31 (Sanne)"
    more: int = 0  # changes not listed in details
    van: str | None = None  # renamed: the short name it had


@dataclass
class SyncResult:
    remote: str
    branch: str
    committed: list[str] = field(default_factory=list)  # local edits committed before the merge (paths)
    shared_other: list[str] = field(default_factory=list)  # committed files that are no record or note: named
    left_out: list[str] = field(default_factory=list)  # files under tanks/ that are no tank's: not committed
    renamed: list[tuple[str, str]] = field(default_factory=list)
    joined: str | None = None  # "server" or "local": the side that held no tanks, when two histories were joined
    incoming: list[TankChange] = field(default_factory=list)
    outgoing: list[TankChange] = field(default_factory=list)
    received: int = 0  # commits that came in from the server (tanks or not)
    received_other: list[str] = field(default_factory=list)  # files they changed that are no tank's (README.md)
    sent: int = 0  # commits the push sent (a decision, a merge, as well as changes to tanks)
    sent_subjects: list[str] = field(default_factory=list)  # the newest of them, as git has them (newest first)
    conflicts: list[FileConflict] = field(default_factory=list)
    pushed: bool = False
    fouten: dict[str, int] = field(default_factory=dict)  # tanks that changed and now break a rule
    notices: list[str] = field(default_factory=list)

    @property
    def nothing_new(self) -> bool:
        """Nothing came in, nothing went out, nothing was committed or renamed: what both faces call up to date."""
        return not (
            self.incoming
            or self.outgoing
            or self.received
            or self.sent
            or self.committed
            or self.renamed
            or self.conflicts
        )


# --------------------------------------------------------------------------- the workspace's files in git


def ensure_merge_driver(ws: Workspace) -> Path | None:
    """.gitattributes names the driver for every record and keeps records and notes at \n line ends in every checkout
    (a Windows clone with core.autocrlf would otherwise commit \r); this clone's config defines the driver. The
    attributes file, when it had to be written, is returned so that it is committed."""
    top = repo.toplevel(ws.root)
    repo.register_merge_driver(top)
    attributes = ws.root_file(".gitattributes")
    text = store.read_text(attributes, ws.rel(attributes)) if attributes.exists() else ""
    missing = [line for line in repo.ATTRIBUTES if line not in text.splitlines()]
    if not missing:
        return None
    store.atomic_write(attributes, text + ("" if not text or text.endswith("\n") else "\n") + "\n".join(missing) + "\n")
    return attributes


def _managed(ws: Workspace, top: Path) -> list[str]:
    """What doetank shares, from the repository's top: tanks/, templates/ and its own files, nothing else."""
    return [p.relative_to(top).as_posix() for p in (ws.tanks, ws.templates, ws.root / ".gitattributes", ws.schema_path)]


@dataclass
class _Local:
    commit: list[str] = field(default_factory=list)  # from the repository's top
    other: list[str] = field(default_factory=list)  # what is committed and is no record or note (named)
    left_out: list[str] = field(default_factory=list)  # under tanks/, but no tank's file: not committed (named)


def _local(ws: Workspace, top: Path) -> _Local:
    """The local edits sync commits: doetank's files, no junk; under tanks/ only the files of a tank."""
    found = _Local()
    tanks = ws.tanks.relative_to(top).as_posix()
    known = set(repo.tree_names(top, "HEAD", tanks)) if repo.rev(top, "HEAD") else set()
    for _code, path in repo.status(top, _managed(ws, top)):
        if is_junk(path):
            continue
        if path.startswith(f"{tanks}/"):
            inside = path[len(tanks) + 1 :].split("/")
            if inside == [".gitkeep"]:
                found.commit.append(path)
                continue
            slug = inside[0]
            is_tank = len(inside) >= 2 and is_slug(slug) and ((ws.tanks / slug / RECORD).is_file() or slug in known)
            if not is_tank:
                found.left_out.append(path)
                continue
            if inside[1:] not in ([RECORD], *([n] for n in _NOTES)):
                found.other.append(path)
        elif path.startswith(f"{ws.templates.relative_to(top).as_posix()}/"):
            found.other.append(path)
        found.commit.append(path)
    return found


def _check_record(top: Path, path: str, label: str, came_in: Callable[[], str] | None = None) -> None:
    """A record about to be committed or pushed, or that came in: it must read, and hold no undecided clash.
    `came_in` says where it came from, asked only when it does not read (it looks in git's history)."""
    full = top / path
    if not full.is_file():
        return
    try:
        raw = store.read_bytes(full, label, store.MAX_RECORD)
        store.load_record(full, label, raw)
    except DataError as exc:
        said = came_in() if came_in is not None else _nothing_shared()
        raise DataError(exc.message, hint=said + " " + (exc.hint or "")) from None
    lines = store.conflict_lines(store.decode(raw, label))
    if lines:
        raise WorkspaceError(
            _("{file}:{line}: a clash is still undecided here, so it is not shared.").format(file=label, line=lines[0]),
            hint=_("Decide it with 'doetank resolve', then sync again."),
        )


def _check_note(top: Path, path: str, label: str) -> None:
    full = top / path
    if not full.is_file():
        return
    try:
        text = store.read_bytes(full, label).decode("utf-8", errors="replace")
    except DataError:
        return  # a folder where a note should be: not this check's business
    line = store.marker_line(text)
    if line:
        raise WorkspaceError(
            _("{file}:{line}: both versions of a clash are still in this note, so it is not shared.").format(
                file=label, line=line
            ),
            hint=_("Decide it with 'doetank resolve', then sync again."),
        )


def _nothing_shared() -> str:
    return _("Nothing was committed or shared.")


def _check_files(ws: Workspace, top: Path, paths: list[str], came_in: Callable[[], str] | None = None) -> None:
    tanks = ws.tanks.relative_to(top).as_posix()
    for path in paths:
        label = _rel(ws, top, path)
        if not path.startswith(f"{tanks}/"):
            continue
        if path.endswith(f"/{RECORD}"):
            _check_record(top, path, label, came_in)
        elif path.rsplit("/", 1)[-1] in _NOTES:
            _check_note(top, path, label)


def _rel(ws: Workspace, top: Path, path: str) -> str:
    full = top / path
    return full.relative_to(ws.root).as_posix() if full.is_relative_to(ws.root) else path


# --------------------------------------------------------------------------- what changed, and who changed it


_MAX_DETAILED = 20  # tanks whose changes are told field by field; beyond that, a sync only says which changed
_MAX_LINES = 6


#: a field of the record as people name it; other fields by their key in the record (richtlijn.einddatum is a key,
#: which docs/glossary.md keeps as it is in both languages)
_FIELD_WORDS = {
    ("naam",): N_("name"),
    ("publiek",): N_("public"),
    ("afgerond",): N_("finished on"),
    ("vraagstuk", "probleem"): N_("vraagstuk"),
    ("vraagstuk", "organisatie"): N_("organisation of the vraagstuk"),
    ("vraagstuk", "groter_vraagstuk"): N_("groter vraagstuk"),
    ("opdrachtgever", "naam"): N_("opdrachtgever"),
    ("opdrachtgever", "organisatie"): N_("organisation of the opdrachtgever"),
    ("richtlijn", "einddatum"): N_("end date"),
    ("kickoff", "datum"): N_("kickoff date"),
    ("kickoff", "locatie"): N_("kickoff location"),
    ("gestopt", "datum"): N_("stopped on"),
    ("gestopt", "reden"): N_("reason for stopping"),
}
#: a field whose arrival is a sentence of its own: "gestopt op 28 november 2026", not "gestopt op toegevoegd: ..."
_ADDED_WORDS: dict[tuple[str, ...], str] = {
    ("gestopt", "datum"): N_("stopped on {value}"),
    ("afgerond",): N_("finished on {value}"),
}
#: what a field of the record means when it is not written: "publiek" that comes as false was true before
_DEFAULTS: dict[tuple[str, ...], Any] = {("publiek",): True}
#: an item of a list of the record, as a person names it: "lid Eva Jansen", not "leden[Eva Jansen]"
_ITEM_WORDS = {
    "leden": N_("member {name}"),
    "updates": N_("update {name}"),
}
#: a field of an item with words of its own (the others by their key: rol, organisatie, sector, status)
_ITEM_FIELD_WORDS: dict[tuple[str, ...], str] = {
    ("consulten", "gehouden"): N_("date held"),
}
#: a field of an item whose arrival is a sentence of its own: "consult with Cor (Hoe?) held on 3 December 2026"
_ITEM_ADDED_WORDS: dict[tuple[str, ...], str] = {
    ("consulten", "gehouden"): N_("{item} held on {value}"),
}


def field_words(steps: tuple[merge.Step, ...], label: str) -> str:
    """Where a change is, for people: "end date" (einddatum in Dutch), "target date for onderzoeken", "member Eva
    Jansen", "rol of member Eva Jansen"; a field without words of its own by its key in the record (`label`)."""
    keys = tuple(str(step) for step in steps)
    words = _FIELD_WORDS.get(keys)
    if words is not None:
        return _(words)
    if len(keys) == 3 and keys[:2] == ("richtlijn", "fases"):
        return _("target date for {fase}").format(fase=keys[2])
    if len(keys) == 2 and keys[0] == "uitzonderingen":
        return _("waiver of {rule}").format(rule=keys[1])
    if len(steps) >= 2 and isinstance(steps[1], merge.Item) and keys[0] in (*_ITEM_WORDS, "consulten"):
        name = _item_words(keys[0], steps[1])
        if len(steps) == 2:
            return name
        sub = _ITEM_FIELD_WORDS.get((keys[0], *keys[2:]))
        return _("{field} of {item}").format(field=_(sub) if sub else ".".join(keys[2:]), item=name)
    return label


def _item_words(key: str, item: merge.Item) -> str:
    """An item of a list as people name it: "member Eva Jansen", "consult with Cor (Hoe?)", "update https://…"."""
    nth = f" ({item.nth + 1})" if item.nth > 0 else ""
    if key == "consulten":  # merge labels a consult "expert: question"
        expert, _sep, question = item.label.partition(": ")
        if question:
            return _("consult with {expert} ({question})").format(expert=expert, question=question) + nth
        return _("consult with {expert}").format(expert=expert) + nth
    return _(_ITEM_WORDS[key]).format(name=item.label + nth)


def change_words(steps: tuple[merge.Step, ...], label: str, old: Any, new: Any) -> str:
    """One change as a line for people: "end date: 30 June 2027 → 31 May 2027", "member Eva Jansen added",
    "stopped on 28 November 2026" (without who made it)."""
    words = field_words(steps, label)
    if old is merge.MISSING and isinstance(steps[-1], merge.Item):
        return _("{field} added").format(field=words)  # the item's name is in its words
    if old is merge.MISSING:
        keys = tuple(str(step) for step in steps)
        sentence = _ADDED_WORDS.get(keys)
        if sentence is not None:
            return _(sentence).format(value=value_words(new))
        sentence = _ITEM_ADDED_WORDS.get((keys[0], *keys[2:]))
        if sentence is not None and len(steps) > 2 and isinstance(steps[1], merge.Item):
            return _(sentence).format(item=_item_words(keys[0], steps[1]), value=value_words(new))
        return _("{field} added: {value}").format(field=words, value=value_words(new))
    if new is merge.MISSING:
        return _("{field} removed").format(field=words)
    return f"{words}: {value_words(old)} → {value_words(new)}"


def value_words(value: Any) -> str:
    """A value for people: a date as the language writes it, yes or no, empty; text shortened to one line."""
    plain = store.plain(value) if value is not merge.MISSING else value
    if isinstance(plain, bool):
        return _("yes") if plain else _("no")
    if plain is None:
        return _("(empty)")
    if isinstance(plain, date):
        return datum(plain)
    if isinstance(plain, str) and _ISO_DAY.match(plain):
        with suppress(ValueError):
            return datum(date.fromisoformat(plain))
    return _short(plain)


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _short(value: Any) -> str:
    shown = merge.show(value)
    return shown if len(shown) <= 60 else shown[:57] + "…"


#: a top-level `fase:` or `status:` line with a plain value (a line at the left margin is a key of the record itself:
#: what belongs to another key is indented under it)
_TOP = re.compile(r"^(fase|status):[ \t]*([a-z]+)[ \t]*(?:#.*)?$", re.MULTILINE)
#: the record's stable `id` on its own line (quoted or not): what tells a renamed tank from a new one
_ID = re.compile(r"^id:[ \t]*(['\"]?)([A-Za-z0-9._:-]+)\1[ \t]*(?:#.*)?$", re.MULTILINE)


def _plain(text: str | None, path: str, facts_only: bool = False) -> Any:
    """A record's text at a commit as plain data; None when absent; DataError when it is there but does not read.

    `facts_only`: its fase and status are enough, and are read from their own lines when that is certain (each once,
    block style, a plain value): a sync that brings 1,000 tanks would otherwise parse 2,000 records to tell them.
    A record that does not read is found all the same: every record that came in is read in full before the push.
    """
    if text is None:
        return None
    if facts_only:
        found = _TOP.findall(text)
        keys = [key for key, _value in found]
        if "fase" in keys and len(keys) == len(set(keys)) and not text.lstrip().startswith(("{", "%", "---")):
            facts: dict[str, str] = dict(found)
            ids = _ID.findall(text)
            if len(ids) == 1:
                facts["id"] = ids[0][1]
            return facts
    data = store.load_plain(text, path)
    return data if isinstance(data, dict) else {}


def _changes(ws: Workspace, top: Path, since: str, until: str, names: bool) -> list[TankChange]:
    tanks = ws.tanks.relative_to(top).as_posix()
    slugs = sorted({p[len(tanks) + 1 :].split("/", 1)[0] for p in repo.changed(top, since, until, tanks)} - {""})
    slugs = [slug for slug in slugs if is_slug(slug)]  # tanks/.gitkeep and other loose files are no tanks
    # every record on both sides in one git process: a sync that brings 1,000 tanks would start 2,000 otherwise
    texts = repo.show_many(top, [f"{commit}:{tanks}/{slug}/{RECORD}" for slug in slugs for commit in (since, until)])
    found = []
    records: dict[str, Any] = {}  # the record each change is told from (the old one of a removed tank)
    many = len(slugs) > _MAX_DETAILED  # then only the phase and status are told: read them, not whole records
    for slug in slugs:
        path = f"{tanks}/{slug}/{RECORD}"
        try:
            old = _plain(texts[f"{since}:{path}"], path, many)
        except DataError:
            old = {}
        try:
            new = _plain(texts[f"{until}:{path}"], path, many)
        except DataError:
            found.append(TankChange(slug, "unreadable"))
            continue
        if new is None and old is None:
            continue  # only a note of a tank whose record is elsewhere
        kind = "added" if old is None else "removed" if new is None else "changed"
        change = TankChange(slug, kind, (old or {}).get("fase"), (new or {}).get("fase"))
        status = (new or {}).get("status")
        if status in ("afgerond", "gestopt") and (old or {}).get("status") != status:
            change.status_naar = str(status)
        if kind == "changed" and len(slugs) <= _MAX_DETAILED:
            _details(top, path, since, until, old or {}, new or {}, change, names)
        found.append(change)
        records[slug] = old if kind == "removed" else new
    return _renames(top, tanks, since, until, found, records, not many, names)


def _renames(
    top: Path,
    tanks: str,
    since: str,
    until: str,
    found: list[TankChange],
    records: dict[str, Any],
    details: bool,
    names: bool,
) -> list[TankChange]:
    """A tank that left one short name and arrived under another is one tank renamed, not one removed and one new:
    the record's stable `id` says so, and, for a record without one, git's own rename detection of the record."""
    added = {c.slug: c for c in found if c.kind == "added"}
    removed = {c.slug: c for c in found if c.kind == "removed"}
    if not added or not removed:
        return found
    pairs: dict[str, str] = {}  # new slug → old slug
    by_id = {str(records[s]["id"]): s for s in removed if isinstance(records.get(s), dict) and records[s].get("id")}
    for slug in added:
        record = records.get(slug)
        old_slug = by_id.get(str(record.get("id"))) if isinstance(record, dict) and record.get("id") else None
        if old_slug is not None and old_slug not in pairs.values():
            pairs[slug] = old_slug
    for new_path, old_path in repo.moved(top, since, until, tanks).items():
        new_slug, old_slug = (p[len(tanks) + 1 :].split("/")[0] for p in (new_path, old_path))
        if (
            new_path.endswith(f"/{RECORD}")
            and new_slug in added
            and old_slug in removed
            and new_slug not in pairs
            and old_slug not in pairs.values()
        ):
            pairs[new_slug] = old_slug
    result = []
    for change in found:
        if change.slug in pairs.values():
            continue  # told under its new name
        if change.slug not in pairs:
            result.append(change)
            continue
        old_slug = pairs[change.slug]
        old, new = records.get(old_slug) or {}, records.get(change.slug) or {}
        renamed = TankChange(change.slug, "renamed", old.get("fase"), new.get("fase"), van=old_slug)
        status = new.get("status")
        if status in ("afgerond", "gestopt") and old.get("status") != status:
            renamed.status_naar = str(status)
        if details:
            _details(top, f"{tanks}/{change.slug}/{RECORD}", since, until, old, new, renamed, names,
                     before=f"{tanks}/{old_slug}/{RECORD}")  # fmt: skip
        result.append(renamed)
    return result


def _details(
    top: Path,
    path: str,
    since: str,
    until: str,
    old: dict[str, Any],
    new: dict[str, Any],
    change: TankChange,
    names: bool,
    *,
    before: str | None = None,  # the record's path before the tank was renamed in between
) -> None:
    """Each changed field on one line, with who changed it (from the commits between)."""
    fields = [
        _with_default(c)
        for c in merge.changes(old, new)
        if c.steps and c.steps[0] not in ("geschiedenis", "fase", "status")
    ]
    fields = [c for c in fields if c.old is merge.MISSING or c.new is merge.MISSING or c.old != c.new]
    held = {c.steps[1] for c in fields if c.steps[0] == "consulten" and c.steps[2:] == ("gehouden",)}
    fields = [
        c for c in fields if not (c.steps[0] == "consulten" and c.steps[2:] == ("status",) and c.steps[1] in held)
    ]
    commits = history(top, path, since, until, before=before) if names else []
    authors = {author.wie for _sha, author in commits}
    renamed = _renamed_member(fields)
    if renamed is not None and "member set" not in _commands(top, path, since, until, before):
        renamed = None  # a member who left and a colleague alike who came (member remove, member add): two lines
    if renamed is not None:
        fields = [c for c in fields if c is not renamed[0]]  # told on the line of the name it has now
    for c in fields[:_MAX_LINES]:
        if renamed is not None and c is renamed[1]:
            line = _("member {old} is now called {new}").format(
                old=merge.show(renamed[0].old.get("naam")), new=merge.show(c.new.get("naam"))
            )
        else:
            line = change_words(c.steps, c.label, c.old, c.new)
        if names and commits:
            who: Author = (
                commits[0][1] if len(authors) == 1 else blame(top, path, commits, c.steps, c.new, before=before)
            )
            line += f" ({who.wie})"
        change.details.append(line)
    change.more = max(0, len(fields) - _MAX_LINES)


def _with_default(c: merge.FieldChange) -> merge.FieldChange:
    """A field that came or went told against the value it had unwritten: "publiek: yes → no", not "publiek added"."""
    default = _DEFAULTS.get(tuple(str(step) for step in c.steps), merge.MISSING)
    if default is merge.MISSING:
        return c
    old = default if c.old is merge.MISSING else c.old
    new = default if c.new is merge.MISSING else c.new
    return merge.FieldChange(c.steps, c.label, store.plain(old), store.plain(new))


def _commands(top: Path, path: str, since: str, until: str, before: str | None) -> set[str]:
    """The doetank commands of the commits between that changed the record (their Doetank-Command trailers)."""
    span = f"{since}..{until}" if since else until
    out = repo.git(top, "log", "--no-merges", f"--format=%(trailers:key={repo.TRAILER_PREFIX}Command,valueonly)",
                   span, "--", path, *([before] if before else []), check=False).stdout  # fmt: skip
    return {line.strip() for line in out.splitlines() if line.strip()}


def _renamed_member(fields: list[merge.FieldChange]) -> tuple[merge.FieldChange, merge.FieldChange] | None:
    """A member who left and one who came with the same rol, organisatie and sector, when that is the only such pair:
    one member whose name was written anew (`member set --naam`, as the commits between must say), not one removed
    and one added."""
    gone = [c for c in fields if c.steps[0] == "leden" and len(c.steps) == 2 and c.new is merge.MISSING]
    came = [c for c in fields if c.steps[0] == "leden" and len(c.steps) == 2 and c.old is merge.MISSING]
    if len(gone) != 1 or len(came) != 1 or not isinstance(gone[0].old, dict) or not isinstance(came[0].new, dict):
        return None

    def rest(member: dict[str, Any]) -> dict[str, Any]:
        return {key: store.plain(value) for key, value in member.items() if key != "naam"}

    return (gone[0], came[0]) if rest(gone[0].old) == rest(came[0].new) else None


# --------------------------------------------------------------------------- slugs both sides took


def _free_slug(slug: str, taken: set[str]) -> str:
    n = 2
    while f"{slug}-{n}" in taken:
        n += 1
    return f"{slug}-{n}"


def _rename_collisions(
    ws: Workspace, top: Path, base: str | None, theirs: str, identity: list[str]
) -> list[tuple[str, str]]:
    """Tanks both sides created under one slug since they parted: ours moves to a slug of its own, before the merge."""
    tanks = ws.tanks.relative_to(top).as_posix()
    before = repo.tree_names(top, base, tanks) if base else {}
    ours, other = repo.tree_names(top, "HEAD", tanks), repo.tree_names(top, theirs, tanks)
    renamed = []
    for slug in sorted((set(ours) - set(before)) & (set(other) - set(before))):
        if ours[slug] == other[slug] or not is_slug(slug):
            continue  # the very same tank on both sides
        new = _free_slug(slug, set(ours) | set(other))
        repo.git(top, "mv", "--", f"{tanks}/{slug}", f"{tanks}/{new}")
        subject = _("{old} became {new}: the short name was already taken on the server").format(old=slug, new=new)
        message = repo.message(f"doetank sync: {subject}", {"Tank": new, "Command": "sync"})
        repo.git(top, "-c", "commit.gpgsign=false", *identity, "commit", "--quiet", "-m", message,
                 "--", f"{tanks}/{slug}", f"{tanks}/{new}")  # fmt: skip
        ours[new] = ours.pop(slug)
        renamed.append((slug, new))
    return renamed


def _holds_tanks(top: Path, commit: str, tanks: str) -> bool:
    return any(is_slug(name) for name in repo.tree_names(top, commit, tanks))


# --------------------------------------------------------------------------- sync


_SERVER_SAID = re.compile(r"^remote: ?(.*)$", re.MULTILINE)


def _server_words(said: str) -> str:
    """What the server itself said (the 'remote:' lines of git's output), else git's first error line (its last lines
    are often general advice: "Please make sure you have the correct access rights / and the repository exists."),
    else its last line."""
    words = [line.strip() for line in _SERVER_SAID.findall(said) if line.strip()]
    if words:
        return " / ".join(words)
    lines = [line.strip() for line in said.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith(("fatal:", "error:"))]
    return errors[0] if errors else lines[-1] if lines else ""


def _preflight(ws: Workspace) -> tuple[Path, str, str]:
    if not repo.is_repo(ws.root):
        raise WorkspaceError(
            _("{root} is not in a git repository, so there is nothing to share.").format(root=ws.root),
            hint=_(
                "'doetank init' in this folder starts its history (nothing is lost); then ask whoever set up the "
                "team's server to connect this workspace to it."
            ),
        )
    top = repo.toplevel(ws.root)
    names = repo.remotes(top)
    if not names:
        raise WorkspaceError(
            _("This workspace is not connected to the team's server yet, so there is nobody to share with."),
            hint=_("Ask whoever set up this workspace to connect it to the team's server; then synchronise again."),
        )
    remote = "origin" if "origin" in names else names[0]
    current = repo.branch(top)
    if current is None and repo.unfinished(ws.root) is not None:
        current = ""  # a rebase waits (HEAD is detached meanwhile): sync says what to decide, and changes nothing
    elif current is None:
        raise WorkspaceError(
            _(
                "This workspace is not on its branch right now (a git tool opened an older version), so there is "
                "nothing to share from. Nothing was changed."
            ),
            hint=_(
                "Ask whoever set up this workspace to go back to its branch (for them: git switch {branch}); then "
                "synchronise again."
            ).format(branch=repo.home_branch(top, remote)),
        )
    folder = repo.git_dir(ws.root)
    if folder is not None and (folder / "index.lock").exists():
        lock = folder / "index.lock"
        raise GitError(
            _(
                "git's lock file {lock} is there: another git program is working in this workspace, or one was "
                "stopped halfway (an interrupted sync). Nothing was changed."
            ).format(lock=lock),
            hint=_("When no other git program is running (close your git tools), delete {lock} and sync again.").format(
                lock=lock
            ),
        )
    return top, remote, current


def sync(ws: Workspace, progress: index.Progress | None = None) -> SyncResult:
    top, remote, current = _preflight(ws)
    result = SyncResult(remote, current)
    with store.lock(ws):
        operation = repo.unfinished(ws.root)
        if operation is not None:
            from doetank_cli import resolve

            result.conflicts = resolve.conflicts(ws).files
            if result.conflicts or operation != "merge":
                if not result.conflicts:
                    raise WorkspaceError(
                        _("git is in the middle of a {operation} that waits for you; nothing was shared.").format(
                            operation=repo.operation_name(operation)
                        ),
                        hint=_("Finish it with 'doetank resolve', then sync again."),
                    )
                return result
            result.notices += resolve.finish(ws).notices  # decided by hand: the merge is concluded first
        identity, notice = repo.identity_args(top)
        tanks = ws.tanks.relative_to(top).as_posix()
        nothing = repo.empty_tree(top)  # "since the start"

        # 2. what the server has; two unrelated projects are refused before anything changes
        theirs = _fetch(top, remote, current)
        head = repo.rev(top, "HEAD")
        if theirs is not None and head is not None:
            base = repo.git(top, "merge-base", "HEAD", theirs, check=False).stdout.strip() or None
            if base is None:
                if _holds_tanks(top, theirs, tanks) and _holds_tanks(top, "HEAD", tanks):
                    raise WorkspaceError(
                        _(
                            "This workspace and the project on the team's server are two different projects (no "
                            "history in common), and both hold tanks. Nothing was changed."
                        ),
                        hint=_(
                            "Check the address with 'git remote -v'. To move your tanks to that project: clone it "
                            "(git clone URL), copy your tanks/ folders into the clone, and sync from there."
                        ),
                    )
                result.joined = "local" if _holds_tanks(top, theirs, tanks) else "server"

        # 3. the local edits: only what doetank manages, every record re-read before anything is committed
        local = _local(ws, top)
        result.left_out = [_rel(ws, top, p) for p in local.left_out]
        _check_files(ws, top, local.commit)
        attributes = ensure_merge_driver(ws)
        if attributes is not None:
            local.commit.append(attributes.relative_to(top).as_posix())
        if local.commit:
            slugs = sorted({p[len(tanks) + 1 :].split("/")[0] for p in local.commit if p.startswith(f"{tanks}/")})
            trailers = {"Command": "sync", **({"Tank": ",".join(s for s in slugs if is_slug(s))} if slugs else {})}
            subject = "doetank sync: " + _("own changes, shared")  # in the language of who made them
            sha, said = repo.commit(top, [top / p for p in local.commit], subject, trailers)
            result.notices += said
            if sha is not None:
                result.committed = [_rel(ws, top, p) for p in local.commit if p != ".gitattributes"]
                result.shared_other = [_rel(ws, top, p) for p in local.other]

        # 4-7. merge and push; someone pushing in between means fetch and merge again
        for _attempt in range(3):
            if theirs is not None:
                stopped = _merge(ws, top, theirs, result, identity, notice, nothing, progress)
                if stopped:
                    return result
            _check_outgoing(ws, top, theirs or nothing)
            result.outgoing = (
                _changes(ws, top, theirs or nothing, "HEAD", names=False) if repo.rev(top, "HEAD") != theirs else []
            )
            ahead = f"{theirs}..HEAD" if theirs else "HEAD"
            result.sent = _count(top, ahead) if repo.rev(top, "HEAD") else 0
            result.sent_subjects = _subjects(top, ahead) if result.sent else []
            if _push(top, remote, current, result, theirs):
                break
            theirs = _fetch(top, remote, current)
        else:
            raise GitError(
                _("The team's server kept changing while this sync ran; nothing more was shared."),
                hint=_("Sync again in a moment."),
            )
    slugs = sorted({c.slug for c in result.incoming + result.outgoing if c.kind != "removed"} & set(ws.slugs()))
    if slugs:
        checked = index.summaries(ws, slugs, today(), complete=False, progress=progress, findings=False)
        result.fouten = {s.slug: s.fouten for s in checked.tanks if s.fouten}
    result.notices += hooks.after(ws, hooks.POST_SYNC)  # after the lock: the hook may run doetank itself
    return result


def _count(top: Path, commits: str) -> int:
    counted = repo.git(top, "rev-list", "--count", commits, check=False).stdout.strip()
    return int(counted) if counted.isdigit() else 0


_MAX_SUBJECTS = 10


def _subjects(top: Path, commits: str) -> list[str]:
    out = repo.git(top, "log", "-z", f"--max-count={_MAX_SUBJECTS}", "--format=%s", commits, "--", check=False)
    return [s.strip("\n") for s in out.stdout.split("\0") if s.strip()]


def _fetch(top: Path, remote: str, current: str) -> str | None:
    fetched = repo.git(top, "fetch", "--quiet", remote, check=False)
    if fetched.returncode != 0:
        raise GitError(
            _("git could not reach {remote}: {said}").format(remote=remote, said=_server_words(fetched.stderr)),
            hint=_("Check the address with 'git remote -v' and your connection, then sync again."),
        )
    return repo.rev(top, f"{remote}/{current}")


def _merge(
    ws: Workspace,
    top: Path,
    theirs: str,
    result: SyncResult,
    identity: list[str],
    notice: str | None,
    nothing: str,
    progress: index.Progress | None = None,
) -> bool:
    """Merge the server's side; True when a person must decide first (the conflicts are in result)."""
    from doetank_cli import resolve

    base = repo.git(top, "merge-base", "HEAD", theirs, check=False).stdout.strip() or None
    if base == theirs:
        return False  # nothing new from the server
    before = repo.rev(top, "HEAD")
    renamed = _rename_collisions(ws, top, base, theirs, identity)
    incoming = _changes(ws, top, base or nothing, theirs, names=True)
    received = _count(top, f"HEAD..{theirs}")
    tanks = ws.tanks.relative_to(top).as_posix()
    other = [_rel(ws, top, p) for p in repo.changed(top, base or nothing, theirs, ".") if not p.startswith(f"{tanks}/")]
    # in the language of who made it, as every change doetank commits; never undone: it carries colleagues' work
    message = repo.message("doetank sync: " + _("the team's changes, brought together"), {"Command": "sync"})
    # the options name git's defaults, so that a person's git settings (merge.ff=only, branch.*.mergeOptions with
    # --squash or --ff-only, merge.autoStash, merge.verifySignatures) cannot turn sync into something else
    merged = repo.git(top, "-c", "commit.gpgsign=false", *identity, "merge", "--no-edit", "--quiet", "--ff",
                      "--no-squash", "--no-autostash", "--no-verify-signatures", "-m", message,
                      *(["--allow-unrelated-histories"] if base is None else []), theirs, check=False)  # fmt: skip
    if merged.returncode != 0:
        waiting = resolve.conflicts(ws) if repo.unfinished(ws.root) == "merge" else None
        if waiting is not None and waiting.files:
            result.renamed += renamed
            result.incoming = incoming
            result.conflicts = [f for f in waiting.files if f.kind != resolve.Kind.leftover]
            return True
        if renamed and before is not None and repo.unfinished(ws.root) is None:
            repo.git(top, "reset", "--quiet", "--keep", before, check=False)  # the renames are not kept either
        raise GitError(
            _("git could not merge the team's changes: {said}").format(said=(merged.stderr or merged.stdout).strip()),
            hint=_nothing_shared(),
        )
    result.renamed += renamed
    result.incoming += incoming
    result.received += received
    result.received_other += [p for p in other if p not in result.received_other]
    merge_commit = repo.git(top, "rev-list", "--count", "--merges", "HEAD^!", check=False).stdout.strip() == "1"
    said = repo.identity_once(top, notice) if merge_commit and repo.rev(top, "HEAD") != before else None
    if said and said not in result.notices:
        result.notices.append(said)  # the merge was committed as the fallback identity
    came = [c for c in incoming if c.kind in ("added", "changed", "renamed", "unreadable")]
    # every record that came in, read once (in worker processes when there are many) through the index: what reads
    # and holds no undecided clash is fine, and is current in the index for the re-check after the push; the rest is
    # checked one by one below, which names the file, its line, and who sent it
    present = {c.slug for c in came if is_slug(c.slug) and (ws.tanks / c.slug / RECORD).is_file()}
    read = index.summaries(ws, sorted(present), today(), complete=False, progress=progress, findings=False)
    fine = {s.slug for s in read.tanks if not s.undecided}
    for change in came:
        if change.slug in fine:
            continue
        path = f"{tanks}/{change.slug}/{RECORD}"

        def source(path: str = path) -> str:
            who = history(top, path, base, theirs, limit=1)
            return (
                _("It came from the server ({who}, {day}); nothing was shared.").format(
                    who=who[0][1].wie, day=who[0][1].wanneer
                )
                if who
                else _("It came from the server; nothing was shared.")
            )

        _check_record(top, path, _rel(ws, top, path), source)
    return False


def _check_outgoing(ws: Workspace, top: Path, since: str) -> None:
    """Every record and note about to be pushed reads and holds no undecided clash."""
    tanks = ws.tanks.relative_to(top).as_posix()
    _check_files(ws, top, repo.changed(top, since, "HEAD", tanks))


def _push(top: Path, remote: str, current: str, result: SyncResult, theirs: str | None) -> bool:
    """Push; False when someone pushed in between (fetch and merge again). A refusal is an error in its own words."""
    push = repo.git(top, "push", "--quiet", "--porcelain", "-u", remote, f"HEAD:refs/heads/{current}", check=False)
    if push.returncode == 0:
        result.pushed = True
        return True
    said = f"{push.stdout}\n{push.stderr}"
    if re.search(r"^!\s.*\[rejected\].*\((fetch first|non-fast-forward)\)", said, re.MULTILINE) or (
        "[rejected]" in said and "[remote rejected]" not in said
    ):
        return False
    counted = repo.git(top, "rev-list", "--count", f"{theirs}..HEAD" if theirs else "HEAD", check=False).stdout
    unshared = int(counted.strip()) if counted.strip().isdigit() else 0
    tanks = ", ".join(sorted({c.slug for c in result.outgoing})) or "-"
    left = ngettext(
        "{n} change is only on this computer ({tanks}).", "{n} changes are only on this computer ({tanks}).", unshared
    ).format(n=unshared, tanks=tanks)
    server = _server_words(push.stderr)
    if "[remote rejected]" in said or "remote: " in push.stderr:
        raise GitError(
            _("The team's server refused the changes. The server said: “{said}”").format(said=server),
            hint=left + " " + _("Ask the server's keeper (or your team) what it needs; then sync again."),
        )
    raise GitError(
        _("git could not send the changes to {remote}: {said}").format(remote=remote, said=server),
        hint=left + " " + _("Check your connection and access, then sync again."),
    )
