"""The coordinator's view over a generated network of 300 tanks in every state: each filter of status and check alone
and combined, the sort orders, refused values, and `overview` checked against counts made here from the generator's
own facts (tests/netgen.py)."""

from __future__ import annotations

import itertools
import json
from collections import Counter
from datetime import date
from statistics import median

import pytest
from conftest import git
from netgen import FASES, TODAY, Truth, generate
from typer.testing import CliRunner

from doetank_cli import rules, store
from doetank_cli.cli import app
from doetank_cli.workspace import Workspace

N = 300


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, dict[str, Truth]]:
    root = tmp_path_factory.mktemp("network")
    truths = generate(root, N)
    return Workspace(root), truths


@pytest.fixture
def run(network: tuple[Workspace, dict[str, Truth]], monkeypatch: pytest.MonkeyPatch):
    ws, _truths = network
    monkeypatch.chdir(ws.root)
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, list(args), catch_exceptions=False)

    return invoke


@pytest.fixture
def truths(network: tuple[Workspace, dict[str, Truth]]) -> dict[str, Truth]:
    return network[1]


def listed(run, *args: str) -> list[str]:
    result = run("status", "--json", *args)
    assert result.exit_code == 0, result.output
    return [row["slug"] for row in json.loads(result.stdout)]


def failing(ws: Workspace) -> set[str]:
    """The rules' own verdict, run over each record directly."""
    out = set()
    for slug in ws.slugs():
        tank = store.load_record(ws.record_path(slug), slug)
        if any(f.blocks for f in rules.evaluate(tank, rules.Context(slug, TODAY))):
            out.add(slug)
    return out


def test_the_network_has_tanks_in_every_state(truths: dict[str, Truth]) -> None:
    states = Counter((t.status, t.fase) for t in truths.values())
    assert all(states[("actief", fase)] > 5 for fase in FASES)
    assert states[("afgerond", "overdragen")] > 10 and sum(n for (s, _f), n in states.items() if s == "gestopt") > 10
    assert 10 < sum(t.late for t in truths.values()) < N - 10
    assert sum(not t.coach for t in truths.values()) > 10 and sum(not t.opdrachtgever for t in truths.values()) > 10


def _members_with(truths: dict[str, Truth], text: str) -> set[str]:
    return {t.slug for t in truths.values() if any(text.casefold() in naam.casefold() for naam in t.leden)}


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--fase", "leren"], lambda t: t.fase == "leren"),
        (["--fase", "leren", "--fase=ontdekken"], lambda t: t.fase in ("leren", "ontdekken")),
        (["--status", "gestopt"], lambda t: t.status == "gestopt"),
        (["--status=afgerond"], lambda t: t.status == "afgerond"),
        (["--organisatie", "gemeente"], lambda t: any("gemeente" in o.lower() for o in t.orgs)),
        (["--organisatie", "  KADASTER "], lambda t: "Kadaster" in t.orgs),
        (["--sought", "coach"], lambda t: t.status == "actief" and not t.coach),
        (["--sought", "opdrachtgever"], lambda t: t.status == "actief" and not t.opdrachtgever),
        (["--late"], lambda t: t.late),
        (["--member", "el amrani"], lambda t: any("El Amrani" in naam for naam in t.leden)),
        (["--quiet", "30"], lambda t: (TODAY - t.committed).days >= 30),
        (["--quiet", "31"], lambda t: (TODAY - t.committed).days >= 31),
        (["--quiet", "0"], lambda t: True),
        (
            ["--status", "actief", "--fase", "onderzoeken", "--fase", "ontwikkelen", "--sought", "coach", "--late"],
            lambda t: t.status == "actief" and t.fase in ("onderzoeken", "ontwikkelen") and not t.coach and t.late,
        ),
        (
            ["--organisatie", "utrecht", "--member", "anna", "--quiet", "40"],
            lambda t: (
                "Gemeente Utrecht" in t.orgs
                and any("anna" in n.lower() for n in t.leden)
                and (TODAY - t.committed).days >= 40
            ),
        ),
    ],
)
def test_each_filter_alone_and_combined_keeps_exactly_the_tanks_it_names(
    run, truths: dict[str, Truth], args: list[str], expected
) -> None:
    want = {t.slug for t in truths.values() if expected(t)}
    got = listed(run, *args)
    assert set(got) == want
    assert len(got) == len(set(got))
    assert want  # every case selects something, so an empty answer cannot pass


