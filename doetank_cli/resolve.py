"""Deciding what a merge left undecided, and finishing it: one core for `doetank resolve` and the browser.

A sync that meets changes that clash stops with git's merge unfinished. Records were merged field by field: each clash
is a `# doetank-conflict:` line at the top of the record, which keeps your value until a person decides. Notes are
prose and hold both versions between git's markers. This module lists those conflicts with the three versions and who
made each, applies decisions, and concludes the merge.

The API (everything takes the workspace; paths are POSIX paths from the workspace root, as `conflicts()` gives them):

    found = resolve.conflicts(ws, tank=None)           # Conflicts: .files, each a FileConflict; .operation
    for f in found.files:
        f.kind                                         # Kind.record | note | unreadable | deleted | leftover
        for c in f.clashes:                            # records: one FieldClash per field both sides changed
            c.id, c.base, c.ours, c.theirs             # Version: .shown (one line), .value, .present, .wie, .wanneer
    resolve.decide(ws, path, clash_id, Choice.theirs)  # or Choice.ours, or Choice.value with value="2027-05-31"
    resolve.decide_note(ws, path, Keep.both)           # notes: both versions one after the other (nothing lost),
                                                       # or Keep.ours / Keep.theirs; also for `unreadable`/`deleted`
    done = resolve.finish(ws)                          # Finished: .sha of the merge commit, .unshared, .tanks

`decide` and `decide_note` write the file and, once nothing in it is open, stage it. `finish` refuses while anything is
open, re-reads every record the merge brings, commits the merge (trailer Doetank-Command: resolve) and says what is
left to share (then `sync.sync` shares it). Errors are DoetankErrors with their exit codes, as everywhere.

"Ours" is always the version of this clone ("yours"), "theirs" the one that came in ("the server's"). During a rebase
(a git tool that pulls with rebase) git's own words are the other way round: its "ours" (stage 2, HEAD) is the side
being built on, the server's, and its "theirs" (stage 3) the commit of yours being replayed. `_Git` maps them back, so
that yours stays yours everywhere, in the merge driver's notes too (merge.merge_files).
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from doetank_cli import merge, repo, store
from doetank_cli.errors import DataError, GitError, UsageError, WorkspaceError
from doetank_cli.i18n import _
from doetank_cli.merge import MISSING, Clash
from doetank_cli.workspace import RECORD, Workspace

__all__ = [
    "Choice",
    "Conflicts",
    "FieldClash",
    "FileConflict",
    "Finished",
    "Keep",
    "Kind",
    "Version",
    "conflicts",
    "decide",
    "decide_note",
    "finish",
]


class Kind(StrEnum):
    record = "record"  # doetank.yaml merged field by field: clashes to decide one by one
    note = "note"  # a phase note (or another text file) with both versions between git's markers
    unreadable = "unreadable"  # a record git could only merge line by line (it did not parse): take one side's lines
    deleted = "deleted"  # one side removed the file, the other changed it
    leftover = "leftover"  # clash notes in a record with no merge waiting (committed by hand): keep or set a value


class Choice(StrEnum):
    ours = "ours"  # your version
    theirs = "theirs"  # the server's version
    value = "value"  # a new value, given as text (YAML: 2027-05-31, true, [a, b], {naam: ...})


class Keep(StrEnum):
    both = "both"  # both versions one after the other, nothing lost (the default for prose)
    ours = "ours"
    theirs = "theirs"


@dataclass(frozen=True)
class Version:
    """One side's value of a clash, and who made it."""

    value: Any  # plain data; None when absent (see present)
    present: bool
    shown: str  # on one line, as in the record
    wie: str | None = None  # the author of the change that gave this value
    wanneer: date | None = None


@dataclass(frozen=True)
class FieldClash:
    id: str  # stable while the merge waits: the field's path as people read it (richtlijn.einddatum)
    base: Version
    ours: Version
    theirs: Version

    def __str__(self) -> str:
        """One line for a person: the field, your value and the server's, and who made each."""

        def by(version: Version) -> str:
            return f" ({version.wie})" if version.wie else ""

        if not self.ours.present and not self.theirs.present and self.ours.shown == "?":
            return self.id
        return _("{clash}: yours {ours}{ours_by}, server {theirs}{theirs_by}").format(
            clash=self.id, ours=self.ours.shown, ours_by=by(self.ours), theirs=self.theirs.shown,
            theirs_by=by(self.theirs),
        )  # fmt: skip


