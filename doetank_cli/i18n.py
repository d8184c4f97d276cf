"""The one translation function: every user-facing string passes through _()."""

from __future__ import annotations

import gettext
import os
from pathlib import Path

_LOCALEDIR = Path(__file__).parent / "locale"


def _languages() -> list[str] | None:
    chosen = os.environ.get("DOETANK_LANG")
    return [chosen] if chosen else None  # None: gettext reads LANGUAGE, LC_ALL, LC_MESSAGES, LANG


_translation = gettext.translation("doetank", _LOCALEDIR, languages=_languages(), fallback=True)


def _(message: str) -> str:
    """Translate one user-facing message (English until the Dutch catalog lands)."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)
