"""The warm read path (warm.py): what it imports, which command lines it takes, and that for every one of them it
writes the very bytes and exit code that the Typer commands do, in both languages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from netgen import generate

from doetank_cli import filters, warm
from doetank_cli.cli import app
from doetank_cli.workspace import Workspace

#: the warm path, and nothing else: a run it declines exits 99, so a comparison of Typer with itself cannot pass
WARM = """
import sys
from doetank_cli import warm
code = warm.run(sys.argv[1:])
if code is None:
    sys.stderr.write("NOT WARM\\n")
    sys.exit(99)
HEAVY = {"typer", "click", "pydantic", "pydantic_core", "ruamel", "markdown_it", "rich"}
sys.stderr.write(f"LOADED {sorted({m.split('.')[0] for m in sys.modules} & HEAVY)}\\n")
warm.finish(code)
"""
#: the Typer commands, as `doetank` ran them before warm.py existed
TYPER = """
import sys
sys.argv[0] = "doetank"
from doetank_cli.cli import main
main()
"""


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("warm")
    generate(root, 40, seed=7)
    for language in ("en", "nl"):  # make the index of each language, and the cache of commit dates
        for args in (["status"], ["overview"]):
            done = subprocess.run(
                [sys.executable, "-c", TYPER, *args], cwd=root, env=_env(language), capture_output=True, check=False
            )
            assert done.returncode in (0, 1), done.stderr
    return root


def _env(language: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("DOETANK_", "LC_", "LANG"))}
    return keep | {"DOETANK_LANG": language, "DOETANK_TODAY": "2026-11-28", "COLUMNS": "100"}


def _run(script: str, args: list[str], cwd: Path, language: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-c", script, *args], cwd=cwd, env=_env(language), capture_output=True)


def _forms(root: Path) -> list[list[str]]:
    """Every kind of command line the warm path accepts: each filter in each of its spellings, with the table and
    with --json, on status and on check; combinations; --root; tanks named on check; overview."""
    forms = [[c] for c in ("status", "check", "overview")] + [[c, "--json"] for c in ("status", "check", "overview")]
    samples = {"organisatie": "gemeente", "member": "anna", "quiet": "30"}
    for spec in filters.FILTERS:
        value = spec.choices[-1] if spec.choices else samples.get(spec.field, "x")
        spellings = [[spec.flag]] if spec.switch else [[spec.flag, value], [f"{spec.flag}={value}"]]
        for spelling in spellings:
            forms += [["status", *spelling], ["status", "--json", *spelling], ["check", "--json", *spelling]]
        if spec.choices and not spec.switch:
            forms += [["check", spec.flag, choice] for choice in spec.choices]
    forms += [
        ["status", "--fase", "leren", "--fase", "ontdekken", "--status", "actief", "--sort", "naam", "--json"],
        ["status", "--sought", "opdrachtgever", "--late", "--failing", "--organisatie", "Utrecht"],
        ["status", "--member", "de vries", "--quiet", "10", "--sort", "dagen_in_fase", "--json"],
        ["status", "--status", "afgerond", "--late"],  # nothing fits
        ["check", "--fase", "uitproberen", "--failing"],
        ["--root", str(root), "status", "--json"],
        [f"--root={root}", "check", "--sort", "einddatum"],
        ["check", "tank-003"],
        ["check", "tank-00", "--json"],  # a prefix that fits more than one tank: the error is Typer's to say
        ["check", "tanks/tank-005/doetank.yaml", "tank-007", "--json"],
    ]
    return forms


@pytest.mark.slow
def test_every_accepted_form_writes_what_typer_writes_in_both_languages(network: Path) -> None:
    forms = _forms(network)
    assert len(forms) > 60
    declined = 0
    for language in ("en", "nl"):
        for args in forms:
            typer_run = _run(TYPER, args, network, language)
            warm_run = _run(WARM, args, network, language)
            if warm_run.returncode == 99:
                # declined: only where Typer has an error to say, never for a form that simply works
                assert typer_run.returncode not in (0, 1), (args, typer_run.stderr)
                declined += 1
                continue
            assert warm_run.stdout == typer_run.stdout, (language, args)
            assert warm_run.returncode == typer_run.returncode, (language, args)
            loaded = warm_run.stderr.decode().splitlines()[-1]
            assert warm_run.stderr.decode().removesuffix(loaded + "\n").encode() == typer_run.stderr, (language, args)
    assert declined == 2  # `check tank-00` in each language


def test_the_warm_path_loads_no_typer_pydantic_ruamel_or_markdown_it(network: Path) -> None:
    for args, loaded in [
        (["status", "--json"], "[]"),
        (["check", "--json", "--late"], "[]"),
        (["overview", "--json"], "[]"),
        (["status"], "['rich']"),  # Rich only to draw the table
        (["check", "--fase", "leren"], "['rich']"),
    ]:
        done = _run(WARM, args, network, "en")
        assert done.returncode in (0, 1), done.stderr
        assert f"LOADED {loaded}" in done.stderr.decode(), (args, done.stderr)


def test_a_changed_record_or_a_stray_folder_sends_the_command_to_typer(network: Path) -> None:
    record = network / "tanks" / "tank-001" / "doetank.yaml"
    before = record.read_text()
    try:
        record.write_text(before.replace("naam: ", "naam: Nieuw "))
        assert _run(WARM, ["status", "--json"], network, "en").returncode == 99
        assert b"Nieuw" in _run(TYPER, ["status", "--json"], network, "en").stdout  # and Typer's run brings it up
        assert _run(WARM, ["status", "--json"], network, "en").returncode == 0  # to date again
        (network / "tanks" / "Losse Map").mkdir()
        assert _run(WARM, ["status"], network, "en").returncode == 99
    finally:
        record.write_text(before)
        (network / "tanks" / "Losse Map").rmdir()


@pytest.mark.parametrize(
    "args",
    [
        ["status", "--json", "--json"],
        ["status", "--fase"],
        ["status", "--fase", "--json"],
        ["status", "--status", "actief", "--status", "gestopt"],
        ["status", "--late", "--late"],
        ["status", "--late=yes"],
        ["status", "-h"],
        ["status", "--help"],
        ["status", "slimmer"],
        ["status", "--", "--json"],
        ["status", "--organisatie", "Súdwest-Fryslân"],
        ["status", "--organisatie", ""],
        ["status", "--fas", "leren"],
        ["status", "--root", "/tmp"],
        ["--root", "status"],
        ["--root"],
        ["--version", "status"],
        ["log", "status"],
        ["check", "-"],
        ["check", "--json", "-x"],
        ["overview", "--late"],
        ["overview", "tank"],
        ["status", "--output", "x.json"],
    ],
)
def test_forms_it_cannot_prove_alike_are_left_to_typer(args: list[str]) -> None:
    assert warm.recognise(args) is None


def test_the_options_it_recognises_are_the_ones_the_typer_commands_declare() -> None:
    group = typer.main.get_command(app)
    for name in ("status", "check"):
        params = {opt: p for p in group.commands[name].params for opt in p.opts}  # type: ignore[attr-defined]
        assert getattr(params["--json"], "is_flag", False)
        for spec in filters.FILTERS:
            param = params[spec.flag]
            assert param.multiple == spec.multiple, spec.flag
            assert getattr(param, "is_flag", False) == spec.switch, spec.flag
    overview = {opt for p in group.commands["overview"].params for opt in p.opts}  # type: ignore[attr-defined]
    assert "--json" in overview
    root = {opt: p for p in group.params for opt in p.opts}
    assert not getattr(root["--root"], "is_flag", True) and not root["--root"].multiple


MERGE_BASE = """naam: Slimmer vergaderen
status: actief
fase: ontdekken
kickoff: {datum: 2026-11-20, locatie: Kennisland}
geschiedenis:
  - {fase: ontdekken, datum: 2026-11-01}