@dataclass
class FileConflict:
    path: str  # from the workspace root, with /
    slug: str | None
    kind: Kind
    clashes: list[FieldClash] = field(default_factory=list)  # records: the open ones
    ours_by: str | None = None  # who last changed the file on your side, and on the server's
    theirs_by: str | None = None
    removed_by: Choice | None = None  # Kind.deleted: the side that removed the file; None: both sides did
    added: bool = False  # Kind.deleted: the file was not there before, only one side has it (both renamed a tank)
    comments: list[str] = field(default_factory=list)  # the server's comments a merge could not place (Keep.both)


@dataclass
class Conflicts:
    operation: str | None  # the unfinished git operation (merge, rebase, ...), None when none waits
    files: list[FileConflict]

    @property
    def open(self) -> bool:
        return bool(self.files)


@dataclass
class Finished:
    sha: str | None
    tanks: list[str]
    unshared: int  # commits not yet on the server (sync shares them)
    notices: list[str] = field(default_factory=list)
    more: bool = False  # a rebase went on to your next change, and that one clashes too: decide again


# --------------------------------------------------------------------------- git's three versions


@dataclass
class _Git:
    top: Path
    operation: str | None
    base: str | None  # the common ancestor of the two sides
    theirs: str | None  # git's own "theirs": the tip of what is merged, picked or (in a rebase) replayed

    @property
    def swapped(self) -> bool:
        """A rebase: git's "ours" is the server's side and its "theirs" yours."""
        return self.operation == "rebase"

    @property
    def yours(self) -> int:
        """git's stage that holds your version."""
        return 3 if self.swapped else 2

    @property
    def servers(self) -> int:
        return 2 if self.swapped else 3

    def tips(self) -> tuple[str | None, str | None]:
        """(your side's tip, the server side's tip)"""
        return (self.theirs, "HEAD") if self.swapped else ("HEAD", self.theirs)

    def flag(self, keep: Keep) -> str:
        """git's option (checkout --ours/--theirs) for keeping yours or the server's version."""
        if not self.swapped or keep == Keep.both:
            return keep.value
        return Keep.theirs.value if keep == Keep.ours else Keep.ours.value


def _git(ws: Workspace) -> _Git | None:
    if not repo.is_repo(ws.root):
        return None
    top = repo.toplevel(ws.root)
    operation = repo.unfinished(ws.root)
    theirs = None
    for ref in ("MERGE_HEAD", "CHERRY_PICK_HEAD", "REVERT_HEAD", "REBASE_HEAD"):
        theirs = repo.rev(top, ref)
        if theirs:
            break
    base = None
    if theirs:
        base = repo.git(top, "merge-base", "HEAD", theirs, check=False).stdout.strip() or None
    return _Git(top, operation, base, theirs)


def _stage(top: Path, n: int, path: str) -> str | None:
    proc = repo.git(top, "show", f":{n}:{path}", check=False)
    return proc.stdout if proc.returncode == 0 else None


def _stages(top: Path) -> dict[str, set[int]]:
    """The unmerged files (from the repository's top) and which of git's stages (1 base, 2 ours, 3 theirs) they have."""
    found: dict[str, set[int]] = {}
    for entry in repo.git(top, "ls-files", "-u", "-z").stdout.split("\0"):
        meta, _tab, path = entry.partition("\t")
        if path:
            found.setdefault(path, set()).add(int(meta.split()[2]))
    return found


def _rel(ws: Workspace, top: Path, path: str) -> str:
    return (top / path).relative_to(ws.root).as_posix() if (top / path).is_relative_to(ws.root) else path


def _slug(ws: Workspace, rel: str) -> str | None:
    parts = rel.split("/")
    return parts[1] if len(parts) >= 3 and parts[0] == ws.rel(ws.tanks) else None


# --------------------------------------------------------------------------- who changed what


@dataclass(frozen=True)
class Author:
    """Who made a change, and on which day."""

    wie: str
    wanneer: date | None


