"""The commands as a user runs them (CliRunner: no terminal, so no prompts)."""

from __future__ import annotations

import json
import re

import pytest
from conftest import RECORD, REPO, build_tree, git

from doetank_cli.cli import app
from doetank_cli.workspace import Workspace


def record(ws: Workspace, slug: str = "slimmer") -> str:
    return (ws.tanks / slug / "doetank.yaml").read_text()


def test_new_creates_the_record_and_first_note_and_commits_only_them(ws: Workspace, run) -> None:
    build_tree(ws.root, {"mijn-werk.txt": "half af"})
    git(ws.root, "add", "mijn-werk.txt")  # the user's own staged work
    result = run(
        "new",
        "Slimmer Vergaderen!",
        "--vraagstuk",
        "Overleggen zonder besluit",
        "--organisatie",
        "Gemeente Utrecht",
        "--trekker",
        "Anna",
        "--einddatum",
        "2027-06-30",
    )
    assert result.exit_code == 0, result.output
    text = record(ws, "slimmer-vergaderen")
    assert "fase: ontdekken" in text and "{fase: ontdekken, datum: 2026-11-28}" in text and "herkomst: netwerk" in text
    assert (
        (ws.tanks / "slimmer-vergaderen" / "01-ontdekken.md")
        .read_text()
        .startswith("# Slimmer Vergaderen! — 1. Ontdekken")
    )
    committed = git(ws.root, "show", "--name-only", "--format=%B", "HEAD")
    assert "Doetank-Tank: slimmer-vergaderen" in committed and "Doetank-Command: new" in committed
    assert "mijn-werk.txt" not in committed
    assert git(ws.root, "status", "--porcelain") == "A  mijn-werk.txt\n"


def test_new_without_a_terminal_names_the_missing_option(ws: Workspace, run) -> None:
    result = run("new", "Slimmer", "--organisatie", "Gemeente Utrecht")
    assert result.exit_code == 2
    assert "Missing option '--vraagstuk'." in result.output
    assert not (ws.tanks / "slimmer").exists()


def test_a_name_starting_with_a_dash_is_data_after_double_dash(ws: Workspace, run) -> None:
    result = run("new", "--vraagstuk", "P", "--organisatie", "O", "--", "-Vergaderen")
    assert result.exit_code == 0, result.output
    assert (ws.tanks / "vergaderen" / "doetank.yaml").exists()


def test_an_existing_slug_is_an_error_and_nothing_is_overwritten(ws: Workspace, run, tank: str) -> None:
    before = record(ws)
    result = run("new", "Slimmer", "--vraagstuk", "Ander", "--organisatie", "O")
    assert result.exit_code == 2 and "already exists" in result.output
    assert record(ws) == before


def test_a_name_without_letters_is_a_usage_error(run) -> None:
    result = run("new", "!!!", "--vraagstuk", "P", "--organisatie", "O")
    assert result.exit_code == 2 and "no letters or digits" in result.output


def test_member_add_and_remove_change_one_line_and_keep_comments(ws: Workspace, run, tank: str) -> None:
    result = run(
        "member", "add", "slim", "Eva Jansen", "--rol", "doetanker", "--organisatie", "UWV", "--sector", "publiek"
    )
    assert result.exit_code == 0, result.output
    assert "  - {naam: Eva Jansen, rol: doetanker, organisatie: UWV, sector: publiek}\n" in record(ws)
    assert "  # the team as it started\n" in record(ws)
    result = run("member", "remove", "slim", "bram peters")
    assert result.exit_code == 0 and "Bram Peters" not in record(ws)
    assert git(ws.root, "log", "--format=%s", "-2").splitlines() == [
        "doetank member remove: slimmer: Bram Peters (doetanker) left the team",
        "doetank member add: slimmer: Eva Jansen joined as doetanker",
    ]


def test_a_second_trekker_or_a_duplicate_name_is_refused(ws: Workspace, run, tank: str) -> None:
    before = record(ws)
    second = run("member", "add", "slim", "Eva", "--rol", "trekker", "--organisatie", "O", "--sector", "publiek")
    assert second.exit_code == 1 and "DT012" in second.output and "Anna de Vries" in second.output
    twice = run(
        "member", "add", "slim", "anna de vries", "--rol", "doetanker", "--organisatie", "O", "--sector", "publiek"
    )
    assert twice.exit_code == 2 and "already in tank" in twice.output
    assert run("member", "remove", "slim", "Niemand").exit_code == 2
    assert record(ws) == before


