"""The index of summaries (.doetank/index.*.sqlite): status and check agree, it present, absent, stale or corrupt."""

from __future__ import annotations

import io
import json
import os
import sqlite3
from contextlib import AbstractContextManager
from datetime import date, timedelta
from multiprocessing.pool import Pool
from pathlib import Path

import pytest
from conftest import RECORD, TODAY, build_tree
from rich.console import Console

from doetank_cli import index, render, rules, store, system
from doetank_cli.workspace import Workspace

NO_TREKKER = RECORD.replace("rol: trekker", "rol: doetanker")
NO_COACH = RECORD.replace("  - {naam: Cor Smit, rol: coach, organisatie: Kennisland, sector: extern}\n", "")
ENDS_SOON = RECORD.replace("einddatum: 2027-06-30", "einddatum: 2026-11-30")


def truth(ws: Workspace) -> list[tuple[str, str, str, str | None]]:
    """What check must say, worked out from the files alone, without any index."""
    day = date.fromisoformat(os.environ["DOETANK_TODAY"])
    found = []
    for slug in ws.slugs():
        tank = store.load_record(ws.record_path(slug), slug)
        found += [(slug, f.regel, f.bericht, f.uitzondering) for f in rules.evaluate(tank, rules.Context(slug, day))]
    return found


def checked(run) -> list[tuple[str, str, str, str | None]]:
    result = run("check", "--json")
    assert result.exit_code in (0, 1), result.output
    return [(f["tank"], f["regel"], f["bericht"], f.get("uitzondering")) for f in json.loads(result.stdout)]


def database(ws: Workspace) -> Path:
    return ws.state / index.index_file()


@pytest.fixture
def many(ws: Workspace) -> Workspace:
    build_tree(
        ws.root, {"tanks/a/doetank.yaml": RECORD, "tanks/b/doetank.yaml": NO_TREKKER, "tanks/c/doetank.yaml": NO_COACH}
    )
    return ws


def test_the_first_run_builds_the_index_and_the_next_run_agrees(many: Workspace, run) -> None:
    assert not database(many).exists()
    first = checked(run)
    assert database(many).exists()
    assert checked(run) == first == truth(many)
    assert run("status", "--json").stdout == run("status", "--json").stdout


def test_a_changed_record_is_read_again_not_taken_from_the_index(many: Workspace, run) -> None:
    checked(run)
    (many.tanks / "a" / "doetank.yaml").write_text(NO_TREKKER)
    (many.tanks / "b" / "doetank.yaml").write_text(RECORD)
    assert checked(run) == truth(many)
    assert {t for t, regel, *_ in checked(run) if regel == "DT012"} == {"a"}


def test_a_corrupt_index_is_rebuilt(many: Workspace, run) -> None:
    checked(run)
    database(many).write_bytes(b"this is not a database" * 100)
    assert checked(run) == truth(many)
    with sqlite3.connect(database(many)) as conn:
        assert conn.execute("SELECT count(*) FROM tank").fetchone()[0] == 3


def test_an_index_that_cannot_be_opened_at_all_is_done_without(many: Workspace, run) -> None:
    store.ensure_state(many)
    database(many).mkdir()
    assert checked(run) == truth(many)


def test_an_index_made_by_other_code_is_emptied(many: Workspace, run, monkeypatch: pytest.MonkeyPatch) -> None:
    checked(run)
    with sqlite3.connect(database(many)) as conn:
        conn.execute("UPDATE tank SET findings = '[]'")  # what other rules would have said
    assert checked(run) != truth(many)  # same code: the row is trusted, as it should be
    monkeypatch.setattr(index, "_fingerprint", lambda: "other code")
    assert checked(run) == truth(many)


def test_findings_that_depend_on_the_date_follow_the_date(ws: Workspace, run, monkeypatch: pytest.MonkeyPatch) -> None:
    build_tree(ws.root, {"tanks/a/doetank.yaml": ENDS_SOON})
    assert not [f for f in checked(run) if f[1] == "DT031"]
    monkeypatch.setenv("DOETANK_TODAY", "2026-12-01")
    assert [f[1] for f in checked(run)] == ["DT031"]
    assert checked(run) == truth(ws)
    monkeypatch.setenv("DOETANK_TODAY", TODAY)
    assert not checked(run)


def test_a_tank_that_is_gone_leaves_the_index(many: Workspace, run) -> None:
    checked(run)
    for path in (many.tanks / "c").iterdir():
        path.unlink()
    (many.tanks / "c").rmdir()
    assert "c" not in {f["slug"] for f in json.loads(run("status", "--json").stdout)}
    with sqlite3.connect(database(many)) as conn:
        assert {r[0] for r in conn.execute("SELECT slug FROM tank")} == {"a", "b"}


def test_a_record_broken_after_it_was_indexed_is_an_error_not_the_old_row(many: Workspace, run) -> None:
    checked(run)
    (many.tanks / "a" / "doetank.yaml").write_text(RECORD.replace("leden:\n", "leden: [\n"))
    result = run("status", "--json")
    assert result.exit_code == 3 and "tanks/a/doetank.yaml:" in result.stderr
    assert {f["slug"] for f in json.loads(result.stdout)} == {"b", "c"}


