"""A Dutch-reading civil servant who is not at home in a terminal: what doetank says must tell such a person, in plain
Dutch, what is the matter and what to do next; no git command, no English word, no raw value of the record."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import doetank_in, git
from serving import Client, serving
from test_language import _two_tanks_with_a_median_of_52_5_days, forbidden_in

from doetank_cli import i18n
from doetank_cli.workspace import Workspace


@pytest.fixture
def dutch(monkeypatch: pytest.MonkeyPatch) -> None:
    """The interface in Dutch, in this process (the CLI runner and a served app alike)."""
    monkeypatch.setattr(i18n, "LANGUAGE", "nl")
    monkeypatch.setattr(i18n, "_translation", i18n._load("nl"))


@pytest.fixture
def web(dutch: None, ws: Workspace, tank: str) -> Iterator[Client]:
    with serving(ws) as client:
        yield client


def words(page: str) -> str:
    """What a browser shows of a page's main part, roughly: tags dropped, entities read."""
    main = page.split("<main", 1)[-1].split(">", 1)[-1]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())


# --------------------------------------------------------------------------- 1. sync without the team's server


def test_sync_without_the_teams_server_says_who_can_connect_it_in_plain_dutch(web: Client, run) -> None:
    shown = words(web.post("/sync").text)
    assert "niet verbonden met de server van het team" in shown, shown
    assert "Vraag wie deze werkmap heeft ingericht" in shown, shown
    assert "git" not in shown.lower() and forbidden_in(shown, "nl") == [], shown
    result = run("sync")
    assert result.exit_code == 4
    assert "niet verbonden met de server van het team" in result.output, result.output
    assert "git" not in result.output.lower() and forbidden_in(result.output, "nl") == [], result.output


# --------------------------------------------------------------------------- 2. no name for the history


