"""Changing a member in place, renaming a tank, marking the one open consult held: no YAML editing needed."""

from __future__ import annotations

import re

import pytest
from conftest import build_tree, git

from doetank_cli import lifecycle
from doetank_cli.errors import RulesError, UsageError
from doetank_cli.vocab import Rol, Sector
from doetank_cli.workspace import Workspace


def record(ws: Workspace, slug: str = "slimmer") -> str:
    return (ws.tanks / slug / "doetank.yaml").read_text()


def test_member_set_changes_one_member_in_place_and_keeps_comments(ws: Workspace, run, tank: str) -> None:
    result = run("member", "set", "slim", "bram peters", "--organisatie", "UWV", "--sector", "extern")
    assert result.exit_code == 0, result.output
    text = record(ws)
    assert "  - {naam: Bram Peters, rol: doetanker, organisatie: UWV, sector: extern}\n" in text
    assert "  # the team as it started\n" in text
    assert text.index("Anna de Vries") < text.index("Bram Peters") < text.index("Dirk Jansen")
    assert "Doetank-Command: member set" in git(ws.root, "log", "-1", "--format=%B")


def test_member_set_renames_a_member_and_refuses_a_name_already_in_the_team(ws: Workspace, run, tank: str) -> None:
    assert run("member", "set", "slim", "Bram Peters", "--naam", "Bram Pieters").exit_code == 0
    assert "{naam: Bram Pieters, rol: doetanker" in record(ws)
    before = record(ws)
    clash = run("member", "set", "slim", "Bram Pieters", "--naam", "anna de vries")
    assert clash.exit_code == 2 and "Anna de Vries is already in tank slimmer" in clash.output
    assert record(ws) == before


def test_member_set_keeps_one_trekker_and_says_how_to_make_room(ws: Workspace, run, tank: str) -> None:
    result = run("member", "set", "slim", "Bram Peters", "--rol", "trekker")
    assert result.exit_code == 1
    assert "DT012" in result.output and 'doetank member set slimmer "Anna de Vries" --rol doetanker' in result.output
    assert run("member", "set", "slim", "Anna de Vries", "--rol", "doetanker").exit_code == 0
    assert run("member", "set", "slim", "Bram Peters", "--rol", "trekker").exit_code == 0
    assert "{naam: Bram Peters, rol: trekker" in record(ws)


def test_member_set_names_the_team_when_the_member_is_unknown_and_needs_a_change(ws: Workspace, tank: str) -> None:
    with pytest.raises(UsageError, match=re.escape("Eva is not in the team of slimmer (members: Anna de Vries")):
        lifecycle.member_set(ws, "slim", "Eva", rol=Rol.coach)
    with pytest.raises(UsageError, match="Give at least one of"):
        lifecycle.member_set(ws, "slim", "Bram Peters")
    with pytest.raises(RulesError):
        lifecycle.member_set(ws, "slim", "Dirk Jansen", rol=Rol.coach, sector=Sector.extern)


def test_rename_moves_the_folder_in_one_commit_that_git_sees_as_a_rename(ws: Workspace, run, tank: str) -> None:
    build_tree(ws.root, {"tanks/slimmer/kladje.txt": "nog niet klaar"})  # the user's own, untracked
    result = run("rename", "slim", "Sneller besluiten!")
    assert result.exit_code == 0, result.output
    assert not (ws.tanks / "slimmer").exists()
    assert "naam: Sneller besluiten!\n" in record(ws, "sneller-besluiten")
    assert "status: actief                    # actief | afgerond | gestopt" in record(ws, "sneller-besluiten")
    note = (ws.tanks / "sneller-besluiten" / "01-ontdekken.md").read_text()
    assert note.startswith("# Slimmer vergaderen\n")  # a title a person wrote is theirs: unchanged
    stat = git(ws.root, "show", "--stat", "--format=%B", "-M", "HEAD")
    assert "Doetank-Command: rename" in stat and "Doetank-Renamed-From: slimmer" in stat
    assert "tanks/{slimmer => sneller-besluiten}/doetank.yaml" in stat
    assert "tanks/{slimmer => sneller-besluiten}/01-ontdekken.md" in stat
    assert "kladje" not in stat and (ws.tanks / "sneller-besluiten" / "kladje.txt").exists()
    assert git(ws.root, "status", "--porcelain") == "?? tanks/sneller-besluiten/kladje.txt\n"
    assert run("status", "sneller").exit_code == 0


