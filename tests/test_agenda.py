"""The agenda: iCalendar that icalendar (and so Outlook) reads, UIDs that survive runs and renames; the stable id."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import RECORD, REPO, build_tree, git
from icalendar import Calendar

from doetank_cli import lifecycle, store
from doetank_cli.workspace import Workspace

CONSULT = (
    "consulten:\n"
    '  - {expert: Dr. Els Visser, vraag: "Wat zegt onderzoek?", status: gehouden, datum: 2026-11-05, '
    "gehouden: 2026-11-19}\n"
)


def events(data: bytes) -> dict[str, tuple[str, str, str | None]]:
    """UID -> (date, summary, location) of every event."""
    cal = Calendar.from_ical(data)
    return {
        str(e["UID"]): (e.decoded("DTSTART").isoformat(), str(e["SUMMARY"]), str(e.get("LOCATION") or "") or None)
        for e in cal.walk("VEVENT")
    }


def agenda(run, *args: str) -> bytes:
    result = run("agenda", *args)
    assert result.exit_code == 0, result.output
    data: bytes = result.stdout_bytes
    return data


def test_the_agenda_holds_kickoffs_targets_einddatums_and_consults(ws: Workspace, run) -> None:
    record = RECORD.replace(
        "  einddatum: 2027-06-30\n", "  einddatum: 2027-06-30\n  fases: {onderzoeken: 2027-01-31}\n"
    )
    build_tree(ws.root, {"tanks/slimmer/doetank.yaml": record + CONSULT})
    found = sorted(events(agenda(run)).values())
    assert found == [
        ("2026-11-19", "Slimmer vergaderen: consult with Dr. Els Visser", None),
        ("2026-11-20", "Kickoff: Slimmer vergaderen", "Kennisland"),
        ("2027-01-31", "Slimmer vergaderen: target date for onderzoeken", None),
        ("2027-06-30", "Slimmer vergaderen: einddatum", None),
    ]
    assert b"\r\n" in agenda(run) and b"\r\r\n" not in agenda(run)


def test_only_active_public_tanks_are_in_the_agenda(ws: Workspace, run) -> None:
    build_tree(
        ws.root,
        {
            "tanks/open/doetank.yaml": RECORD,
            "tanks/geheim/doetank.yaml": RECORD.replace("Slimmer vergaderen", "Geheim") + "publiek: false\n",
            "tanks/klaar/doetank.yaml": RECORD.replace("Slimmer vergaderen", "Klaar").replace(
                "status: actief", "status: gestopt"
            )
            + "gestopt: {datum: 2026-11-25, reden: Geen opdrachtgever}\n",
        },
    )
    summaries = {summary for _, summary, _ in events(agenda(run)).values()}
    assert summaries == {"Kickoff: Slimmer vergaderen", "Slimmer vergaderen: einddatum"}


def test_uids_stay_the_same_across_runs_and_a_rename(ws: Workspace, run) -> None:
    made = run("new", "Slimmer vergaderen", "--vraagstuk", "Te veel overleg", "--organisatie", "Gemeente Utrecht")
    assert made.exit_code == 0, made.output
    assert run("kickoff", "slimmer", "--datum", "2026-12-10", "--locatie", "Stadskantoor").exit_code == 0
    assert run("plan", "slimmer", "--einddatum", "2027-06-30").exit_code == 0
    first = agenda(run)
    assert agenda(run) == first  # two runs on one day: the same file, byte for byte
    # a rename: the folder and the name change, the id in the record does not
    (ws.tanks / "slimmer-vergaderen").rename(ws.tanks / "minder-overleg")
    record = ws.tanks / "minder-overleg" / "doetank.yaml"
    record.write_text(record.read_text().replace("naam: Slimmer vergaderen", "naam: Minder overleg"))
    after = events(agenda(run))
    assert set(after) == set(events(first))
    assert {summary for _, summary, _ in after.values()} == {"Kickoff: Minder overleg", "Minder overleg: einddatum"}


def older(ws: Workspace, tank: str) -> None:
    """The record as it was before records had an id."""
    record = ws.record_path(tank)
    record.write_text(re.sub(r"(?m)^id: .*\n", "", record.read_text(encoding="utf-8")), encoding="utf-8")
    git(ws.root, "commit", "-qam", "older")


def test_an_older_record_gets_its_id_on_its_next_change_and_keeps_its_uids(tank: str, ws: Workspace, run) -> None:
    older(ws, tank)
    before = set(events(agenda(run)))
    assert "id:" not in (ws.tanks / tank / "doetank.yaml").read_text()
    assert run("update", tank, "--kanaal", "blog", "--url", "https://slimmernetwerk.nl/x/2").exit_code == 0
    text = (ws.tanks / tank / "doetank.yaml").read_text()
    assert text.count("\nid: ") == 1
    assert git(ws.root, "show", "--stat", "--format=", "HEAD").count("|") == 1  # still one file in one commit
    (ws.tanks / tank).rename(ws.tanks / "anders")
    assert set(events(agenda(run))) == before


def test_two_clones_give_an_older_record_the_same_id(tank: str, ws: Workspace) -> None:
    older(ws, tank)
    path = ws.record_path(tank)
    first = lifecycle.record_id(tank, store.load_record(path, "x"))
    again = lifecycle.record_id(tank, store.load_record(path, "x"))
    other = lifecycle.record_id("anders", store.load_record(path, "x"))
    assert first == again != other


def test_new_tanks_get_different_ids(ws: Workspace, run) -> None:
    for naam in ("Een", "Twee"):
        assert run("new", naam, "--vraagstuk", "V", "--organisatie", "O").exit_code == 0
    ids = {store.load_record(ws.record_path(slug), slug).id for slug in ("een", "twee")}
    assert len(ids) == 2 and None not in ids


def test_schema_write_gives_every_older_record_its_id_in_one_commit(ws: Workspace, run) -> None:
    shutil.copytree(REPO / "tanks", ws.tanks, dirs_exist_ok=True)
    for record in ws.tanks.glob("*/doetank.yaml"):  # the examples as they were before records had an id
        record.write_text(re.sub(r"(?m)^id: .*\n", "", record.read_text(encoding="utf-8")), encoding="utf-8")
    build_tree(ws.root, {"tanks/kapot/doetank.yaml": "naam: X\nfase: nergens\n"})
    git(ws.root, "add", "tanks")
    git(ws.root, "commit", "-qm", "examples")
    result = run("schema", "--write")
    assert result.exit_code == 0, result.output
    assert "tanks/kapot/doetank.yaml was left as it is" in result.stderr
    changed = git(ws.root, "show", "--name-only", "--format=", "HEAD").split()
    assert len([p for p in changed if p.endswith("doetank.yaml")]) == len(list((REPO / "tanks").iterdir()))
    assert (ws.tanks / "kapot" / "doetank.yaml").read_text() == "naam: X\nfase: nergens\n"
    assert run("schema", "--write").stdout.strip().endswith("nothing changed")


def test_a_copied_folder_keeps_both_tanks_in_the_agenda_and_says_so(ws: Workspace, run) -> None:
    copied = re.sub(r"(?m)^id: .*$", "id: abc", RECORD)
    build_tree(ws.root, {"tanks/a/doetank.yaml": copied, "tanks/b/doetank.yaml": copied})
    result = run("agenda")
    assert result.exit_code == 0
    assert len(events(result.stdout_bytes)) == 4
    assert "b has the same id as a" in result.stderr


def test_agenda_writes_a_file_whole_and_names_a_folder_that_is_not_there(ws: Workspace, run, tmp_path: Path) -> None:
    build_tree(ws.root, {"tanks/slimmer/doetank.yaml": RECORD})
    target = tmp_path / "doetanks.ics"
    assert run("agenda", "--output", str(target)).exit_code == 0
    assert len(events(target.read_bytes())) == 2
    missing = run("agenda", "--output", str(tmp_path / "nergens" / "x.ics"))
    assert missing.exit_code == 2 and "nergens" in missing.stderr  # as every --output says it


def test_a_broken_record_is_named_and_the_rest_is_still_written(ws: Workspace, run) -> None:
    build_tree(ws.root, {"tanks/slimmer/doetank.yaml": RECORD, "tanks/kapot/doetank.yaml": "naam: [\n"})
    result = run("agenda")
    assert result.exit_code == 3 and "tanks/kapot/doetank.yaml" in result.stderr
    assert len(events(result.stdout_bytes)) == 2


@pytest.mark.parametrize("bad", ["id: ''\n", "id: [1, 2]\n"])
def test_an_id_that_is_not_text_is_bad_data(ws: Workspace, run, bad: str) -> None:
    build_tree(ws.root, {"tanks/slimmer/doetank.yaml": re.sub(r"(?m)^id: .*\n", bad, RECORD)})
    result = run("agenda")
    assert result.exit_code == 3 and "id" in result.stderr
