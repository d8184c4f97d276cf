"""Git as users really have it: missing, unconfigured, signing, hooks, GIT_DIR from elsewhere, a stale lock, a detached
HEAD, a repository of another user, names with diacritics. Each is handled or a clear exit 4; the record stays right."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from conftest import doetank_in, git
from typer.testing import CliRunner

from doetank_cli import lifecycle, store
from doetank_cli.cli import app
from doetank_cli.workspace import Workspace

ADD = ["member", "add", "slimmer", "Eva Jansen", "--rol", "doetanker", "--organisatie", "UWV", "--sector", "publiek"]


def record(ws: Workspace) -> str:
    return (ws.tanks / "slimmer" / "doetank.yaml").read_text()


def last_subject(ws: Workspace) -> str:
    return git(ws.root, "log", "-1", "--format=%s")


def test_without_git_everything_works_and_says_once_that_nothing_is_versioned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_git = tmp_path / "bin"
    no_git.mkdir()
    monkeypatch.setenv("PATH", str(no_git))
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert "git is not installed" in runner.invoke(app, ["init", "ws"]).output
    monkeypatch.chdir(tmp_path / "ws")
    first = runner.invoke(app, ["new", "Slimmer", "--vraagstuk", "P", "--organisatie", "O"])
    assert first.exit_code == 0 and "git is not installed" in first.output
    second = runner.invoke(app, ["vraagstuk", "slimmer", "--groter-vraagstuk", "G"])
    assert second.exit_code == 0 and "not installed" not in second.output
    assert "groter_vraagstuk: G" in (tmp_path / "ws" / "tanks" / "slimmer" / "doetank.yaml").read_text()
    history = runner.invoke(app, ["log", "slimmer"])
    assert history.exit_code == 4 and "not in a git repository" in history.output


def test_commit_gpgsign_in_the_users_config_does_not_stop_a_commit(ws: Workspace, run, tank: str) -> None:
    git(ws.root, "config", "commit.gpgsign", "true")
    git(ws.root, "config", "gpg.program", "false")  # signing would fail
    result = run(*ADD)
    assert result.exit_code == 0, result.output
    assert "Eva Jansen" in last_subject(ws) and git(ws.root, "status", "--porcelain") == ""


def test_an_inherited_git_dir_does_not_send_the_commit_elsewhere(
    ws: Workspace, run, tank: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    git(other, "init", "-q")
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(other))
    monkeypatch.setenv("GIT_INDEX_FILE", str(other / ".git" / "index"))
    result = run(*ADD)
    assert result.exit_code == 0, result.output
    for key in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(key)
    assert "Eva Jansen" in last_subject(ws)
    assert git(other, "rev-list", "--all") == ""


def test_a_stale_index_lock_is_exit_4_naming_it_and_the_change_is_saved(ws: Workspace, run, tank: str) -> None:
    lock = ws.root / ".git" / "index.lock"
    lock.write_text("")
    result = run(*ADD)
    assert result.exit_code == 4
    assert (
        "The change to slimmer is saved, but git could not commit it" in result.output and "index.lock" in result.output
    )
    assert "Eva Jansen" in record(ws) and store.load_record(ws.tanks / "slimmer" / "doetank.yaml", "x")
    assert lock.exists()  # another git may really be running: doetank does not remove it
    lock.unlink()
    assert run("vraagstuk", "slimmer", "--groter-vraagstuk", "G").exit_code == 0
    assert "tanks/slimmer/doetank.yaml" in git(ws.root, "show", "--name-only", "--format=", "HEAD")


def test_on_a_detached_head_the_commit_is_made_and_doetank_says_it_is_on_no_branch(
    ws: Workspace, run, tank: str
) -> None:
    git(ws.root, "checkout", "-q", "--detach")
    result = run(*ADD)
    assert result.exit_code == 0, result.output
    assert "not on its branch" in result.output and "git switch -c" in result.output
    assert "Eva Jansen" in last_subject(ws)
    dutch = doetank_in(ws.root, "nl", "member", "add", "slimmer", "Piet Bos", "--rol", "doetanker",
                       "--organisatie", "UWV", "--sector", "publiek")  # fmt: skip
    assert dutch.returncode == 0, dutch.stderr
    assert "niet op zijn tak" in dutch.stdout + dutch.stderr and "HEAD" not in dutch.stdout + dutch.stderr
    git(ws.root, "remote", "add", "origin", str(ws.root.parent / "server.git"))
    refused = doetank_in(ws.root, "nl", "sync")
    assert refused.returncode == 4 and "niet op zijn tak" in refused.stderr and "HEAD" not in refused.stderr


def test_a_failing_hook_of_the_user_keeps_the_change_and_exits_4(ws: Workspace, run, tank: str) -> None:
    hook = ws.root / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'lint says no' >&2\nexit 1\n")
    hook.chmod(0o755)
    result = run(*ADD)
    assert result.exit_code == 4 and "lint says no" in result.output and "saved" in result.output
    assert "Eva Jansen" in record(ws)


def _belongs_to_another_user(ws: Workspace, how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if how == "chown":  # truly another owner: only root can give files away
        if not hasattr(os, "geteuid") or os.geteuid() != 0:
            pytest.skip("giving the files to another user needs root; the git-says-so case runs without")
        for path in [ws.root, *ws.root.rglob("*")]:
            os.lchown(path, 4242, 4242)
        return
    # git's own switch for its ownership check (GIT_TEST_ASSUME_DIFFERENT_OWNER): the same refusal, no root needed.
    # doetank cleans GIT_* from git's environment, so a git on PATH sets it for every call doetank makes.
    real = shutil.which("git")
    assert real is not None
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "git").write_text(f'#!/bin/sh\nGIT_TEST_ASSUME_DIFFERENT_OWNER=1 exec "{real}" "$@"\n')
    (fake / "git").chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake}{os.pathsep}{os.environ['PATH']}")


@pytest.mark.parametrize(
    "how",
    [
        pytest.param("chown", marks=pytest.mark.posix(reason="chown")),
        pytest.param(
            "git-says-so", marks=pytest.mark.skipif(sys.platform == "win32", reason="a POSIX shell wrapper for git")
        ),
    ],
)
def test_a_repository_of_another_user_is_a_clear_exit_4(
    ws: Workspace, run, tank: str, how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = record(ws)
    _belongs_to_another_user(ws, how, tmp_path, monkeypatch)
    result = run(*ADD)
    assert result.exit_code == 4
    assert "belongs to another user" in result.output and "safe.directory" in result.output
    assert record(ws) == before  # refused before anything was written


def test_a_workspace_path_and_names_with_diacritics_work_end_to_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "Doetanks Één café"
    lifecycle.init(root)
    monkeypatch.chdir(root)
    runner = CliRunner()
    result = runner.invoke(
        app,
        [
            "new",
            "Één loket voor Zoë",
            "--vraagstuk",
            "Inwoners vertellen hun verhaal vaak",
            "--organisatie",
            "Gemeente Zaanstad",
        ],
    )
    assert result.exit_code == 0, result.output
    assert (root / "tanks" / "een-loket-voor-zoe" / "doetank.yaml").exists()
    log = runner.invoke(app, ["log", "een"])
    assert log.exit_code == 0 and "started in ontdekken" in log.output
    assert git(root, "status", "--porcelain") == ""


def test_a_git_that_fails_to_start_is_no_traceback_and_the_change_is_kept(
    ws: Workspace, run, tank: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fake = tmp_path / "fakebin"
    fake.mkdir()
    (fake / "git").write_text("#!/bin/sh\necho 'git: error while loading shared libraries' >&2\nexit 127\n")
    (fake / "git").chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake}{os.pathsep}{os.environ['PATH']}")
    result = run(*ADD)
    assert result.exit_code == 0, result.output
    assert "Nothing is versioned" in result.output and "Traceback" not in result.output
    assert "Eva Jansen" in record(ws)


@pytest.mark.parametrize("naam", ["   ", ".", "🙂", "Anna\u200b"])
def test_a_hand_edited_name_git_would_refuse_is_not_used_and_the_change_is_committed(
    ws: Workspace, run, tank: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, naam: str
) -> None:
    """config.toml edited by hand to a name of only spaces, dots or a smiley: `config set` refuses those, so the change
    must not use them either (git refused it: the change was saved but not committed, exit 4 with git's words)."""
    from doetank_cli import settings

    empty = tmp_path / "empty-gitconfig"
    empty.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    settings.write({"naam": naam, "email": "anna@utrecht.nl"})
    result = run(*ADD)
    assert result.exit_code == 0, result.output
    assert git(ws.root, "status", "--porcelain") == ""
    assert git(ws.root, "log", "-1", "--format=%ae").strip() == "anna@utrecht.nl"
    assert "doetank config set naam" in result.output  # the name was not used, and the person is told
    listed = run("config", "list").output
    assert "not used" in listed and "naam = Test" not in listed


@pytest.mark.parametrize("branch", ["master", "werk"])
def test_sync_off_its_branch_names_the_branch_this_workspace_goes_back_to(
    ws: Workspace, tank: str, tmp_path: Path, branch: str
) -> None:
    """A team whose server's branch is not 'main': the command for whoever set it up must be the one that works here
    (it said 'git switch main' to a workspace on master)."""
    git(ws.root, "branch", "-m", branch)
    server = tmp_path / "server.git"
    git(tmp_path, "init", "-q", "--bare", str(server))
    git(ws.root, "remote", "add", "origin", str(server))
    git(ws.root, "push", "-q", "origin", branch)
    git(ws.root, "checkout", "-q", "--detach")
    refused = doetank_in(ws.root, "nl", "sync")
    assert refused.returncode == 4, refused.stderr
    assert f"git switch {branch})" in refused.stderr and "git switch main" not in refused.stderr, refused.stderr
    git(ws.root, "switch", "-q", branch)  # the command it names works
    assert doetank_in(ws.root, "nl", "sync").returncode == 0
