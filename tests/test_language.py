"""Language quality as a tested property: no English (or git jargon) in the Dutch interface, no Dutch in English.

Two checks, both held to docs/glossary.md:
- every Dutch translation in the catalogue avoids the words the glossary rules out;
- every screen of a scripted lifecycle (tests/lifecycle_screens.py: help, init, new, the team, kickoff, updates,
  consults, plan, edit, advance blocked and passing, status, check, rules, waive, log, reports, the site, sync,
  undo and the mistakes people make), rendered in both languages, holds none of the forbidden words.
What a person types or looks up is left out of the check: commands and options, paths, keys of the record, quoted
text, and the data typed in (lifecycle_screens.DATA).
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
from conftest import REPO, doetank_in

sys.path.insert(0, str(REPO / "tools"))
sys.path.insert(0, str(Path(__file__).parent))
import i18n as catalogs
import lifecycle_screens

GLOSSARY = REPO / "docs" / "glossary.md"

#: English words that have no business in a Dutch sentence (beyond the glossary's jargon)
ENGLISH = {
    "the", "and", "with", "not", "yet", "to", "for", "from", "this", "that", "which", "when", "will", "would", "your",
    "error", "errors", "warning", "warnings", "note", "usage", "options", "arguments", "commands", "required",
    "default", "aborted", "changed", "removed", "joined", "started", "stopped", "requested", "renamed", "edited",
    "written", "phase", "phases", "section", "sections", "team's", "tank's", "nobody", "today", "tomorrow",
    "still", "sought", "shared", "local", "changes", "field", "members", "member", "name", "role", "origin",
    "finished", "guideline", "target", "entered", "findings", "rules", "rule", "waived", "waiver", "checked",
}  # fmt: skip
#: Dutch words that have no business in an English sentence (the domain words are allowed, see the glossary)
DUTCH = {
    "de", "het", "een", "en", "van", "niet", "voor", "naar", "nog", "zijn", "wordt", "geen", "ook", "als",
    "maar", "dat", "die", "dit", "er", "je", "bij", "uit", "tot", "wat", "wie", "waar", "wanneer", "welke",
    "gezocht", "stand", "fouten", "dagen", "werkmap", "vastgelegd", "streefdatum", "bevindingen", "notitie",
    "regel", "regels", "lid", "leden", "naam", "rol", "herkomst", "einddatum", "organisatie", "fase", "fasen",
    "afsluitcode", "gebruik", "opties", "opdracht", "let", "op",
}  # fmt: skip
#: the words of the command line, checked in capitals only (TANK, NAAM and FASE are Dutch and English alike)
UPPER = {
    "nl": {
        "OPTIONS",
        "COMMAND",
        "ARGS",
        "TEXT",
        "PATH",
        "RULE",
        "DATE",
        "FOLDER",
        "YYYY",
        "FILE",
        "NAME",
        "VALUE",
        "WORD",
    },
    "en": {"JJJJ", "BESTAND", "WAARDE", "WOORD", "MAP"},
}


def glossary() -> dict[str, set[str]]:
    """The glossary's 'not in Dutch' and 'not in English' columns (entries with a remark in brackets are for a
    reader, not for the check)."""
    banned: dict[str, set[str]] = {"nl": set(), "en": set()}
    for line in GLOSSARY.read_text(encoding="utf-8").split("## The interface", 1)[1].splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 5 or cells[0] in ("concept", "---"):
            continue
        for language, cell in (("nl", cells[2]), ("en", cells[4])):
            for word in cell.split(","):
                word = word.strip()
                if word and "(" not in word and not word.isupper():
                    banned[language].add(word.lower())
    return banned


def test_the_glossary_names_the_jargon_of_the_issue() -> None:
    banned = glossary()
    for word in ("slug", "commit", "gecommit", "repository", "remote", "workspace", "merge", "branch", "ours"):
        assert word in banned["nl"], word
    for word in ("werkmap", "gezocht", "fouten", "korte naam"):
        assert word in banned["en"], word


# --------------------------------------------------------------------------- what a person types is left out

_COMMANDS = (
    "init|schema|new|vraagstuk|opdrachtgever|kickoff|update|consult|plan|stop|advance|waive|edit|status|check|rules|"
    "log|report|site|sync|undo|member|rename|resolve|config|agenda|search|lessons|serve|overview|git|pre-commit|open"
)
_GIT = "add|checkout|commit|config|init|log|merge|mv|pull|push|remote|revert|status|switch"
_STRIP = [
    re.compile(r"<style>.*?</style>|<script>.*?</script>|<!--.*?-->", re.DOTALL),  # (a note's guidance: content)
    re.compile(r"<[^>]+>"),
    re.compile(r"https?://\S+"),
    re.compile(r"'[^'\n]*'|\"[^\"\n]*\n?[^\"\n]*\"|“[^”\n]*”|`[^`\n]*`"),  # quoted: commands, values, quotes
    re.compile(rf"\b(?:doetank (?:{_COMMANDS})|git (?:{_GIT}))\b[^\n;)]*"),  # a command line, to the end of its line
    re.compile(r"(?<![\w-])--?[a-z][\w-]*"),  # options
    re.compile(rf"^  (?:{_COMMANDS}) ", re.MULTILINE),  # the list of commands in --help
    re.compile(r"\S*[/\\]\S*|\S+\.(?:md|yaml|json|html|txt)\b"),  # paths
    re.compile(r"\b[a-z]+(?:[._][a-z_]+)+\b"),  # keys of the record: vraagstuk.probleem, groter_vraagstuk
    re.compile(r"\$\w+|%\w"),
]


@cache
def _data() -> list[str]:
    from doetank_cli.rules import RULES

    headings = [
        line[3:].strip()
        for path in (REPO / "templates").glob("*.md")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("## ")
    ]
    names = ["Doetank Spelregels", "in PATH", "$EDITOR", "$VISUAL", "EDITOR", "DOETANK_ROOT", "DOETANK_TODAY"]
    words = [*lifecycle_screens.DATA, *headings, *(rule.naam for rule in RULES), *names]
    return sorted({w for w in words if w}, key=len, reverse=True)


def interface_words(text: str, commands: bool = False) -> str:
    """The text of a screen without what a person typed or looks up: what remains is the interface's own words
    (with `commands`, the command lines stay: their placeholders, such as DATUM, are the interface's words too)."""
    text = html.unescape(text) if "<" in text else text
    for pattern in _STRIP:
        if not (commands and pattern is _STRIP[4]):
            text = pattern.sub(" ", text)
    for value in _data():
        text = text.replace(value, " ")
    return text


def forbidden_in(text: str, language: str) -> list[str]:
    found = [word for word in UPPER[language] if re.search(rf"\b{word}\b", interface_words(text, commands=True))]
    said = re.sub(r"\b[A-Z][A-Z_]+\b", " ", interface_words(text))  # NAAM, TANK: the command line's, checked above
    words = (ENGLISH | glossary()["nl"]) if language == "nl" else (DUTCH | glossary()["en"])
    lowered = said.lower()
    found += [word for word in words if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", lowered)]
    return sorted(found)


def test_the_check_finds_english_in_dutch_and_leaves_commands_and_data_alone() -> None:
    assert forbidden_in("Fout: de slug is al gecommit", "nl") == ["gecommit", "slug"]
    assert forbidden_in("Gebruik: doetank new [OPTIONS] NAAM", "nl") == ["OPTIONS"]
    assert forbidden_in("→ doetank member add slimmer NAAM --rol trekker --sector publiek", "nl") == []
    assert forbidden_in("Kies 'the one' in tanks/slimmer-vergaderen/01-ontdekken.md", "nl") == []
    assert forbidden_in("The opdrachtgever is still gezocht (vraagstuk.probleem)", "en") == ["gezocht"]
    assert forbidden_in("Anna de Vries joined as trekker", "en") == []


# --------------------------------------------------------------------------- the catalogue


def test_every_dutch_translation_follows_the_glossary() -> None:
    _header, entries = catalogs.read_po(catalogs.LOCALE / "nl" / "LC_MESSAGES" / "doetank.po")
    wrong = {}
    for entry in entries:
        for text in entry.msgstr:
            found = forbidden_in(re.sub(r"\{[^}]*\}", " ", text), "nl")
            if found:
                wrong[text] = found
    assert wrong == {}, "\n".join(f"{words}: {text}" for text, words in wrong.items())


# --------------------------------------------------------------------------- every screen of a lifecycle


@cache
def screens(language: str, workdir: str) -> dict[str, str]:
    env = os.environ | {"DOETANK_LANG": language, "COLUMNS": "200"}
    env.pop("LC_ALL", None)
    done = subprocess.run(
        [sys.executable, str(Path(__file__).parent / "lifecycle_screens.py"), workdir],
        env=env,
        capture_output=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_screen_of_a_lifecycle_speaks_one_language(language: str, tmp_path: Path) -> None:
    shown = screens(language, str(tmp_path))
    assert len(shown) > 80 and "[exit 0]" in shown["advance passing"] and "[exit 1]" in shown["advance blocked"]
    wrong = {label: forbidden_in(text, language) for label, text in shown.items()}
    wrong = {label: words for label, words in wrong.items() if words}
    assert wrong == {}, "\n\n".join(f"== {label}: {words}\n{shown[label]}" for label, words in wrong.items())
    # Typer adds its 'Did you mean ...?' to Click's message in English: in Dutch the whole sentence is Dutch
    typo, in_group = shown["error mistyped command"], shown["error mistyped command of a group"]
    assert "[exit 2]" in typo and "[exit 2]" in shown["error missing arguments"]
    if language == "nl":
        assert "De opdracht 'statsu' bestaat niet. Bedoelde je 'status'?" in typo, typo
        assert "Bedoelde je 'add'?" in in_group and "Did you mean" not in typo + in_group, in_group
    else:
        assert "No such command 'statsu'. Did you mean 'status'?" in typo, typo


# --------------------------------------------------------------------------- numbers as the language writes them


def _two_tanks_with_a_median_of_52_5_days(root: Path) -> None:
    from conftest import RECORD, build_tree

    from doetank_cli import lifecycle

    lifecycle.init(root)
    for slug, left in (("een", "2026-10-23"), ("twee", "2026-10-24")):  # 52 and 53 days in ontdekken
        record = RECORD.replace("naam: Slimmer vergaderen", f"naam: Tank {slug}").replace(
            "fase: ontdekken\n", "fase: onderzoeken\n"
        )
        record = record.replace(
            "  - {fase: ontdekken, datum: 2026-11-01}\n",
            f"  - {{fase: ontdekken, datum: 2026-09-01}}\n  - {{fase: onderzoeken, datum: {left}}}\n",
        )
        build_tree(root, {f"tanks/{slug}/doetank.yaml": record})


@pytest.mark.parametrize(("language", "shown", "not_shown"), [("nl", "52,5 d", "52.5"), ("en", "52.5 d", "52,5")])
def test_a_number_with_a_fraction_is_written_as_the_language_writes_it(
    language: str, shown: str, not_shown: str, tmp_path: Path
) -> None:
    """`overview` and the site's Overzicht page: '52,5 d' in Dutch (a decimal comma), '52.5 d' in English; the JSON
    keeps the number itself. And a record too large to be one is '1,5 MB' in Dutch."""
    root = tmp_path / "werkmap"
    _two_tanks_with_a_median_of_52_5_days(root)

    def doetank(*args: str) -> subprocess.CompletedProcess[str]:
        return doetank_in(root, language, *args)

    overview = doetank("overview")
    assert overview.returncode == 0, overview.stderr
    line = next(line for line in overview.stdout.splitlines() if "1. ontdekken" in line and " d" in line)
    assert shown in line and not_shown not in overview.stdout, overview.stdout
    figures = json.loads(doetank("overview", "--json").stdout)
    assert figures["dagen_per_fase"]["ontdekken"]["mediaan"] == 52.5
    assert doetank("site", str(tmp_path / "site")).returncode == 0
    page = (tmp_path / "site" / "overzicht.html").read_text(encoding="utf-8")
    words = html.unescape(page)
    assert f"{shown}, " in words and f"{not_shown} d" not in words  # the chart's words: 'besteed 52,5 d, richtlijn –'
    assert f'<td class="n">{shown}</td>' in words  # and its table
    (root / "tanks" / "een" / "doetank.yaml").write_bytes(b"naam: x\n" + b"#" * (1536 * 1024))
    big = doetank("status", "een")
    assert big.returncode == 3 and ("1,5 MB" if language == "nl" else "1.5 MB") in big.stderr, big.stderr


# --------------------------------------------------------------------------- the Dutch guide


def test_the_dutch_guide_for_a_trekker_speaks_plain_dutch_and_the_readme_points_to_it() -> None:
    """docs/handleiding.md is for a trekker who never used a terminal: held to the glossary as every screen is."""
    guide = (REPO / "docs" / "handleiding.md").read_text(encoding="utf-8")
    assert forbidden_in(guide, "nl") == []
    for command in ("doetank serve", "doetank resolve", "doetank sync", "doetank advance", "afsluitcode"):
        assert command in guide, command
    top = (REPO / "README.md").read_text(encoding="utf-8").split("\n## ", 1)[0]
    assert "(docs/handleiding.md)" in top


@pytest.mark.parametrize("args", [["status", "een", "twee"], ["overview", "extra"], ["rules", "DT001", "DT002"]])
def test_an_extra_argument_is_said_in_the_persons_language(args: list[str], tmp_path: Path) -> None:
    """Click words this 'Got unexpected extra argument(s) (…)': in Dutch it reaches nobody in English."""
    said = doetank_in(tmp_path, "nl", *args)
    assert said.returncode == 2, said.stderr
    assert "Onverwachte extra argumenten" in said.stderr
    assert "unexpected" not in said.stderr.lower() and "argument(s)" not in said.stderr
