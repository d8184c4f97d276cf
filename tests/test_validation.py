"""Validation as a user meets it: check, rules, waive and schema on the command line."""

from __future__ import annotations

import json

from conftest import RECORD, build_tree, git

from doetank_cli.workspace import MODELINE, Workspace

NO_TREKKER = RECORD.replace("rol: trekker", "rol: doetanker")
NO_OPDRACHTGEVER = RECORD.replace(
    "opdrachtgever:\n  naam: Karin Jansen\n  organisatie: Gemeente Utrecht\n  sector: publiek\n", ""
)


def tanks(ws: Workspace, **records: str) -> None:
    build_tree(ws.root, {f"tanks/{slug}/doetank.yaml": text for slug, text in records.items()})


def record(ws: Workspace, slug: str = "slimmer") -> str:
    return (ws.tanks / slug / "doetank.yaml").read_text()


# --------------------------------------------------------------------------- check


def test_check_passes_with_only_waarschuwingen_and_says_so(ws: Workspace, run) -> None:
    tanks(ws, goed=RECORD, zoekend=NO_OPDRACHTGEVER)
    result = run("check")
    assert result.exit_code == 0, result.output
    assert "zoekend" in result.output and "DT004 opdrachtgever" in result.output
    assert "2 tanks checked, 0 errors, 1 warning" in result.output
    assert "1 tank has no findings" in result.output


def test_check_fails_on_a_fout_and_lists_it_first_with_its_fix(ws: Workspace, run) -> None:
    tanks(ws, slimmer=NO_TREKKER.replace("richtlijn:\n  einddatum: 2027-06-30\n", ""))
    result = run("check")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    fout = next(i for i, line in enumerate(lines) if "DT012 een-trekker" in line)
    waarschuwing = next(i for i, line in enumerate(lines) if "DT030 richtlijn" in line)
    assert fout < waarschuwing
    assert "doetank member add slimmer NAAM --rol trekker" in result.output
    assert "1 error, 1 warning" in result.output


def test_check_json_lists_every_finding_with_the_design_keys(ws: Workspace, run) -> None:
    tanks(ws, a=NO_TREKKER, b=NO_OPDRACHTGEVER, c=RECORD)
    result = run("check", "--json")
    assert result.exit_code == 1
    found = json.loads(result.stdout)
    assert [(f["tank"], f["regel"], f["ernst"]) for f in found] == [
        ("a", "DT012", "fout"),
        ("b", "DT004", "waarschuwing"),
    ]
    assert {"tank", "regel", "naam", "ernst", "bericht"} <= set(found[0])


def test_check_of_named_tanks_checks_only_those(ws: Workspace, run) -> None:
    tanks(ws, kapot=NO_TREKKER, goed=RECORD)
    assert run("check", "goe").exit_code == 0
    assert run("check", "goed", "kapot").exit_code == 1
    assert run("check", "bestaat-niet").exit_code == 2


def test_check_takes_paths_of_tank_files_as_a_git_hook_passes_them(ws: Workspace, run) -> None:
    tanks(ws, kapot=NO_TREKKER, goed=RECORD)
    assert run("check", "tanks/goed/doetank.yaml", "tanks/goed/01-ontdekken.md").exit_code == 0
    result = run("check", "--json", "tanks/kapot/doetank.yaml")
    assert result.exit_code == 1 and {f["tank"] for f in json.loads(result.stdout)} == {"kapot"}
    outside = run("check", "README/x.md")
    assert outside.exit_code == 2 and "belongs to no tank" in outside.output


def test_an_unreadable_tank_is_exit_3_naming_file_and_line_and_the_others_are_still_checked(ws: Workspace, run) -> None:
    tanks(ws, kapot="naam: X\nfase: ontdekken\nleden: [\n", fout=NO_TREKKER, goed=RECORD)
    result = run("check", "--json")
    assert result.exit_code == 3
    assert [f["tank"] for f in json.loads(result.stdout)] == ["fout"]
    assert "tanks/kapot/doetank.yaml:" in result.stderr
    human = run("check")
    assert "DT012" in human.output and "3 tanks checked" in human.output and "1 file unreadable" in human.output


