"""Bad input, tried for real through the command line: a clear sentence (file, line, key), the right exit code, no
traceback, and no file rewritten. docs/reliability.md lists these cases and names the test of each."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from conftest import RECORD, build_tree, git

from doetank_cli.workspace import Workspace

BILLION_LAUGHS = (
    "naam: X\nfase: ontdekken\n"
    + "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    + "".join(f"a{i}: &a{i} [{', '.join(f'*a{i - 1}' for _ in range(9))}]\n" for i in range(1, 12))
)

# id, the bytes of doetank.yaml, the exit code, what the message must say
BAD_RECORDS = [
    ("yaml-syntax", b"naam: X\nfase: ontdekken\nleden: [\n", 3, "tanks/slimmer/doetank.yaml:4:"),
    (
        "wrong-type",
        RECORD.replace("publiek\nleden:", "publiek\nleden: 5\nx:").encode(),
        3,
        "tanks/slimmer/doetank.yaml:",
    ),
    (
        "wrong-type-nested",
        RECORD.replace("einddatum: 2027-06-30", "einddatum: [2027]").encode(),
        3,
        "richtlijn.einddatum",
    ),
    (
        "unknown-key",
        RECORD.replace("herkomst:", "herkomt:").encode(),
        3,
        "unknown key 'herkomt' (did you mean 'herkomst'?)",
    ),
    ("missing-key", b"naam: X\nstatus: actief\n", 3, "required key 'fase' is missing"),
    (
        "duplicate-key",
        RECORD.replace("status: actief", "status: actief\nstatus: gestopt").encode(),
        3,
        "doetank.yaml:3: found duplicate key",
    ),
    ("empty-file", b"", 3, "tanks/slimmer/doetank.yaml is empty"),
    ("only-a-comment", b"# nog invullen\n", 3, "is empty"),
    ("a-list", b"- naam: X\n- fase: ontdekken\n", 3, "holds a list, not a mapping"),
    ("a-scalar", b"Slimmer vergaderen\n", 3, "not a mapping"),
    (
        "non-utf8",
        RECORD.replace("Karin Jansen", "Karin J\udce9nsen").encode("utf-8", "surrogateescape"),
        3,
        "doetank.yaml:10: the file is not UTF-8",
    ),
    ("tab-indent", RECORD.replace("  probleem:", "\tprobleem:").encode(), 3, "doetank.yaml:5:"),
    (
        "tab-in-plain-text",
        RECORD.replace("Overleggen leveren", "Overleggen\tleveren").encode(),
        3,
        "Line 5 holds a tab",
    ),
    ("alias-bomb", BILLION_LAUGHS.encode(), 3, "anchors and aliases"),
    ("python-tag", b"naam: !!python/object/apply:os.system ['touch PWNED']\nfase: ontdekken\n", 3, "doetank.yaml:1:"),
    ("other-tag", b"naam: !vault geheim\nfase: ontdekken\n", 3, "doetank.yaml:1:"),
    ("huge-file", b"naam: X\nfase: ontdekken\n" + b"# " + b"x" * 2_000_000 + b"\n", 3, "too large for a tank record"),
    (
        "control-character",
        RECORD.replace("# the team as it started", "# the team \x1b]0;X\x07 as it started").encode(),
        3,
        "doetank.yaml:14: the file holds the control character U+001B",
    ),
    ("yaml-version", b"%YAML 1.1\n---\n" + RECORD.encode(), 3, "doetank.yaml:1: the record says it is YAML 1.1"),
    (
        "bad-date",
        RECORD.replace("einddatum: 2027-06-30", "einddatum: 2027-02-30").encode(),
        3,
        "'2027-02-30' is not a date",
    ),
    (
        "words-for-a-date",
        RECORD.replace("{datum: 2026-11-20, locatie", "{datum: volgende week, locatie").encode(),
        3,
        "kickoff.datum: not a date",
    ),
    (
        "datetime-for-a-date",
        RECORD.replace("einddatum: 2027-06-30", "einddatum: 2027-06-30 10:00:00").encode(),
        3,
        "a date without a time",
    ),
    (
        "unknown-fase",
        RECORD.replace("fase: ontdekken\n", "fase: ontdekking\n", 1).encode(),
        3,
        "doetank.yaml:3: fase: should be 'ontdekken'",
    ),
    ("unknown-rol", RECORD.replace("rol: coach", "rol: begeleider").encode(), 3, "leden[3].rol"),
    ("unknown-sector", RECORD.replace("sector: extern", "sector: prive").encode(), 3, "leden[3].sector"),
    (
        "conflict-markers",
        RECORD.replace(
            "status: actief", "<<<<<<< HEAD\nstatus: actief\n=======\nstatus: gestopt\n>>>>>>> theirs"
        ).encode(),
        3,
        "unresolved git merge conflict",
    ),
]


def record_path(ws: Workspace) -> Path:
    return ws.tanks / "slimmer" / "doetank.yaml"


@pytest.mark.parametrize(("data", "code", "says"), [c[1:] for c in BAD_RECORDS], ids=[c[0] for c in BAD_RECORDS])
def test_a_bad_record_is_a_clear_sentence_and_is_never_rewritten(
    ws: Workspace, run, tank: str, data: bytes, code: int, says: str
) -> None:
    build_tree(ws.root, {"tanks/goed/doetank.yaml": RECORD})
    record_path(ws).write_bytes(data)
    started = time.perf_counter()
    for args in (
        ["check"],
        ["status", "--json"],
        ["status", "slimmer"],
        ["vraagstuk", "slimmer", "--groter-vraagstuk", "Anders"],
        ["advance", "slimmer"],
    ):
        result = run(*args)
        assert result.exit_code == code, (args, result.output)
        assert says in result.output, (args, result.output)
        assert "Traceback" not in result.output
    assert time.perf_counter() - started < 10  # refused quickly, even the alias bomb and the huge file
    assert record_path(ws).read_bytes() == data
    assert "goed" in run("status").output  # one bad file does not hide the others
    assert not (ws.root / "PWNED").exists()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("bom", b"\xef\xbb\xbf" + RECORD.encode()),
        ("crlf", RECORD.replace("\n", "\r\n").encode()),
        ("bom-and-crlf", b"\xef\xbb\xbf" + RECORD.replace("\n", "\r\n").encode()),
        (
            "tab-inside-quotes",
            RECORD.replace(
                "Overleggen leveren zelden besluiten op", '"Overleggen\tleveren zelden besluiten op"'
            ).encode(),
        ),
    ],
)
def test_a_bom_crlf_or_tab_in_text_simply_works_and_keeps_its_bom(
    ws: Workspace, run, tank: str, name: str, data: bytes
) -> None:
    record_path(ws).write_bytes(data)
    assert run("check").exit_code == 0
    result = run("vraagstuk", "slimmer", "--groter-vraagstuk", "Hoe besluiten we sneller?")
    assert result.exit_code == 0, result.output
    after = record_path(ws).read_bytes()
    assert b"groter_vraagstuk: Hoe besluiten we sneller?" in after
    assert after.startswith(b"\xef\xbb\xbf") == data.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in after  # written with \n: .gitattributes keeps it so in every checkout


def test_a_missing_note_blocks_advance_with_the_command_that_makes_it(ws: Workspace, run, tank: str) -> None:
    (ws.tanks / "slimmer" / "01-ontdekken.md").unlink()
    result = run("advance", "slimmer")
    assert (
        result.exit_code == 1
        and "The note tanks/slimmer/01-ontdekken.md is missing" in result.output
        and "doetank edit slimmer" in result.output
    )


def test_an_empty_note_lists_every_empty_section(ws: Workspace, run, tank: str) -> None:
    (ws.tanks / "slimmer" / "01-ontdekken.md").write_text("")
    result = run("advance", "slimmer")
    assert result.exit_code == 1
    assert all(section in result.output for section in ("De kern", "Waarom is het een probleem", "áchter het probleem"))


def test_a_note_that_is_a_folder_is_a_clear_error(ws: Workspace, run, tank: str) -> None:
    note = ws.tanks / "slimmer" / "01-ontdekken.md"
    note.unlink()
    note.mkdir()
    result = run("advance", "slimmer")
    assert result.exit_code == 3 and "tanks/slimmer/01-ontdekken.md is a folder, not a file" in result.output


def test_a_loose_file_in_tanks_is_named_and_not_taken_for_a_tank(ws: Workspace, run, tank: str) -> None:
    build_tree(ws.root, {"tanks/notities.txt": "los bestand", "tanks/Geen Slug/doetank.yaml": RECORD})
    result = run("status", "--json")
    assert result.exit_code == 0
    assert [t["slug"] for t in json.loads(result.stdout)] == ["slimmer"]
    assert "tanks/notities.txt is not a tank folder" in result.stderr
    assert "tanks/Geen Slug is not a tank folder" in result.stderr


def test_a_symlinked_tank_pointing_outside_the_workspace_is_refused_by_name(
    ws: Workspace, run, tank: str, tmp_path: Path
) -> None:
    outside = build_tree(tmp_path / "elders", {"doetank.yaml": RECORD})
    (ws.tanks / "buiten").symlink_to(outside, target_is_directory=True)
    for args in (["status", "--json"], ["check"], ["status", "buiten"], ["vraagstuk", "buiten", "--probleem", "X"]):
        result = run(*args)
        assert result.exit_code == 3, (args, result.output)
        assert "tanks/buiten is a link to" in result.output and "outside tanks" in result.output
    assert (outside / "doetank.yaml").read_text() == RECORD


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["new", "", "--vraagstuk", "P", "--organisatie", "O"], "Missing argument 'NAAM'."),
        (["new", "?!...", "--vraagstuk", "P", "--organisatie", "O"], "no letters or digits"),
        (["new", "-x", "--vraagstuk", "P", "--organisatie", "O"], "No such option"),
        (["status", "../../etc"], "There is no tank '../../etc'"),
        (["status", "slimmer/../../x"], "There is no tank"),
        (["status", "a\x00b"], "control character (\\x00 at position 2)"),
        (["stop", "", "--reason", "x"], "TANK is empty"),
        (["stop", " ", "--reason", "x"], "TANK is empty"),
        (["vraagstuk", "..", "--probleem", "X"], "There is no tank '..'"),
        (
            ["member", "add", "slimmer", "", "--rol", "doetanker", "--organisatie", "O", "--sector", "publiek"],
            "A member needs a name",
        ),
    ],
)
def test_bad_names_and_slugs_are_usage_errors_that_touch_nothing(
    ws: Workspace, run, tank: str, args: list[str], says: str
) -> None:
    before = record_path(ws).read_bytes()
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert says in result.output and "Traceback" not in result.output
    assert record_path(ws).read_bytes() == before
    assert sorted(p.name for p in ws.tanks.iterdir()) == [".gitkeep", "slimmer"]


def test_a_very_long_name_gets_a_short_slug_and_keeps_its_full_name(ws: Workspace, run) -> None:
    naam = "Een heel lange naam " * 20
    result = run("new", naam, "--vraagstuk", "P", "--organisatie", "O")
    assert result.exit_code == 0, result.output
    (slug,) = [p.name for p in ws.tanks.iterdir() if p.is_dir()]
    assert len(slug) <= 60 and slug.startswith("een-heel-lange-naam")
    assert json.loads(run("status", slug, "--json").stdout)["naam"] == naam.strip()
    assert git(ws.root, "status", "--porcelain") == ""
