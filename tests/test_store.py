from pathlib import Path

import pytest
from conftest import RECORD, REPO

from doetank_cli import store
from doetank_cli.errors import DataError
from doetank_cli.model import KEY_ORDER


def _write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "doetank.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


@pytest.mark.parametrize("record", sorted((REPO / "tanks").glob("*/doetank.yaml")), ids=lambda p: p.parent.name)
def test_example_records_round_trip_byte_for_byte(record: Path) -> None:
    doc = store.load_document(record, "x")
    assert doc.dump() == record.read_text(encoding="utf-8")


def test_saving_an_unchanged_record_writes_nothing(tmp_path: Path) -> None:
    path = _write(tmp_path, RECORD)
    before = path.stat().st_mtime_ns
    assert store.save(store.load_document(path, "x")) is False
    assert path.stat().st_mtime_ns == before


def test_a_change_keeps_every_comment_quote_and_the_key_order(tmp_path: Path) -> None:
    path = _write(tmp_path, RECORD)
    doc = store.load_document(path, "x")
    store.append_item(doc, "leden", {"naam": "Eva", "rol": "doetanker", "organisatie": "UWV", "sector": "publiek"})
    store.set_key(doc.data, "kanaal", "linkedin", KEY_ORDER)
    assert store.save(doc)
    text = path.read_text()
    for line in RECORD.splitlines():
        assert line in text  # nothing the person wrote is lost or re-quoted
    assert "  - {naam: Eva, rol: doetanker, organisatie: UWV, sector: publiek}\n" in text
    assert text.index("herkomst:") < text.index("kanaal: linkedin") < text.index("opdrachtgever:")


def test_a_four_space_file_keeps_its_indentation_when_changed(tmp_path: Path) -> None:
    text = "naam: X\nfase: ontdekken\nvraagstuk:\n    probleem: P\nleden:\n-   naam: A\n    rol: trekker\n"
    path = _write(tmp_path, text)
    doc = store.load_document(path, "x")
    store.set_key(doc.data, "status", "actief", KEY_ORDER)
    store.save(doc)
    assert (
        path.read_text() == "naam: X\nstatus: actief\nfase: ontdekken\nvraagstuk:\n    probleem: "
        "P\nleden:\n-   naam: A\n    rol: trekker\n"
    )


@pytest.mark.parametrize(
    "value", ["https://example.nl/a?b=c", "Wat zegt onderzoek?", "a: b, c", "#hashtag", "- lijst", "x' y\""]
)
def test_text_with_yaml_punctuation_survives_a_flow_item(tmp_path: Path, value: str) -> None:
    path = _write(tmp_path, RECORD)
    doc = store.load_document(path, "x")
    store.append_item(doc, "consulten", {"expert": "Els", "vraag": value, "status": "aangevraagd"})
    store.save(doc)
    assert store.load_record(path, "x").consulten[0].vraag == value


@pytest.mark.parametrize("ending", ["\r\n", "\r"], ids=["windows", "old-mac"])
def test_a_record_with_any_line_ending_loads_and_is_written_with_newlines_changing_only_the_changed_line(
    tmp_path: Path, ending: str
) -> None:
    path = _write(tmp_path, RECORD.replace("\n", ending))
    doc = store.load_document(path, "x")
    assert doc.model.naam == "Slimmer vergaderen"
    store.set_key(doc.data["vraagstuk"], "organisatie", "Gemeente Zeist")
    store.save(doc)
    raw = path.read_bytes()
    assert b"\r" not in raw  # ruamel keeps a \r on comment lines of a CRLF file when it is given one
    expected = RECORD.replace("organisatie: Gemeente Utrecht\n  groter", "organisatie: Gemeente Zeist\n  groter")
    assert raw.decode() == expected


def test_a_bom_is_accepted(tmp_path: Path) -> None:
    path = _write(tmp_path, b"\xef\xbb\xbf" + RECORD.encode())
    assert store.load_record(path, "x").naam == "Slimmer vergaderen"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("naam: X\nfase: ontdekken\nleden: [\n", "x:4:"),
        ("naam: X\nfase: ontdekken\nfase: leren\n", "x:3: found duplicate key"),
        ("naam: X\nfase: ontdekken\nstatuss: actief\n", "x:3: unknown key 'statuss' (did you mean 'status'?)"),
        ("naam: X\n", "required key 'fase' is missing"),
        ("naam: X\nfase: ontdekken\nleden:\n  - {naam: A, rol: baas}\n", "x:4: leden[0].rol:"),
        ("naam: X\nfase: ontdekken\nkickoff: {datum: 2026-13-45, locatie: K}\n", "x:3: '2026-13-45' is not a date"),
        ("naam: X\nfase: ontdekken\nkickoff: {datum: morgen, locatie: K}\n", "x:3: kickoff.datum: not a date"),
        ("naam: X\nfase: later\n", "x:2: fase:"),
        ("", "is empty"),
        ("- naam: X\n", "holds a list, not a mapping"),
        (
            "naam: X\n<<<<<<< HEAD\nfase: leren\n=======\nfase: leren\n>>>>>>> other\n",
            "x:2: the file holds an unresolved git merge conflict",
        ),
        ("naam: !!python/object/apply:os.system [echo hi]\nfase: ontdekken\n", "x:1:"),
    ],
)
def test_bad_records_name_file_line_and_key(tmp_path: Path, text: str, expected: str) -> None:
    path = _write(tmp_path, text)
    for load in (store.load_record, store.load_document):
        with pytest.raises(DataError) as caught:
            load(path, "x")
        assert expected in caught.value.message


def test_non_utf8_bytes_are_a_clear_error(tmp_path: Path) -> None:
    path = _write(tmp_path, b"naam: X\nfase: ontdekken\nvraagstuk:\n  probleem: caf\xe9\n")
    with pytest.raises(DataError, match=r"x:4: the file is not UTF-8"):
        store.load_record(path, "x")


def test_a_folder_where_the_record_should_be_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "doetank.yaml").mkdir()
    with pytest.raises(DataError, match="is a folder"):
        store.load_record(tmp_path / "doetank.yaml", "x")


def test_write_new_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text("mijn tekst")
    assert store.write_new(path, "template") is False
    assert path.read_text() == "mijn tekst"


def test_atomic_write_leaves_no_temp_files_and_keeps_the_mode(tmp_path: Path) -> None:
    path = _write(tmp_path, RECORD)
    path.chmod(0o600)
    store.atomic_write(path, "naam: Y\n")
    assert path.read_text() == "naam: Y\n"
    assert path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["doetank.yaml"]
