"""How doetank commits: exactly the tank's files, through `git commit`, so the team's own hooks run and see just
those files staged, whether or not the person has staged work of their own (which stays staged, untouched)."""

from __future__ import annotations

import pytest
from conftest import build_tree, git

from doetank_cli.workspace import Workspace

pytestmark = pytest.mark.posix(reason="the hooks here are shell scripts")

HOOK = """#!/bin/sh
git diff --cached --name-only > "$(git rev-parse --git-dir)/staged-at-hook"
test -z "$REFUSE" || { echo "secret found" >&2; exit 1; }
"""


@pytest.fixture
def hooked(ws: Workspace) -> Workspace:
    hook = ws.root / ".git" / "hooks" / "pre-commit"
    hook.write_text(HOOK)
    hook.chmod(0o755)
    return ws


def _new(run, naam: str):
    return run("new", naam, "--vraagstuk", "Overleggen zonder besluit", "--organisatie", "Gemeente Utrecht")


@pytest.mark.parametrize("own_staged_work", [False, True])
def test_the_teams_pre_commit_hook_runs_and_sees_only_the_tanks_files(
    hooked: Workspace, run, own_staged_work: bool
) -> None:
    if own_staged_work:
        build_tree(hooked.root, {"verslag.txt": "half af"})
        git(hooked.root, "add", "verslag.txt")
    result = _new(run, "Slimmer vergaderen")
    assert result.exit_code == 0, result.output
    seen = (hooked.root / ".git" / "staged-at-hook").read_text().split()
    assert seen == ["tanks/slimmer-vergaderen/01-ontdekken.md", "tanks/slimmer-vergaderen/doetank.yaml"]
    committed = git(hooked.root, "show", "--name-only", "--format=", "HEAD").split()
    assert committed == seen
    assert git(hooked.root, "status", "--porcelain") == ("A  verslag.txt\n" if own_staged_work else "")


@pytest.mark.parametrize("own_staged_work", [False, True])
def test_a_refusing_hook_stops_the_commit_and_keeps_the_change(
    hooked: Workspace, run, monkeypatch: pytest.MonkeyPatch, own_staged_work: bool
) -> None:
    if own_staged_work:
        build_tree(hooked.root, {"verslag.txt": "half af"})
        git(hooked.root, "add", "verslag.txt")
    head = git(hooked.root, "rev-parse", "HEAD")
    monkeypatch.setenv("REFUSE", "1")
    result = _new(run, "Slimmer vergaderen")
    assert result.exit_code == 4 and "secret found" in result.output
    assert git(hooked.root, "rev-parse", "HEAD") == head
    assert (hooked.tanks / "slimmer-vergaderen" / "doetank.yaml").exists()


def test_a_change_that_ends_where_head_is_makes_no_commit(ws: Workspace, run) -> None:
    assert _new(run, "Slimmer vergaderen").exit_code == 0
    head = git(ws.root, "rev-parse", "HEAD")
    record = ws.tanks / "slimmer-vergaderen" / "doetank.yaml"
    before = record.read_text()
    assert run("kickoff", "slim", "--datum", "2026-11-20").exit_code == 0
    record.write_text(before)
    git(ws.root, "commit", "-qam", "terug")
    head = git(ws.root, "rev-parse", "HEAD")
    from doetank_cli import repo

    assert repo.commit(ws.root, [record], "doetank test: niets", {}) == (None, [])
    assert git(ws.root, "rev-parse", "HEAD") == head