def test_rename_gives_a_template_title_the_new_name(ws: Workspace, run) -> None:
    assert run("new", "Slimmer", "--vraagstuk", "P", "--organisatie", "O").exit_code == 0
    assert run("rename", "slimmer", "Beter vergaderen").exit_code == 0
    note = (ws.tanks / "beter-vergaderen" / "01-ontdekken.md").read_text()
    assert note.startswith("# Beter vergaderen — 1. Ontdekken\n")
    assert git(ws.root, "status", "--porcelain") == ""


def test_rename_refuses_a_taken_slug_and_changes_nothing(ws: Workspace, run, tank: str) -> None:
    assert run("new", "Ander werk", "--vraagstuk", "P", "--organisatie", "O").exit_code == 0
    before = record(ws)
    head = git(ws.root, "rev-parse", "HEAD")
    result = run("rename", "slim", "Ander werk")
    assert result.exit_code == 2 and "ander-werk" in result.output and "already exists" in result.output
    assert record(ws) == before and git(ws.root, "rev-parse", "HEAD") == head
    assert run("rename", "slim", "!!!").exit_code == 2


def test_rename_to_the_same_slug_changes_only_the_name(ws: Workspace, run, tank: str) -> None:
    result = run("rename", "slim", "Slimmer")
    assert result.exit_code == 0, result.output
    assert "naam: Slimmer\n" in record(ws)
    assert run("rename", "slim", "Slimmer").output.strip() == "slimmer: nothing changed"


def test_rename_without_git_moves_the_folder(tmp_path) -> None:
    ws = Workspace(tmp_path)
    build_tree(tmp_path, {"tanks/oud/doetank.yaml": "naam: Oud\nfase: ontdekken\n"})
    change = lifecycle.rename(ws, "oud", "Nieuw")
    assert change.slug == "nieuw" and (tmp_path / "tanks" / "nieuw" / "doetank.yaml").read_text().startswith(
        "naam: Nieuw\n"
    )


def test_consult_held_picks_the_one_open_consult(ws: Workspace, run, tank: str) -> None:
    assert run("consult", "slim", "--expert", "Dr. E. Visser", "--vraag", "Wat zegt onderzoek?").exit_code == 0
    result = run("consult", "slim", "--held")
    assert result.exit_code == 0, result.output
    assert "consult with Dr. E. Visser held on 28 November 2026" in result.output
    assert "status: gehouden" in record(ws) or "status: gehouden," in record(ws)
    none_left = run("consult", "slim", "--held")
    assert none_left.exit_code == 2 and "no open consult" in none_left.output


def test_consult_held_lists_the_open_consults_when_there_are_several(ws: Workspace, run, tank: str) -> None:
    assert run("consult", "slim", "--expert", "Visser", "--vraag", "Vraag een").exit_code == 0
    assert run("consult", "slim", "--expert", "Jansen", "--vraag", "Vraag twee").exit_code == 0
    before = record(ws)
    result = run("consult", "slim", "--held")
    assert result.exit_code == 2
    assert "2 open consults (Visser: Vraag een; Jansen: Vraag twee)" in result.output and "--expert" in result.output
    assert record(ws) == before
    assert run("consult", "slim", "--held", "--expert", "jansen").exit_code == 0
    assert run("consult", "slim", "--held").exit_code == 0  # now only Visser's is open
