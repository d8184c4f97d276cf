"""The one translation function: every user-facing string passes through _(). Also the language, and dates in it.

The language is DOETANK_LANG (nl or en), else the user's setting `taal` (doetank config), else the locale (LC_ALL,
LC_MESSAGES, LANG: any nl_* is Dutch), else the language of the OS's own interface (Windows and macOS, which set no
LANG), else English.
Domain data never changes with it: YAML keys, phase and role values, rule ids, JSON keys and exit codes.
"""

from __future__ import annotations

import gettext
import os
from datetime import date
from pathlib import Path

LOCALEDIR = Path(__file__).parent / "locale"
DOMAIN = "doetank"
LANGUAGES = ("en", "nl")

_MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "nl": [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
}


def _of(tag: str) -> str:
    """nl for any Dutch tag (nl, nl_NL.UTF-8, nl-BE, Dutch_Netherlands), else en."""
    return "nl" if tag.strip().lower().startswith(("nl", "dutch")) else "en"


def _language() -> str:
    chosen = os.environ.get("DOETANK_LANG", "").strip()
    if chosen:
        return _of(chosen)
    from doetank_cli import settings  # light: no file, no tomllib

    taal = settings.get("taal")
    if taal:
        return taal
    for key in ("LC_ALL", "LC_MESSAGES", "LANG"):  # the first one set decides, as in POSIX
        value = os.environ.get(key, "").strip()
        if value and value.split(".")[0].upper() not in ("C", "POSIX"):  # C names no language: ask on
            return _of(value)
    from doetank_cli import system

    shown = system.ui_language()
    return _of(shown) if shown else "en"


def _load(language: str) -> gettext.NullTranslations:
    catalog = LOCALEDIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if language == "en" or not catalog.is_file():
        return gettext.NullTranslations()
    with open(catalog, "rb") as handle:
        return gettext.GNUTranslations(handle)


LANGUAGE = _language()
_translation = _load(LANGUAGE)


def _(message: str) -> str:
    """Translate one user-facing message."""
    return _translation.gettext(message)


def N_(message: str) -> str:
    """Mark a message for the catalog where it is translated later (by _() at the place it is shown)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def datum(day: date) -> str:
    """A date as the language writes it in running text: '28 november 2026', '28 November 2026'."""
    return f"{day.day} {_MONTHS[LANGUAGE][day.month - 1]} {day.year}"


def getal(value: float) -> str:
    """A number as the language writes it, to one decimal at most: '52,5' in Dutch (a decimal comma), '52.5' in
    English, '52' for a whole number. Only for people: JSON and CSV keep the number itself."""
    text = f"{value:.1f}".removesuffix(".0")
    return text.replace(".", ",") if LANGUAGE == "nl" else text


def kwartaal(label: str) -> str:
    """A quarter as network.quarter names it ('2026-Q1') written for people: '2026-K1' in Dutch (docs/glossary.md),
    '2026-Q1' in English. JSON and CSV keep '2026-Q1'."""
    return label.replace("-Q", "-K", 1) if LANGUAGE == "nl" else label


def kanaal_label(value: str) -> str:
    """A kanaal of the record as running text writes it: 'LinkedIn', not 'linkedin'."""
    return {"linkedin": "LinkedIn"}.get(value, value)


def catalog_key() -> str:
    """Which messages are in use, for caches of translated text: the language and its catalog's size and mtime."""
    catalog = LOCALEDIR / LANGUAGE / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if not catalog.is_file():
        return LANGUAGE
    st = catalog.stat()
    return f"{LANGUAGE}:{st.st_size}:{st.st_mtime_ns}"
