"""Taking back your own changes, and the network's history: `doetank undo` and `doetank log`.

undo takes back your own newest doetank change that is not undone yet (your git identity), as a new commit touching
only that change's files, and records what it undid in a Doetank-Undoes trailer, so that the next undo goes one further
back. It never undoes a merge, a sync, a resolve (they carry colleagues' work) or an undo, and refuses when someone
else changed those files since.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from doetank_cli import i18n, repo, store
from doetank_cli.errors import DoetankError, GitError, UsageError, WorkspaceError
from doetank_cli.i18n import _
from doetank_cli.workspace import RECORD, Workspace


def _rel(ws: Workspace, top: Path, path: str) -> str:
    full = top / path
    return full.relative_to(ws.root).as_posix() if full.is_relative_to(ws.root) else path


@dataclass
class UndoResult:
    sha: str | None
    undone: str
    was_pushed: bool
    files: list[str] = field(default_factory=list)
    dry_run: bool = False
    notices: list[str] = field(default_factory=list)


_UNDOES = "Undoes"
#: commands whose commits undo leaves alone: they carry colleagues' work, or are bookkeeping
_NEVER_UNDONE = {"sync", "resolve", "undo", "init"}


@dataclass(frozen=True)
class _Commit:
    sha: str
    wie: str
    mail: str
    datum: str
    wat: str
    command: str
    tank: str
    undoes: str
    parents: int


def _doetank_commits(top: Path, limit: int = 500) -> list[_Commit]:
    fmt = (
        "%H%x1f%an%x1f%ae%x1f%ad%x1f%s%x1f"
        f"%(trailers:key={repo.TRAILER_PREFIX}Command,valueonly,separator=%x2C)%x1f"
        f"%(trailers:key={repo.TRAILER_PREFIX}Tank,valueonly,separator=%x2C)%x1f"
        f"%(trailers:key={repo.TRAILER_PREFIX}{_UNDOES},valueonly,separator=%x2C)%x1f%P%x1e"
    )
    proc = repo.git(top, "log", f"--max-count={limit}", "--date=short", f"--format={fmt}",
                    f"--grep=^{repo.TRAILER_PREFIX}Command:", check=False)  # fmt: skip
    found = []
    for entry in proc.stdout.split("\x1e"):
        parts = entry.strip("\n").split("\x1f")
        if len(parts) == 9:
            sha, wie, mail, datum, wat, command, tank, undoes, parents = parts
            found.append(_Commit(sha, wie, mail, datum, wat, command.strip(), tank.strip(), undoes.strip(),
                                 len(parents.split())))  # fmt: skip
    return found


def _files(top: Path, sha: str) -> list[str]:
    return [
        p for p in repo.git(top, "diff-tree", "--no-commit-id", "--name-only", "-r", "-z", sha).stdout.split("\0") if p
    ]


def _candidate(top: Path, name: str, mail: str) -> _Commit | None:
    """Your newest doetank change that is not undone yet: never a merge, a sync, a resolve or an undo itself."""
    commits = _doetank_commits(top)
    undone = {c.undoes for c in commits if c.command == "undo" and c.undoes}
    for c in commits:
        if c.command in _NEVER_UNDONE or c.parents != 1 or c.sha in undone:
            continue
        if (c.mail and c.mail.casefold() == mail.casefold()) or (not c.mail and c.wie == name):
            return c
    return None


def undo_candidate(ws: Workspace) -> repo.LogEntry | None:
    """The change `undo` would take back now for this person (the browser shows it before the button is pressed)."""
    if not repo.is_repo(ws.root):
        return None
    top = repo.toplevel(ws.root)
    found = _candidate(top, *repo.identity(top))
    return None if found is None else repo.LogEntry(found.sha[:7], found.datum, found.wie, found.wat, found.tank)


def undo(ws: Workspace, *, dry_run: bool = False) -> UndoResult:
    """Take back your own last doetank change that is not yet undone (a second undo goes one further back), as a new
    commit touching only its files; refused when someone else changed those files since."""
    if not repo.is_repo(ws.root):
        raise WorkspaceError(
            _("{root} is not in a git repository, so there is no history to undo.").format(root=ws.root)
        )
    from doetank_cli.lifecycle import refuse_unfinished

    top = repo.toplevel(ws.root)
    with store.lock(ws):
        if not dry_run:
            refuse_unfinished(ws)
        name, mail = repo.identity(top)
        entry = _candidate(top, name, mail)
        if entry is None:
            raise UsageError(
                _("There is no change of yours ({name}) left to undo.").format(name=name or mail),
                hint=_("undo takes back only your own changes; 'doetank log' shows who changed what."),
            )
        files = _files(top, entry.sha)
        later = repo.git(top, "log", "--format=%an%x1f%ae%x1f%ad%x1f%s", "--date=short", f"{entry.sha}..HEAD",
                         "--", *files, check=False).stdout  # fmt: skip
        for line in later.splitlines():
            wie, other_mail, datum, _wat = [*line.split("\x1f"), "", "", ""][:4]
            if other_mail.casefold() != mail.casefold() and wie:
                with suppress(ValueError):
                    datum = i18n.datum(date.fromisoformat(datum))
                raise GitError(
                    _(
                        "{who} changed the same files on {date}, after your change '{what}'; undo would take back "
                        "their work too, so nothing was changed."
                    ).format(who=wie, date=datum, what=repo.with_tank(entry.wat)),
                    hint=_("Change it back yourself with the command that made it (doetank log shows it)."),
                )
        result = UndoResult(None, entry.wat, repo.pushed(top, entry.sha), [_rel(ws, top, f) for f in files], dry_run)
        if dry_run:
            return result
        if repo.dirty(top, files):
            raise UsageError(
                _(
                    "{files} have changes that are not committed; commit or put them aside first, so undo loses "
                    "nothing."
                ).format(files=", ".join(result.files)),
            )
        reverted = repo.git(top, "revert", "--no-commit", entry.sha, check=False)
        if reverted.returncode != 0:
            repo.git(top, "revert", "--abort", check=False)
            raise GitError(
                _("git could not undo {sha}: later changes build on it. {said}").format(
                    sha=entry.sha[:7], said=reverted.stderr.strip()
                )
            )
        trailers = {"Command": "undo", **({"Tank": entry.tank} if entry.tank else {}), _UNDOES: entry.sha}
        try:
            for path in files:  # a record undo brings back must read, as every record doetank writes
                if path.endswith(f"/{RECORD}") and (top / path).is_file():
                    store.load_record(top / path, _rel(ws, top, path))
            result.sha, result.notices = repo.commit(
                top, [top / f for f in files], f"doetank undo: {entry.wat}", trailers
            )
        except DoetankError:
            repo.git(top, "revert", "--abort", check=False)
            raise
    return result


def network_log(ws: Workspace, limit: int = 50) -> list[repo.LogEntry]:
    if not repo.is_repo(ws.root):
        raise WorkspaceError(
            _("{root} is not in a git repository, so there is no history to show.").format(root=ws.root),
            hint=_("Run 'git init' to start one."),
        )
    return repo.log(ws.root, ws.tanks, limit=limit, doetank_only=True)
