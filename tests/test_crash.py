"""Crashes: a doetank killed at any step of a write leaves the old record or the new one, never a broken one, and a
lock held by a killed process does not block the next run."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import time
from pathlib import Path

import pytest
from conftest import RECORD, git

from doetank_cli import lifecycle, repo, store, system
from doetank_cli.model import Rol, Sector
from doetank_cli.workspace import Workspace

# where the process dies: (module, attribute) replaced in the child by an immediate, unclean exit
STEPS = {
    "before-fsync-of-the-temp-file": (os, "fsync"),
    "before-the-rename": (os, "replace"),
    "after-the-rename-before-the-folder-fsync": (system, "fsync_dir"),
    "before-the-commit": (repo, "commit"),
}


def _die(*args: object, **kwargs: object) -> None:
    os._exit(9)


def _add_member_and_die_at(root: str, module: object, name: str) -> None:
    setattr(module, name, _die)
    lifecycle.member_add(Workspace(Path(root)), "slimmer", "Eva Jansen", Rol.doetanker, "UWV", Sector.publiek)
    os._exit(0)  # the step was never reached


def record_text(ws: Workspace) -> str:
    return (ws.tanks / "slimmer" / "doetank.yaml").read_text()


# a process killed while it holds the lock: only the OS's own lock (flock, Windows' file locking) is released by its
# death; the simulation of Windows on Linux has only filelock's fallback, a lock file that stays
KILLED_HOLDER = "fork, SIGKILL, and a killed lock holder (the simulation has no OS lock to release it)"


@pytest.mark.posix(reason=KILLED_HOLDER)
@pytest.mark.parametrize("step", list(STEPS))
def test_a_write_killed_at_any_step_leaves_the_old_record_or_the_new_one(
    ws: Workspace, tank: str, step: str, tmp_path: Path
) -> None:
    before = record_text(ws)
    # the new record, as the same change makes it when nothing dies (in a copy of the workspace)
    shutil.copytree(ws.root, tmp_path / "copy")
    lifecycle.member_add(Workspace(tmp_path / "copy"), "slimmer", "Eva Jansen", Rol.doetanker, "UWV", Sector.publiek)
    new = (tmp_path / "copy" / "tanks" / "slimmer" / "doetank.yaml").read_text()
    assert new != before
    module, name = STEPS[step]
    child = multiprocessing.get_context("fork").Process(
        target=_add_member_and_die_at, args=(str(ws.root), module, name)
    )
    child.start()
    child.join(30)
    assert child.exitcode == 9, "the process should have died at that step"
    after = record_text(ws)
    assert after in (before, new)  # whole: the old text or the new, byte for byte
    store.load_record(ws.tanks / "slimmer" / "doetank.yaml", "x")  # parses and fits the schema
    # the next run is not blocked, and nothing is lost
    lifecycle.member_add(ws, "slimmer", "Fenna Bos", Rol.doetanker, "DUO", Sector.publiek)
    final = record_text(ws)
    assert "Fenna Bos" in final and ("Eva Jansen" in final) == ("Eva Jansen" in after)
    assert git(ws.root, "status", "--porcelain", "--", "tanks/slimmer/doetank.yaml") == ""


def test_temp_files_a_killed_write_left_behind_are_cleared_by_a_later_write(ws: Workspace, tank: str) -> None:
    folder = ws.tanks / "slimmer"
    stale = folder / ".doetank.yaml.abc123.tmp"
    stale.write_text(RECORD[:40])
    os.utime(stale, (time.time() - 3600, time.time() - 3600))
    fresh = folder / ".doetank.yaml.def456.tmp"  # could belong to a writer that is still running
    fresh.write_text(RECORD[:40])
    lifecycle.member_add(ws, "slimmer", "Fenna Bos", Rol.doetanker, "DUO", Sector.publiek)
    assert not stale.exists() and fresh.exists()


def _hold_the_lock(root: str) -> None:
    with store.lock(Workspace(Path(root))):
        time.sleep(60)


@pytest.mark.posix(reason=KILLED_HOLDER)
def test_a_lock_held_by_a_killed_process_does_not_block_the_next_run(ws: Workspace, tank: str) -> None:
    holder = multiprocessing.get_context("fork").Process(target=_hold_the_lock, args=(str(ws.root),))
    holder.start()
    time.sleep(0.5)
    assert holder.pid is not None
    os.kill(holder.pid, signal.SIGKILL)
    holder.join(10)
    started = time.perf_counter()
    lifecycle.member_add(ws, "slimmer", "Fenna Bos", Rol.doetanker, "DUO", Sector.publiek)
    assert time.perf_counter() - started < 5
    assert (ws.state / "lock").exists()  # the lock file stays; only the kernel's lock on it died with the process
