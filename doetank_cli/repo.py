"""The only module that runs git: one git() helper, commits of explicit paths, history."""

from __future__ import annotations

import getpass
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from doetank_cli import system
from doetank_cli.errors import GitError
from doetank_cli.i18n import N_, _

# GIT_* variables that describe the person or isolate config are honoured; the rest
# (GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE, ...) would point git somewhere else than the workspace.
_KEEP = {
    "GIT_CONFIG_GLOBAL",
    "GIT_CONFIG_SYSTEM",
    "GIT_CONFIG_NOSYSTEM",
    "GIT_AUTHOR_NAME",
    "GIT_AUTHOR_EMAIL",
    "GIT_AUTHOR_DATE",
    "GIT_COMMITTER_NAME",
    "GIT_COMMITTER_EMAIL",
    "GIT_COMMITTER_DATE",
    "GIT_SSH",
    "GIT_SSH_COMMAND",
    "GIT_ASKPASS",
}
TRAILER_PREFIX = "Doetank-"


@dataclass(frozen=True)
class Author:
    """The person a change is made for, when that is not the machine's git identity (a browser user of serve)."""

    name: str
    email: str = ""


_author: ContextVar[Author | None] = ContextVar("doetank_author", default=None)


@contextmanager
def authored_by(author: Author | None) -> Iterator[None]:
    """Every commit git makes inside this block names `author` as its author; the committer stays the machine's own
    identity. A context variable, so that it holds for one request (thread or task) and for every path that commits
    (a change, an undo, a sync's merge), without each function passing it on. None changes nothing: the CLI."""
    token = _author.set(author)
    try:
        yield
    finally:
        _author.reset(token)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") or k in _KEEP}
    env.update(LC_ALL="C", GIT_TERMINAL_PROMPT="0")
    author = _author.get()
    if author is not None:
        env.update(GIT_AUTHOR_NAME=author.name, GIT_AUTHOR_EMAIL=author.email)
    return env


def available() -> bool:
    return shutil.which("git") is not None


def git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run git in `root` with an argument list; a failure is a GitError quoting git's own words."""
    if not available():
        raise GitError(_("git is not installed or not on PATH."), hint=_("Install git, or run with --no-commit."))
    cmd = ["git", "-C", str(root), "-c", "core.quotepath=false", *args]
    # git speaks UTF-8 (paths with core.quotepath=false, names, messages); Python would decode with the locale's code
    # page, which on Windows is cp1252 or the like
    proc = subprocess.run(
        cmd, capture_output=True, encoding="utf-8", errors="replace", env=_env(), stdin=subprocess.DEVNULL, check=False
    )
    if check and proc.returncode != 0:
        said = (proc.stderr or proc.stdout).strip()
        raise GitError(_("git {command} failed: {said}").format(command=args[0], said=said or proc.returncode))
    return proc


def is_repo(root: Path) -> bool:
    if not available():
        return False
    proc = git(root, "rev-parse", "--is-inside-work-tree", check=False)
    if "dubious ownership" in proc.stderr:
        raise GitError(
            _("git refuses to work in {root}: the repository belongs to another user.").format(root=root),
            hint=_("If you trust it: git config --global --add safe.directory {root}").format(root=root),
        )
    return proc.returncode == 0 and proc.stdout.strip() == "true"


def git_dir(root: Path) -> Path | None:
    """The git folder of the repository `root` is in, found without running git (a .git folder, or the .git file
    of a linked work tree); None outside a repository. GIT_DIR is ignored here too, as in git()."""
    for folder in (root, *root.parents):
        dotgit = folder / ".git"
        try:
            if dotgit.is_dir():
                return dotgit
            if dotgit.is_file():
                text = dotgit.read_text(encoding="utf-8", errors="replace").strip()
                if not text.startswith("gitdir:"):
                    return None
                found = Path(text.removeprefix("gitdir:").strip())
                return found if found.is_absolute() else (folder / found).resolve()
        except OSError:
            return None
    return None