def history(
    top: Path, path: str, since: str | None, until: str | None, limit: int = 20, *, before: str | None = None
) -> list[tuple[str, Author]]:
    """The commits that changed `path` on one side, newest first: (sha, who and when); merges left out (they carry
    other people's changes). `before`: the path the file had before its tank was renamed in between."""
    if until is None:
        return []
    span = f"{since}..{until}" if since else until
    paths = [path, before] if before else [path]
    out = repo.git(top, "log", "--no-merges", f"--max-count={limit}", "--date=short", "--format=%H%x1f%an%x1f%ad",
                   span, "--", *paths, check=False).stdout  # fmt: skip
    found = []
    for line in out.splitlines():
        sha, wie, day = [*line.split("\x1f"), "", ""][:3]
        try:
            when = date.fromisoformat(day)
        except ValueError:
            when = None
        found.append((sha, Author(wie, when)))
    return found


def blame(
    top: Path,
    path: str,
    commits: list[tuple[str, Author]],
    steps: tuple[Any, ...],
    final: Any,
    *,
    before: str | None = None,
) -> Author:
    """Who gave a field the value it has at the tip of one side: the newest of `commits` that changed it to that value
    (its version has it, its parent's does not). History need not be a line: each commit is compared with its parent.
    `before`: where the file was before its tank was renamed (a version that has no file at `path` is read there)."""
    if not commits:
        return Author("?", None)
    seen: dict[str, Any] = {}

    def value(ref: str) -> Any:
        if ref not in seen:
            try:
                text = repo.show(top, ref, path)
                if text is None and before:
                    text = repo.show(top, ref, before)
                seen[ref] = merge.get(store.load_plain(text or "", path), steps)
            except DataError:
                seen[ref] = merge.MISSING
        return seen[ref]

    for sha, author in commits:
        if merge._same(value(sha), final) and not merge._same(value(f"{sha}^"), final):
            return author
    return commits[0][1]


def _version(value: Any, change: Author | None = None) -> Version:
    present = value is not MISSING
    return Version(
        store.plain(value) if present else None,
        present,
        merge.show(value),
        change.wie if change else None,
        change.wanneer if change else None,
    )


# --------------------------------------------------------------------------- listing


def conflicts(ws: Workspace, tank: str | None = None) -> Conflicts:
    """Every file a merge left undecided (in one tank, when given), and records that still hold clash notes."""
    slug = ws.resolve(tank) if tank else None
    found: list[FileConflict] = []
    git = _git(ws)
    seen: set[str] = set()
    if git is not None and git.operation is not None:
        for path, stages in sorted(_stages(git.top).items()):
            rel = _rel(ws, git.top, path)
            if slug is not None and _slug(ws, rel) != slug:
                continue
            seen.add(rel)
            found.append(_file(ws, git, path, rel, stages))
    # clash notes in records that are not unmerged: decided by hand without deciding, or committed so
    for name in [slug] if slug else ws.slugs():
        rel = ws.rel(ws.record_path(name))
        if rel in seen or not ws.record_path(name).is_file():
            continue
        text = _read(ws.record_path(name), rel)
        if store.conflict_lines(text):
            found.append(_leftover(rel, name, text))
    return Conflicts(git.operation if git else None, found)


def _read(path: Path, label: str) -> str:
    return store.decode(store.read_bytes(path, label, store.MAX_RECORD), label)


