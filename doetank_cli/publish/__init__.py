"""What leaves the workspace: reports, the static site, and whatever else is ever published.

`publishable()` is the one function that decides what may leave the workspace. Everything that publishes (the report,
the site, and later the agenda, the lessons, search results and overview pages) takes its tanks from it and from
nothing else, so that the same rules hold everywhere:

- only tanks that are public now (`publiek: true`, the default); a private tank is left out entirely, unless the one
  asking is a command about that one tank (`report TANK`), which says so;
- only the notes of phases the tank has reached, read through the workspace boundary (a link out of tanks/, a pipe or
  a device is refused, never followed or opened);
- every text scrubbed by `scrub()`: guidance comments (`<!-- ... -->`, and with them the templates' "Begonnen op ..."
  lines) removed; e-mail addresses, phone numbers (Dutch and international), IBANs and BSNs replaced by a word that
  says what was left out; control characters shown as escapes. People appear by name, role and organisation only
  (AVG).

Web addresses of updates are kept as they are (the site links only http(s) ones); rule ids, phases and dates carry no
personal data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any, Literal

from doetank_cli.errors import DoetankError
from doetank_cli.i18n import _

if TYPE_CHECKING:
    from doetank_cli.model import Doetank, Fase
    from doetank_cli.workspace import Workspace

# --------------------------------------------------------------------------- scrubbing

_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
# +31 (0)6 12345678, +31 (0)20 123 4567, 0031 6 12345678, +32 2 123 45 67, +44 20 7946 0958, +1 (555) 123-4567
_INTERNATIONAL = re.compile(r"(?<![\w+])(?:\+|00)[1-9]\d{0,2}(?:[ .-]?\(0\))?(?:[ .-]{0,3}\(?\d{1,5}\)?){2,7}(?!\d)")
# 06-12345678, 0612345678, 06 1234 5678, 020 123 4567, (020) 123 45 67, 030 - 2345678, 0800-1234
_NATIONAL = re.compile(r"(?<![\w+])(?:\(0[1-9]\d{0,2}\)|0[1-9])(?:[ .-]{0,3}\d)+(?!\d)")
_DATE = re.compile(r"\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}")
# NL91 ABNA 0417 1643 00, NL91ABNA0417164300, BE68 5390 0754 7034, DE89 3704 0044 0532 0130 00
_IBAN = re.compile(r"(?<![\w])[A-Z]{2}\d{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,4})?)(?![\w])", re.I)
_NL_IBAN = re.compile(r"NL\d{2}[A-Z]{4}\d{10}", re.I)
# 123456782, 1234.56.782, 123 456 782: nine digits that pass the elfproef
_BSN = re.compile(r"(?<![\w.,€])(?:\d[ .]?){8}\d(?![\w]|[.,]\d)")


def _phone(found: re.Match[str]) -> str:
    text = found.group()
    digits = re.sub(r"\D", "", text.replace("(0)", ""))
    if text.startswith(("+", "00")):
        ok = 8 <= len(digits.removeprefix("00")) <= 15
    else:
        # a Dutch number has ten digits (0800 and 0900 numbers eight or eleven); a date is not a phone number
        ok = (len(digits) == 10 or (digits[:2] in ("08", "09") and len(digits) in (8, 11))) and not _DATE.search(text)
    return _("[phone number left out]") if ok else text


def _is_iban(text: str) -> bool:
    compact = text.replace(" ", "").upper()
    if sum(c.isdigit() for c in compact) < 8:
        return False  # a code of letters with a few digits (DT010 ...), not an account
    moved = compact[4:] + compact[:4]
    # a mistyped Dutch IBAN is still someone's account number: its shape alone is enough
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1 or bool(_NL_IBAN.fullmatch(compact))


def _iban(found: re.Match[str]) -> str:
    text = found.group()
    if _is_iban(text):
        return _("[IBAN left out]")
    # the last short group may be the next word ("... 7034 en"): try without it
    head, _sep, tail = text.rpartition(" ")
    if head and len(tail) <= 4 and _is_iban(head):
        return _("[IBAN left out]") + " " + tail
    return text


def elfproef(digits: str) -> bool:
    """The check a BSN passes: 9×d1 + 8×d2 + ... + 2×d8 − d9 is a multiple of 11 (and not all zeros)."""
    if len(digits) != 9 or not digits.isdigit() or not int(digits):
        return False
    return (sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - int(digits[8])) % 11 == 0


def _bsn(found: re.Match[str]) -> str:
    before = found.string[max(0, found.start() - 4) : found.start()]
    if "€" in before or "EUR" in before.upper():
        return found.group()  # an amount of money
    return _("[BSN left out]") if elfproef(re.sub(r"\D", "", found.group())) else found.group()


#: a web address: its digits are ids, not phone numbers or BSNs (an e-mail address in one is still left out)
_URL = re.compile(r"(\bhttps?://[^\s<>\"')\]]+)", re.I)


def scrub(text: str) -> str:
    """Text as it may be published: guidance comments removed, contact details and numbers that identify a person
    (e-mail addresses, phone numbers, IBANs, BSNs) replaced by a word that says what was left out, and control
    characters (ESC, BEL, bidi overrides) shown as escapes, as on the terminal: a calendar, a page or a report printed
    to a terminal never carries a sequence that acts on the reader's screen."""
    from doetank_cli.render import safe

    text = _EMAIL.sub(_("[e-mail address left out]"), _COMMENT.sub("", text))
    parts = _URL.split(text)
    for index in range(0, len(parts), 2):  # the odd parts are web addresses
        part = _IBAN.sub(_iban, parts[index])
        part = _NATIONAL.sub(_phone, _INTERNATIONAL.sub(_phone, part))
        parts[index] = _BSN.sub(_bsn, part)
    return safe("".join(parts))