#: what git leaves in its folder while an operation waits for a person, by the name doetank gives it
_UNFINISHED = (
    ("MERGE_HEAD", "merge"),
    ("rebase-merge", "rebase"),
    ("rebase-apply", "rebase"),
    ("CHERRY_PICK_HEAD", "cherry-pick"),
    ("REVERT_HEAD", "revert"),
)


#: the unfinished operations by name, as a person reads them
_OPERATION_NAMES = {
    "merge": N_("merge of two versions"),
    "rebase": N_("rebase"),
    "cherry-pick": N_("cherry-pick"),
    "revert": N_("revert"),
}


def operation_name(operation: str | None) -> str:
    """An unfinished git operation (unfinished() gives it) in the interface language."""
    return _(_OPERATION_NAMES.get(operation or "merge", operation or "merge"))


def unfinished(root: Path) -> str | None:
    """The git operation that is unfinished in this work tree (merge, rebase, cherry-pick, revert), if any."""
    folder = git_dir(root)
    if folder is None:
        return None
    return next((what for name, what in _UNFINISHED if (folder / name).exists()), None)


def identity(root: Path) -> tuple[str, str]:
    """The name and e-mail this clone commits with: git's configuration, else the fallback commit() uses."""
    env = _env()
    args, _notice = _identity(root)
    given = dict(arg.split("=", 1) for arg in args[1::2])
    name = env.get("GIT_AUTHOR_NAME") or given.get("user.name") or git(root, "config", "user.name", check=False).stdout
    mail = (
        env.get("GIT_AUTHOR_EMAIL") or given.get("user.email") or git(root, "config", "user.email", check=False).stdout
    )
    return name.strip(), mail.strip()


def identity_args(root: Path) -> tuple[list[str], str | None]:
    """-c options that supply a name and e-mail when git has none (for every commit doetank makes), and the notice;
    show it through identity_once, when a commit was made with them."""
    return _identity(root)


def identity_once(root: Path, notice: str | None) -> str | None:
    """The identity notice the first time a commit is made with the fallback in this clone, else None: said once per
    workspace rather than on every command. The mark is kept in the clone's git folder, beside the history it is
    about (every commit path finds it, also from git's top folder); when it cannot be kept, the notice is said."""
    folder = git_dir(root) if notice else None
    if notice is None or folder is None:
        return notice
    try:
        (folder / "doetank-identity-said").touch(exist_ok=False)
    except FileExistsError:
        return None
    except OSError:
        return notice
    return notice


def tracked(root: Path, path: Path) -> bool:
    """Whether git tracks `path`: False outside a repository or without git; a GitError when git cannot say."""
    if not available():
        return False
    proc = git(root, "ls-files", "--error-unmatch", "--", str(path.relative_to(root)), check=False)
    if proc.returncode == 0:
        return True
    if proc.returncode == 1 or "not a git repository" in proc.stderr:
        return False
    raise GitError(_("git ls-files failed: {said}").format(said=proc.stderr.strip()))


def init(root: Path) -> None:
    git(root, "init", "--quiet")


def _identity(root: Path) -> tuple[list[str], str | None]:
    """-c options that supply a name and e-mail when git has none configured, and a notice saying so."""
    args: list[str] = []
    env = dict(os.environ)  # the machine's own identity, not the author of a browser request
    listed = git(root, "config", "--get-regexp", r"^user\.(name|email)$", check=False).stdout
    configured = {
        line.split(" ", 1)[0] for line in listed.splitlines() if " " in line and line.split(" ", 1)[1].strip()
    }
    missing = [
        key
        for key, env_key in (("user.name", "GIT_AUTHOR_NAME"), ("user.email", "GIT_AUTHOR_EMAIL"))
        if key not in configured and not env.get(env_key)
    ]
    if not missing:
        return args, None
    from doetank_cli import settings  # the person's own doetank settings: `doetank config set naam/email`

    own = {"user.name": settings.get("naam"), "user.email": settings.get("email")}  # only values git can take
    user = getpass.getuser()
    fallback = {"user.name": user, "user.email": f"{user}@{socket.gethostname() or 'localhost'}"}
    for key in missing:
        args += ["-c", f"{key}={own[key] or fallback[key]}"]
    if all(own[key] for key in missing):
        return args, None
    notice = _(
        "Your name and e-mail address for the history are not set on this computer, so changes are committed as "
        '{name} <{email}>. Set yours once, for every workspace: doetank config set naam "Your Name" and '
        "doetank config set email you@example.nl. (Said once per workspace.)"
    ).format(name=own["user.name"] or fallback["user.name"], email=own["user.email"] or fallback["user.email"])
    return args, notice


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]+")


