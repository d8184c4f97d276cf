"""Mistakes the tool now catches (a URL recorded twice, a plan in the past), what edit says after saving, the screens at
80 columns, and the report of a tank that finished or stopped: it reads as finished and carries the reasons."""

from __future__ import annotations

import re
from datetime import date

import pytest
from conftest import FILLED_ONTDEKKEN, RECORD, build_tree, git

from doetank_cli import rules
from doetank_cli.model import Doetank
from doetank_cli.workspace import Workspace

# --------------------------------------------------------------------------- updates, plans, DT021


def test_an_update_whose_url_is_recorded_already_is_refused(ws: Workspace, run, tank: str) -> None:
    before = (ws.tanks / "slimmer" / "doetank.yaml").read_text()
    head = git(ws.root, "rev-parse", "HEAD")
    for url in ("https://www.linkedin.com/posts/x", "HTTPS://WWW.LINKEDIN.COM/posts/x/"):
        result = run("update", "slim", "--kanaal", "linkedin", "--url", url)
        assert result.exit_code == 2, result.output
        assert "already recorded as the LinkedIn update of 21 November 2026" in result.output
    assert (ws.tanks / "slimmer" / "doetank.yaml").read_text() == before and git(ws.root, "rev-parse", "HEAD") == head
    assert run("update", "slim", "--kanaal", "linkedin", "--url", "https://www.linkedin.com/posts/y").exit_code == 0


def test_plan_warns_for_a_date_in_the_past_or_before_the_start_and_still_saves_it(
    ws: Workspace, run, tank: str
) -> None:
    past = run("plan", "slim", "--einddatum", "2026-11-15")
    assert past.exit_code == 0
    assert "The end date, 15 November 2026, is in the past; is that a typo?" in past.output
    early = run("plan", "slim", "--fase", "onderzoeken", "--datum", "2026-10-01")
    assert (
        "The target date of onderzoeken, 1 October 2026, is before the tank started (1 November 2026)" in early.output
    )
    late = run("plan", "slim", "--fase", "leren", "--datum", "2027-12-01")
    assert "is after the end date, 15 November 2026" in late.output
    fine = run("plan", "slim", "--einddatum", "2027-06-30")
    assert "Note:" not in fine.output
    assert "einddatum: 2027-06-30" in (ws.tanks / "slimmer" / "doetank.yaml").read_text()


def _tank(**changes: object) -> Doetank:
    from ruamel.yaml import YAML

    data = YAML(typ="safe").load(RECORD)
    data.update(changes)
    return Doetank.model_validate(data)


def test_a_linkedin_update_before_the_kickoff_is_not_the_update_after_it() -> None:
    ctx = rules.Context("slimmer", date(2026, 11, 28))
    kickoff = {"datum": "2026-11-20", "locatie": "Kennisland"}
    before = [{"datum": "2026-11-19", "kanaal": "linkedin", "url": "https://x"}]
    on_the_day = [{"datum": "2026-11-20", "kanaal": "linkedin", "url": "https://x"}]
    assert [f.regel for f in rules.evaluate(_tank(kickoff=kickoff, updates=before), ctx)] == ["DT021"]
    assert "DT021" not in [f.regel for f in rules.evaluate(_tank(kickoff=kickoff, updates=on_the_day), ctx)]


# --------------------------------------------------------------------------- advance --dry-run --force


def test_a_dry_run_with_force_shows_what_would_be_forced_and_changes_nothing(ws: Workspace, run, tank: str) -> None:
    (ws.tanks / "slimmer" / "01-ontdekken.md").write_text("# Leeg\n")
    git(ws.root, "commit", "-qam", "note emptied")
    head = git(ws.root, "rev-parse", "HEAD")
    plain = run("advance", "slim", "--dry-run")
    assert plain.exit_code == 1 and "cannot move from ontdekken to onderzoeken yet: 3 requirements" in plain.output
    forced = run("advance", "slim", "--dry-run", "--force")
    assert forced.exit_code == 0, forced.output
    assert "With --force, slimmer would move from ontdekken to onderzoeken past 3 unmet requirements" in forced.output
    assert forced.output.count("DT041 fase-notities") == 3 and "Nothing was changed." in forced.output
    assert (
        git(ws.root, "rev-parse", "HEAD") == head
        and "fase: ontdekken" in (ws.tanks / "slimmer/doetank.yaml").read_text()
    )


# --------------------------------------------------------------------------- the report of a finished or stopped tank