def _file(ws: Workspace, git: _Git, path: str, rel: str, stages: set[int]) -> FileConflict:
    slug = _slug(ws, rel)
    yours_tip, server_tip = git.tips()
    ours_history = history(git.top, path, git.base, yours_tip)
    theirs_history = history(git.top, path, git.base, server_tip)
    ours_by = ours_history[0][1].wie if ours_history else None
    theirs_by = theirs_history[0][1].wie if theirs_history else None
    if 2 not in stages or 3 not in stages:
        # one side removed it (or never had it: each side renamed the tank its own way); none has it: both removed it
        removed = None if not stages & {2, 3} else Choice.ours if git.yours not in stages else Choice.theirs
        return FileConflict(rel, slug, Kind.deleted, ours_by=ours_by, theirs_by=theirs_by, removed_by=removed,
                            added=1 not in stages)  # fmt: skip
    if not rel.endswith(f"/{RECORD}"):
        return FileConflict(rel, slug, Kind.note, ours_by=ours_by, theirs_by=theirs_by)
    outcome = _merged(git, path, rel)
    if outcome is None:
        return FileConflict(rel, slug, Kind.unreadable, ours_by=ours_by, theirs_by=theirs_by)
    text = _read(ws.root / rel, rel) if (ws.root / rel).is_file() else ""
    open_ids = _open(text, outcome.clashes)
    clashes = []
    for clash in outcome.clashes:
        if clash.label not in open_ids or clash.label == merge.COMMENTS:
            continue
        ours = blame(git.top, path, ours_history, clash.steps, clash.ours)
        theirs = blame(git.top, path, theirs_history, clash.steps, clash.theirs)
        clashes.append(FieldClash(clash.label, _version(clash.base), _version(clash.ours, ours),
                                  _version(clash.theirs, theirs)))  # fmt: skip
    comments = outcome.their_comments if merge.COMMENTS in open_ids else []
    return FileConflict(rel, slug, Kind.record, clashes, ours_by, theirs_by, comments=comments)


def _merged(git: _Git, path: str, label: str) -> merge.Outcome | None:
    """The merge of git's three versions, yours as ours, as the merge driver made it (it is deterministic)."""
    ours, theirs = _stage(git.top, git.yours, path), _stage(git.top, git.servers, path)
    if ours is None or theirs is None:
        return None
    try:
        texts = [store.decode(t.encode("utf-8"), label) for t in (_stage(git.top, 1, path) or "", ours, theirs)]
    except DataError:
        return None
    return merge.merge_texts(texts[0], texts[1], texts[2], label)


def _open(text: str, clashes: list[Clash]) -> set[str]:
    """The clashes whose note line is still in the record's text."""
    labels = sorted((c.label for c in clashes), key=len, reverse=True)
    found = set()
    for line in store.conflict_notes(text):
        said = line[len(store.CONFLICT_NOTE) :].strip()
        label = next((label for label in labels if said.startswith(f"{label}:")), None)
        if label is not None:
            found.add(label)
    return found


def _label(said: str) -> str:
    """The field a note names: what comes before its first ': ' outside brackets (consulten[Eva: Hoe?].status)."""
    depth = 0
    for index, char in enumerate(said):
        depth += {"[": 1, "]": -1}.get(char, 0)
        if depth == 0 and said.startswith(": ", index):
            return said[:index]
    return said


def _leftover(rel: str, slug: str, text: str) -> FileConflict:
    """Clash notes with no merge behind them: the values are known only as the note says them (shown as `.shown`)."""
    clashes = []
    for line in store.conflict_notes(text):
        said = line[len(store.CONFLICT_NOTE) :].strip()
        clashes.append(FieldClash(_label(said), Version(None, False, "?"), Version(None, False, said),
                                  Version(None, False, "?")))  # fmt: skip
    return FileConflict(rel, slug, Kind.leftover, clashes)


# --------------------------------------------------------------------------- deciding


def _require_merge(ws: Workspace) -> _Git:
    git = _git(ws)
    if git is None or git.operation is None:
        raise UsageError(_("No merge waits for a decision in this workspace."))
    return git


def _find(ws: Workspace, path: str) -> FileConflict:
    for found in conflicts(ws).files:
        if found.path == path:
            return found
    raise UsageError(_("{path} has nothing left to decide.").format(path=path))


def parse_value(text: str, label: str) -> Any:
    """A value typed by a person, read as YAML would read it in the record (2027-05-31 is a date); else as text.
    Text over several lines is text: it is never read as more keys of the record."""
    if any(char in text for char in "\r\n\x85\u2028\u2029"):
        return text
    try:
        value = store.load_plain(f"v: {text}\n", label)
    except DataError:
        return text
    return value.get("v") if isinstance(value, dict) else text