def test_kickoff_update_consult_plan_and_stop_record_their_fields(ws: Workspace, run, tank: str) -> None:
    assert run("kickoff", "slim", "--datum", "2026-12-01", "--locatie", "Utrecht").exit_code == 0
    assert "kickoff: {datum: 2026-12-01, locatie: Utrecht}" in record(ws)
    assert (
        run(
            "update", "slim", "--kanaal", "blog", "--url", "https://slimmernetwerk.nl/b?x=1", "--datum", "2026-12-02"
        ).exit_code
        == 0
    )
    assert '{datum: 2026-12-02, kanaal: blog, url: "https://slimmernetwerk.nl/b?x=1"}' in record(ws)
    assert run("consult", "slim", "--expert", "Els Visser", "--vraag", "Wat zegt onderzoek?").exit_code == 0
    assert run("consult", "slim", "--expert", "els visser", "--held", "--datum", "2026-12-03").exit_code == 0
    assert 'vraag: "Wat zegt onderzoek?", status: gehouden, datum: 2026-11-28, gehouden: 2026-12-03' in record(ws)
    assert run("plan", "slim", "--fase", "onderzoeken", "--datum", "2027-01-15").exit_code == 0
    assert "  fases: {onderzoeken: 2027-01-15}" in record(ws)
    assert run("stop", "slim", "--reason", "Opdrachtgever vertrokken").exit_code == 0
    assert "status: gestopt" in record(ws) and "reden: Opdrachtgever vertrokken" in record(ws)
    assert run("advance", "slim").exit_code == 2


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["kickoff", "slim", "--datum", "volgende week"], "is not a date"),
        (["update", "slim", "--kanaal", "blog", "--url", "javascript:alert(1)"], "must be a web address"),
        (["update", "slim", "--kanaal", "tiktok", "--url", "https://x"], "tiktok"),
        (["plan", "slim", "--fase", "leren"], "go together"),
        (["consult", "slim", "--expert", "Niemand", "--held"], "no open consult"),
        (["advance", "slim", "--force"], "--force needs --reason"),
        (["status", "onbekend"], "no tank 'onbekend'"),
    ],
)
def test_bad_options_are_usage_errors_that_change_nothing(
    ws: Workspace, run, tank: str, args: list[str], needle: str
) -> None:
    before = record(ws)
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert needle in result.output
    assert record(ws) == before


def test_advance_blocked_exits_1_with_a_checklist_and_changes_nothing(ws: Workspace, run, tank: str) -> None:
    (ws.tanks / "slimmer" / "01-ontdekken.md").write_text("## De kern\n\nIets.\n")
    text = record(ws).replace("kickoff: {datum: 2026-11-20, locatie: Kennisland}\n", "")
    (ws.tanks / "slimmer" / "doetank.yaml").write_text(text)
    result = run("advance", "slim")
    assert result.exit_code == 1
    assert re.search(r"✗ DT020 kickoff[^✗]*→ doetank kickoff slimmer --datum", result.output)
    assert "Section 'Het probleem áchter het probleem'" in result.output
    assert record(ws) == text and not (ws.tanks / "slimmer" / "02-onderzoeken.md").exists()


def test_advance_moves_records_history_creates_the_next_note_and_commits(ws: Workspace, run, tank: str) -> None:
    result = run("advance", "slim")
    assert result.exit_code == 0, result.output
    assert "fase: onderzoeken" in record(ws) and "  - {fase: onderzoeken, datum: 2026-11-28}\n" in record(ws)
    assert (ws.tanks / "slimmer" / "02-onderzoeken.md").exists()
    shown = git(ws.root, "show", "--name-only", "--format=%B", "HEAD")
    assert "Doetank-Fase: ontdekken -> onderzoeken" in shown and "tanks/slimmer/02-onderzoeken.md" in shown


def test_an_existing_next_note_is_kept(ws: Workspace, run, tank: str) -> None:
    build_tree(ws.root, {"tanks/slimmer/02-onderzoeken.md": "al begonnen"})
    assert run("advance", "slim").exit_code == 0
    assert (ws.tanks / "slimmer" / "02-onderzoeken.md").read_text() == "al begonnen"


