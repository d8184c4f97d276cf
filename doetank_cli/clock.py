"""Today's date, in one place so that examples and tests can pin it (DOETANK_TODAY)."""

from __future__ import annotations

import os
from datetime import date


def today() -> date:
    pinned = os.environ.get("DOETANK_TODAY")
    if pinned:
        from doetank_cli.vocab import FIRST_DAY, LAST_DAY

        try:
            day = date.fromisoformat(pinned)
        except ValueError:
            day = None
        if day is None or not FIRST_DAY <= day <= LAST_DAY:
            from doetank_cli.errors import UsageError
            from doetank_cli.i18n import _

            raise UsageError(_("DOETANK_TODAY={value} is not a date; use YYYY-MM-DD.").format(value=pinned))
        return day
    return date.today()