def decide(ws: Workspace, path: str, clash_id: str, choice: Choice, value: str | None = None) -> FileConflict:
    """Decide one clash of a record: your value, the server's, or a new one. The file is written (and staged once
    nothing in it is open); returns what is left in it."""
    with store.lock(ws):
        found = _find(ws, path)
        if found.kind not in (Kind.record, Kind.leftover):
            raise UsageError(
                _("{path} is not decided field by field; choose a whole version for it.").format(path=path)
            )
        clash = next((c for c in found.clashes if c.id == clash_id), None)
        if clash is None:
            raise UsageError(
                _("{path} has no open clash '{clash}'; open ones: {open}.").format(
                    path=path, clash=clash_id, open=", ".join(c.id for c in found.clashes) or "-"
                )
            )
        file = ws.root / path
        raw = store.read_bytes(file, path, store.MAX_RECORD)
        text = store.decode(raw, path)
        if found.kind == Kind.leftover:
            new = _decide_leftover(text, path, clash, choice, value)
        else:
            git = _require_merge(ws)
            outcome = _merged(git, _top_path(ws, git, path), path)
            assert outcome is not None
            target = next(c for c in outcome.clashes if c.label == clash_id)
            if choice == Choice.value and value is None:
                raise UsageError(_("A new value for {clash} is missing.").format(clash=clash_id))
            chosen = {
                Choice.ours: lambda: target.ours,
                Choice.theirs: lambda: target.theirs,
                Choice.value: lambda: parse_value(value or "", path),
            }[choice]()
            doc = store.parse_document(text, path, file)
            try:
                merge.put(doc.data, target.steps, chosen)
            except KeyError:
                raise DataError(
                    _("{path}: the place of {clash} is no longer in the file; edit it by hand.").format(
                        path=path, clash=clash_id
                    )
                ) from None
            remaining = [c for c in outcome.clashes if c.label in _open(text, outcome.clashes) and c.label != clash_id]
            new = merge.with_notes(doc.dump(), remaining)
        _write_record(ws, file, path, new, raw)
        return _after(ws, path)


def _top_path(ws: Workspace, git: _Git, rel: str) -> str:
    return (ws.root / rel).relative_to(git.top).as_posix()


def _decide_leftover(text: str, path: str, clash: FieldClash, choice: Choice, value: str | None) -> str:
    """A note left in a record without a merge: keep the value in the file (yours), or give a plain field a value."""
    if choice == Choice.theirs:
        raise UsageError(
            _("The server's version of {clash} is no longer known to git; keep yours, or give a value.").format(
                clash=clash.id
            )
        )
    lines = text.splitlines(keepends=True)
    index = next(
        i
        for i, line in enumerate(lines)
        if line.startswith(store.CONFLICT_NOTE) and _label(line[len(store.CONFLICT_NOTE) :].strip()) == clash.id
    )
    new = "".join(lines[:index] + lines[index + 1 :])
    if choice != Choice.value:
        return new
    where = clash.id
    steps = tuple(part for part in where.split(".") if part)
    if not steps or any("[" in part for part in steps):
        raise UsageError(
            _("Set {field} in {path} by hand; only plain fields can be given a value here.").format(
                field=where, path=path
            )
        )
    doc = store.parse_document(new, path)
    merge.put(doc.data, steps, parse_value(value or "", path))
    return doc.dump()


def _write_record(ws: Workspace, file: Path, path: str, text: str, raw: bytes) -> None:
    """Write a decided record: it must still be a record; its BOM and line ends are kept."""
    store.parse_document(text, path)  # a decision that breaks the record is refused before anything is written
    if b"\r\n" in raw and "\r\n" not in text:
        text = text.replace("\n", "\r\n")
    store.atomic_write(file, "\ufeff" + text if raw.startswith(b"\xef\xbb\xbf") else text)


def _after(ws: Workspace, path: str) -> FileConflict:
    """What is left in a file after a decision; a file with nothing left is staged (git takes it as decided)."""
    text = _read(ws.root / path, path)
    if not store.conflict_lines(text):
        git = _git(ws)
        if git is not None and git.operation is not None:
            repo.git(ws.root, "add", "--", path)
        return FileConflict(path, _slug(ws, path), Kind.record)
    left = next((f for f in conflicts(ws).files if f.path == path), None)
    return left or FileConflict(path, _slug(ws, path), Kind.record)