def test_a_forced_finish_is_recorded_and_the_report_reads_as_finished_with_its_reasons(ws: Workspace, run) -> None:
    assert run("new", "Archief", "--vraagstuk", "Dossiers", "--organisatie", "Waterschap").exit_code == 0
    for _ in range(6):
        result = run("advance", "archief", "--force", "--reason", "Het team koos tempo")
        assert result.exit_code == 0, result.output
    record = (ws.tanks / "archief" / "doetank.yaml").read_text()
    assert "status: afgerond" in record and "&id" not in record and "*id" not in record
    assert record.count("reden: Het team koos tempo") == 6
    for fmt in ("markdown", "text"):
        out = run("report", "archief", "--format", fmt).stdout
        assert "finished on 28 November 2026, after all six phases" in out
        assert "Where we stand" not in out and "Next steps" not in out
        assert "28 November 2026, on to onderzoeken: Het team koos tempo" in out
        assert "28 November 2026, finished: Het team koos tempo" in out
    assert run("status", "archief").exit_code == 0


def test_the_report_of_a_stopped_tank_says_when_and_why(ws: Workspace, run, tank: str) -> None:
    assert run("stop", "slim", "--reason", "De opdrachtgever vertrok").exit_code == 0
    out = run("report", "slim").stdout
    assert "**Where it stands:** stopped on 28 November 2026, in phase 1 of 6, ontdekken" in out
    assert "## Why the tank stopped\n\nDe opdrachtgever vertrok\n" in out
    assert "Next steps" not in out


def test_the_text_report_speaks_to_a_person_without_keys_or_paths(ws: Workspace, run) -> None:
    assert run("new", "Slimmer", "--vraagstuk", "Overleggen", "--organisatie", "Gemeente Utrecht").exit_code == 0
    out = run("report", "slimmer", "--format", "text").stdout
    assert "Name the larger vraagstuk behind the problem." in out
    assert "Write in the note of ontdekken: 'De kern', " in out
    assert not re.search(r"tanks/|\.md\b|\.yaml\b|vraagstuk\.|richtlijn\.|\*\*|\|", out), out


# --------------------------------------------------------------------------- edit


def test_edit_says_which_required_sections_are_still_empty(
    ws: Workspace, run, tank: str, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    script = tmp_path / "editor.py"
    script.write_text(
        "import sys\nopen(sys.argv[1], 'w').write('# S\\n\\n## De kern\\n\\nIets.\\n\\n## Waarom is het een probleem, "
        "en voor wie?\\n\\n<!-- hulp -->\\n')\n"
    )
    monkeypatch.setenv("EDITOR", f"python3 {script}")
    result = run("edit", "slim")
    assert result.exit_code == 0
    assert (
        "Still empty, and needed before ontdekken is done: 'Waarom is het een probleem, en voor wie?', "
        "'Het probleem áchter het probleem'." in result.output
    )
    script.write_text(f"import sys\nopen(sys.argv[1], 'w').write({FILLED_ONTDEKKEN!r})\n")
    assert "Every required section of the note is filled in." in run("edit", "slim").output


# --------------------------------------------------------------------------- 80 columns


LONG = "toekomstbestendige-dienstverlening-voor-nieuwe-collegas-in-de-regio"[:60].rstrip("-")


def test_status_at_80_columns_keeps_every_column_and_every_slug_whole(
    ws: Workspace, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_tree(
        ws.root,
        {
            f"tanks/{LONG}/doetank.yaml": RECORD.replace(
                "naam: Slimmer vergaderen", "naam: Toekomstbestendige dienstverlening voor nieuwe collega's in de regio"
            ),
            "tanks/kort/doetank.yaml": RECORD.replace("Anna de Vries", "Annemarie van den Berg-Hoogenboom"),
        },
    )
    from doetank_cli import render

    for width in (60, 80, 100, 160):
        monkeypatch.setattr(render.console, "width", width)
        shown = run("status").output
        lines = shown.splitlines()
        assert all(len(line) <= width for line in lines), shown
        assert any(line.strip().startswith(LONG) for line in lines), shown  # the slug, whole, on one line
        assert "…" not in shown
        assert any("Annemarie van den Berg-Hoogenboom" in line for line in lines), shown  # a name on one line
        for fact in ("E/W", "Team", "ontdekken", "Cor Smit", "27 d", "0/0"):
            assert fact in shown, (width, fact, shown)
        assert ("Trekker / coach" in shown) == (width >= 160)  # a table when it fits, else a block per tank


def test_log_at_80_columns_keeps_what_happened_readable(
    ws: Workspace, run, tank: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("kickoff", "slim", "--datum", "2026-11-25", "--locatie", "Het Stadskantoor van de gemeente Utrecht, zaal 4")
    from doetank_cli import render

    monkeypatch.setattr(render.console, "width", 80)
    for args in (("log", "slim"), ("log",)):
        lines = run(*args).output.splitlines()
        assert all(len(line) <= 80 for line in lines)
        assert any("kickoff on 25 November 2026 at Het Stadskantoor van de" in line for line in lines), lines
        assert any(line.strip() == "Test Trekker" or "Test Trekker " in line for line in lines)
