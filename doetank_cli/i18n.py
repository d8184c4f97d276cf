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


def catalog_key() -> str:
    """Which catalog the messages come from, for caches of translated text: its path, size and mtime; '' for none."""
    found = gettext.find("doetank", _LOCALEDIR, languages=_languages())
    if not found:
        return ""
    st = os.stat(found)
    return f"{found}:{st.st_size}:{st.st_mtime_ns}"