def test_a_tank_folder_without_a_record_is_reported_not_skipped(ws: Workspace, run) -> None:
    tanks(ws, goed=RECORD)
    (ws.tanks / "leeg").mkdir()
    result = run("check")
    assert result.exit_code == 3 and "tanks/leeg/doetank.yaml is missing" in result.output


def test_a_waived_fout_is_shown_marked_with_its_reason_and_does_not_fail_check(ws: Workspace, run) -> None:
    tanks(ws, slimmer=NO_TREKKER + "uitzonderingen:\n  DT012: Trekker wisselt per maand, afgesproken met de coach\n")
    result = run("check")
    assert result.exit_code == 0, result.output
    assert "DT012 een-trekker" in result.output and "(waived: Trekker wisselt per maand" in result.output
    assert "1 waived" in result.output
    found = json.loads(run("check", "--json").stdout)
    assert found[0]["uitzondering"].startswith("Trekker wisselt")


def test_a_waiver_without_a_reason_waives_nothing_and_says_so(ws: Workspace, run) -> None:
    tanks(ws, slimmer=NO_TREKKER + "uitzonderingen:\n  DT012:\n  DT0999: onzin\n")
    result = run("check", "--json")
    assert result.exit_code == 1
    found = {(f["regel"], f["bericht"]) for f in json.loads(result.stdout)}
    assert ("DT050", "The waiver of DT012 gives no reason, so it waives nothing.") in found
    assert any(regel == "DT050" and "DT0999" in bericht for regel, bericht in found)
    assert any(regel == "DT012" for regel, _ in found)


# --------------------------------------------------------------------------- rules


def test_rules_lists_the_whole_catalogue_with_severity_per_phase(run) -> None:
    result = run("rules")
    assert result.exit_code == 0
    for rule in ("DT001", "DT010", "DT020", "DT041", "DT050"):
        assert rule in result.output
    assert "error from onderzoeken" in result.output and "warning in" in result.output


def test_rules_with_an_id_or_name_shows_the_sentence_of_the_spelregels(run) -> None:
    result = run("rules", "dt011")
    assert result.exit_code == 0
    assert "adviseurs van externe bureaus zijn welkom" in " ".join(result.output.split())
    assert "doetank waive TANK DT011" in result.output
    assert "Fysiek: De eerste keer" in " ".join(run("rules", "kickoff").output.split())


def test_an_unknown_rule_is_a_usage_error_with_a_suggestion(run) -> None:
    result = run("rules", "DT0111")
    assert result.exit_code == 2 and "Did you mean DT011?" in result.output


def test_rules_json_gives_the_severity_in_each_phase(run) -> None:
    catalogue = {r["regel"]: r for r in json.loads(run("rules", "--json").stdout)}
    assert catalogue["DT020"]["ernst"] == {
        "ontdekken": None,
        "onderzoeken": "fout",
        "ontwikkelen": "fout",
        "uitproberen": "fout",
        "leren": "fout",
        "overdragen": "fout",
    }
    assert catalogue["DT001"]["spelregel"] == "beginnen met iets kleins en concreets"


# --------------------------------------------------------------------------- waive


def test_waive_writes_the_reason_keeps_comments_and_commits_only_the_record(ws: Workspace, run, tank: str) -> None:
    build_tree(ws.root, {"notities.txt": "eigen werk"})
    before = record(ws)
    result = run("waive", "slim", "DT011", "--reason", "Twee adviseurs tot de werving rond is")
    assert result.exit_code == 0, result.output
    after = record(ws)
    assert after.startswith(before) and after.endswith(
        "uitzonderingen:\n  DT011: Twee adviseurs tot de werving rond is\n"
    )
    assert "# the team as it started" in after
    assert git(ws.root, "show", "--name-only", "--format=", "HEAD").split() == ["tanks/slimmer/doetank.yaml"]
    assert "Doetank-Command: waive" in git(ws.root, "log", "-1", "--format=%B")
    assert git(ws.root, "status", "--porcelain") == "?? notities.txt\n"


