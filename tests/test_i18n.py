"""A Dutch and an English interface: complete catalogs, the right language chosen, domain data the same in both."""

from __future__ import annotations

import gettext
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, build_tree

from doetank_cli import i18n

sys.path.insert(0, str(REPO / "tools"))
import i18n as catalogs

PO = REPO / "doetank_cli" / "locale" / "nl" / "LC_MESSAGES" / "doetank.po"
DOETANK = shutil.which("doetank", path=str(Path(sys.executable).parent)) or shutil.which("doetank")


def test_every_message_has_a_dutch_translation_with_the_same_placeholders() -> None:
    assert catalogs.problems(PO) == [], "run: python tools/i18n.py extract, translate, python tools/i18n.py check"
    assert len(catalogs.messages()) > 300


def test_a_missing_or_broken_translation_is_caught(tmp_path: Path) -> None:
    header, entries = catalogs.read_po(PO)
    broken = [catalogs.Entry(e.msgid, e.plural, list(e.msgstr)) for e in entries]
    by_id = {e.msgid: e for e in broken}
    by_id["Tank {slug} is already {status}."].msgstr = ["Doetank {naam} is al {status}."]
    by_id["What is the tank called?"].msgstr = [""]
    po = tmp_path / "nl" / "LC_MESSAGES" / "doetank.po"
    catalogs.write_po(po, broken, header)
    found = catalogs.problems(po)
    assert any("placeholders ['naam', 'status'], not ['slug', 'status']" in p for p in found)
    assert any("no translation of 'What is the tank called?'" in p for p in found)


def test_the_shipped_catalog_is_the_compiled_po_and_compiling_is_reproducible() -> None:
    shipped = PO.with_suffix(".mo")
    assert shipped.exists(), "the build compiles it: pip install -e ."
    assert shipped.read_bytes() == catalogs.compile_mo(PO) == catalogs.compile_mo(PO), (
        "run: python tools/i18n.py compile"
    )
    with open(shipped, "rb") as handle:
        translation = gettext.GNUTranslations(handle)
    assert translation.gettext("Options") == "Opties"
    assert translation.ngettext("{n} fout", "{n} fouten", 2) == "{n} fouten"


def test_the_po_file_reads_back_as_it_was_written(tmp_path: Path) -> None:
    header, entries = catalogs.read_po(PO)
    copy = tmp_path / "copy.po"
    catalogs.write_po(copy, entries, header)
    assert catalogs.read_po(copy) == (header, entries)


@pytest.mark.parametrize(
    ("env", "language"),
    [
        ({}, "en"),
        ({"DOETANK_LANG": "nl"}, "nl"),
        ({"LANG": "nl_NL.UTF-8"}, "nl"),
        ({"LC_MESSAGES": "nl_BE.UTF-8", "LANG": "en_GB.UTF-8"}, "nl"),
        ({"LC_ALL": "en_US.UTF-8", "LANG": "nl_NL.UTF-8"}, "en"),
        ({"DOETANK_LANG": "en", "LC_ALL": "nl_NL.UTF-8"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
    ],
)
def test_the_language_follows_doetank_lang_then_the_locale_then_english(env: dict[str, str], language: str) -> None:
    clean = {
        k: v for k, v in os.environ.items() if k not in ("DOETANK_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")
    }
    done = subprocess.run(
        [sys.executable, "-c", "from doetank_cli import i18n; print(i18n.LANGUAGE)"],
        env=clean | env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == language


def test_dates_are_written_the_way_the_language_writes_them(monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date

    monkeypatch.setattr(i18n, "LANGUAGE", "nl")
    assert i18n.datum(date(2026, 11, 28)) == "28 november 2026"
    monkeypatch.setattr(i18n, "LANGUAGE", "en")
    assert i18n.datum(date(2026, 3, 1)) == "1 March 2026"


# --------------------------------------------------------------------------- both languages, end to end


def doetank(cwd: Path, language: str, *args: str) -> subprocess.CompletedProcess[str]:
    assert DOETANK, "doetank is not installed in this environment"
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")} | {
        "DOETANK_LANG": language
    }
    return subprocess.run(
        [DOETANK, *args], cwd=cwd, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False
    )


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    assert doetank(tmp_path, "en", "init", str(root)).returncode == 0
    assert (
        doetank(
            root,
            "en",
            "new",
            "Slimmer vergaderen",
            "--vraagstuk",
            "Overleggen zonder besluit",
            "--organisatie",
            "Gemeente Utrecht",
        ).returncode
        == 0
    )
    return root


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "nl",
            [
                "Gebruik: doetank [OPTIES] OPDRACHT [ARGUMENTEN]...",
                "Opties:",
                "Opdrachten:",
                "Toon deze hulp en stop.",
                "Zet een Doetank door naar de volgende fase",
            ],
        ),
        (
            "en",
            [
                "Usage: doetank [OPTIONS] COMMAND",
                "Options:",
                "Commands:",
                "Show this message and exit.",
                "Move a tank to its next phase",
            ],
        ),
    ],
)
def test_help_in_both_languages(workspace: Path, language: str, words: list[str]) -> None:
    shown = doetank(workspace, language, "--help")
    assert shown.returncode == 0
    for word in words:
        assert word in shown.stdout
    sub = doetank(workspace, language, "advance", "--help")
    assert (
        "Toon alleen de checklist; wijzig niets." if language == "nl" else "Only show the checklist; change nothing."
    ) in sub.stdout