"""


@pytest.mark.parametrize(
    ("ours", "theirs", "code"),
    [
        (MERGE_BASE.replace("Kennisland", "Utrecht"), MERGE_BASE.replace("Slimmer", "Sneller"), 0),  # two fields
        (MERGE_BASE.replace("Kennisland", "Utrecht"), MERGE_BASE.replace("Kennisland", "Zwolle"), 1),  # one clash
    ],
)
def test_git_s_merge_driver_merges_as_the_command_does_without_typer(
    tmp_path: Path, ours: str, theirs: str, code: int
) -> None:
    results = []
    for way, script in (("entry", "from doetank_cli.entry import main; main()"), ("typer", TYPER)):
        folder = tmp_path / way
        folder.mkdir()
        for name, text in (("base", MERGE_BASE), ("ours", ours), ("theirs", theirs)):
            (folder / name).write_text(text, encoding="utf-8")
        loaded = "import atexit, sys; atexit.register(lambda: print('typer' in sys.modules, file=sys.stderr))"
        probe = f"{loaded}\nsys.argv[0] = 'doetank'\n{script}"
        done = subprocess.run(
            [sys.executable, "-c", probe, "merge-file", "base", "ours", "theirs", "tanks/slim/doetank.yaml"],
            cwd=folder, capture_output=True, text=True, check=False,
        )  # fmt: skip
        results.append((done.returncode, (folder / "ours").read_text(encoding="utf-8")))
        if way == "entry":
            assert done.returncode == code
            assert done.stderr.split() == ["False"]  # the driver loaded no Typer, and said nothing
    assert results[0] == results[1]


def _forget_kept(root: Path) -> None:
    import sqlite3

    for path in (root / ".doetank").glob("index*.sqlite"):
        with sqlite3.connect(path) as conn:
            conn.execute("DELETE FROM snapshot WHERE k = 'kept'")


def _overview(root: Path, today: str = "2026-11-28") -> bytes:
    env = _env("nl") | {"DOETANK_TODAY": today}
    done = subprocess.run([sys.executable, "-m", "doetank_cli", "overview", "--json"], cwd=root, env=env,
                          capture_output=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def _worked_out(root: Path, today: str = "2026-11-28") -> bytes:
    _forget_kept(root)
    return _overview(root, today)


def test_overview_s_kept_figures_are_what_working_them_out_gives_and_follow_every_change(tmp_path: Path) -> None:
    generate(tmp_path, 60, seed=11)
    first = _worked_out(tmp_path)  # works them out and keeps them
    assert _overview(tmp_path) == first  # from what was kept
    # a record changes (the index's rows with it): the kept figures are of the rows before
    record = next(p for p in sorted(tmp_path.glob("tanks/*/doetank.yaml")) if "status: actief" in p.read_text("utf-8"))
    record.write_text(record.read_text("utf-8").replace("status: actief", "status: gestopt", 1), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "doetank_cli", "status"], cwd=tmp_path, env=_env("nl"), capture_output=True)
    changed = _overview(tmp_path)
    assert changed != first
    assert changed == _worked_out(tmp_path)
    # another day: what is late or quiet is another question
    later = _overview(tmp_path, "2027-06-30")
    assert later != changed and later == _worked_out(tmp_path, "2027-06-30")
    # a new commit of a quiet tank's folder, its record untouched (a colleague's note, come in by sync): the days of
    # the last change are read again, and the tank is quiet no more
    import json

    quiet = next(item["tank"] for item in json.loads(changed)["aandacht"] if item["reden"] == "stil")
    (tmp_path / "tanks" / quiet / "notitie van een collega.txt").write_text("hallo\n", encoding="utf-8")
    subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@x", "-c", "commit.gpgsign=false", "add", "-A"],
                   cwd=tmp_path, check=True)  # fmt: skip
    subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@x", "-c", "commit.gpgsign=false", "commit", "-qm",
                    "x"], cwd=tmp_path, check=True)  # fmt: skip
    now = _overview(tmp_path)
    assert {"tank": quiet, "reden": "stil"} not in json.loads(now)["aandacht"]
    assert now == _worked_out(tmp_path)
    # what was kept and does not fit the tanks (a tank renamed behind its back) is worked out, never trusted
    import sqlite3

    for path in (tmp_path / ".doetank").glob("index*.sqlite"):
        with sqlite3.connect(path) as conn:
            conn.execute("UPDATE snapshot SET v = replace(v, '\"aandacht\": [[\"', '\"aandacht\": [[\"nergens-') "
                         "WHERE k = 'kept'")  # fmt: skip
    assert _overview(tmp_path) == _worked_out(tmp_path)


def test_overview_s_kept_figures_are_kept_per_day_and_per_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import timedelta

    from doetank_cli import index, network, workspace

    generate(tmp_path, 60, seed=11)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DOETANK_TODAY", "2026-11-28")
    ws = workspace.find(tmp_path)
    network.overview(ws, findings=False)  # the index and its snapshot
    ov = network.current_overview(ws, findings=False)
    assert ov is not None and ov.generation is not None
    _head, last = index.last_changes_at(ws, ov.tanks)
    assert network.overview_figures(ws, ov) == network.figures(ov, last)  # worked out, and kept
    assert network.overview_figures(ws, ov) == network.figures(ov, last)  # as kept
    ov.today += timedelta(days=45)  # the same rows, another day: what is late or quiet is another question
    assert network.figures(ov, last) != network.figures(ov.__class__(ov.today - timedelta(days=45), ov.tanks, []), last)
    assert network.overview_figures(ws, ov) == network.figures(ov, last)
    # the same rows and day, another commit: every tank changed today, so none is quiet
    fresh = {slug: ov.today for slug in last}
    monkeypatch.setattr(index, "last_changes_at", lambda ws, tanks: ("another commit", fresh))
    assert network.overview_figures(ws, ov) == network.figures(ov, fresh) != network.figures(ov, last)


@pytest.mark.posix(reason="TZ as POSIX reads it")
def test_overview_s_kept_figures_follow_the_time_zone_of_the_laptop(ws: Workspace) -> None:
    """The day a tank last changed is its newest commit's day where the laptop is: a commit at 23:30 UTC is the next
    day in Japan. The same index, history and day in another time zone are worked out again, never taken as kept."""
    import json

    from conftest import RECORD, build_tree, git

    build_tree(ws.root, {"tanks/slimmer/doetank.yaml": RECORD})
    git(ws.root, "add", "tanks")
    when = {"GIT_AUTHOR_DATE": "2026-11-20T23:30:00+00:00", "GIT_COMMITTER_DATE": "2026-11-20T23:30:00+00:00"}
    subprocess.run(["git", "-C", str(ws.root), "commit", "-qm", "tank"], env=os.environ | when, check=True)

    def quiet(zone: str) -> bool:
        env = _env("en") | {"DOETANK_TODAY": "2026-12-20", "TZ": zone}  # 30 days after the 20th, 29 after the 21st
        done = subprocess.run([sys.executable, "-m", "doetank_cli", "overview", "--json"], cwd=ws.root, env=env,
                              capture_output=True, check=True)  # fmt: skip
        return {"tank": "slimmer", "reden": "stil"} in json.loads(done.stdout)["aandacht"]

    assert quiet("UTC0") and quiet("UTC0")  # worked out, then as kept
    assert not quiet("JST-9")  # the commit was on the 21st there
    assert quiet("UTC0")