def one_line(text: str) -> str:
    """Text made safe for one line of a commit message: a line break or any other control character (from a name in
    a hand-edited record) could start a forged trailer or break the fields `log` reads back, so each run of them is a
    single space."""
    return " ".join(_CONTROL.sub(" ", text).split())


def message(subject: str, trailers: dict[str, str]) -> str:
    """A commit message of one subject line and doetank's trailers, built only from safe values: keys are words,
    values one line each."""
    lines = [one_line(subject), ""] + [
        f"{TRAILER_PREFIX}{re.sub(r'[^A-Za-z0-9-]', '', key)}: {one_line(value)}" for key, value in trailers.items()
    ]
    return "\n".join(lines) + "\n"


def _staged(root: Path, *paths: str) -> bool:
    """Whether the index differs from HEAD (for `paths` only, when given); True too when git cannot say."""
    return git(root, "diff", "--cached", "--quiet", "--no-ext-diff", "--", *paths, check=False).returncode != 0


def commit(root: Path, paths: list[Path], subject: str, trailers: dict[str, str]) -> tuple[str | None, list[str]]:
    """Commit exactly `paths` (other staged or unstaged work is left alone). Returns (sha or None, notices).

    When nothing else is staged, the index is HEAD plus these paths once they are added, and it is committed whole:
    in a repository of 10,000 tanks that is half the work of `git commit -- <paths>`, which builds a second index
    from HEAD and looks at every file of the working tree. When the person has staged work of their own, it stays
    staged: then only the paths are committed, the way that leaves it alone. Either way it is `git commit`, so the
    team's own hooks (pre-commit, secret scanners) run and can refuse it.
    """
    rel = [p.relative_to(root).as_posix() for p in paths]
    only_ours = not _staged(root)
    git(root, "add", "--", *rel)
    if not _staged(root, *rel):
        return None, []
    identity, notice = _identity(root)
    notice = identity_once(root, notice)
    notices = [notice] if notice else []
    which = [] if only_ours else ["--", *rel]
    git(root, "-c", "commit.gpgsign=false", *identity, "commit", "--quiet", "-m", message(subject, trailers), *which)
    sha, _sep, refs = git(root, "log", "-1", "--format=%h %D").stdout.strip().partition(" ")
    if "HEAD -> " not in refs:
        notices.append(
            _(
                "This workspace is not on its branch right now, so the change was saved ({sha}) outside it: ask "
                "whoever set up this workspace to keep it (for them: git switch -c NAME)."
            ).format(sha=sha)
        )
    return sha, notices


def tracked_files(root: Path, folder: Path) -> list[Path]:
    """The files under `folder` that git tracks (a move commits their removal at the old place)."""
    out = git(root, "ls-files", "-z", "--", str(folder.relative_to(root))).stdout
    return [root / name for name in out.split("\0") if name]


@dataclass(frozen=True)
class LogEntry:
    sha: str
    datum: str
    wie: str
    wat: str
    tank: str = ""  # the Doetank-Tank trailer


# --------------------------------------------------------------------------- a commit's subject in words


_SUBJECT = re.compile(r"^doetank (?P<command>[a-z-]+(?: [a-z]+)?): (?:(?P<slug>[a-z0-9-]+): )?(?P<what>.*)$")
_RENAMED = re.compile(r"^(?P<old>[a-z0-9-]+) -> (?P<new>[a-z0-9-]+): the slug was taken on the server$")
_MERGED = re.compile(r"^\S+/\S+ merged$")  # sync's merges before its subjects were written in the interface language
#: subjects doetank and git wrote in English, as the log shows them in the interface language
_FIXED_SUBJECTS = {
    "local changes": N_("own changes, shared"),
    "merge doetank.yaml field by field": N_("doetank.yaml from now on merged field by field"),
    "workspace": N_("workspace made"),
}


