"""Working together over git: sync with the team's server, undo the last change, the network's history.

sync = commit local edits of the workspace, fetch, give a tank that both sides created under one slug a slug of its
own, merge (doetank.yaml field by field through the merge driver, notes as text), re-check the tanks that changed,
push. Nothing is lost: a clash stops the merge with both versions kept, and says which files to decide and how.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from doetank_cli import index, merge, repo, store
from doetank_cli.clock import today
from doetank_cli.errors import DoetankError, GitError, UsageError, WorkspaceError
from doetank_cli.i18n import _
from doetank_cli.workspace import RECORD, Workspace, is_slug

_safe = YAML(typ="safe")


@dataclass
class TankChange:
    slug: str
    kind: str  # added | changed | removed
    fase_van: str | None = None
    fase_naar: str | None = None


@dataclass
class Conflict:
    path: str
    record: bool  # doetank.yaml (merged field by field, clashes in comments) or a note (git's text markers)
    clashes: list[str] = field(default_factory=list)


@dataclass
class SyncResult:
    remote: str
    branch: str
    committed: list[str] = field(default_factory=list)  # local edits committed before the merge
    renamed: list[tuple[str, str]] = field(default_factory=list)
    incoming: list[TankChange] = field(default_factory=list)
    outgoing: list[TankChange] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    pushed: bool = False
    fouten: dict[str, int] = field(default_factory=dict)  # tanks that changed and now break a rule
    notices: list[str] = field(default_factory=list)


def ensure_merge_driver(ws: Workspace) -> Path | None:
    """.gitattributes names the driver for every record and keeps records and notes at \n line ends in every checkout
    (a Windows clone with core.autocrlf would otherwise commit \r); this clone's config defines the driver. The
    attributes file, when it had to be written, is returned so that it is committed."""
    top = repo.toplevel(ws.root)
    repo.register_merge_driver(top)
    attributes = ws.root / ".gitattributes"
    text = store.read_text(attributes, ws.rel(attributes)) if attributes.exists() else ""
    missing = [line for line in repo.ATTRIBUTES if line not in text.splitlines()]
    if not missing:
        return None
    store.atomic_write(attributes, text + ("" if not text or text.endswith("\n") else "\n") + "\n".join(missing) + "\n")
    return attributes


def _workspace_paths(ws: Workspace, top: Path) -> list[str]:
    return [
        str(p.relative_to(top))
        for p in (ws.tanks, ws.templates, ws.root / ".gitattributes", ws.schema_path)
        if p.exists()
    ]


def _fase(top: Path, commit: str, path: str) -> str | None:
    text = repo.show(top, commit, path)
    if text is None:
        return None
    try:
        data = _safe.load(text)
    except YAMLError:
        return None
    return str(data.get("fase")) if isinstance(data, dict) and data.get("fase") else None


def _changes(ws: Workspace, top: Path, since: str, until: str) -> list[TankChange]:
    tanks = str(ws.tanks.relative_to(top))
    slugs = sorted({p[len(tanks) + 1 :].split("/", 1)[0] for p in repo.changed(top, since, until, tanks)} - {""})
    slugs = [slug for slug in slugs if is_slug(slug)]  # tanks/.gitkeep and other loose files are no tanks
    found = []
    for slug in slugs:
        path = f"{tanks}/{slug}/{RECORD}"
        van, naar = _fase(top, since, path), _fase(top, until, path)
        kind = (
            "added"
            if van is None and naar is not None
            else "removed"
            if naar is None and van is not None
            else "changed"
        )
        found.append(TankChange(slug, kind, van, naar))
    return found


def _free_slug(slug: str, taken: set[str]) -> str:
    n = 2
    while f"{slug}-{n}" in taken:
        n += 1
    return f"{slug}-{n}"


def _rename_collisions(ws: Workspace, top: Path, base: str | None, theirs: str) -> list[tuple[str, str]]:
    """Tanks both sides created under one slug since they parted: ours moves to a slug of its own, before the merge."""
    tanks = str(ws.tanks.relative_to(top))
    before = repo.tree_names(top, base, tanks) if base else {}
    ours, other = repo.tree_names(top, "HEAD", tanks), repo.tree_names(top, theirs, tanks)
    renamed = []
    for slug in sorted((set(ours) - set(before)) & (set(other) - set(before))):
        if ours[slug] == other[slug]:
            continue  # the very same tank on both sides
        new = _free_slug(slug, set(ours) | set(other))
        repo.git(top, "mv", "--", f"{tanks}/{slug}", f"{tanks}/{new}")
        message = repo.message(
            f"doetank sync: {slug} -> {new}: the slug was taken on the server", {"Tank": new, "Command": "sync"}
        )
        repo.git(
            top,
            "-c",
            "commit.gpgsign=false",
            "commit",
            "--quiet",
            "-m",
            message,
            "--",
            f"{tanks}/{slug}",
            f"{tanks}/{new}",
        )
        ours[new] = ours.pop(slug)
        renamed.append((slug, new))
    return renamed


def _conflicts(top: Path) -> list[Conflict]:
    found = []
    for path in repo.unmerged(top):
        is_record = path.endswith(f"/{RECORD}")
        text = (top / path).read_text(encoding="utf-8", errors="replace") if (top / path).is_file() else ""
        found.append(Conflict(path, is_record, merge.conflicts_in(text) if is_record else []))
    return found


def sync(ws: Workspace, progress: index.Progress | None = None) -> SyncResult:
    if not repo.is_repo(ws.root):
        raise WorkspaceError(
            _("{root} is not in a git repository, so there is nothing to share.").format(root=ws.root),
            hint=_("Run 'git init', then add the team's server with 'git remote add origin URL'."),
        )
    top = repo.toplevel(ws.root)
    names = repo.remotes(top)
    if not names:
        raise WorkspaceError(
            _("This workspace has no git remote to share with."),
            hint=_(
                "Add the team's server (GitLab, GitHub, Gitea, a bare repository on a "
                "share), then sync again:\n  git remote add origin URL"
            ),
        )
    remote = "origin" if "origin" in names else names[0]
    current = repo.branch(top)
    if current is None:
        raise WorkspaceError(
            _("HEAD is detached; sync works on a branch."),
            hint=_("Go back to your branch with 'git switch main' (or its name)."),
        )
    result = SyncResult(remote, current)
    with store.lock(ws):
        attributes = ensure_merge_driver(ws)
        if repo.merging(top):
            if repo.unmerged(top):
                result.conflicts = _conflicts(top)
                return result
            repo.git(
                top, "-c", "commit.gpgsign=false", "commit", "--quiet", "--no-edit"
            )  # the person decided; finish the merge
        paths = _workspace_paths(ws, top)
        local = repo.dirty(top, paths)
        if local:
            repo.git(top, "add", "--", *paths)
            result.notices += repo.commit(
                top, [top / p for p in paths], "doetank sync: local changes", {"Command": "sync"}
            )[1]
            result.committed = local
        elif attributes is not None:
            repo.commit(top, [attributes], "doetank sync: merge doetank.yaml field by field", {"Command": "sync"})
        nothing = repo.empty_tree(top)  # "since the start"
        for _attempt in range(3):
            fetched = repo.git(top, "fetch", "--quiet", remote, check=False)
            if fetched.returncode != 0:
                raise GitError(
                    _("git could not reach {remote}: {said}").format(remote=remote, said=fetched.stderr.strip()),
                    hint=_("Check the address with 'git remote -v' and your connection, then sync again."),
                )
            theirs = repo.rev(top, f"{remote}/{current}")
            if theirs is not None:
                base = repo.git(top, "merge-base", "HEAD", theirs, check=False).stdout.strip() or None
                result.renamed += _rename_collisions(ws, top, base, theirs)
                if base != theirs:
                    result.incoming = _changes(ws, top, base or nothing, theirs)
                merged = repo.git(top, "merge", "--no-edit", "--quiet", theirs, check=False)
                if merged.returncode != 0:
                    result.conflicts = _conflicts(top)
                    if not result.conflicts:
                        raise GitError(
                            _("git could not merge {remote}/{branch}: {said}").format(
                                remote=remote, branch=current, said=(merged.stderr or merged.stdout).strip()
                            )
                        )
                    return result
            result.outgoing = _changes(ws, top, theirs or nothing, "HEAD") if repo.rev(top, "HEAD") != theirs else []
            push = repo.git(top, "push", "--quiet", "-u", remote, f"HEAD:refs/heads/{current}", check=False)
            if push.returncode == 0:
                result.pushed = True
                break
            if "rejected" not in push.stderr and "fetch first" not in push.stderr:
                raise GitError(
                    _("git could not push to {remote}: {said}").format(remote=remote, said=push.stderr.strip())
                )
            # someone pushed in between: fetch and merge again
    slugs = sorted({c.slug for c in result.incoming + result.outgoing if c.kind != "removed"} & set(ws.slugs()))
    if slugs:
        checked = index.summaries(ws, slugs, today(), complete=False, progress=progress)
        result.fouten = {s.slug: s.fouten for s in checked.tanks if s.fouten}
    return result


# --------------------------------------------------------------------------- undo and history


@dataclass
class UndoResult:
    sha: str | None
    undone: str
    was_pushed: bool
    notices: list[str] = field(default_factory=list)


def undo(ws: Workspace) -> UndoResult:
    """Revert the last commit doetank made (as a new commit), touching only the files that commit touched."""
    if not repo.is_repo(ws.root):
        raise WorkspaceError(
            _("{root} is not in a git repository, so there is no history to undo.").format(root=ws.root)
        )
    top = repo.toplevel(ws.root)
    last = repo.log(top, ws.root if ws.root != top else None, limit=1, doetank_only=True)
    if not last:
        raise UsageError(_("There is no doetank change to undo."))
    entry = last[0]
    sha = repo.rev(top, entry.sha)
    assert sha is not None
    if repo.git(top, "rev-list", "--count", "--merges", f"{sha}^!", check=False).stdout.strip() not in ("", "0"):
        raise UsageError(
            _("The last doetank change ({sha}) is a merge; undo it with git itself.").format(sha=entry.sha)
        )
    files = [p for p in repo.git(top, "diff-tree", "--no-commit-id", "--name-only", "-r", sha).stdout.splitlines() if p]
    if repo.dirty(top, files):
        raise UsageError(
            _(
                "{files} have changes that are not committed; commit or put them aside first, so undo loses nothing."
            ).format(files=", ".join(files)),
        )
    reverted = repo.git(top, "revert", "--no-commit", sha, check=False)
    if reverted.returncode != 0:
        repo.git(top, "revert", "--abort", check=False)
        raise GitError(
            _("git could not undo {sha}: later changes build on it. {said}").format(
                sha=entry.sha, said=reverted.stderr.strip()
            )
        )
    trailers = {"Command": "undo", **({"Tank": entry.tank} if entry.tank else {})}
    try:
        new, notices = repo.commit(top, [top / f for f in files], f"doetank undo: {entry.wat}", trailers)
    except DoetankError:
        repo.git(top, "revert", "--abort", check=False)
        raise
    return UndoResult(new, entry.wat, repo.pushed(top, sha), notices)


def network_log(ws: Workspace, limit: int = 50) -> list[repo.LogEntry]:
    if not repo.is_repo(ws.root):
        raise WorkspaceError(
            _("{root} is not in a git repository, so there is no history to show.").format(root=ws.root),
            hint=_("Run 'git init' to start one."),
        )
    return repo.log(ws.root, ws.tanks, limit=limit, doetank_only=True)
