"""What may leave the workspace: scrub() over a table of the forms people write contact details in, and of the
look-alikes that must stay as they are; publishable() as the one gate."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import RECORD, build_tree

from doetank_cli.publish import elfproef, publishable, scrub
from doetank_cli.workspace import Workspace

PHONES = [
    "+31 (0)6 12345678", "+31 (0)20 123 4567", "+31(0)201234567", "+31 6 12345678", "+31612345678", "+31-6-12345678",
    "0031 6 12345678", "06-12345678", "06 12345678", "0612345678", "06 1234 5678", "06 12 34 56 78", "020 123 4567",
    "020-1234567", "0201234567", "(020) 123 45 67", "030 - 2345678", "0800-1234", "0900 1234567",
    "+32 2 123 45 67", "+44 20 7946 0958", "+49 30 1234567", "+1 (555) 123-4567", "0032 2 123 45 67",
]  # fmt: skip
EMAILS = ["anna.devries@utrecht.nl", "a+doetank@gemeente-zeist.nl", "j.o'brien@x.co.uk", "Anna@Example.NL"]
IBANS = [
    "NL91 ABNA 0417 1643 00", "NL91ABNA0417164300", "nl91abna0417164300", "NL12 ABCD 0123 4567 89",
    "BE68 5390 0754 7034", "DE89 3704 0044 0532 0130 00", "GB82 WEST 1234 5698 7654 32",
]  # fmt: skip
BSNS = ["111222333", "123456782", "123.456.782", "1234 56 782", "010000008"]
LOOK_ALIKES = [
    "2026-11-28", "28-11-2026", "28/11/2026", "01-02-2026 12 deelnemers", "2026", "2020-2026", "in 2026 12 keer",
    "€ 1.234.567", "€ 123.456.782", "EUR 123456782", "1 234 567 euro", "1.000.000 euro", "0,5 fte", "3511 AB",
    "1012 JS", "10:00", "1.2.3", "versie 2.0.1", "41 agendapunten", "van de 41 leidden er 9", "12345678 inwoners",
    "123456789", "DT010 teamgrootte", "DT041 fase-notities", "ISO 27001", "NEN 7510", "3 - 9 Vernieuwers",
    "art. 5:1 Awb", "https://example.nl/posts/123456782", "https://www.linkedin.com/feed/update/urn:li:activity:7123456789012345678",
    "[de site](https://slimmernetwerk.nl/doetanks/0612345678)",
]  # fmt: skip


@pytest.mark.parametrize("text", PHONES)
def test_phone_numbers_in_dutch_and_international_forms_are_left_out(text: str) -> None:
    assert scrub(f"Bel {text}, graag.") == "Bel [phone number left out], graag."


@pytest.mark.parametrize("text", EMAILS)
def test_e_mail_addresses_are_left_out(text: str) -> None:
    assert scrub(f"Mail {text} vandaag") == "Mail [e-mail address left out] vandaag"


@pytest.mark.parametrize("text", IBANS)
def test_ibans_are_left_out(text: str) -> None:
    assert scrub(f"Rekening {text} en verder") == "Rekening [IBAN left out] en verder"


@pytest.mark.parametrize("text", BSNS)
def test_bsns_that_pass_the_elfproef_are_left_out(text: str) -> None:
    assert scrub(f"BSN {text}.") == "BSN [BSN left out]."


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_dates_years_amounts_postcodes_and_web_addresses_are_kept(text: str) -> None:
    assert scrub(f"x {text} y") == f"x {text} y"


@pytest.mark.parametrize(
    ("digits", "passes"), [("111222333", True), ("123456782", True), ("123456789", False), ("000000000", False)]
)
def test_the_elfproef(digits: str, passes: bool) -> None:
    assert elfproef(digits) is passes


def test_guidance_comments_are_dropped_even_when_left_open() -> None:
    assert scrub("a <!-- hulp\nBegonnen op 2026-11-01. --> b") == "a  b"
    assert scrub("tekst\n<!-- vergeten te sluiten\nBegonnen op x") == "tekst\n"


def test_publishable_is_public_tanks_only_with_every_text_scrubbed(ws: Workspace) -> None:
    build_tree(
        ws.root,
        {
            "tanks/open/doetank.yaml": RECORD.replace(
                "Overleggen leveren zelden besluiten op", "Bel 06-12345678 voor info"
            ),
            "tanks/open/01-ontdekken.md": "# x\n<!-- hulp -->\n## De kern\nMail a@b.nl\n",
            "tanks/open/02-onderzoeken.md": "not reached yet",
            "tanks/dicht/doetank.yaml": RECORD + "publiek: false\n",
        },
    )
    out = publishable(ws)
    assert [r.slug for r in out.tanks] == ["open"] and out.left_out == 1
    (released,) = out.tanks
    assert released.tank.vraagstuk.probleem == "Bel [phone number left out] voor info"
    assert [f.value for f in released.notes] == ["ontdekken"]
    assert "hulp" not in released.notes[released.tank.fase] and "a@b.nl" not in released.notes[released.tank.fase]
    assert released.tank.updates[0].url == "https://www.linkedin.com/posts/x"
    (private,) = publishable(ws, ["dicht"], private=True).tanks
    assert private.private


#: what acts on a terminal (retitles it, recolours it, moves the cursor, links elsewhere) or reorders a line
TERMINAL_TRICKS = ["\x1b", "\x07", "\x9b", "\u202e"]


def test_control_characters_in_a_record_or_note_leave_the_workspace_only_as_escapes(
    ws: Workspace, run, tmp_path: Path
) -> None:
    trick = "\\e]0;PWNED\\a\\e[31m\\x9b2J\\u202e"  # as YAML writes them
    record = (
        RECORD.replace("naam: Slimmer vergaderen", f'naam: "Slimmer{trick} vergaderen"')
        .replace("Overleggen leveren zelden besluiten op", f"Overleggen{trick} leveren")
        .replace("locatie: Kennisland", f'locatie: "Kennis{trick}land"')
    )
    consult = (
        f'consulten:\n  - {{expert: "Els{trick}", vraag: "Wat{trick}?", status: aangevraagd, datum: 2026-11-05}}\n'
    )
    build_tree(
        ws.root,
        {
            "tanks/slimmer/doetank.yaml": record + consult,
            "tanks/slimmer/01-ontdekken.md": "# x\n\n## De kern\n\nKern \x1b]0;TITEL\x07 \x1b[2J tekst\u202e.\n",
        },
    )
    published = {
        "agenda": run("agenda").stdout_bytes,
        "report": run("report", "slimmer").stdout_bytes,
        "report text": run("report", "slimmer", "--format", "text").stdout_bytes,
    }
    assert run("site", str(tmp_path / "site")).exit_code == 0
    published |= {str(p): p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file()}
    assert b"x1b]0\\;PWNED" in published["agenda"]  # shown as an escape, not dropped
    for name, data in published.items():
        text = data.decode("utf-8")
        assert not [c for c in TERMINAL_TRICKS if c in text], name