def decide_note(ws: Workspace, path: str, keep: Keep = Keep.both) -> None:
    """Decide a file as a whole: a note (both versions, yours or the server's), a record git merged line by line
    (yours or the server's lines where they clash), a file one side removed (keep it or not); also the server's
    comments a record merge could not place (both: added at the top of the record). The file is staged."""
    with store.lock(ws):
        found = _find(ws, path)
        git = _require_merge(ws)
        top_path = _top_path(ws, git, path)
        file = ws.root / path
        if found.kind == Kind.deleted and found.removed_by is None:  # removed on both sides: nothing to keep
            repo.git(git.top, "rm", "--quiet", "--cached", "--", top_path)
            return
        if found.kind == Kind.deleted:
            if keep == Keep.both:
                keep = Keep.ours if found.removed_by == Choice.theirs else Keep.theirs  # keeping is what loses nothing
            gone = (keep == Keep.ours) == (found.removed_by == Choice.ours)
            if gone:
                repo.git(git.top, "rm", "--quiet", "--", top_path)
            else:
                repo.git(git.top, "checkout", f"--{git.flag(keep)}", "--", top_path)
                repo.git(git.top, "add", "--", top_path)
            return
        if found.kind == Kind.record:
            if not found.comments:
                raise UsageError(_("{path} is decided field by field: decide each clash.").format(path=path))
            _place_comments(ws, file, path, found, keep)
            return
        if found.kind == Kind.unreadable and keep == Keep.both:
            raise UsageError(
                _(
                    "Both versions of {path} cannot stand side by side in a record; choose yours or the server's."
                ).format(path=path)
            )
        text = _merge_file(git, top_path, keep)
        if found.kind == Kind.unreadable:
            _write_record(ws, file, path, text, file.read_bytes() if file.exists() else b"")
        else:
            store.atomic_write(file, text)
        repo.git(git.top, "add", "--", top_path)


def _merge_file(git: _Git, path: str, keep: Keep) -> str:
    """git's own line merge of the three versions, every clashing part decided: both (yours, then the server's),
    yours or theirs."""
    with tempfile.TemporaryDirectory(prefix="doetank-resolve-") as tmp:
        files = []
        for n, name in ((git.yours, "ours"), (1, "base"), (git.servers, "theirs")):
            target = Path(tmp) / name
            target.write_text(_stage(git.top, n, path) or "", encoding="utf-8", newline="")
            files.append(str(target))
        done = subprocess.run(
            ["git", "merge-file", "-p", f"--{'union' if keep == Keep.both else keep.value}", "--", *files],
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
        )
    if done.returncode < 0 or done.returncode > 127:
        raise GitError(_("git could not merge {path}: {said}").format(path=path, said=done.stderr.strip()))
    return done.stdout


def _place_comments(ws: Workspace, file: Path, path: str, found: FileConflict, keep: Keep) -> None:
    raw = file.read_bytes()
    text = store.decode(raw, path)
    if keep == Keep.theirs:
        raise UsageError(
            _("Comments are not values: keep both (the server's are added at the top), or only yours.").format()
        )
    lines = text.splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith(f"{store.CONFLICT_NOTE} {merge.COMMENTS}:")]
    if keep == Keep.both:
        at = next((i for i, line in enumerate(kept) if not line.startswith("#")), len(kept))
        kept[at:at] = [f"{comment}\n" for comment in found.comments]
    _write_record(ws, file, path, "".join(kept), raw)
    _after(ws, path)


# --------------------------------------------------------------------------- finishing


def _still_open() -> str:
    return _("Decide what is left with 'doetank resolve': it shows each clash and asks which version to keep.")


