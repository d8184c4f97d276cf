"""Questions on a real terminal (a pseudo-terminal): the interview of `new`, answers asked again when they are wrong,
reasons asked for waive, stop and advance --force; and without a terminal, a missing value names its option.

POSIX only: Python's pty module has no Windows counterpart (the prompts themselves are Click's, which work there).
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import git

from doetank_cli.workspace import Workspace

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(os.name != "posix", reason="a pseudo-terminal needs POSIX (pty)"),
    pytest.mark.posix(reason="a pseudo-terminal (pty, termios)"),
]

DOETANK = shutil.which("doetank", path=str(Path(sys.executable).parent)) or shutil.which("doetank")


class Terminal:
    """doetank on a pseudo-terminal: what it prints is read as a person reads it, answers are typed with Enter."""

    def __init__(self, cwd: Path, language: str, *args: str) -> None:
        import pty

        assert DOETANK, "doetank is not installed in this environment"
        master, slave = pty.openpty()
        env = os.environ | {"DOETANK_LANG": language, "COLUMNS": "200", "TERM": "dumb"}
        self.proc = subprocess.Popen(
            [DOETANK, *args], cwd=cwd, env=env, stdin=slave, stdout=slave, stderr=slave, close_fds=True
        )
        os.close(slave)
        self.master = master
        self.seen = ""
        self.at = 0  # what was expected so far ends here

    def _read(self, until: float) -> bool:
        ready, _w, _x = select.select([self.master], [], [], max(0.0, until - time.monotonic()))
        if not ready:
            return True
        try:
            chunk = os.read(self.master, 4096)
        except OSError:  # the other side closed: the process ended
            return False
        if not chunk:
            return False
        self.seen += chunk.decode("utf-8", "replace").replace("\r\n", "\n")
        return True

    def expect(self, text: str) -> None:
        """Wait until `text` is shown (after what was expected before); a safety limit, not a measurement."""
        until = time.monotonic() + 120
        while text not in self.seen[self.at :]:
            if time.monotonic() > until or not self._read(until):
                raise AssertionError(f"waited for {text!r}; the terminal showed:\n{self.seen}")
        self.at = self.seen.index(text, self.at) + len(text)

    def answer(self, question: str, text: str) -> None:
        self.expect(question)
        os.write(self.master, text.encode() + b"\r")

    def finish(self) -> int:
        until = time.monotonic() + 120
        while self._read(until) and time.monotonic() < until:
            pass
        os.close(self.master)
        return self.proc.wait(timeout=60)


def test_new_with_only_a_name_interviews_a_new_trekker_and_asks_again_after_a_wrong_answer(ws: Workspace) -> None:
    term = Terminal(ws.root, "nl", "new", "Slimmer vergaderen")
    term.answer("Welk klein, concreet probleem pakt de Doetank aan? ", "Overleggen leveren zelden besluiten op")
    term.answer("In welke organisatie speelt het probleem? ", "Gemeente Utrecht")
    term.answer("Voor welk groter vraagstuk staat dit probleem? (Enter: later) ", "")
    term.answer("Wie is de opdrachtgever, die het probleem aandraagt? (Enter: nog gezocht) ", "Karin Jansen")
    term.answer("Bij welke organisatie werkt Karin Jansen? (Enter: Gemeente Utrecht) ", "")
    term.answer("Sector van Karin Jansen: publiek, of extern (adviesbureau)?", "overheid")
    term.expect("'overheid' is geen van: publiek, extern. Probeer het opnieuw.")
    term.answer("Sector van Karin Jansen:", "publiek")
    term.answer("Kwam het vraagstuk van een opdrachtgever, of uit het netwerk?", "")
    term.answer("Wie is de trekker, die coördineert? (Enter: later) ", "Anna de Vries")
    term.answer("Bij welke organisatie werkt Anna de Vries?", "")
    term.answer("Sector van Anna de Vries:", "")
    term.answer("Wie doet er nog meer mee als doetanker? (Enter: verder niemand) ", "Bram Peters")
    term.answer("Bij welke organisatie werkt Bram Peters?", "Rijkswaterstaat")
    term.answer("Sector van Bram Peters:", "")
    term.answer("Wie doet er nog meer mee als doetanker?", "anna de vries")
    term.expect("anna de vries zit al in het team. Probeer het opnieuw.")
    term.answer("Wie doet er nog meer mee als doetanker?", "")
    term.answer("Wie is de coach, die het proces begeleidt? (Enter: nog gezocht) ", "Cor Smit")
    term.answer("Bij welke organisatie werkt Cor Smit? (Enter: Kennisland) ", "")
    term.answer("Sector van Cor Smit: publiek, of extern (adviesbureau)? (Enter: extern)", "")
    term.answer("Wanneer is de kickoff, de eerste keer dat het team bij elkaar komt?", "31-02-2026")
    term.expect("'31-02-2026' is geen datum; schrijf bijvoorbeeld 3-12-2026")
    term.answer("Wanneer is de kickoff", "3 december 2026")
    term.answer("Waar komt het team bij elkaar? (Enter: Kennisland) ", "")
    term.answer("Wanneer wil de Doetank klaar zijn (de einddatum)? (Enter: later) ", "30-6-2027")
    term.expect("slimmer-vergaderen: gestart in ontdekken (vastgelegd: ")
    assert term.finish() == 0, term.seen
    assert "?:" not in term.seen  # a question ends in its question mark, not in "?:"
    record = (ws.tanks / "slimmer-vergaderen" / "doetank.yaml").read_text()
    for line in (
        "herkomst: opdrachtgever",
        "  naam: Karin Jansen\n  organisatie: Gemeente Utrecht\n  sector: publiek",
        "{naam: Anna de Vries, rol: trekker, organisatie: Gemeente Utrecht, sector: publiek}",
        "{naam: Bram Peters, rol: doetanker, organisatie: Rijkswaterstaat, sector: publiek}",
        "{naam: Cor Smit, rol: coach, organisatie: Kennisland, sector: extern}",
        "einddatum: 2027-06-30",
        "kickoff: {datum: 2026-12-03, locatie: Kennisland}",
    ):
        assert line in record, line
    assert "groter_vraagstuk" not in record  # skipped with Enter: not a key with an empty value
    assert git(ws.root, "log", "--format=%s", "-1").startswith("doetank new: slimmer-vergaderen:")
    assert git(ws.root, "status", "--porcelain") == ""


def test_new_with_the_flags_of_the_tour_asks_nothing(ws: Workspace) -> None:
    term = Terminal(
        ws.root,
        "nl",
        *("new", "Slimmer vergaderen", "--vraagstuk", "Overleggen leveren zelden besluiten op"),
        *("--organisatie", "Gemeente Utrecht", "--opdrachtgever", "Karin Jansen", "--trekker", "Anna de Vries"),
    )
    assert term.finish() == 0, term.seen
    assert "?" not in term.seen and "gestart in ontdekken" in term.seen


def test_new_asks_only_what_the_flags_did_not_give(ws: Workspace) -> None:
    term = Terminal(ws.root, "en", "new", "--organisatie", "UWV", "--trekker", "Eva", "--einddatum", "2027-06-30")
    term.answer("What is the tank called? ", "Sneller")
    term.answer("What small, concrete problem does the tank take on? ", "Wachten")
    term.answer("Which larger vraagstuk", "")
    term.answer("Who is the opdrachtgever", "")
    term.answer("Did the vraagstuk come from an opdrachtgever, or from the network (netwerk)?", "netwerk")
    term.answer("Who else takes part as a doetanker?", "")
    term.answer("Who is the coach", "")
    term.answer("When is the kickoff", "")
    term.expect("sneller: started in ontdekken")
    assert term.finish() == 0
    assert "organisation does the problem" not in term.seen and "Who is the trekker" not in term.seen
    assert "By when" not in term.seen
    record = (ws.tanks / "sneller" / "doetank.yaml").read_text()
    assert "{naam: Eva, rol: trekker, organisatie: UWV, sector: publiek}" in record and "kickoff" not in record


def test_a_name_that_is_taken_is_said_before_the_first_question_or_asked_again(ws: Workspace, tank: str) -> None:
    term = Terminal(ws.root, "en", "new", "Slimmer")
    term.expect("A tank with the short name 'slimmer' already exists")
    assert term.finish() == 2 and "small, concrete problem" not in term.seen
    term = Terminal(ws.root, "en", "new", "--organisatie", "UWV")
    term.answer("What is the tank called? ", "Slimmer!")
    term.expect("A tank with the short name 'slimmer' already exists (tanks/slimmer); nothing was changed. Try again.")
    term.answer("What is the tank called? ", "Sneller")
    term.answer("What small, concrete problem does the tank take on? ", "Wachten")
    for question in ("larger vraagstuk", "opdrachtgever", "network", "trekker", "doetanker", "coach", "kickoff"):
        term.answer(question, "")
    term.answer("By when", "")
    term.expect("sneller: started in ontdekken")
    assert term.finish() == 0


def test_member_add_asks_again_after_a_wrong_sector_and_keeps_the_earlier_answers(ws: Workspace, tank: str) -> None:
    term = Terminal(ws.root, "nl", "member", "add", "slim", "Eva Jansen")
    term.answer("Welke rol heeft Eva Jansen: trekker, doetanker of coach? ", "baas")
    term.expect("'baas' is geen van: trekker, doetanker, coach. Probeer het opnieuw.")
    term.answer("Welke rol heeft Eva Jansen", "trekker")
    term.expect("De Doetank heeft al een trekker, Anna de Vries; een Doetank heeft er één. Probeer het opnieuw.")
    term.answer("Welke rol heeft Eva Jansen", "doetanker")
    term.answer("Bij welke organisatie werkt Eva Jansen? ", "UWV")
    term.answer("Sector van Eva Jansen: publiek, of extern (adviesbureau)? ", "overheid")
    term.expect("'overheid' is geen van: publiek, extern.")
    term.answer("Sector van Eva Jansen:", "publiek")
    term.expect("Eva Jansen doet mee als doetanker")
    assert term.finish() == 0
    assert (
        "{naam: Eva Jansen, rol: doetanker, organisatie: UWV, sector: publiek}"
        in (ws.tanks / "slimmer" / "doetank.yaml").read_text()
    )


def test_waive_stop_and_a_forced_advance_ask_for_the_reason_on_a_terminal(ws: Workspace, tank: str) -> None:
    term = Terminal(ws.root, "en", "waive", "slim", "DT011")
    term.answer("Why does DT011 publiek-primair not apply to this tank? ", "Two advisers until hiring is done")
    assert term.finish() == 0, term.seen
    record = (ws.tanks / "slimmer" / "doetank.yaml").read_text()
    assert "DT011: Two advisers until hiring is done" in record

    (ws.tanks / "slimmer" / "01-ontdekken.md").write_text("# Leeg\n")
    term = Terminal(ws.root, "en", "advance", "slim", "--force")
    term.answer("Why does the tank move on without meeting every requirement of the phase? ", "")
    term.expect("An answer is needed here.")
    term.answer("Why does the tank move on", "The opdrachtgever wants speed")
    term.expect("ontdekken → onderzoeken")
    assert term.finish() == 0, term.seen
    assert "reden: The opdrachtgever wants speed" in (ws.tanks / "slimmer" / "doetank.yaml").read_text()

    term = Terminal(ws.root, "nl", "stop", "slim")
    term.answer("Waarom stopt de Doetank, en wat heeft ze geleerd? ", "Opdrachtgever vertrokken")
    term.expect("gestopt in onderzoeken")
    assert term.finish() == 0, term.seen
    assert "reden: Opdrachtgever vertrokken" in (ws.tanks / "slimmer" / "doetank.yaml").read_text()


def test_a_rule_that_cannot_be_waived_is_refused_on_a_terminal_before_a_reason_is_asked(
    ws: Workspace, tank: str
) -> None:
    """Asking why, then saying no, wastes the person's answer: DT060 (and DT050) are refused at once, exit 2."""
    before = (ws.tanks / "slimmer" / "doetank.yaml").read_text()
    for rule in ("DT060", "DT050"):
        term = Terminal(ws.root, "nl", "waive", "slim", rule)
        term.expect("Fout: ")
        assert term.finish() == 2, term.seen
        assert "Waarom" not in term.seen, term.seen
    assert (ws.tanks / "slimmer" / "doetank.yaml").read_text() == before


def test_without_a_terminal_a_missing_value_is_a_usage_error_naming_the_option(ws: Workspace, run, tank: str) -> None:
    cases = [
        (("new", "Slimmer"), "Missing option '--vraagstuk'."),
        (("new",), "Missing argument 'NAAM'."),
        (("member", "add", "slim", "Eva", "--rol", "doetanker", "--organisatie", "UWV"), "Missing option '--sector'."),
        (("consult", "slim", "--vraag", "Wat?"), "Missing option '--expert'."),
        (("stop", "slim"), "--reason may not be empty"),
        (("waive", "slim", "DT011"), "A waiver needs --reason"),
        (("advance", "slim", "--force"), "--force needs --reason"),
    ]
    before = (ws.tanks / "slimmer" / "doetank.yaml").read_text()
    for args, said in cases:
        result = run(*args)
        assert result.exit_code == 2, (args, result.output)
        assert said in result.output, (args, result.output)
    assert (ws.tanks / "slimmer" / "doetank.yaml").read_text() == before