def test_failing_is_what_the_rules_block_on(run, network: tuple[Workspace, dict[str, Truth]]) -> None:
    ws, truths = network
    want = failing(ws)
    assert 0 < len(want) < N
    assert set(listed(run, "--failing")) == want
    late_and_failing = {s for s in want if truths[s].late}
    assert set(listed(run, "--failing", "--late")) == late_and_failing


def test_check_takes_the_same_filters_and_exits_on_the_fouten_of_what_it_kept(run, truths: dict[str, Truth]) -> None:
    result = run("check", "--json", "--status", "gestopt")
    assert result.exit_code in (0, 1)
    assert {f["tank"] for f in json.loads(result.stdout)} <= {t.slug for t in truths.values() if t.status == "gestopt"}
    clean = run("check", "--json", "--sought", "coach", "--fase", "ontdekken")
    # in ontdekken a missing coach is a waarschuwing only: whatever else fails, DT013 is never a fout here
    assert not [f for f in json.loads(clean.stdout) if f["regel"] == "DT013" and f["ernst"] == "fout"]
    failing_only = run("check", "--json", "--failing")
    assert failing_only.exit_code == 1
    assert run("check", "--status", "afgerond", "--late").exit_code == 0  # a finished tank is never late


@pytest.mark.parametrize(
    ("order", "key"),
    [
        ("naam", lambda t: (t.naam.casefold(), t.slug)),
        ("fase", lambda t: (FASES.index(t.fase), ["actief", "afgerond", "gestopt"].index(t.status), t.naam.casefold())),
        ("dagen_in_fase", lambda t: (t.dagen_in_fase is None, -(t.dagen_in_fase or 0), t.naam.casefold())),
        ("einddatum", lambda t: (t.einddatum is None, t.einddatum or date.min, t.naam.casefold())),
    ],
)
def test_sort_orders(run, truths: dict[str, Truth], order: str, key) -> None:
    got = listed(run, "--sort", order)
    assert got == [t.slug for t in sorted(truths.values(), key=key)]


def test_the_sort_and_the_filters_work_with_the_table_too(run, truths: dict[str, Truth]) -> None:
    table = run("status", "--fase", "leren", "--sort", "naam").output
    leren = sorted((t for t in truths.values() if t.fase == "leren"), key=lambda t: t.naam.casefold())
    positions = [table.index(t.slug) for t in leren]
    assert positions == sorted(positions)
    assert f"{len(leren)} tanks of {N} fit the filters" in table
    none = run("status", "--status", "afgerond", "--late")
    assert (
        none.exit_code == 0 and f"No tank fits the filters --status afgerond --late ({N} tanks in all)." in none.output
    )


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--fase", "klaar"], ["ontdekken", "overdragen"]),
        (["--status", "Actief"], ["actief", "afgerond", "gestopt"]),
        (["--sought", "trekker"], ["coach", "opdrachtgever"]),
        (["--sort", "datum"], ["naam", "fase", "dagen_in_fase", "einddatum"]),
        (["--quiet", "-3"], ["whole number of days"]),
        (["--quiet", "een maand"], ["whole number of days"]),
        (["--organisatie", "  "], ["--organisatie"]),
    ],
)
@pytest.mark.parametrize("command", ["status", "check"])
def test_an_unknown_value_is_a_usage_error_naming_the_choices(
    run, command: str, args: list[str], named: list[str]
) -> None:
    result = run(command, *args)
    assert result.exit_code == 2, result.output
    assert all(word in result.output for word in named), result.output
    assert "Traceback" not in result.output


def test_filters_and_one_tank_do_not_mix(run) -> None:
    result = run("status", "tank-001", "--late")
    assert result.exit_code == 2 and "leave them out" in result.output


