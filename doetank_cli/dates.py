"""Dates as people type them: ISO always; in Dutch also 3-12-2026 and 3 december 2026; vandaag, morgen, today.

The record always holds ISO (YYYY-MM-DD); this module only reads what a person types on the command line or in an
interview. Light on purpose: the standard library only, imported by the option parser of every date option.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from doetank_cli.i18n import LANGUAGE, _

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        ("januari", "january", "jan"),
        ("februari", "february", "feb"),
        ("maart", "march", "mrt", "mar"),
        ("april", "apr"),
        ("mei", "may"),
        ("juni", "june", "jun"),
        ("juli", "july", "jul"),
        ("augustus", "august", "aug"),
        ("september", "sept", "sep"),
        ("oktober", "october", "okt", "oct"),
        ("november", "nov"),
        ("december", "dec"),
    ],
    start=1,
):
    for _name in _names:
        _MONTHS[_name] = _number

#: words for a day relative to today, in both languages (no word means something else in the other language)
_RELATIVE = {"vandaag": 0, "today": 0, "morgen": 1, "tomorrow": 1, "gisteren": -1, "yesterday": -1}

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DAY_FIRST = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")  # 3-12-2026, 03/12/2026, 3.12.2026
_DAY_MONTH = re.compile(r"(\d{1,2})\.?\s+([a-z]+)\.?,?\s+(\d{4})")  # 3 december 2026, 3 dec. 2026
_MONTH_DAY = re.compile(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")  # December 3, 2026


def forms() -> str:
    """The forms a date may take, as help and errors say them (one sentence for both)."""
    return _("2026-12-03, 3 December 2026, today or tomorrow")


def parse(text: str, today: date, language: str = LANGUAGE) -> date | None:
    """The date `text` means, or None when it is not one (or names a day that does not exist, such as 31-02-2026).

    Numbers day-first (3-12-2026) are read only in Dutch: in English 3-12-2026 could be March or December.
    """
    said = " ".join(text.strip().lower().split())
    if said in _RELATIVE:
        return today + timedelta(days=_RELATIVE[said])
    try:
        found = _ISO.fullmatch(said)
        if found:
            return date(int(found[1]), int(found[2]), int(found[3]))
        found = _DAY_FIRST.fullmatch(said)
        if found and language == "nl":
            return date(int(found[3]), int(found[2]), int(found[1]))
        found = _DAY_MONTH.fullmatch(said)
        if found and found[2] in _MONTHS:
            return date(int(found[3]), _MONTHS[found[2]], int(found[1]))
        found = _MONTH_DAY.fullmatch(said)
        if found and found[1] in _MONTHS:
            return date(int(found[3]), _MONTHS[found[1]], int(found[2]))
    except ValueError:  # a day that does not exist
        return None
    return None