def test_a_laptop_without_a_name_for_the_history_hears_it_once_in_plain_dutch(
    dutch: None, ws: Workspace, run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty-gitconfig"
    empty.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    first = run("new", "Slimmer vergaderen", "--vraagstuk", "Overleg zonder besluit", "--organisatie", "Utrecht")
    assert first.exit_code == 0, first.output
    said = first.output
    assert "Je naam en e-mailadres voor het versiebeheer zijn op deze computer niet ingesteld" in said, said
    assert 'doetank config set naam "Je Naam"' in said and "git config" not in said, said
    assert forbidden_in(said, "nl") == [], said
    second = run("new", "Archiveren aan de bron", "--vraagstuk", "Dossiers ongeordend", "--organisatie", "Waterschap")
    assert second.exit_code == 0 and "e-mailadres" not in second.output, second.output  # once per werkmap
    assert git(ws.root, "status", "--porcelain") == ""  # and both were committed all the same


# --------------------------------------------------------------------------- 3. quarters as Dutch writes them


@pytest.mark.parametrize(("language", "shown", "not_shown"), [("nl", "2026-K3", "2026-Q3"), ("en", "2026-Q3", "K3")])
def test_quarters_are_written_as_the_language_writes_them_and_json_keeps_its_own(
    language: str, shown: str, not_shown: str, tmp_path: Path
) -> None:
    root = tmp_path / "werkmap"
    _two_tanks_with_a_median_of_52_5_days(root)  # both started in September 2026
    overview = doetank_in(root, language, "overview")
    assert overview.returncode == 0, overview.stderr
    assert f"  {shown}  " in overview.stdout and not_shown not in overview.stdout, overview.stdout
    figures = json.loads(doetank_in(root, language, "overview", "--json").stdout)
    assert [row["kwartaal"] for row in figures["per_kwartaal"]] == ["2026-Q3"]
    assert doetank_in(root, language, "site", str(tmp_path / "site")).returncode == 0
    page = html.unescape((tmp_path / "site" / "overzicht.html").read_text(encoding="utf-8"))
    assert shown in page and not_shown not in page


# --------------------------------------------------------------------------- 4. the note's date written out


def test_a_new_note_says_when_it_began_as_people_write_dates(dutch: None, ws: Workspace, run) -> None:
    result = run("new", "Slimmer vergaderen", "--vraagstuk", "Overleg zonder besluit", "--organisatie", "Utrecht")
    assert result.exit_code == 0, result.output
    note = next(ws.tanks.glob("*/01-ontdekken.md")).read_text(encoding="utf-8")
    assert "Begonnen op 28 november 2026." in note and "2026-11-28" not in note, note


# --------------------------------------------------------------------------- 5. filters that leave nothing


@pytest.mark.parametrize("command", ["status", "check"])
def test_filters_that_leave_no_tank_name_them_and_say_how_to_see_every_tank(
    command: str, dutch: None, tank: str, run
) -> None:
    result = run(command, "--fase", "leren", "--organisatie", "Gemeente Zeist", "--late")
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert (
        'Geen Doetank past bij de filters --fase leren --organisatie "gemeente zeist" --late (1 Doetank in totaal).'
        in said
    ), said
    assert f"Laat een filter weg, of bekijk alle Doetanks met: doetank {command}" in said, said


# --------------------------------------------------------------------------- 6. DT060 cannot be waived


def test_refusing_to_waive_dt060_says_in_a_sentence_whether_there_is_a_clash(
    dutch: None, ws: Workspace, tank: str, run
) -> None:
    record = ws.tanks / "slimmer" / "doetank.yaml"
    quiet = run("waive", "slimmer", "DT060", "--reason", "later")
    said = " ".join(quiet.output.split())
    assert quiet.exit_code == 2 and "DT060 kan geen uitzondering krijgen" in said, said
    assert "slimmer bevat nu geen botsing, dus DT060 geldt er niet" in said, said
    assert "doetank resolve" not in said and forbidden_in(said, "nl") == [], said  # no clash: nothing to resolve
    record.write_text(
        "# doetank-conflict: richtlijn.einddatum: yours 2027-04-30, server 2027-05-31\n" + record.read_text("utf-8"),
        encoding="utf-8",
    )
    clash = run("waive", "slimmer", "DT060", "--reason", "later")
    said = " ".join(clash.output.split())
    assert clash.exit_code == 2, said
    assert "tanks/slimmer/doetank.yaml:1 bevat een botsing waarover nog niet is beslist" in said, said
    assert "beslis erover met 'doetank resolve'" in said, said


# --------------------------------------------------------------------------- 7. labels, not raw values


def test_the_tank_page_and_its_forms_write_linkedin_as_the_cli_does(web: Client) -> None:
    page = web.get("/tanks/slimmer").text
    shown = words(page)
    assert "21 november 2026 · LinkedIn · https://www.linkedin.com/posts/x" in shown, shown
    assert (
        '<option value="linkedin" selected>LinkedIn</option>' in page
        or '<option value="linkedin">LinkedIn</option>' in page
    )
    assert re.search(r"· linkedin ·|>linkedin<", page) is None
    new = web.get("/nieuw").text
    assert '<option value="linkedin">LinkedIn</option>' in new and ">linkedin<" not in new


# --------------------------------------------------------------------------- 8. say only what changed


def test_a_form_that_sends_every_field_hears_only_what_changed(web: Client, run) -> None:
    fields = {
        "vraagstuk": "Overleggen leveren zelden besluiten op, en niemand weet waarom",
        "organisatie": "Gemeente Utrecht",
        "groter_vraagstuk": "Hoe komen publieke organisaties sneller tot besluiten?",
    }
    shown = words(web.follow(web.post("/tanks/slimmer/vraagstuk", fields)).text)
    assert "vraagstuk bijgewerkt (probleem)" in shown, shown
    assert "organisatie" not in shown.split("vraagstuk bijgewerkt", 1)[1][:40], shown
    plan = {"einddatum": "2027-06-30", "fase": "onderzoeken", "datum": "2027-01-31"}  # the end date as shown
    shown = words(web.follow(web.post("/tanks/slimmer/plan", plan)).text)
    assert "richtlijn: onderzoeken uiterlijk 31 januari 2027" in shown and "richtlijn: einddatum" not in shown, shown
    cli = run("vraagstuk", "slimmer", "--organisatie", "Gemeente Utrecht", "--groter-vraagstuk", "Sneller besluiten")
    assert "vraagstuk bijgewerkt (groter_vraagstuk)" in cli.output, cli.output


# --------------------------------------------------------------------------- 9. config without `set`


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (("taal", "nl"), "Stel die in met: doetank config set taal nl"),
        (("editor", "code", "--wait"), 'Stel die in met: doetank config set editor "code --wait"'),
        (("Taal",), "Bekijk die met: doetank config get taal; stel die in met: doetank config set taal WAARDE"),
    ],
)
def test_a_setting_typed_without_set_is_answered_with_the_command_that_was_meant(
    args: tuple[str, ...], hint: str, dutch: None, ws: Workspace, run
) -> None:
    result = run("config", *args)
    assert result.exit_code == 2, result.output
    assert f"is een instelling, geen opdracht.\n{hint}" in result.output, result.output
    assert "bestaat niet" not in result.output and run("config", "get", "taal").output == ""  # nothing was set


# --------------------------------------------------------------------------- a path in no workspace, given to check


@pytest.mark.parametrize("where", ["/", "/etc/passwd"])
def test_check_of_a_path_in_no_workspace_is_a_mistyped_argument_not_a_missing_workspace(
    where: str, tank: str, run
) -> None:
    """Found by test_properties' typed text: `doetank check /` inside a workspace said there was no workspace (4)."""
    result = run("check", where)
    assert result.exit_code == 2, result.output
    assert f"{where} is not inside tanks, so it belongs to no tank." in result.output, result.output