# --------------------------------------------------------------------------- overview


def _quarter(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def test_overview_json_counts_as_the_generator_does(run, network: tuple[Workspace, dict[str, Truth]]) -> None:
    ws, truths = network
    result = run("overview", "--json")
    assert result.exit_code == 0, result.output
    got = json.loads(result.stdout)
    assert set(got) == {"per_fase", "per_status", "aandacht", "dagen_per_fase", "per_kwartaal"}
    tanks = list(truths.values())
    actief = [t for t in tanks if t.status == "actief"]
    assert got["per_fase"] == {fase: sum(t.fase == fase for t in actief) for fase in FASES}
    assert got["per_status"] == {s: sum(t.status == s for t in tanks) for s in ("actief", "afgerond", "gestopt")}

    want = set()
    for s in failing(ws):
        want.add((s, "fouten"))
    for t in actief:
        if t.late:
            want.add((t.slug, "richtlijn-verlopen"))
        if not t.coach:
            want.add((t.slug, "coach-gezocht"))
        if not t.opdrachtgever:
            want.add((t.slug, "opdrachtgever-gezocht"))
        if (TODAY - t.committed).days >= 30:
            want.add((t.slug, "stil"))
    pairs = [(a["tank"], a["reden"]) for a in got["aandacht"]]
    assert set(pairs) == want and len(pairs) == len(want)

    for fase in FASES:
        spent = []
        for t in tanks:
            steps = t.geschiedenis
            for (f, entered), (_f2, left) in itertools.pairwise(steps):
                if f == fase:
                    spent.append((left - entered).days)
            if t.afgerond and steps[-1][0] == fase:
                spent.append((t.afgerond - steps[-1][1]).days)
        allowed = [(d - dict(t.geschiedenis)[f]).days for t in tanks for f, d in t.doelen.items() if f == fase]
        assert got["dagen_per_fase"][fase] == {
            "mediaan": median(spent) if spent else None,
            "richtlijn_mediaan": median(allowed) if allowed else None,
        }, fase

    started = Counter(_quarter(t.geschiedenis[0][1]) for t in tanks)
    completed = Counter(_quarter(t.afgerond) for t in tanks if t.afgerond)
    rows = got["per_kwartaal"]
    assert [r["kwartaal"] for r in rows] == sorted(r["kwartaal"] for r in rows)
    assert {r["kwartaal"]: r["gestart"] for r in rows if r["gestart"]} == dict(started)
    assert {r["kwartaal"]: r["afgerond"] for r in rows if r["afgerond"]} == dict(completed)
    assert sum(r["gestart"] for r in rows) == N


def test_overview_in_the_terminal_has_the_bars_and_the_commands(run, truths: dict[str, Truth]) -> None:
    out = run("overview").output
    assert "Active tanks per phase" in out and "█" in out and "Per quarter" in out
    sought = sorted(t.slug for t in truths.values() if t.status == "actief" and not t.coach)
    assert len(sought) > 10
    assert f"No coach yet ({len(sought)})" in out
    assert f"{sought[0]}  → doetank status {sought[0]}" in out  # the first ten by name, each with its command
    assert f"doetank status {sought[10]}" not in out.split("No coach yet")[1].split("No opdrachtgever")[0]
    assert f"and {len(sought) - 10} more: doetank status --sought coach" in out


def test_a_new_commit_moves_a_tank_out_of_quiet(run, network: tuple[Workspace, dict[str, Truth]]) -> None:
    ws, truths = network
    old = next(t for t in truths.values() if (TODAY - t.committed).days >= 400)
    assert old.slug in listed(run, "--quiet", "100")
    record = ws.record_path(old.slug)
    try:
        record.write_text(record.read_text() + "# bijgewerkt\n")
        git(ws.root, "commit", "-qam", "bijgewerkt")  # now: the real time of this run, after TODAY's commits
        assert old.slug not in listed(run, "--quiet", "100")
    finally:
        git(ws.root, "reset", "-q", "--hard", "HEAD~1")
    assert old.slug in listed(run, "--quiet", "100")  # HEAD went back: the cache follows it