def what_happened(subject: str) -> str:
    """A commit's subject as the log shows it (and undo, sync and the browser say it): what doetank did in words,
    without the command's and the tank's name; git's own merge subjects ('Merge commit ...', 'Merge branch ...') and
    doetank's fixed English ones in the interface language. Subjects written by people are shown as they wrote them."""
    if subject.startswith(("Merge commit ", "Merge branch ", "Merge remote-tracking branch ")):
        return _("the team's changes, brought together")
    found = _SUBJECT.match(subject)
    if not found:
        return subject
    what = found["what"].replace(" -> ", " → ")
    renamed = _RENAMED.match(found["what"])
    if renamed:
        return _("{old} became {new}: the short name was already taken on the server").format(
            old=renamed["old"], new=renamed["new"]
        )
    if found["command"] == "sync" and _MERGED.match(found["what"]):
        return _("the team's changes, brought together")
    if found["what"] in _FIXED_SUBJECTS:
        return _(_FIXED_SUBJECTS[found["what"]])
    if found["command"] == "undo":
        return _("undone: {what}").format(what=what_happened(found["what"]))
    return what


def with_tank(subject: str) -> str:
    """What a commit did, after the tank it did it to ('slimmer: Eva joined as doetanker')."""
    found = _SUBJECT.match(subject)
    what = what_happened(subject)
    return f"{found['slug']}: {what}" if found and found["slug"] else what


def log(
    root: Path, path: Path | None = None, limit: int = 200, doetank_only: bool = False, until: str | None = None
) -> list[LogEntry]:
    """The history (newest first) of `path`, or of everything; `until` starts it at that commit instead of HEAD."""
    # NUL ends every field: a commit message can hold any other character (a name with \x1e or \x1f in it), not NUL
    args = [
        "log",
        "-z",
        f"--max-count={limit}",
        "--date=short",
        f"--format=%h%x00%ad%x00%an%x00%s%x00%(trailers:key={TRAILER_PREFIX}Tank,valueonly,separator=%x2C)",
    ]
    if doetank_only:
        args.append(f"--grep=^{TRAILER_PREFIX}Command:")
    if until is not None:
        args.append(until)
    if path is not None:
        args += ["--", path.relative_to(root).as_posix()]
    proc = git(root, *args, check=False)
    if proc.returncode != 0:
        # a repository without commits yet has no history to show
        if "does not have any commits" in proc.stderr:
            return []
        raise GitError(_("git log failed: {said}").format(said=proc.stderr.strip()))
    fields = proc.stdout.split("\x00")
    entries = []
    for start in range(0, len(fields) - 4, 5):
        sha, datum, wie, wat, tank = (field.strip("\n") for field in fields[start : start + 5])
        entries.append(LogEntry(sha, datum, wie, wat, tank.strip()))
    return entries


def renames(root: Path, folder: Path) -> list[tuple[str, str]]:
    """The commits that moved a tank's folder here (`doetank rename`): (commit, the folder's name before)."""
    out = git(
        root,
        "log",
        f"--format=%H%x1f%(trailers:key={TRAILER_PREFIX}Renamed-From,valueonly,separator=%x2C)%x1e",
        f"--grep=^{TRAILER_PREFIX}Renamed-From:",
        "--",
        str(folder.relative_to(root)),
        check=False,
    ).stdout
    found = []
    for record in out.split("\x1e"):
        sha, _sep, old = record.strip("\n").partition("\x1f")
        if sha and old.strip():
            found.append((sha, old.strip()))
    return found


# --------------------------------------------------------------------------- sharing (sync, undo, the merge driver)