def test_force_advances_and_records_the_reason(ws: Workspace, run, tank: str) -> None:
    (ws.tanks / "slimmer" / "01-ontdekken.md").write_text("leeg")
    result = run("advance", "slim", "--force", "--reason", "Opdrachtgever wil tempo")
    assert result.exit_code == 0 and "Moved on past 3 unmet requirements" in result.output
    assert "{fase: onderzoeken, datum: 2026-11-28, reden: Opdrachtgever wil tempo, geforceerd: [DT041]}" in record(ws)


def test_a_waived_rule_no_longer_blocks_advance(ws: Workspace, run, tank: str) -> None:
    without_kickoff = record(ws).replace("kickoff: {datum: 2026-11-20, locatie: Kennisland}\n", "")
    (ws.tanks / "slimmer" / "doetank.yaml").write_text(without_kickoff)
    blocked = run("advance", "slim")
    assert blocked.exit_code == 1 and "DT020" in blocked.output  # the kickoff is an exit criterion of ontdekken
    assert run("waive", "slim", "DT020", "--reason", "De aftrap was online, tijdens de verbouwing").exit_code == 0
    result = run("advance", "slim")
    assert result.exit_code == 0, result.output
    assert "fase: onderzoeken" in record(ws)
    assert "  - {fase: onderzoeken, datum: 2026-11-28}\n" in record(ws)  # moved on its merits: not forced, no reden
    assert (ws.tanks / "slimmer" / "02-onderzoeken.md").exists()


def test_dry_run_shows_the_checklist_and_changes_nothing(ws: Workspace, run, tank: str) -> None:
    result = run("advance", "slim", "--dry-run")
    assert result.exit_code == 0 and "ready to move from ontdekken to onderzoeken" in result.output
    assert "fase: ontdekken" in record(ws)


def test_no_commit_saves_without_committing(ws: Workspace, run, tank: str) -> None:
    head = git(ws.root, "rev-parse", "HEAD")
    assert run("kickoff", "slim", "--datum", "2026-11-25", "--no-commit").exit_code == 0
    assert "2026-11-25" in record(ws) and git(ws.root, "rev-parse", "HEAD") == head


def test_a_broken_record_is_exit_3_with_file_and_line_and_is_never_rewritten(ws: Workspace, run, tank: str) -> None:
    broken = record(ws).replace("fase: ontdekken\n", "fase: ontdekken\nleden_extra: 1\n", 1)
    (ws.tanks / "slimmer" / "doetank.yaml").write_text(broken)
    for args in (
        ["member", "add", "slim", "Eva", "--rol", "doetanker", "--organisatie", "O", "--sector", "publiek"],
        ["advance", "slim"],
        ["status"],
        ["status", "slim"],
    ):
        result = run(*args)
        assert result.exit_code == 3, args
        assert "tanks/slimmer/doetank.yaml:4: unknown key 'leden_extra'" in result.output
        assert "Traceback" not in result.output
    assert record(ws) == broken


def test_status_lists_every_tank_and_reports_an_unreadable_one(ws: Workspace, run, tank: str) -> None:
    build_tree(ws.root, {"tanks/kapot/doetank.yaml": "naam: [\n"})
    result = run("status")
    assert result.exit_code == 3
    assert "Slimmer vergaderen" in result.output and "tanks/kapot/doetank.yaml:2" in result.output


def test_status_json_has_the_documented_keys(ws: Workspace, run, tank: str) -> None:
    data = json.loads(run("status", "--json").stdout)
    assert data == [
        {
            "slug": "slimmer",
            "naam": "Slimmer vergaderen",
            "status": "actief",
            "fase": "ontdekken",
            "fase_nummer": 1,
            "teamgrootte": 3,
            "trekker": "Anna de Vries",
            "coach": "Cor Smit",
            "opdrachtgever": "Karin Jansen",
            "dagen_in_fase": 27,
            "fouten": 0,
            "waarschuwingen": 0,
        }
    ]
    one = json.loads(run("status", "slim", "--json").stdout)
    assert one["slug"] == "slimmer" and one["volgende_stappen"] == []


