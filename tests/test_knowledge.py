"""What the network learns: lessons from the notes and from stopped tanks, and search over every record and note."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import RECORD, REPO, build_tree, git

from doetank_cli import search
from doetank_cli.workspace import Workspace

LEREN = """\
# Slimmer vergaderen — 5. Leren

<!-- Doetanks leveren een schat aan ervaringen op: wat werkt, maar zeker ook wat niet werkt. -->

## Wat werkt

Een vaste besluitenlijst per overleg.

## Wat werkt niet

<!-- Wat werkte niet? -->
Staand vergaderen hield niemand vol.

## Wat we anders zouden doen (optioneel)

<!-- Als jullie opnieuw zouden beginnen: wat dan anders? -->
"""


def as_json(result) -> list[dict[str, str]]:
    assert result.exit_code == 0, result.output
    found: list[dict[str, str]] = json.loads(result.stdout)
    return found


# --------------------------------------------------------------------------- lessons


@pytest.fixture
def examples(ws: Workspace, run) -> Workspace:
    shutil.copytree(REPO / "tanks", ws.tanks, dirs_exist_ok=True)
    return ws


def test_the_example_tanks_teach_what_works_and_what_does_not(examples: Workspace, run) -> None:
    found = as_json(run("lessons", "--json"))
    assert {(x["tank"], x["fase"], x["soort"]) for x in found} >= {
        ("nieuwe-collegas-snel-op-weg", "leren", "werkt"),
        ("nieuwe-collegas-snel-op-weg", "leren", "werkt-niet"),
    }
    assert all(set(x) == {"tank", "fase", "soort", "tekst"} for x in found)
    werkt_niet = next(x for x in found if x["soort"] == "werkt-niet")
    assert werkt_niet["tekst"].startswith("Een toegangspas aanvragen vóór de eerste werkdag")
    shown = run("lessons").stdout
    assert "What does not work (leren)" in shown and "Een toegangspas aanvragen" in shown


def test_a_stopped_tank_teaches_why_it_stopped_in_the_phase_it_stopped(tank: str, run) -> None:
    assert (
        run("stop", tank, "--reason", "Het mandaat bleek bij de directie te liggen, niet bij het team").exit_code == 0
    )
    found = as_json(run("lessons", "--json"))
    assert found == [
        {
            "tank": "slimmer",
            "fase": "ontdekken",
            "soort": "gestopt",
            "tekst": "Het mandaat bleek bij de directie te liggen, niet bij het team",
        }
    ]


def test_lessons_leave_out_guidance_and_empty_sections_and_keep_the_note_order(ws: Workspace, run) -> None:
    build_tree(
        ws.root,
        {"tanks/slim/doetank.yaml": RECORD.replace("fase: ontdekken", "fase: leren"), "tanks/slim/05-leren.md": LEREN},
    )
    found = as_json(run("lessons", "--json"))
    assert [(x["soort"], x["tekst"]) for x in found] == [
        ("werkt", "Een vaste besluitenlijst per overleg."),
        ("werkt-niet", "Staand vergaderen hield niemand vol."),
    ]
    assert as_json(run("lessons", "--json", "--fase", "ontdekken")) == []
    assert len(as_json(run("lessons", "--json", "--fase", "leren"))) == 2


def test_no_lessons_is_said_in_words_and_as_an_empty_list(ws: Workspace, run) -> None:
    assert as_json(run("lessons", "--json")) == []
    assert "No lessons yet" in run("lessons").stdout


def test_a_record_that_does_not_read_is_named_and_the_rest_still_teach(examples: Workspace, run) -> None:
    build_tree(examples.root, {"tanks/kapot/doetank.yaml": "naam: X\nfase: nergens\n"})
    result = run("lessons", "--json")
    assert result.exit_code == 0
    assert "tanks/kapot/doetank.yaml could not be read" in result.stderr
    assert any(x["soort"] == "werkt-niet" for x in json.loads(result.stdout))


def test_an_edit_to_a_note_shows_in_the_lessons_at_once(ws: Workspace, run) -> None:
    record = RECORD.replace("fase: ontdekken", "fase: leren")
    build_tree(ws.root, {"tanks/slim/doetank.yaml": record, "tanks/slim/05-leren.md": LEREN})
    assert len(as_json(run("lessons", "--json"))) == 2
    note = ws.tanks / "slim" / "05-leren.md"
    note.write_text(LEREN.replace("<!-- Als jullie opnieuw zouden beginnen: wat dan anders? -->", "Eerder beginnen."))
    assert [x["soort"] for x in as_json(run("lessons", "--json"))] == ["werkt", "werkt-niet", "anders"]


# --------------------------------------------------------------------------- search


@pytest.fixture
def corpus(ws: Workspace) -> Workspace:
    """Three tanks: meetings in the name of one, meetings and forms in the notes of another, opinions in a third."""
    vergaderen = RECORD.replace("naam: Slimmer vergaderen", "naam: Minder vergaderingen bij Vergunningen")
    inwerken = RECORD.replace("naam: Slimmer vergaderen", "naam: Nieuwe collega's")
    peiling = RECORD.replace("naam: Slimmer vergaderen", "naam: Peiling").replace("Gemeente Utrecht", "Provincie X")
    peiling = peiling.replace("Gemeente Zeist", "Provincie Y")
    build_tree(
        ws.root,
        {
            "tanks/vergaderen/doetank.yaml": vergaderen,
            "tanks/inwerken/doetank.yaml": inwerken,
            "tanks/inwerken/01-ontdekken.md": "# Nieuwe collega's\n\n## De kern\n\nDe formulieren voor een pas "
            "liggen weken stil. In vergaderingen over de vergadering van de vergadering gaat het er nooit over.\n",
            "tanks/peiling/doetank.yaml": peiling,
            "tanks/peiling/01-ontdekken.md": "# Peiling\n\n## De kern\n\nDe mening van inwoners telt.\n",
        },
    )
    return ws


def hits(run, *words: str) -> list[tuple[str, str]]:
    return [(h["tank"], h["bestand"]) for h in as_json(run("search", *words, "--json"))]


def test_dutch_word_forms_find_each_other(corpus: Workspace, run) -> None:
    assert ("inwerken", "tanks/inwerken/01-ontdekken.md") in hits(run, "formulier")
    assert ("inwerken", "tanks/inwerken/01-ontdekken.md") in hits(run, "vergadering")
    assert ("vergaderen", "tanks/vergaderen/doetank.yaml") in hits(run, "vergadering")
    assert hits(run, "FORMULIEREN") == hits(run, "formulier")


def test_a_word_does_not_find_another_word_with_a_similar_stem(corpus: Workspace, run) -> None:
    assert search.stem("gemeente") != search.stem("mening")
    assert all(tank != "peiling" for tank, _ in hits(run, "gemeente"))
    assert hits(run, "mening") == [("peiling", "tanks/peiling/01-ontdekken.md")]


def test_a_hit_in_the_name_ranks_above_hits_in_notes(corpus: Workspace, run) -> None:
    found = hits(run, "vergadering")
    # the note says it three times, exactly; the name says it once, in another form: the name still comes first
    assert found[0] == ("vergaderen", "tanks/vergaderen/doetank.yaml")


def test_exact_words_rank_above_other_forms(ws: Workspace, run) -> None:
    build_tree(
        ws.root,
        {
            "tanks/a/doetank.yaml": RECORD.replace("Slimmer vergaderen", "Team A"),
            "tanks/a/01-ontdekken.md": "# A\n\n## De kern\n\nVeel vergaderen, vergaderen, vergaderen.\n",
            "tanks/b/doetank.yaml": RECORD.replace("Slimmer vergaderen", "Team B"),
            "tanks/b/01-ontdekken.md": "# B\n\n## De kern\n\nEén vergadering.\n",
        },
    )
    assert hits(run, "vergadering")[:2] == [("b", "tanks/b/01-ontdekken.md"), ("a", "tanks/a/01-ontdekken.md")]


def test_every_word_must_be_found_and_nonsense_finds_nothing(corpus: Workspace, run) -> None:
    assert hits(run, "formulier", "mening") == []
    result = run("search", "qwxzv", "--json")
    assert result.exit_code == 0 and result.stdout.strip() == "[]"
    assert run("search", "!!!", "--json").stdout.strip() == "[]"
    assert "Nothing found for 'qwxzv'" in run("search", "qwxzv").stdout


def test_a_fragment_shows_the_words_around_the_hit_without_guidance(ws: Workspace, run) -> None:
    build_tree(
        ws.root,
        {
            "tanks/a/doetank.yaml": RECORD,
            "tanks/a/01-ontdekken.md": "# A\n\n<!-- vergaderlast is een begrip uit het sjabloon -->\n\n## De kern\n\n"
            + "Lange inleiding. " * 20
            + "Het echte probleem is vergaderlast bij het team.\x1b[31m\n",
        },
    )
    found = as_json(run("search", "vergaderlast", "--json"))
    note = next(h for h in found if h["bestand"].endswith(".md"))
    assert "Het echte probleem is vergaderlast" in note["fragment"]
    assert note["fragment"].startswith("… ") and len(note["fragment"]) < 200
    assert "sjabloon" not in note["fragment"] and "\x1b" not in note["fragment"]
    assert all(h["fragment"] != "" for h in found)


def test_a_note_changed_a_moment_ago_is_searched_as_it_is_now(
    corpus: Workspace, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    note = corpus.tanks / "peiling" / "01-ontdekken.md"
    assert hits(run, "mening")
    old = search._key(str(note))
    assert old is not None
    text = note.read_text()
    note.write_text(text.replace("mening", "wensen"))  # the same size
    assert note.stat().st_size == old[2]
    real = search._key
    # a file system whose clock did not tick: the stat is what it was when the note was indexed
    monkeypatch.setattr(search, "_key", lambda path: old if path == str(note) else real(path))
    assert hits(run, "mening") == []
    assert hits(run, "wensen") == [("peiling", "tanks/peiling/01-ontdekken.md")]


def test_files_that_come_and_go_come_and_go_from_the_search(corpus: Workspace, run) -> None:
    assert hits(run, "mening")
    shutil.rmtree(corpus.tanks / "peiling")
    assert hits(run, "mening") == []
    build_tree(corpus.root, {"tanks/inwerken/02-onderzoeken.md": "# X\n\n## Theorie\n\nEen mening.\n"})
    assert hits(run, "mening") == [("inwerken", "tanks/inwerken/02-onderzoeken.md")]


def test_search_works_without_a_writable_index(corpus: Workspace, run) -> None:
    state = corpus.root / ".doetank"
    state.mkdir(exist_ok=True)
    for name in ("index.en.sqlite",):
        (state / name).write_bytes(b"this is not a database" * 100)
    assert hits(run, "mening") == [("peiling", "tanks/peiling/01-ontdekken.md")]


def test_links_out_of_the_workspace_are_not_searched(corpus: Workspace, run, tmp_path: Path) -> None:
    secret = tmp_path / "geheim.md"
    secret.write_text("# G\n\n## De kern\n\nHet wachtwoord is zwaardvis.\n")
    (corpus.tanks / "peiling" / "02-onderzoeken.md").symlink_to(secret)
    assert hits(run, "zwaardvis") == []


def test_search_reads_a_committed_workspace_like_any_other(corpus: Workspace, run) -> None:
    git(corpus.root, "add", "tanks")
    git(corpus.root, "commit", "-qm", "tanks")
    assert hits(run, "mening") == [("peiling", "tanks/peiling/01-ontdekken.md")]