MERGE_DRIVER = "doetank"
ATTRIBUTES_LINE = f"tanks/*/doetank.yaml merge={MERGE_DRIVER}"
#: records and notes are text with \n line ends in the repository and in every checkout, also on Windows with
#: core.autocrlf; named one by one, never `tanks/**`, which would turn a picture beside a note into broken text
LINE_ENDINGS = ("tanks/**/doetank.yaml text eol=lf", "tanks/**/*.md text eol=lf", "templates/*.md text eol=lf")
ATTRIBUTES = (ATTRIBUTES_LINE, *LINE_ENDINGS)


def toplevel(root: Path) -> Path:
    return Path(git(root, "rev-parse", "--show-toplevel").stdout.strip())


def register_merge_driver(root: Path) -> None:
    """The driver in this clone's git config (it names this machine's Python, so it is not committed)."""
    python = system.shell_path(sys.executable)  # git runs the driver through sh, on Windows too
    command = f"{shlex.quote(python)} -m doetank_cli merge-file %O %A %B %P"
    git(root, "config", f"merge.{MERGE_DRIVER}.name", "doetank: merge doetank.yaml field by field")
    git(root, "config", f"merge.{MERGE_DRIVER}.driver", command)


def merge_driver_registered(root: Path) -> bool:
    return bool(git(root, "config", "--get", f"merge.{MERGE_DRIVER}.driver", check=False).stdout.strip())


def empty_tree(root: Path) -> str:
    """The id of the empty tree in this repository's object format (sha1 or sha256), for diffs "since the start"."""
    return git(root, "hash-object", "-t", "tree", "--stdin").stdout.strip()  # stdin is empty (DEVNULL)


def configured_editor(root: Path) -> str | None:
    """core.editor when someone set it (the Git for Windows installer asks for one); never git's own default vi,
    which `git var GIT_EDITOR` would answer."""
    if not available():
        return None
    return git(root, "config", "--get", "core.editor", check=False).stdout.strip() or None


def rev(root: Path, ref: str) -> str | None:
    proc = git(root, "rev-parse", "-q", "--verify", f"{ref}^{{commit}}", check=False)
    return proc.stdout.strip() or None


def branch(root: Path) -> str | None:
    return git(root, "symbolic-ref", "-q", "--short", "HEAD", check=False).stdout.strip() or None


def home_branch(root: Path, remote: str) -> str:
    """The branch a workspace that is off its branch goes back to: its only branch, else the one the team's server
    calls its own, else main or master (the name for the hint to whoever set it up)."""
    local = git(root, "for-each-ref", "--format=%(refname:short)", "refs/heads", check=False).stdout.split()
    if len(local) == 1:
        return local[0]
    server = git(root, "symbolic-ref", "-q", "--short", f"refs/remotes/{remote}/HEAD", check=False).stdout.strip()
    if server.removeprefix(f"{remote}/") in local:
        return server.removeprefix(f"{remote}/")
    return next((name for name in ("main", "master") if name in local), "main")


def remotes(root: Path) -> list[str]:
    return git(root, "remote").stdout.split()


def status(root: Path, paths: list[str]) -> list[tuple[str, str]]:
    """(git's two-letter status, path from the repository's top) of every changed or new file under `paths`; a renamed
    file is its new path and its old one (as a removal)."""
    out = git(root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *paths).stdout.split("\0")
    found: list[tuple[str, str]] = []
    entries = iter(out)
    for entry in entries:
        if len(entry) < 4:
            continue
        code, path = entry[:2], entry[3:]
        found.append((code, path))
        if "R" in code or "C" in code:
            found.append((" D", next(entries, "")))
    return [(code, path) for code, path in found if path]


def dirty(root: Path, paths: list[str]) -> list[str]:
    out = git(root, "status", "--porcelain", "--untracked-files=all", "--", *paths).stdout
    return [line[3:] for line in out.splitlines() if line]


def unmerged(root: Path, relative: bool = False) -> list[str]:
    """The files git holds unmerged: from the repository's top, or (relative) from `root` and below it only."""
    args = ["diff", "--name-only", "--diff-filter=U", *(["--relative"] if relative else [])]
    return git(root, *args, "-z").stdout.split("\0")[:-1]


def merging(root: Path) -> bool:
    return rev(root, "MERGE_HEAD") is not None


