"""Undecided conflicts and the new check semantics, one workspace at a time: DT060, the guard, what a stopped or forced
tank is judged on, and what sync counts as junk."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import RECORD, git

from doetank_cli import rules, store
from doetank_cli.sync import is_junk
from doetank_cli.workspace import Workspace

NOTE_LINE = "# doetank-conflict: richtlijn.einddatum: yours 2027-04-30, server 2027-05-31\n"


def test_clash_note_lines_are_found_only_where_they_are_comments() -> None:
    assert store.conflict_lines(NOTE_LINE + RECORD) == [1]
    assert store.conflict_lines(RECORD) == []
    in_a_block = RECORD.replace(
        "  probleem: Overleggen leveren zelden besluiten op   # klein en concreet\n",
        "  probleem: |\n    Overleggen.\n    # doetank-conflict: hoort bij de tekst\n",
    )
    assert store.conflict_lines(in_a_block) == []
    quoted = RECORD.replace("naam: Slimmer vergaderen", 'naam: "Slimmer # doetank-conflict: geen"')
    assert store.conflict_lines(quoted) == []


def test_dt060_is_seen_by_check_status_and_the_index_and_cannot_be_waived(ws: Workspace, run, tank: str) -> None:
    path = ws.tanks / "slimmer" / "doetank.yaml"
    path.write_text(NOTE_LINE + path.read_text(encoding="utf-8"), encoding="utf-8")
    for _twice in (1, 2):  # cold, then from the index
        result = run("check")
        assert result.exit_code == 1 and "DT060 conflict-open" in result.output
        assert "tanks/slimmer/doetank.yaml:1:" in result.output and "doetank resolve slimmer" in result.output
    assert "⚠" in run("status").output
    assert "DT060" in run("status", "slimmer").output
    path.write_text(
        path.read_text(encoding="utf-8").replace("uitzonderingen", "x") + "uitzonderingen:\n  DT060: later\n"
    )
    waived = run("check", "--json")
    assert '"regel": "DT060"' in waived.output and '"uitzondering"' not in waived.output.split("DT060", 1)[1][:200]
    assert run("waive", "slimmer", "DT060", "--reason", "later").exit_code == 2
    forced = run("advance", "slimmer", "--force", "--reason", "haast")
    assert forced.exit_code == 1 and "doetank resolve" in forced.output
    assert "fase: ontdekken" in path.read_text(encoding="utf-8")


def test_a_record_with_git_markers_names_its_line_and_resolve(ws: Workspace, run, tank: str) -> None:
    path = ws.tanks / "slimmer" / "doetank.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("fase: ontdekken\n", "<<<<<<< HEAD\nfase: ontdekken\n=======\n"
                                                 "fase: onderzoeken\n>>>>>>> origin/main\n"),
        encoding="utf-8",
    )  # fmt: skip
    for args in (("check",), ("status",), ("plan", "slimmer", "--einddatum", "2027-01-01")):
        result = run(*args)
        assert result.exit_code == 3 and "tanks/slimmer/doetank.yaml:3:" in result.output, args
        assert "doetank resolve" in result.output, args


def test_the_guard_names_a_rebase_or_cherry_pick_too(ws: Workspace, run, tank: str) -> None:
    (ws.root / ".git" / "CHERRY_PICK_HEAD").write_text(git(ws.root, "rev-parse", "HEAD"), encoding="utf-8")
    refused = run("plan", "slimmer", "--einddatum", "2027-01-01")
    assert refused.exit_code == 4 and "cherry-pick" in refused.output and "doetank resolve" in refused.output
    assert run("status").exit_code == 0  # reading goes on
    assert run("advance", "slimmer", "--dry-run").exit_code in (0, 1)


@pytest.mark.parametrize("status", ["gestopt", "afgerond"])
def test_a_stopped_or_finished_tank_is_judged_on_its_data_rules_only(status: str) -> None:
    from doetank_cli.model import Doetank

    tank = Doetank.model_validate(
        {
            "naam": "X",
            "fase": "onderzoeken",
            "status": status,
            "geschiedenis": [{"fase": "ontdekken", "datum": "2026-01-01"}],
        }
    )
    found = rules.evaluate(tank, rules.Context("x", date(2026, 11, 28)))
    assert {f.regel for f in found} <= rules.DATA_RULES
    assert {f.regel for f in found} == {"DT040"}  # geschiedenis does not end at fase: a data rule still counts


def test_rules_a_forced_advance_went_past_count_as_waived_by_its_reason_in_that_phase_only() -> None:
    from doetank_cli.model import Doetank

    tank = Doetank.model_validate(
        {
            "naam": "X",
            "fase": "onderzoeken",
            "geschiedenis": [
                {"fase": "ontdekken", "datum": "2026-01-01"},
                {"fase": "onderzoeken", "datum": "2026-02-01", "reden": "Tempo", "geforceerd": ["DT010", "DT060"]},
            ],
        }
    )
    day = date(2026, 11, 28)
    found = {f.regel: f for f in rules.evaluate(tank, rules.Context("x", day, conflicts=(3,)))}
    assert found["DT010"].uitzondering == "Tempo" and not found["DT010"].counts
    assert found["DT060"].counts  # never waived by a forced advance
    assert found["DT012"].counts  # not gone past: counts
    gate = {f.regel: f for f in rules.gate(tank, rules.Context("x", day))}
    assert gate["DT010"].counts  # the next gate judges afresh


@pytest.mark.parametrize(
    "path",
    [
        "tanks/x/.DS_Store",
        "tanks/x/Thumbs.db",
        "tanks/x/desktop.ini",
        "tanks/x/~$verslag.docx",
        "tanks/x/.~lock.verslag.odt#",
        "tanks/x/.01-ontdekken.md.swp",
        "tanks/x/01-ontdekken.md~",
        "tanks/x/#01-ontdekken.md#",
        "tanks/x/.doetank.yaml.k2j3.tmp",
        "tanks/x/__MACOSX/a.md",
        "tanks/x/._01-ontdekken.md",
    ],
)
def test_os_office_and_editor_leftovers_are_junk(path: str) -> None:
    assert is_junk(path)


@pytest.mark.parametrize("path", ["tanks/x/doetank.yaml", "tanks/x/01-ontdekken.md", "tanks/x/verslag.docx"])
def test_peoples_files_are_not_junk(path: str) -> None:
    assert not is_junk(path)


def test_notes_committed_without_a_merge_are_decided_by_field_name_and_committed(ws: Workspace, run, tank: str) -> None:
    path = ws.tanks / "slimmer" / "doetank.yaml"
    path.write_text(NOTE_LINE + path.read_text(encoding="utf-8"), encoding="utf-8")
    git(ws.root, "commit", "-qam", "committed with the note")
    listed = run("resolve")
    assert listed.exit_code == 4 and "richtlijn.einddatum: yours 2027-04-30" in listed.output
    assert run("resolve", "--theirs").exit_code == 2  # the server's value is no longer known
    done = run("resolve", "--set", "richtlijn.einddatum=2027-05-15")
    assert done.exit_code == 0, done.output
    text = path.read_text(encoding="utf-8")
    assert "doetank-conflict" not in text and "einddatum: 2027-05-15" in text
    assert "Doetank-Command: resolve" in git(ws.root, "log", "-1", "--format=%B")
    assert run("check", "slimmer").exit_code == 0