@pytest.mark.e2e
def test_a_blocked_advance_reads_dutch_and_english_with_the_same_exit_code_and_rules(workspace: Path) -> None:
    nl = doetank(workspace, "nl", "advance", "slimmer")
    en = doetank(workspace, "en", "advance", "slimmer")
    assert nl.returncode == en.returncode == 1
    assert "slimmer-vergaderen kan nog niet van ontdekken naar onderzoeken" in nl.stdout
    assert "Er is geen fysieke kickoff vastgelegd" in nl.stdout and "--datum DATUM" in nl.stdout
    assert "slimmer-vergaderen cannot move from ontdekken to onderzoeken yet" in en.stdout
    rules_of = lambda out: sorted(line.split()[1] for line in out.splitlines() if line.startswith(" ✗"))  # noqa: E731
    assert rules_of(nl.stdout) == rules_of(en.stdout) and "DT020" in rules_of(nl.stdout)


@pytest.mark.e2e
def test_errors_read_dutch_and_english_with_the_same_exit_code(workspace: Path) -> None:
    cases = [
        (
            ["status", "bestaat-niet"],
            2,
            "Er is geen Doetank 'bestaat-niet' in tanks.",
            "There is no tank 'bestaat-niet' in tanks.",
        ),
        (["status", "--bogus"], 2, "Fout: Deze optie bestaat niet: --bogus.\n", "Error: No such option: --bogus.\n"),
        (
            ["stop", "slim", "--reden", "klaar"],
            2,
            "Fout: Deze optie bestaat niet: --reden. Bedoelde je --reason?",
            "Error: No such option: --reden. Did you mean --reason?",
        ),
        (
            ["waive", "slim", "DT031", "--reden", "klaar"],
            2,
            "Fout: Deze optie bestaat niet: --reden. Bedoelde je --reason of --remove?",
            "Error: No such option: --reden. Did you mean --reason or --remove?",
        ),
        (
            ["member", "add", "slim", "Eva", "--rol", "baas"],
            2,
            "Ongeldige waarde voor '--rol': 'baas' is geen van",
            "Invalid value for '--rol': 'baas' is not one of",
        ),
        (["consult", "slim"], 2, "Optie '--expert' ontbreekt.", "Missing option '--expert'."),
    ]
    for args, code, dutch, english in cases:
        nl, en = doetank(workspace, "nl", *args), doetank(workspace, "en", *args)
        assert nl.returncode == en.returncode == code, args
        assert dutch in nl.stderr, nl.stderr
        assert english in en.stderr, en.stderr
        assert "Traceback" not in nl.stderr + en.stderr
    build_tree(workspace, {"tanks/kapot/doetank.yaml": "naam: X\nfase: ontdekking\n"})
    nl = doetank(workspace, "nl", "check")
    assert (
        nl.returncode == 3
        and "tanks/kapot/doetank.yaml:2: fase: moet 'ontdekken'" in nl.stderr
        and "gevonden: 'ontdekking'" in nl.stderr
    )


@pytest.mark.e2e
def test_domain_data_is_the_same_in_both_languages(workspace: Path) -> None:
    assert doetank(workspace, "nl", "status", "--json").stdout == doetank(workspace, "en", "status", "--json").stdout
    nl, en = (
        json.loads(doetank(workspace, "nl", "check", "--json").stdout),
        json.loads(doetank(workspace, "en", "check", "--json").stdout),
    )
    strip = lambda found: [{k: v for k, v in f.items() if k not in ("bericht", "oplossing")} for f in found]  # noqa: E731
    assert strip(nl) == strip(en) and nl[0]["bericht"] != en[0]["bericht"]
    assert doetank(workspace, "nl", "rules", "--json").stdout.count('"ernst"') == doetank(
        workspace, "en", "rules", "--json"
    ).stdout.count('"ernst"')
    record = (workspace / "tanks" / "slimmer-vergaderen" / "doetank.yaml").read_text()
    assert doetank(workspace, "nl", "plan", "slimmer", "--einddatum", "2027-06-30").returncode == 0
    assert (
        "richtlijn:\n  einddatum: 2027-06-30"
        in (workspace / "tanks" / "slimmer-vergaderen" / "doetank.yaml").read_text()
        != record
    )


@pytest.mark.e2e
def test_dutch_dates_in_the_dashboard_of_one_tank(workspace: Path) -> None:
    assert doetank(workspace, "en", "kickoff", "slimmer", "--datum", "2026-12-10").returncode == 0
    assert "10 december 2026, Kennisland" in doetank(workspace, "nl", "status", "slimmer").stdout
    assert "10 December 2026, Kennisland" in doetank(workspace, "en", "status", "slimmer").stdout