def tree_names(root: Path, commit: str, folder: str) -> dict[str, str]:
    """The entries of a folder at a commit: name -> object id."""
    out = git(root, "ls-tree", commit, "--", f"{folder}/", check=False).stdout
    found = {}
    for line in out.splitlines():
        meta, _tab, path = line.partition("\t")
        found[path.rsplit("/", 1)[-1]] = meta.split()[2]
    return found


def show(root: Path, commit: str, path: str) -> str | None:
    proc = git(root, "show", f"{commit}:{path}", check=False)
    return proc.stdout if proc.returncode == 0 else None


def show_many(root: Path, specs: list[str]) -> dict[str, str | None]:
    """Files at commits, each `commit:path`, read by one git process (one per file costs a second per 200 files):
    the text as show() gives it, None for a file that is not there."""
    if not specs:
        return {}
    if not available():
        raise GitError(_("git is not installed or not on PATH."), hint=_("Install git, or run with --no-commit."))
    proc = subprocess.run(
        ["git", "-C", str(root), "-c", "core.quotepath=false", "cat-file", "--batch"],
        input="".join(f"{spec}\n" for spec in specs).encode("utf-8"),
        capture_output=True,
        env=_env(),
        check=False,
    )
    if proc.returncode != 0:
        said = proc.stderr.decode("utf-8", errors="replace").strip()
        raise GitError(_("git {command} failed: {said}").format(command="cat-file", said=said or proc.returncode))
    out, at = proc.stdout, 0
    found: dict[str, str | None] = {}
    for spec in specs:
        end = out.index(b"\n", at)
        header = out[at:end].split()
        at = end + 1
        if len(header) != 3:  # "<spec> missing"
            found[spec] = None
            continue
        size = int(header[2])
        body = out[at : at + size]
        at += size + 1
        # as show() decodes: UTF-8 with replacements, and universal newlines (text mode)
        text = body.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
        found[spec] = text if header[1] == b"blob" else None
    return found


def changed(root: Path, since: str, until: str, folder: str) -> list[str]:
    """Every path under `folder` that differs between two commits; a moved file by both its paths (whatever the
    person's diff.renames says), so that the place it left is seen too."""
    out = git(root, "diff", "--name-only", "--no-renames", "-z", since, until, "--", f"{folder}/").stdout
    return [p for p in out.split("\0") if p]


def moved(root: Path, since: str, until: str, folder: str) -> dict[str, str]:
    """The files under `folder` git sees as moved between two commits (a renamed tank's): new path → old path."""
    out = git(root, "diff", "--name-status", "-z", "-M", "--diff-filter=R", since, until, "--", f"{folder}/").stdout
    fields = out.split("\0")
    found: dict[str, str] = {}
    for at in range(0, len(fields) - 2, 3):  # R<score>, the old path, the new path
        if fields[at].startswith("R"):
            found[fields[at + 2]] = fields[at + 1]
    return found


def is_ancestor(root: Path, older: str, newer: str) -> bool:
    return git(root, "merge-base", "--is-ancestor", older, newer, check=False).returncode == 0


def last_changes(root: Path, folder: str, since: str | None = None) -> dict[str, int]:
    """For each entry of `folder` (a tank), the committer time of the newest commit that touched it (since `since`)."""
    out = git(
        root, "log", "--format=%x1e%ct", "--name-only", "--relative", since + "..HEAD" if since else "HEAD", "--",
        f"{folder}/",
    ).stdout  # fmt: skip
    found: dict[str, int] = {}
    for entry in out.split("\x1e"):
        lines = entry.split("\n")
        if not lines[0].strip():
            continue
        seconds = int(lines[0])
        for path in lines[1:]:
            parts = path.split("/")
            if len(parts) > 2 and parts[0] == folder and seconds > found.get(parts[1], -1):
                found[parts[1]] = seconds
    return found


def pushed(root: Path, commit: str) -> bool:
    """Whether a commit is on any remote-tracking branch (as far as the last fetch knows)."""
    return bool(git(root, "branch", "-r", "--contains", commit, check=False).stdout.strip())