def test_status_fits_80_columns_without_colour_when_no_color_is_set(
    ws: Workspace, run, tank: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    for args in (["status"], ["status", "slim"]):
        out = run(*args).output
        assert "\x1b[" not in out
        assert max(len(line) for line in out.splitlines()) <= 80
    shown = run("status").output
    assert "Anna de Vries" in shown and "Cor Smit" in shown  # trekker and coach, whole, even in 80 columns


def test_user_text_is_never_read_as_rich_markup(ws: Workspace, run) -> None:
    assert (
        run(
            "new", "Tank", "--vraagstuk", "[red]P[/red]", "--organisatie", "[bold]O", "--trekker", "[link=x]T"
        ).exit_code
        == 0
    )
    out = run("status", "tank").output
    assert "[red]P[/red]" in out and "[bold]O" in out and "[link=x]T" in out


def test_outside_git_it_works_and_says_once_that_nothing_is_versioned(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    build_tree(tmp_path, {"tanks/slimmer/doetank.yaml": RECORD})
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    first = runner.invoke(app, ["kickoff", "slim", "--datum", "2026-11-25"])
    second = runner.invoke(app, ["kickoff", "slim", "--datum", "2026-11-26"])
    assert first.exit_code == second.exit_code == 0
    assert "Nothing is versioned" in first.output and "Nothing is versioned" not in second.output
    assert runner.invoke(app, ["log", "slim"]).exit_code == 4


def test_log_shows_the_history_of_one_tank(ws: Workspace, run, tank: str) -> None:
    run("kickoff", "slim", "--datum", "2026-11-25")
    out = run("log", "slim").output
    assert "Test Trekker" in out and "kickoff on 25 November 2026 at Kennisland" in out and "add tank" in out


def test_edit_opens_the_current_note_and_commits_the_change(
    ws: Workspace, run, tank: str, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    script = tmp_path / "editor.py"
    script.write_text("import sys\nopen(sys.argv[1], 'a').write('\\nExtra regel.\\n')\n")
    monkeypatch.setenv("EDITOR", f"python3 {script}")
    assert run("edit", "slim").exit_code == 0
    assert "Extra regel." in (ws.tanks / "slimmer" / "01-ontdekken.md").read_text()
    assert "Doetank-Command: edit" in git(ws.root, "log", "-1", "--format=%B")
    assert run("edit", "slim", "leren").exit_code == 2


def test_every_command_has_help() -> None:
    import typer.main
    from typer.core import TyperGroup

    group = typer.main.get_command(app)
    assert isinstance(group, TyperGroup)
    names = []
    for name, command in group.commands.items():
        subs = getattr(command, "commands", None)
        for sub in (subs or {name: command}).values():
            assert sub.help and len(sub.help) > 20, name
            names.append(sub.name)
            for param in sub.params:
                if param.name not in {"help"}:
                    assert getattr(param, "help", None), f"{name} {param.name}"
    assert {
        "init",
        "new",
        "advance",
        "status",
        "log",
        "edit",
        "kickoff",
        "update",
        "consult",
        "plan",
        "stop",
        "add",
        "remove",
    } <= set(names)


def test_version_says_the_version_the_package_is_built_with(run) -> None:
    import tomllib
    from importlib.metadata import version

    from doetank_cli import __version__

    # one source: the package's __version__, which the build reads (hatch's dynamic version)
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" in pyproject["project"]["dynamic"] and "version" not in pyproject["project"]
    assert pyproject["tool"]["hatch"]["version"]["path"] == "doetank_cli/__init__.py"
    result = run("--version")
    assert result.exit_code == 0
    assert result.output == f"doetank {__version__}\n" and __version__ == version("doetank")


def test_a_failing_pre_commit_hook_keeps_the_change_and_says_it_is_not_committed(ws: Workspace, run, tank: str) -> None:
    hook = ws.root / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'hook says no' >&2\nexit 1\n")
    hook.chmod(0o755)
    head = git(ws.root, "rev-parse", "HEAD")
    result = run("kickoff", "slim", "--datum", "2026-11-25")
    assert result.exit_code == 4
    assert "is saved, but git could not commit it" in result.output and "hook says no" in result.output
    assert "2026-11-25" in record(ws) and git(ws.root, "rev-parse", "HEAD") == head
