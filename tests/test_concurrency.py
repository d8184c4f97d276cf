"""Eight processes, twenty-five changes each, on one tank and on their own tanks at once: every change is in the final
file and in git, the file always parses, and no commit holds another process's half-done work."""

from __future__ import annotations

import multiprocessing
import multiprocessing.synchronize
import time
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path

import pytest
from conftest import RECORD, build_tree, git

from doetank_cli import lifecycle, store
from doetank_cli.model import UpdateKanaal
from doetank_cli.workspace import Workspace

WORKERS, EACH = 8, 25

pytestmark = pytest.mark.slow


def _work(root: str, worker: int, slug: str) -> None:
    ws = Workspace(Path(root))
    for i in range(EACH):
        lifecycle.add_update(ws, slug, UpdateKanaal.blog, f"https://slimmernetwerk.nl/{worker}/{i}", None)


def _read_all_the_time(
    root: str, slugs: list[str], stop: multiprocessing.synchronize.Event, broken: Synchronized[int]
) -> None:
    ws = Workspace(Path(root))
    while not stop.is_set():
        for slug in slugs:
            try:
                store.load_record(ws.record_path(slug), slug)
            except Exception:
                broken.value += 1


@pytest.mark.parametrize("shared", [True, False], ids=["one-tank", "a-tank-each"])
def test_eight_writers_lose_nothing_and_every_commit_is_one_whole_change(ws: Workspace, shared: bool) -> None:
    slugs = ["gedeeld"] if shared else [f"tank-{w}" for w in range(WORKERS)]
    build_tree(ws.root, {f"tanks/{slug}/doetank.yaml": RECORD for slug in slugs})
    git(ws.root, "add", "tanks")
    git(ws.root, "commit", "-qm", "tanks")
    before = int(git(ws.root, "rev-list", "--count", "HEAD"))
    context = multiprocessing.get_context("spawn")  # as on Windows and macOS; the simulation has no fork
    stop, broken = context.Event(), context.Value("i", 0)
    reader = context.Process(target=_read_all_the_time, args=(str(ws.root), slugs, stop, broken))
    reader.start()
    started = time.perf_counter()
    writers = [
        context.Process(target=_work, args=(str(ws.root), w, slugs[0] if shared else slugs[w])) for w in range(WORKERS)
    ]
    for p in writers:
        p.start()
    for p in writers:
        p.join(300)
        assert p.exitcode == 0
    stop.set()
    reader.join(10)
    assert broken.value == 0, "a reader saw a half-written record"

    urls = set()
    for slug in slugs:
        urls |= {u.url for u in store.load_record(ws.record_path(slug), slug).updates}
    assert {f"https://slimmernetwerk.nl/{w}/{i}" for w in range(WORKERS) for i in range(EACH)} <= urls
    assert int(git(ws.root, "rev-list", "--count", "HEAD")) == before + WORKERS * EACH
    # each commit adds exactly one update line to exactly one record, and removes nothing
    for sha in git(ws.root, "rev-list", f"HEAD~{WORKERS * EACH}..HEAD").split():
        stat = git(ws.root, "show", "--numstat", "--format=", sha).split()
        assert stat[:2] == ["1", "0"] and stat[2].endswith("/doetank.yaml") and len(stat) == 3, (sha, stat)
    assert git(ws.root, "status", "--porcelain") == ""
    print(f"{WORKERS * EACH} changes in {time.perf_counter() - started:.1f} s")
