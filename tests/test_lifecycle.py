from __future__ import annotations

import multiprocessing
from pathlib import Path

from conftest import git

from doetank_cli import lifecycle, store
from doetank_cli.model import UpdateKanaal
from doetank_cli.workspace import Workspace


def _post_updates(root: str, worker: int, count: int) -> None:
    ws = Workspace(Path(root))
    for i in range(count):
        lifecycle.add_update(ws, "slimmer", UpdateKanaal.blog, f"https://slimmernetwerk.nl/{worker}/{i}", None)


def test_concurrent_writers_lose_nothing_and_every_change_is_its_own_commit(ws: Workspace, tank: str) -> None:
    workers, each = 4, 5
    before = int(git(ws.root, "rev-list", "--count", "HEAD"))
    context = multiprocessing.get_context("spawn")  # as on Windows and macOS; the simulation has no fork
    procs = [context.Process(target=_post_updates, args=(str(ws.root), w, each)) for w in range(workers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    urls = {u.url for u in store.load_record(ws.record_path(tank), "x").updates}
    assert {f"https://slimmernetwerk.nl/{w}/{i}" for w in range(workers) for i in range(each)} <= urls
    assert int(git(ws.root, "rev-list", "--count", "HEAD")) == before + workers * each
    assert git(ws.root, "status", "--porcelain") == ""


def test_init_in_an_existing_repository_adds_a_workspace_without_a_new_repository(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    result = lifecycle.init(tmp_path / "sub")
    assert not result.git_initialised and result.sha
    assert not (tmp_path / "sub" / ".git").exists()
    again = lifecycle.init(tmp_path / "sub")
    assert again.created == [] and again.sha is None
