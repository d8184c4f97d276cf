"""The dashboard as a sheet: CSV (RFC 4180, UTF-8) for scripts, and an Excel workbook for the coordinator.

Both have exactly the columns of `status --json`, one row per tank. openpyxl is imported only for a workbook.
Names come from records anyone in the network may write: no cell of either ever reaches a spreadsheet as a formula.
"""

from __future__ import annotations

import csv
import io
from typing import Any

#: what makes Excel, LibreOffice and Google Sheets take a cell for a formula (or a DDE command): OWASP's list, the line
#: feed, and the full-width forms an East Asian Excel reads as the same signs
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def visible(value: str) -> str:
    """Text as a sheet's cell: control characters shown as escapes, as on the terminal (render.safe: an ESC in a name
    never acts on the terminal a CSV is printed to, and Excel's file format has no room for most of them)."""
    from doetank_cli.render import safe

    return safe(value)


def formula_like(value: str) -> bool:
    """Whether a spreadsheet would take this text for a formula (also after leading spaces, which one may drop)."""
    return value.lstrip(" ").startswith(FORMULA_START)


def cell_text(value: str) -> str:
    """Text as a CSV cell that no spreadsheet runs (a formula-like one gets a leading apostrophe, OWASP's rule), and
    that acts on no terminal."""
    value = visible(value)
    return "'" + value if formula_like(value) else value


def csv_bytes(rows: list[dict[str, Any]], columns: list[str]) -> bytes:
    """RFC 4180: a header, one record per line ended by CRLF, fields quoted when they hold a comma, quote or newline;
    UTF-8 without a byte order mark (scripts read the first column's name as it is)."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n", extrasaction="raise")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _csv_cell(value) for key, value in row.items()})
    return out.getvalue().encode("utf-8")


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    return cell_text(value) if isinstance(value, str) else value


def xlsx_bytes(rows: list[dict[str, Any]], columns: list[str], title: str) -> bytes:
    """An Excel workbook: one sheet, a bold frozen header with a filter, numbers as numbers, and text always as
    text (a name that starts with '=' is never a formula, not even when someone edits its cell)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(name) for name in columns]
    for number, row in enumerate(rows, start=2):
        for col, key in enumerate(columns, start=1):
            value = visible(row[key]) if isinstance(row[key], str) else row[key]
            cell = sheet.cell(row=number, column=col, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
                if formula_like(value):
                    # Excel's own mark for text typed as '=...: shown without the apostrophe, still text after an edit
                    cell.quotePrefix = True
            widths[col - 1] = max(widths[col - 1], len(str(value)) if value is not None else 0)
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = min(60, width + 2)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, len(rows) + 1)}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
