"""The network's dates as iCalendar (RFC 5545), for Outlook and every other calendar: kickoffs with their place, phase
targets, einddatums and consults of every active public tank.

Every event is a whole day. Its UID is made of the tank's stable `id` (never its slug), so a calendar that subscribes
keeps the same appointments across runs and renames, and moves one when its date changes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from doetank_cli import __version__
from doetank_cli.i18n import _
from doetank_cli.model import Doetank, Status, name_key
from doetank_cli.publish import scrub

DOMAIN = "doetank"


def _event(uid: str, day: date, summary: str, stamp: datetime, **extra: str) -> Any:
    from icalendar import Event

    event = Event()
    event.add("uid", f"{uid}@{DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", scrub(summary))
    event.add("transp", "TRANSPARENT")  # a date to know, not time that is taken
    for key, value in extra.items():
        if value:
            event.add(key, scrub(value))
    return event


def events(tank_id: str, tank: Doetank, stamp: datetime) -> list[Any]:
    """One tank's dates as events: its kickoff, each phase target, its einddatum, each consult with a date."""
    found = []
    about = tank.vraagstuk.probleem or ""
    if tank.kickoff:
        found.append(
            _event(
                f"{tank_id}-kickoff",
                tank.kickoff.datum,
                _("Kickoff: {naam}").format(naam=tank.naam),
                stamp,
                location=tank.kickoff.locatie,
                description=about,
            )
        )
    for fase, day in tank.richtlijn.fases.items():
        found.append(
            _event(
                f"{tank_id}-fase-{fase.value}",
                day,
                _("{naam}: target date for {fase}").format(naam=tank.naam, fase=fase.value),
                stamp,
                description=_("The target date for the phase {fase}.").format(fase=fase.value),
            )
        )
    if tank.richtlijn.einddatum:
        found.append(
            _event(
                f"{tank_id}-einddatum",
                tank.richtlijn.einddatum,
                _("{naam}: einddatum").format(naam=tank.naam),
                stamp,
                description=about,
            )
        )
    for position, consult in enumerate(tank.consulten):
        when = consult.gehouden or consult.datum
        if when is None:
            continue
        # the expert and the day it was asked for tell a consult apart, whatever else is edited later
        which = f"{name_key(consult.expert)}\n{consult.datum.isoformat() if consult.datum else position}"
        key = hashlib.sha256(which.encode()).hexdigest()[:12]
        found.append(
            _event(
                f"{tank_id}-consult-{key}",
                when,
                _("{naam}: consult with {expert}").format(naam=tank.naam, expert=consult.expert),
                stamp,
                description=consult.vraag,
            )
        )
    return found


def calendar(tanks: Iterable[tuple[str, Doetank]], today: date) -> bytes:
    """The calendar of the given (id, tank) pairs that are active; the caller decides which tanks may be published."""
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", f"-//doetank//doetank {__version__}//NL")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _("Doetanks"))
    # the same day gives the same stamp: two runs on one day write the same file
    stamp = datetime.combine(today, time(0, 0), tzinfo=UTC)
    for tank_id, tank in sorted(tanks, key=lambda pair: pair[0]):
        if tank.status == Status.actief:
            for event in events(tank_id, tank, stamp):
                cal.add_component(event)
    return bytes(cal.to_ical())