def test_a_same_size_change_within_one_clock_tick_is_caught_by_the_content(
    many: Workspace, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked(run)
    path = many.tanks / "a" / "doetank.yaml"
    stored = index._key(path)
    assert stored is not None
    path.write_text(RECORD.replace("Anna de Vries, rol: trekker", "Anna de Vries, rol: coach__"))  # same length
    assert path.stat().st_size == stored[2]
    real_key = index._key
    monkeypatch.setattr(
        index, "_key", lambda p: stored if str(p) == str(path) else real_key(p)
    )  # a file system whose clock did not tick
    with pytest.raises(AssertionError):
        checked(run)  # 'coach__' is no role: the file is read again and found broken, not taken from the index
    path.write_text(RECORD)


@pytest.mark.parametrize(
    "method", [pytest.param("fork", marks=pytest.mark.posix(reason="fork")), "spawn"], ids=["fork", "spawn"]
)
def test_reading_many_records_in_worker_processes_gives_the_same_answer(
    many: Workspace, run, monkeypatch: pytest.MonkeyPatch, method: str
) -> None:
    build_tree(
        many.root,
        {f"tanks/extra-{i}/doetank.yaml": RECORD for i in range(5)} | {"tanks/kapot/doetank.yaml": "naam: [\n"},
    )
    monkeypatch.setattr(system, "start_method", lambda: method)
    monkeypatch.setattr(index, "PARALLEL_MIN", {method: 2})
    pools: list[int] = []
    real_pool = system.worker_pool

    def counted(workers: int) -> AbstractContextManager[Pool]:
        pools.append(workers)
        return real_pool(workers)

    monkeypatch.setattr(system, "worker_pool", counted)
    result = run("status", "--json")
    assert pools, "the records were not read in worker processes"
    assert result.exit_code == 3 and "tanks/kapot/doetank.yaml:" in result.stderr
    assert len(json.loads(result.stdout)) == 8
    (many.tanks / "kapot" / "doetank.yaml").unlink()
    (many.tanks / "kapot").rmdir()
    assert checked(run) == truth(many)


def test_a_progress_bar_shows_on_a_terminal_only(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = io.StringIO()
    monkeypatch.setattr(render, "error_console", Console(file=terminal, force_terminal=True, width=80))
    with render.progress_bar(render.PROGRESS_MIN) as advance:
        advance(render.PROGRESS_MIN)
    assert "Reading tanks" in terminal.getvalue()
    piped = io.StringIO()
    monkeypatch.setattr(render, "error_console", Console(file=piped, force_terminal=False))
    with render.progress_bar(10 * render.PROGRESS_MIN) as advance:
        advance(1)
    assert piped.getvalue() == ""


@pytest.mark.parametrize("record", [RECORD, NO_COACH, ENDS_SOON, RECORD + "uitzonderingen: {DT011: tijdelijk}\n"])
def test_findings_stay_the_same_over_the_days_the_index_reuses_them(record: str, tmp_path: Path) -> None:
    tank = store.load_record(build_tree(tmp_path, {"r.yaml": record}) / "r.yaml", "r.yaml")
    for day in [date(2026, 11, 1) + timedelta(days=n) for n in range(0, 120, 3)]:
        first, last = rules.valid_window(tank, day)
        expected = rules.evaluate(tank, rules.Context("s", day))
        for probe in {first, day, last - timedelta(days=1)}:
            assert rules.evaluate(tank, rules.Context("s", probe)) == expected, (day, probe)


def test_an_index_from_an_older_doetank_with_other_columns_is_replaced(many: Workspace, run) -> None:
    store.ensure_state(many)
    with sqlite3.connect(database(many)) as conn:
        conn.execute("CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)")
        conn.execute("INSERT INTO meta VALUES ('fingerprint', 'doetank 0.0.1')")
        conn.execute("CREATE TABLE tank (slug TEXT PRIMARY KEY, mtime_ns, findings)")
        conn.execute("INSERT INTO tank VALUES ('a', 1, '[]')")
    assert checked(run) == truth(many)
    with sqlite3.connect(database(many)) as conn:
        assert conn.execute("SELECT count(*) FROM tank").fetchone()[0] == 3  # and it is used again


def test_a_large_network_is_listed_one_line_per_tank_with_the_same_facts(
    many: Workspace, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(render, "LARGE", 1)
    lines = run("status").output.splitlines()
    assert lines[0].split()[:2] == ["Tank", "Phase"]
    rows = {line.split()[0]: line for line in lines[1:4]}
    assert set(rows) == {"a", "b", "c"}
    assert "coach still s" in rows["c"] and "no trekker" in rows["b"] and "1/0" in rows["b"]
    check = run("check").output
    assert "DT012 een-trekker" in check and "→ doetank member add b NAAM --rol trekker" in check
    assert "3 tanks checked, 1 error, 1 warning" in check


def test_a_row_of_the_index_gives_back_the_summary_it_was_made_from(tmp_path: Path) -> None:
    record = RECORD.replace("richtlijn:\n", "richtlijn:\n  fases: {ontdekken: 2026-12-01}\n") + "publiek: false\n"
    late = RECORD.replace("einddatum: 2027-06-30", "einddatum: 2026-11-01")
    path = build_tree(
        tmp_path, {"tanks/a/doetank.yaml": record, "tanks/b/doetank.yaml": NO_COACH, "tanks/c/doetank.yaml": late}
    )
    for slug in ("a", "b", "c"):
        fresh = index._read((path, slug, date(2026, 11, 28)))
        row = index._row(fresh)
        assert len(row) == index._N_COLUMNS
        back = index._summary(row)
        assert back == fresh.summary
        assert back.organisaties and back.leden and back.geschiedenis and (back.doelen or slug != "a")
        main = index._summary(row[: index._DETAIL_AT])  # as `status` reads it: without the findings
        with pytest.raises(LookupError):
            _ = main.findings
        assert (main.fouten, main.waarschuwingen, main.leden) == (back.fouten, back.waarschuwingen, back.leden)
        assert main.overdue == back.overdue == (slug == "c")  # the board's mark, without the findings


def test_status_reads_the_snapshot_of_the_rows_and_reads_past_a_damaged_one(many: Workspace, run) -> None:
    before = run("status", "--json").stdout
    with sqlite3.connect(database(many)) as conn:
        (snapshot,) = conn.execute("SELECT v FROM snapshot").fetchone()
        conn.execute("UPDATE snapshot SET v = ?", (snapshot.replace("Slimmer vergaderen", "Uit de momentopname"),))
    assert "Uit de momentopname" in run("status", "--json").stdout  # it is what status reads
    with sqlite3.connect(database(many)) as conn:
        conn.execute("UPDATE snapshot SET v = '[[\"a\", 1'")
    assert run("status", "--json").stdout == before
    with sqlite3.connect(database(many)) as conn:
        conn.execute("DELETE FROM snapshot")
    assert run("status", "--json").stdout == before


def test_a_process_that_remembers_the_snapshot_reads_the_new_one_after_every_change(
    many: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """serve's board: the snapshot is decoded again only when its token changed, and every change makes a new one."""
    monkeypatch.setattr(index, "_remembered", {})  # remember_snapshots(), for this test only
    day, slugs = date.fromisoformat(TODAY), many.slugs()
    index.summaries(many, slugs, day, complete=True, findings=False)  # builds the index
    first = index.current(many, slugs, day, complete=True, findings=False)
    again = index.current(many, slugs, day, complete=True, findings=False)
    assert first is not None and again is not None and first.generation == again.generation is not None
    assert [id(s) for s in first.tanks] == [id(s) for s in again.tanks]  # the same rows, their summaries made once
    (many.tanks / "a" / "doetank.yaml").write_text(RECORD.replace("Slimmer vergaderen", "Sneller besluiten"))
    assert index.current(many, slugs, day, complete=True, findings=False) is None  # a changed record: read it
    read = index.summaries(many, slugs, day, complete=True, findings=False)
    assert "Sneller besluiten" in [s.naam for s in read.tanks] and read.generation is None  # a file was read
    after = index.current(many, slugs, day, complete=True, findings=False)
    assert after is not None and after.generation not in (None, first.generation)
    assert "Sneller besluiten" in [s.naam for s in after.tanks]


def test_the_commands_never_keep_the_scan_or_the_snapshot_between_calls(
    many: Workspace, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only serve keeps the scan of tanks/ and the index's snapshot between requests; a command run once (cold or
    through the warm path) reads both afresh, and switches neither on for the rest of its process."""
    from doetank_cli import warm, workspace

    monkeypatch.chdir(many.root)
    for args in (["status"], ["check"], ["overview"], ["status", "--late"]):
        run(*args)
        warm.run(args)  # the warm path (entry.py), once the index is there
        run(*args)
    assert index._remembered is None and workspace._scans is None


def test_threads_that_read_many_records_at_once_start_one_pool_of_workers_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """serve answers in threads: each request that reads many changed records starts a pool. One at a time, so forty
    requests are never hundreds of processes, and __main__ (emptied while spawned workers start) is put back."""
    import multiprocessing
    import sys
    import threading
    import time

    open_now, most, main = [0], [0], sys.modules["__main__"]

    class FakePool:
        def __init__(self, workers: int) -> None:
            open_now[0] += 1
            most[0] = max(most[0], open_now[0])

        def __enter__(self) -> FakePool:
            return self

        def __exit__(self, *exc: object) -> None:
            time.sleep(0.05)  # the workers at work; another thread would start its pool meanwhile
            open_now[0] -= 1

    class Spawning:
        Pool = FakePool

        @staticmethod
        def get_start_method() -> str:
            return "spawn"

    monkeypatch.setattr(multiprocessing, "get_context", lambda method=None: Spawning)

    def request() -> None:
        with system.worker_pool(8):
            time.sleep(0.01)

    threads = [threading.Thread(target=request) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most[0] == 1 and open_now[0] == 0
    assert sys.modules["__main__"] is main
