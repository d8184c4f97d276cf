"""Working together: a bare repository as the team's server and two or three clones, each syncing as people do.
After the syncs every clone holds every change that was not a true clash, and nothing is lost in any case."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from conftest import Clone, git

from doetank_cli import merge

pytestmark = pytest.mark.e2e


def test_without_a_remote_sync_says_who_can_connect_one(ws, run) -> None:
    result = run("sync")
    assert result.exit_code == 4 and "not connected to the team's server" in result.output
    assert "Ask whoever set up this workspace" in result.output and "git remote" not in result.output


def test_init_registers_the_merge_driver(team: tuple[Clone, Clone, Clone]) -> None:
    anna, bram, _sanne = team
    assert "tanks/*/doetank.yaml merge=doetank" in (anna.root / ".gitattributes").read_text()
    for clone in (anna, bram):
        assert "merge-file %O %A %B %P" in git(clone.root, "config", "merge.doetank.driver")


def test_new_tanks_on_two_laptops_reach_everyone(team: tuple[Clone, Clone, Clone]) -> None:
    anna, bram, sanne = team
    anna("new", "Archiveren aan de bron", "--vraagstuk", "Dossiers ongeordend", "--organisatie", "Waterschap")
    bram(
        "new", "Nieuwe collega's snel op weg", "--vraagstuk", "Drie weken wachten op een laptop", "--organisatie", "UWV"
    )
    anna("sync")
    synced = bram("sync")
    assert (
        "+ archiveren-aan-de-bron (new, in ontdekken)" in synced.output
        and "nieuwe-collegas-snel-op-weg" in synced.output
    )
    anna("sync")
    sanne("sync")
    for clone in (anna, bram, sanne):
        assert clone.slugs() == ["archiveren-aan-de-bron", "nieuwe-collegas-snel-op-weg", "slimmer-vergaderen"]


def test_different_fields_of_one_tank_merge_field_by_field_with_comments_kept(team: tuple[Clone, Clone, Clone]) -> None:
    anna, bram, sanne = team
    path = anna.root / "tanks" / "slimmer-vergaderen" / "doetank.yaml"
    path.write_text(path.read_text().replace("leden:\n", "leden:\n  # we beginnen klein\n", 1))
    anna("member", "add", "slim", "Eva Jansen", "--rol", "doetanker", "--organisatie", "UWV", "--sector", "publiek")
    anna("kickoff", "slim", "--datum", "2026-11-20", "--locatie", "Kennisland")
    bram("member", "add", "slim", "Cor Smit", "--rol", "coach", "--organisatie", "Kennisland", "--sector", "extern")
    bram("update", "slim", "--kanaal", "blog", "--url", "https://slimmernetwerk.nl/slimmer")
    bram("plan", "slim", "--einddatum", "2027-06-30")
    anna("sync")
    bram("sync")
    anna("sync")
    sanne("sync")
    assert anna.record("slimmer-vergaderen") == bram.record("slimmer-vergaderen") == sanne.record("slimmer-vergaderen")
    tank = sanne.tank("slimmer-vergaderen")
    assert {lid.naam for lid in tank.leden} == {"Anna de Vries", "Eva Jansen", "Cor Smit"}
    assert tank.kickoff is not None and tank.richtlijn.einddatum is not None and len(tank.updates) == 1
    assert "# we beginnen klein" in sanne.record("slimmer-vergaderen")
    assert merge.CONFLICT_TAG not in sanne.record("slimmer-vergaderen")


def test_the_same_field_changed_twice_stops_keeps_both_values_and_finishes_when_decided(
    team: tuple[Clone, Clone, Clone],
) -> None:
    anna, bram, _sanne = team
    anna("plan", "slim", "--einddatum", "2027-05-31")
    bram("plan", "slim", "--einddatum", "2027-04-30")
    anna("sync")
    stopped = bram("sync", code=4)
    assert "tanks/slimmer-vergaderen/doetank.yaml" in stopped.output
    assert re.search(r"richtlijn.einddatum: yours 2027-04-30  \(Bram, .*\), server 2027-05-31  \(Anna,", stopped.output)
    assert "doetank resolve" in stopped.output
    text = bram.record("slimmer-vergaderen")
    assert "einddatum: 2027-04-30" in text and "server 2027-05-31" in text  # both values, visibly
    bram.tank("slimmer-vergaderen")  # still a record: no <<<<<<< in tanks/
    assert "UU tanks/slimmer-vergaderen/doetank.yaml" in git(bram.root, "status", "--porcelain")
    again = bram("sync", code=4)  # nothing goes further until a person decides
    assert "needs you" in again.output
    bram("resolve", "--theirs")  # Bram decides for Anna's date; resolve finishes the sync
    anna("sync")
    assert str(anna.tank("slimmer-vergaderen").richtlijn.einddatum) == "2027-05-31"
    assert anna.record("slimmer-vergaderen") == bram.record("slimmer-vergaderen")
    assert merge.CONFLICT_TAG not in anna.record("slimmer-vergaderen")


def test_two_tanks_with_one_slug_are_both_kept(team: tuple[Clone, Clone, Clone]) -> None:
    anna, bram, _sanne = team
    anna("new", "Samen roosteren", "--vraagstuk", "Roosters per team", "--organisatie", "Gemeente Zwolle")
    bram(
        "new",
        "Samen roosteren",
        "--vraagstuk",
        "Roosters voor de hele provincie",
        "--organisatie",
        "Provincie Gelderland",
    )
    anna("sync")
    synced = bram("sync")
    assert "yours is now 'samen-roosteren-2'" in synced.output
    anna("sync")
    for clone in (anna, bram):
        assert clone.tank("samen-roosteren").vraagstuk.organisatie == "Gemeente Zwolle"
        assert clone.tank("samen-roosteren-2").vraagstuk.organisatie == "Provincie Gelderland"


def test_a_clash_in_a_note_keeps_both_versions_and_resolve_keeps_both_by_default(
    team: tuple[Clone, Clone, Clone],
) -> None:
    anna, bram, _sanne = team
    note = "tanks/slimmer-vergaderen/01-ontdekken.md"
    for clone, text in ((anna, "Volgens Anna: te veel agendapunten."), (bram, "Volgens Bram: niemand besluit.")):
        path = clone.root / note
        path.write_text(path.read_text().replace("## De kern\n", f"## De kern\n\n{text}\n", 1))
    anna("sync")
    stopped = bram("sync", code=4)
    assert note in stopped.output and "both versions of the note" in stopped.output
    merged = (bram.root / note).read_text()
    assert "<<<<<<<" in merged and "Volgens Anna" in merged and "Volgens Bram" in merged
    bram("resolve")  # no terminal, no choice: a note keeps both versions
    anna("sync")
    text = (anna.root / note).read_text()
    assert "Volgens Anna" in text and "Volgens Bram" in text and "<<<<<<<" not in text


def test_uncommitted_edits_are_committed_first_and_never_lost(team: tuple[Clone, Clone, Clone]) -> None:
    anna, bram, _sanne = team
    path = bram.root / "tanks" / "slimmer-vergaderen" / "doetank.yaml"
    path.write_text(path.read_text().replace("groter_vraagstuk", "groter_vraagstuk") + "publiek: false\n")
    synced = bram("sync")
    assert "Your edits, saved first:" in synced.output and "slimmer-vergaderen: doetank.yaml" in synced.output
    anna("sync")
    assert anna.tank("slimmer-vergaderen").publiek is False


def test_undo_reverts_the_last_change_and_warns_once_it_was_shared(team: tuple[Clone, Clone, Clone]) -> None:
    anna, _bram, _sanne = team
    before = anna.record("slimmer-vergaderen")
    anna("member", "add", "slim", "Eva Jansen", "--rol", "doetanker", "--organisatie", "UWV", "--sector", "publiek")
    undone = anna("undo")
    assert (
        "Undone: slimmer-vergaderen: Eva Jansen joined as doetanker" in undone.output
        and "already shared" not in undone.output
    )
    assert anna.record("slimmer-vergaderen") == before
    assert git(anna.root, "log", "-1", "--format=%s").startswith("doetank undo:")
    anna("plan", "slim", "--einddatum", "2027-06-30")
    anna("sync")
    shared = anna("undo")
    assert "already shared" in shared.output
    assert anna.tank("slimmer-vergaderen").richtlijn.einddatum is None


def test_log_without_a_tank_shows_the_network(team: tuple[Clone, Clone, Clone]) -> None:
    anna, bram, _sanne = team
    bram("new", "Archiveren aan de bron", "--vraagstuk", "Dossiers ongeordend", "--organisatie", "Waterschap")
    bram("sync")
    anna("sync")
    shown = anna("log").output
    assert "archiveren-aan-de-bron" in shown and "slimmer-vergaderen" in shown and "started in" in shown


def test_a_changed_field_is_told_in_peoples_words_not_the_records() -> None:
    """sync's summary: where a change is by the record's keys and an item's name, its values as people write them."""
    from doetank_cli import merge
    from doetank_cli.sync import field_words, value_words

    old: dict[str, Any] = {
        "publiek": True,
        "leden": [{"naam": "Eva Jansen", "rol": "doetanker"}],
        "richtlijn": {"einddatum": date(2027, 6, 30)},
        "consulten": [{"expert": "Cor", "vraag": "Hoe?", "datum": "2026-11-02"}],
    }
    new: dict[str, Any] = {
        "publiek": False,
        "leden": [{"naam": "Eva Jansen", "rol": "coach"}],
        "richtlijn": {"einddatum": None},
        "consulten": [
            {"expert": "Cor", "vraag": "Hoe?", "datum": "2026-11-02"},
            {"expert": "Cor", "vraag": "Hoe?", "datum": "2026-11-02"},
        ],
    }
    old["kickoff"] = {"datum": date(2026, 11, 20), "locatie": "Kennisland"}
    new["richtlijn"]["fases"] = {"onderzoeken": date(2027, 1, 15)}
    new["uitzonderingen"] = {"DT031": "De opdrachtgever gaf ons tot maart"}
    told = {field_words(c.steps, c.label): (value_words(c.old), value_words(c.new)) for c in merge.changes(old, new)}
    assert told == {
        "public": ("yes", "no"),
        "rol of member Eva Jansen": ("doetanker", "coach"),
        "end date": ("30 June 2027", "(empty)"),
        "consult with Cor (Hoe?) (2)": ("(removed)", "{expert: Cor, vraag: Hoe?, datum: 2026-11-02}"),
        "kickoff date": ("20 November 2026", "(removed)"),
        "kickoff location": ("Kennisland", "(removed)"),
        "target date for onderzoeken": ("(removed)", "15 January 2027"),
        "waiver of DT031": ("(removed)", "De opdrachtgever gaf ons tot maart"),
    }
