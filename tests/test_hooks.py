"""Hooks around advance and sync: a pre-advance hook can veto, post hooks get the tank and the phases, and a hook that
git tracks (it came from the team's server) is refused, named and never run."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import git

from doetank_cli import hooks, system
from doetank_cli.workspace import Workspace

WHY = "a hook there is an executable file run through its #! line; Windows has its own test"


def posix(test: Callable[..., None]) -> Callable[..., None]:
    marked: Callable[..., None] = pytest.mark.posix(reason=WHY)(pytest.mark.skipif(os.name == "nt", reason=WHY)(test))
    return marked


def hook(ws: Workspace, name: str, body: str, executable: bool = True) -> Path:
    path = ws.root / ".doetank" / "hooks" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body, encoding="utf-8")
    if executable:
        path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def state(ws: Workspace, tank: str) -> tuple[str, str, list[str]]:
    return (
        (ws.tanks / tank / "doetank.yaml").read_text(),
        git(ws.root, "rev-parse", "HEAD").strip(),
        sorted(p.name for p in (ws.tanks / tank).iterdir()),
    )


ENV_DUMP = '#!/bin/sh\nenv | grep "^DOETANK_" | sort > "$DOETANK_ROOT/../{name}.env"\n'


@posix
def test_a_pre_advance_hook_that_says_no_stops_the_advance_and_changes_nothing(tank: str, ws: Workspace, run) -> None:
    hook(ws, "pre-advance", '#!/bin/sh\necho "Eerst de opdrachtgever bellen (naar $DOETANK_NAAR)" >&2\nexit 3\n')
    before = state(ws, tank)
    result = run("advance", tank)
    assert result.exit_code == 1
    assert "the hook .doetank/hooks/pre-advance stopped the advance" in result.stderr
    assert "Eerst de opdrachtgever bellen (naar onderzoeken)" in result.stderr
    assert state(ws, tank) == before


@posix
def test_a_pre_advance_hook_that_says_yes_lets_the_advance_go_on(tank: str, ws: Workspace, run) -> None:
    hook(ws, "pre-advance", ENV_DUMP.format(name="pre"))
    result = run("advance", tank)
    assert result.exit_code == 0, result.output
    assert "fase: onderzoeken" in (ws.tanks / tank / "doetank.yaml").read_text()
    assert f"DOETANK_TANK={tank}" in (ws.root.parent / "pre.env").read_text()


@posix
def test_a_post_advance_hook_gets_the_workspace_the_tank_and_both_phases(tank: str, ws: Workspace, run) -> None:
    hook(ws, "post-advance", ENV_DUMP.format(name="post"))
    assert run("advance", tank).exit_code == 0
    seen = (ws.root.parent / "post.env").read_text().splitlines()
    assert {
        "DOETANK_NAAR=onderzoeken",
        f"DOETANK_ROOT={ws.root}",
        f"DOETANK_TANK={tank}",
        "DOETANK_VAN=ontdekken",
    } <= set(seen)


@posix
def test_a_failing_post_advance_hook_is_said_and_the_advance_stands(tank: str, ws: Workspace, run) -> None:
    hook(ws, "post-advance", "#!/bin/sh\necho 'webhook onbereikbaar' >&2\nexit 7\n")
    result = run("advance", tank)
    assert result.exit_code == 0
    assert "The post-advance hook failed (exit code 7): webhook onbereikbaar" in result.stderr
    assert "fase: onderzoeken" in (ws.tanks / tank / "doetank.yaml").read_text()


@posix
def test_a_hook_that_git_tracks_is_refused_named_and_never_run(tank: str, ws: Workspace, run) -> None:
    path = hook(ws, "pre-advance", f'#!/bin/sh\ntouch "{ws.root.parent}/ran"\nexit 1\n')
    git(ws.root, "add", "-f", ".doetank/hooks/pre-advance")  # a colleague committed it; it came in with a pull
    git(ws.root, "commit", "-qm", "hook")
    result = run("advance", tank)
    assert result.exit_code == 0, result.output
    assert ".doetank/hooks/pre-advance is not run: git tracks it" in result.stderr
    assert not (ws.root.parent / "ran").exists()
    assert path.exists()  # refused, not deleted: it is the person's to remove


@posix
def test_a_hook_that_is_a_link_or_not_executable_is_not_run(tank: str, ws: Workspace, run, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elders.sh"
    elsewhere.write_text("#!/bin/sh\nexit 1\n")
    elsewhere.chmod(0o755)
    (ws.root / ".doetank" / "hooks").mkdir(parents=True)
    (ws.root / ".doetank" / "hooks" / "pre-advance").symlink_to(elsewhere)
    hook(ws, "post-advance", "#!/bin/sh\nexit 1\n", executable=False)
    result = run("advance", tank)
    assert result.exit_code == 0, result.output
    assert "pre-advance is not run: a hook must be a file of this clone itself" in result.stderr
    assert "post-advance is not run: it is not executable (chmod +x" in result.stderr


def test_a_dry_run_and_a_blocked_advance_run_no_hook(ws: Workspace, tank: str, run) -> None:
    hook(ws, "pre-advance", f'#!/bin/sh\ntouch "{ws.root.parent}/ran"\n')
    (ws.tanks / tank / "01-ontdekken.md").write_text("# Leeg\n")
    assert run("advance", tank).exit_code == 1
    assert run("advance", tank, "--dry-run").exit_code == 1
    assert not (ws.root.parent / "ran").exists()


def test_on_windows_a_python_hook_runs_with_python(
    tank: str, ws: Workspace, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(system, "PLATFORM", "win32")
    hook(
        ws, "pre-advance", "import os, sys\nprint('nee, ' + os.environ['DOETANK_VAN'], file=sys.stderr)\nsys.exit(1)\n"
    )
    hook(
        ws,
        "pre-advance.py",
        "import os, sys\nprint('nee, ' + os.environ['DOETANK_VAN'], file=sys.stderr)\nsys.exit(1)\n",
    )
    found = hooks.find(ws, "pre-advance")
    assert found.command == [sys.executable, str(ws.root / ".doetank" / "hooks" / "pre-advance.py")]
    result = run("advance", tank)
    assert result.exit_code == 1 and "nee, ontdekken" in result.stderr


@posix
def test_a_post_sync_hook_runs_after_sync(tank: str, ws: Workspace, run, tmp_path: Path) -> None:
    server = tmp_path / "server.git"
    subprocess.run(["git", "init", "-q", "--bare", str(server)], check=True)
    git(ws.root, "remote", "add", "origin", str(server))
    hook(ws, "post-sync", ENV_DUMP.format(name="sync"))
    result = run("sync")
    assert result.exit_code == 0, result.output
    assert f"DOETANK_ROOT={ws.root}" in (ws.root.parent / "sync.env").read_text()
