"""Dates as people type them: ISO always; in Dutch 3-12-2026, 03-12-2026, 3 december 2026, vandaag, morgen; in English
3 December 2026, December 3, 2026, today, tomorrow. The record always gets ISO; a day outside the range is exit 2."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import git

from doetank_cli import dates
from doetank_cli.workspace import Workspace

TODAY = date(2026, 11, 28)


@pytest.mark.parametrize(
    ("typed", "language", "meant"),
    [
        ("2026-12-03", "nl", date(2026, 12, 3)),
        ("2026-12-03", "en", date(2026, 12, 3)),
        ("3-12-2026", "nl", date(2026, 12, 3)),
        ("03-12-2026", "nl", date(2026, 12, 3)),
        ("3/12/2026", "nl", date(2026, 12, 3)),
        ("3.12.2026", "nl", date(2026, 12, 3)),
        ("3 december 2026", "nl", date(2026, 12, 3)),
        ("  3   December 2026 ", "nl", date(2026, 12, 3)),
        ("3 dec. 2026", "nl", date(2026, 12, 3)),
        ("30 juni 2027", "nl", date(2027, 6, 30)),
        ("1 mei 2027", "nl", date(2027, 5, 1)),
        ("1 maart 2027", "nl", date(2027, 3, 1)),
        ("vandaag", "nl", TODAY),
        ("Morgen", "nl", date(2026, 11, 29)),
        ("gisteren", "nl", date(2026, 11, 27)),
        ("3 December 2026", "en", date(2026, 12, 3)),
        ("December 3, 2026", "en", date(2026, 12, 3)),
        ("Dec 3rd 2026", "en", date(2026, 12, 3)),
        ("today", "en", TODAY),
        ("tomorrow", "en", date(2026, 11, 29)),
    ],
)
def test_a_date_as_people_type_it(typed: str, language: str, meant: date) -> None:
    assert dates.parse(typed, TODAY, language) == meant


@pytest.mark.parametrize(
    ("typed", "language"),
    [
        ("3-12-2026", "en"),  # March or December: in English, numbers day-first are not guessed
        ("31-02-2026", "nl"),  # no such day
        ("2026-02-30", "nl"),
        ("32 december 2026", "nl"),
        ("3 decembre 2026", "nl"),
        ("december", "nl"),
        ("volgende week", "nl"),
        ("20261203", "nl"),  # Python would read it; a person did not mean it
        ("2026-W49-4", "en"),
        ("", "nl"),
    ],
)
def test_what_is_not_a_date_is_refused(typed: str, language: str) -> None:
    assert dates.parse(typed, TODAY, language) is None


def test_a_dutch_date_on_the_command_line_is_written_iso_in_the_record(ws: Workspace, run, tank: str) -> None:
    result = run("kickoff", "slim", "--datum", "3 december 2026")
    assert result.exit_code == 0, result.output
    assert "kickoff on 3 December 2026 at Kennisland" in result.output  # the confirmation writes it out
    assert "kickoff: {datum: 2026-12-03, locatie: Kennisland}" in (ws.tanks / "slimmer" / "doetank.yaml").read_text()
    assert run("plan", "slim", "--einddatum", "tomorrow").exit_code == 0
    assert "einddatum: 2026-11-29" in (ws.tanks / "slimmer" / "doetank.yaml").read_text()


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("31-02-2026", "'31-02-2026' is not a date; write it as 2026-12-03, 3 December 2026, today or tomorrow."),
        ("1800-01-01", "1 January 1800 is too far off; give a date between 1 January 1900 and 31 December 2199."),
        ("9999-12-31", "31 December 9999 is too far off"),
    ],
)
def test_a_wrong_date_is_a_usage_error_naming_the_option_and_nothing_changes(
    ws: Workspace, run, tank: str, typed: str, said: str
) -> None:
    head = git(ws.root, "rev-parse", "HEAD")
    result = run("kickoff", "slim", "--datum", typed)
    assert result.exit_code == 2
    assert "Invalid value for '--datum'" in result.output and said in result.output
    assert git(ws.root, "rev-parse", "HEAD") == head


def test_help_and_error_name_the_same_forms(run) -> None:
    shown = " ".join(run("kickoff", "--help").output.split())
    assert "--datum DATE" in shown and "For example 2026-12-03, 3 December 2026, today or tomorrow." in shown
    assert "YYYY" not in shown