#: values that are no prose and are published as they are: web addresses (the site links only http(s) ones) and the
#: record's stable id (the agenda's UIDs)
_KEPT = {"url", "id"}


def _scrubbed(value: Any, key: str = "") -> Any:
    if isinstance(value, str) and not isinstance(value, Enum):
        return value if key in _KEPT else scrub(value)
    if isinstance(value, dict):
        return {k: _scrubbed(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrubbed(v, key) for v in value]
    return value


# --------------------------------------------------------------------------- what may leave


@dataclass(frozen=True)
class Released:
    """One tank as it may leave the workspace: its record with every text scrubbed, and its notes."""

    slug: str
    tank: Doetank
    notes: dict[Fase, str]  # the notes of the phases reached, scrubbed; the text as written (not yet rendered)
    private: bool = False  # only ever True for a tank asked for by name (report TANK)


@dataclass
class Publication:
    tanks: list[Released] = field(default_factory=list)
    left_out: int = 0  # private tanks that were left out
    errors: list[DoetankError] = field(default_factory=list)  # with unreadable="skip": what could not be read


def publishable(
    ws: Workspace,
    slugs: list[str] | None = None,
    *,
    private: bool = False,
    notes: bool = True,
    unreadable: Literal["stop", "skip"] = "stop",
) -> Publication:
    """What may leave the workspace: the public tanks (of `slugs`, default every tank), scrubbed; see the module.

    `private=True` lets a private tank through (marked `private`): only for a command about that one tank, never for
    anything that publishes many. `notes=False` reads no notes (the agenda needs only the record). A record or note
    that cannot be read stops it with its name (exit 3), before any of it is published; with `unreadable="skip"` the
    tank is left out and the error kept in `errors`, for the caller to name.
    """
    from doetank_cli import store
    from doetank_cli.model import FASES, Doetank

    out = Publication()
    for slug in ws.slugs() if slugs is None else slugs:
        try:
            path = ws.record_path(slug)
            tank = store.load_record(path, ws.rel(path))
            if not tank.publiek and not private:
                out.left_out += 1
                continue
            texts = {}
            for fase in FASES[: tank.fase.nummer] if notes else []:
                note = ws.note_path(slug, fase)
                if note.is_file():
                    texts[fase] = scrub(store.read_text(note, ws.rel(note)))
        except DoetankError as exc:
            if unreadable == "stop":
                raise
            out.errors.append(exc)
            continue
        clean = Doetank.model_validate(_scrubbed(tank.model_dump()))
        out.tanks.append(Released(slug, clean, texts, private=not tank.publiek))
    return out