def test_waive_refuses_a_missing_reason_or_an_unknown_rule_and_changes_nothing(ws: Workspace, run, tank: str) -> None:
    before = record(ws)
    no_reason = run("waive", "slimmer", "DT011")
    assert no_reason.exit_code == 2 and "--reason" in no_reason.output
    unknown = run("waive", "slimmer", "DT11x", "--reason", "x")
    assert unknown.exit_code == 2 and "There is no rule" in unknown.output
    itself = run("waive", "slimmer", "DT050", "--reason", "x")
    assert itself.exit_code == 2 and "cannot be waived" in itself.output
    assert record(ws) == before


def test_waive_by_name_and_remove_again(ws: Workspace, run, tank: str) -> None:
    before = record(ws)
    assert run("waive", "slimmer", "publiek-primair", "--reason", "Tijdelijk").exit_code == 0
    assert "DT011: Tijdelijk" in record(ws)
    removed = run("waive", "slimmer", "DT011", "--remove")
    assert removed.exit_code == 0 and "lifted" in removed.output
    assert record(ws) == before
    again = run("waive", "slimmer", "DT011", "--remove")
    assert again.exit_code == 2 and "does not waive DT011" in again.output


def test_a_waiver_in_an_existing_inline_map_stays_inline(ws: Workspace, run, tank: str) -> None:
    path = ws.tanks / "slimmer" / "doetank.yaml"
    path.write_text(RECORD + "uitzonderingen: {DT004: Komt eraan}\n")
    assert run("waive", "slimmer", "DT011", "--reason", "Adviseurs: tijdelijk, tot 1 maart").exit_code == 0
    assert record(ws).endswith('uitzonderingen: {DT004: Komt eraan, DT011: "Adviseurs: tijdelijk, tot 1 maart"}\n')


# --------------------------------------------------------------------------- schema


def test_schema_prints_json_schema_with_a_dutch_description_of_every_field(run) -> None:
    schema = json.loads(run("schema").stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert schema["additionalProperties"] is False
    assert schema["properties"]["leden"]["description"] == "Het team: één trekker, de Doetankers en één coach."
    for name, model in [("Doetank", schema), *schema["$defs"].items()]:
        assert model.get("description"), name
        for field, sub in model.get("properties", {}).items():
            assert sub.get("description"), f"{name}.{field}"


def test_init_writes_the_schema_and_new_records_point_editors_at_it(ws: Workspace, run) -> None:
    assert json.loads((ws.root / "doetank.schema.json").read_text()) == json.loads(run("schema").stdout)
    assert "doetank.schema.json" in git(ws.root, "show", "--name-only", "--format=", "HEAD")
    assert run("new", "Nieuw", "--vraagstuk", "P", "--organisatie", "O").exit_code == 0
    assert (
        record(ws, "nieuw").splitlines()[0] == MODELINE == "# yaml-language-server: $schema=../../doetank.schema.json"
    )


def test_schema_write_brings_an_old_workspace_up_to_date_in_one_commit(ws: Workspace, run) -> None:
    (ws.root / "doetank.schema.json").write_text("{}\n")
    git(ws.root, "commit", "-qam", "oud schema")
    result = run("schema", "--write")
    assert result.exit_code == 0 and "written" in result.output
    assert git(ws.root, "show", "--name-only", "--format=", "HEAD").split() == ["doetank.schema.json"]
    assert "nothing changed" in run("schema", "--write").output


def test_new_in_a_workspace_without_the_schema_says_how_to_get_it(ws: Workspace, run) -> None:
    (ws.root / "doetank.schema.json").unlink()
    result = run("new", "Nieuw", "--vraagstuk", "P", "--organisatie", "O")
    assert result.exit_code == 0 and "doetank schema --write" in result.output
