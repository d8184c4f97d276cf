"""Hooks around advance and sync: this clone's own programs in .doetank/hooks/, run with the tank and the phases.

`pre-advance` may veto an advance (a non-zero exit); `post-advance` and `post-sync` run after. Hooks are per clone:
a hook that git tracks (someone committed it with `git add -f`) is refused and named, never run, so that a
colleague's push cannot run code on your laptop; so is a hook reached through a link. On Windows a hook is
NAME.cmd, .bat, .ps1 or .py, run by its interpreter; elsewhere the executable file NAME.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from doetank_cli import repo, system
from doetank_cli.errors import GitError
from doetank_cli.i18n import _
from doetank_cli.workspace import Workspace

PRE_ADVANCE, POST_ADVANCE, POST_SYNC = "pre-advance", "post-advance", "post-sync"
#: a hook that runs longer than this is stopped (a webhook that hangs must not hang the advance)
TIMEOUT = 120
_WINDOWS_KINDS: dict[str, list[str]] = {
    ".cmd": ["cmd.exe", "/d", "/c"],
    ".bat": ["cmd.exe", "/d", "/c"],
    ".ps1": ["powershell.exe", "-NoLogo", "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-File"],
    ".py": [sys.executable],
}


@dataclass
class Hook:
    """A hook found in .doetank/hooks/: the command to run it, or why it is not run (notices)."""

    name: str
    path: Path | None = None
    command: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


@dataclass
class Ran:
    code: int
    said: str  # what it wrote to stderr (else stdout), for the person


def hooks_dir(ws: Workspace) -> Path:
    return ws.state / "hooks"


def find(ws: Workspace, name: str) -> Hook:
    """The hook `name` of this clone, if there is one that may run."""
    folder = hooks_dir(ws)
    hook = Hook(name)
    if not folder.is_dir():
        return hook
    windows = system.windows()
    candidates = [folder / f"{name}{ext}" for ext in _WINDOWS_KINDS] if windows else [folder / name]
    path = next((p for p in candidates if p.is_file() or p.is_symlink()), None)
    if path is None:
        if windows and (folder / name).is_file():
            hook.notices.append(
                _("{path} is not run: on Windows a hook is {name}.cmd, .bat, .ps1 or .py.").format(
                    path=_shown(ws, folder / name), name=name
                )
            )
        return hook
    if any(p.is_symlink() for p in (ws.state, folder, path)):
        hook.notices.append(
            _("{path} is not run: a hook must be a file of this clone itself, not a link.").format(
                path=_shown(ws, path)
            )
        )
        return hook
    try:
        tracked = repo.tracked(ws.root, path)
    except GitError as exc:
        hook.notices.append(
            _("{path} is not run: git cannot say whether it came from the team's server ({said}).").format(
                path=_shown(ws, path), said=exc.message
            )
        )
        return hook
    if tracked:
        hook.notices.append(
            _(
                "{path} is not run: git tracks it, so it came from the team's server and could run anyone's code "
                "on this laptop. If it is yours: git rm --cached {path}"
            ).format(path=_shown(ws, path))
        )
        return hook
    if windows:
        hook.path, hook.command = path, [*_WINDOWS_KINDS[path.suffix], str(path)]
    elif not os.access(path, os.X_OK):
        hook.notices.append(
            _("{path} is not run: it is not executable (chmod +x {path}).").format(path=_shown(ws, path))
        )
    else:
        hook.path, hook.command = path, [str(path)]
    return hook


def _shown(ws: Workspace, path: Path) -> str:
    return ws.rel(path).replace(os.sep, "/")


def run(ws: Workspace, hook: Hook, tank: str = "", van: str = "", naar: str = "") -> Ran | None:
    """Run a hook that may run, in the workspace root, with DOETANK_ROOT, _TANK, _VAN, _NAAR; None when there is none.

    A hook that cannot be started or runs too long counts as failed (exit code 127 or 124), with the reason."""
    if hook.path is None:
        return None
    env = dict(os.environ, DOETANK_ROOT=str(ws.root), DOETANK_TANK=tank, DOETANK_VAN=van, DOETANK_NAAR=naar)
    try:
        done = subprocess.run(
            hook.command,
            cwd=ws.root,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Ran(124, _("it ran longer than {seconds} seconds and was stopped").format(seconds=TIMEOUT))
    except OSError as exc:
        return Ran(127, _("it could not be started: {reason}").format(reason=exc.strerror or exc))
    return Ran(done.returncode, (done.stderr.strip() or done.stdout.strip()))


def after(ws: Workspace, name: str, tank: str = "", van: str = "", naar: str = "") -> list[str]:
    """Run a post- hook; what to tell the person: why it was not run, or that it failed and what it said."""
    hook = find(ws, name)
    ran = run(ws, hook, tank, van, naar)
    notices = list(hook.notices)
    if ran is not None and ran.code != 0:
        notices.append(
            _("The {name} hook failed (exit code {code}): {said}").format(
                name=name, code=ran.code, said=ran.said or _("it said nothing")
            )
        )
    return notices