def finish(ws: Workspace) -> Finished:
    """Conclude the merge once nothing is open: every record it brings must read and hold no clash note."""
    with store.lock(ws):
        git = _git(ws)
        if git is None:
            raise WorkspaceError(_("{root} is not in a git repository.").format(root=ws.root))
        if git.operation is None:
            return _finish_leftovers(ws, git)
        _stage_decided_by_hand(ws, git)
        left = [f for f in conflicts(ws).files if f.kind != Kind.leftover]
        if left or _stages(git.top):
            raise WorkspaceError(
                _("Not everything is decided yet: {files}.").format(
                    files=", ".join(f.path for f in left) or ", ".join(_stages(git.top))
                ),
                hint=_still_open(),
            )
        changed = [
            p for p in repo.git(git.top, "diff", "--cached", "--name-only", "-z", "HEAD").stdout.split("\0") if p
        ]
        tanks = sorted({s for s in (_slug(ws, _rel(ws, git.top, p)) for p in changed) if s})
        for p in changed:
            full = git.top / p
            if p.endswith(f"/{RECORD}") and full.is_file():
                rel = _rel(ws, git.top, p)
                text = _read(full, rel)
                store.load_record(full, rel)
                lines = store.conflict_lines(text)
                if lines:
                    raise WorkspaceError(
                        _("{file}:{line}: a clash is still undecided here.").format(file=rel, line=lines[0]),
                        hint=_still_open(),
                    )
        identity, notice = repo.identity_args(git.top)
        notice = repo.identity_once(git.top, notice)
        notices = [notice] if notice else []
        if git.operation == "merge":
            subject = _("doetank resolve: changes that clashed, decided ({tanks})").format(
                tanks=", ".join(tanks) or "-"
            )
            message = repo.message(subject, {"Command": "resolve", **({"Tank": ",".join(tanks)} if tanks else {})})
            done = repo.git(git.top, "-c", "commit.gpgsign=false", *identity, "commit", "--quiet", "-m", message,
                            check=False)  # fmt: skip
        else:
            done = repo.git(git.top, "-c", "core.editor=true", "-c", "commit.gpgsign=false", *identity,
                            git.operation or "merge", "--continue", check=False)  # fmt: skip
        if done.returncode != 0 and repo.unfinished(ws.root) == git.operation and _stages(git.top):
            # a rebase replays your changes one by one: the next one clashes as well
            return Finished(None, tanks, _unshared(git.top), notices, more=True)
        if done.returncode != 0:
            raise GitError(
                _("git could not finish the {operation}: {said}").format(
                    operation=repo.operation_name(git.operation), said=(done.stderr or done.stdout).strip()
                )
            )
        sha = repo.rev(git.top, "HEAD")
        return Finished(sha[:7] if sha else None, tanks, _unshared(git.top), notices)


def _finish_leftovers(ws: Workspace, git: _Git) -> Finished:
    """Records whose clash notes were committed without a decision, now decided: committed as one change."""
    tanks_dir = ws.tanks.relative_to(git.top).as_posix()
    decided, slugs = [], []
    for _code, path in repo.status(git.top, [tanks_dir]):
        if not path.endswith(f"/{RECORD}") or not (git.top / path).is_file():
            continue
        rel = _rel(ws, git.top, path)
        if not store.conflict_lines(repo.show(git.top, "HEAD", path) or ""):
            continue  # not a record that held notes: other work of the person, left alone
        store.load_record(git.top / path, rel)
        lines = store.conflict_lines(_read(git.top / path, rel))
        if lines:
            raise WorkspaceError(
                _("{file}:{line}: a clash is still undecided here.").format(file=rel, line=lines[0]),
                hint=_still_open(),
            )
        decided.append(git.top / path)
        slugs.append(_slug(ws, rel) or rel)
    if not decided:
        return Finished(None, [], _unshared(git.top))
    subject = _("doetank resolve: changes that clashed, decided ({tanks})").format(tanks=", ".join(slugs))
    sha, notices = repo.commit(git.top, decided, subject, {"Command": "resolve", "Tank": ",".join(slugs)})
    return Finished(sha, slugs, _unshared(git.top), notices)


def _stage_decided_by_hand(ws: Workspace, git: _Git) -> None:
    """Files a person decided in an editor (no clash note, no marker left, the record reads) are taken as decided."""
    for path, stages in _stages(git.top).items():
        full = git.top / path
        if 2 not in stages or 3 not in stages or not full.is_file():
            continue
        rel = _rel(ws, git.top, path)
        try:
            text = store.decode(full.read_bytes(), rel)
            if path.endswith(f"/{RECORD}"):
                store.load_record(full, rel)
                if store.conflict_lines(text):
                    continue
            elif store.marker_line(text):
                continue
        except (DataError, OSError):
            continue
        repo.git(git.top, "add", "--", path)


def _unshared(top: Path) -> int:
    proc = repo.git(top, "rev-list", "--count", "@{upstream}..HEAD", check=False)
    if proc.returncode != 0:
        proc = repo.git(top, "rev-list", "--count", "HEAD", "--not", "--remotes", check=False)
    try:
        return int(proc.stdout.strip() or 0)
    except ValueError:
        return 0
