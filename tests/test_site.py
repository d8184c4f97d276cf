"""The static site, opened in real headless Chromium: it loads without console errors, shows every public tank in its
phase's column, keeps private tanks and contact details out, and runs none of the script a user might type."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import RECORD, REPO, build_tree

from doetank_cli.model import FASES, Status
from doetank_cli.workspace import Workspace

pytestmark = pytest.mark.e2e

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# skipped before the site is built, when there is no browser (or a mutation run says not to use one); CI requires one
needs_browser = pytest.mark.skipif(
    (CHROMIUM is None or bool(os.environ.get("DOETANK_NO_BROWSER"))) and not os.environ.get("DOETANK_REQUIRE_CHROMIUM"),
    reason="chromium is not installed (apt-get install chromium), or DOETANK_NO_BROWSER is set",
)
PAYLOAD_NOTE = """# X
Een eerste regel, direct onder de titel.

## De kern

<script>document.title='PWNED'</script>
<img src=x onerror="document.title='PWNED'">
[klik hier](javascript:document.title='PWNED') en [de site](https://slimmernetwerk.nl/doetanks)
Mail ons: geheim@example.nl
"""


def chromium(tmp_path: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    if CHROMIUM is None or os.environ.get("DOETANK_NO_BROWSER"):
        if os.environ.get("DOETANK_REQUIRE_CHROMIUM"):  # CI: the browser tests must run
            pytest.fail("chromium is not installed (apt-get install chromium), or DOETANK_NO_BROWSER is set")
        # without a browser the pages are still parsed (test_every_field_is_shown_as_text_...); mutation runs use this
        pytest.skip("chromium is not installed (apt-get install chromium), or DOETANK_NO_BROWSER is set")
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    return subprocess.run(
        [CHROMIUM, *flags, f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0", *args, url],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


# What a hostile (or careless) person might type into any field: a script, an element with a handler, and quotes
# that end an attribute early and start a handler of their own.
SCRIPT = "<script>document.title='PWNED'</script>"
HANDLER = "<img src=x onerror=\"document.title='PWNED'\">"
QUOTES = '" onmouseover="document.title=\'PWNED\'" x=\'" onfocus=\'document.title="PWNED"\''


def hostile(label: str) -> str:
    return f"{label} {SCRIPT}{HANDLER}{QUOTES}"


HOSTILE_URL = "https://slimmernetwerk.nl/doetanks?q=" + SCRIPT + QUOTES  # a web address, so the site links it
SCRIPT_URL = "javascript:document.title='PWNED';//" + HANDLER  # not a web address: shown as text, never linked
HOSTILE_RECORD = {
    "naam": hostile("Naam"),
    "fase": "ontdekken",
    "vraagstuk": {
        "probleem": hostile("Probleem"),
        "organisatie": hostile("Organisatie"),
        "groter_vraagstuk": hostile("Groter"),
    },
    "herkomst": "opdrachtgever",
    "opdrachtgever": {"naam": hostile("Opdrachtgever"), "organisatie": hostile("OgOrganisatie"), "sector": "publiek"},
    "leden": [
        {"naam": hostile("Trekker"), "rol": "trekker", "organisatie": hostile("TrekkerOrg"), "sector": "publiek"},
        {"naam": hostile("Doetanker"), "rol": "doetanker", "organisatie": hostile("DoetankerOrg"), "sector": "publiek"},
        {"naam": "Zonder Organisatie", "rol": "doetanker", "sector": "publiek"},
        {"naam": hostile("Coach"), "rol": "coach", "organisatie": hostile("CoachOrg"), "sector": "extern"},
    ],
    "richtlijn": {"einddatum": "2027-06-30", "fases": {"ontdekken": "2026-11-15"}},  # late on 2026-11-28
    "kickoff": {"datum": "2026-11-20", "locatie": hostile("Locatie")},
    "updates": [
        {"datum": "2026-11-21", "kanaal": "linkedin", "url": HOSTILE_URL},
        {"datum": "2026-11-22", "kanaal": "blog", "url": SCRIPT_URL},
        {
            "datum": "2026-11-23",
            "kanaal": "blog",
            "url": "http://slimmernetwerk.nl/oud",
        },  # plain http is a web link too
    ],
    "consulten": [{"expert": hostile("Expert"), "vraag": hostile("Vraag"), "status": "aangevraagd"}],
    "geschiedenis": [{"fase": "ontdekken", "datum": "2026-11-01"}],
    "uitzonderingen": {"DT011": hostile("Uitzondering")},
}
#: the fields the tank's page shows (the reasons of waivers it does not)
SHOWN = ["Naam", "Probleem", "Organisatie", "Groter", "Opdrachtgever", "OgOrganisatie", "Trekker", "TrekkerOrg"]
SHOWN += ["Doetanker", "DoetankerOrg", "Coach", "CoachOrg", "Locatie", "Expert", "Vraag"]


@pytest.fixture
def site(ws: Workspace, run, tmp_path: Path) -> Path:
    """The example tanks, a tank with script in every field, and one that is not public."""
    shutil.copytree(REPO / "tanks", ws.tanks, dirs_exist_ok=True)
    build_tree(
        ws.root,
        {"tanks/hack/doetank.yaml": json.dumps(HOSTILE_RECORD, indent=1), "tanks/hack/01-ontdekken.md": PAYLOAD_NOTE},
    )  # JSON is YAML
    build_tree(
        ws.root,
        {
            "tanks/geheim/doetank.yaml": RECORD.replace("naam: Slimmer vergaderen", "naam: Geheim project")
            + "publiek: false\n"
        },
    )
    out = tmp_path / "site"
    result = run("site", str(out))
    assert result.exit_code == 0, result.output
    assert "1 tank with publiek: false is left out" in result.output
    return out


class Parsed(HTMLParser):
    """A page as a browser's tokenizer sees it: its elements with their attributes, its scripts, and its text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in_script = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.text.append(data)

    def shown(self) -> str:
        return "".join(self.text).replace("\u00ad", "").replace("\u200b", "")  # soft hyphens may break long words


def test_every_page_has_its_title_its_way_home_and_no_script_but_the_boards_filter(site: Path) -> None:
    index = Parsed((site / "index.html").read_text(encoding="utf-8"))
    inline = [s for s in index.scripts if s.strip()]
    assert len(inline) == 1 and "addEventListener" in inline[0]  # the filter, and nothing else inline
    files = [dict(attrs)["src"] for tag, attrs in index.elements if tag == "script" and dict(attrs).get("src")]
    for src in files:  # script files: the site's own, from no other server
        assert src and "//" not in src and (site / src).is_file(), src
    assert ("html", [("lang", "en")]) in index.elements
    cards = [dict(attrs) for tag, attrs in index.elements if tag == "a" and ("class", "card") in attrs]
    assert sorted(c["data-slug"] or "" for c in cards) == sorted(p.stem for p in (site / "tanks").glob("*.html"))
    for card in cards:
        assert card["href"] == f"tanks/{card['data-slug']}.html"  # each card opens its tank's page
        assert card["data-fase"] in {f.value for f in FASES} and card["data-status"] in {s.value for s in Status}
    hack = next(c for c in cards if c["data-slug"] == "hack")
    assert (hack["data-fase"], hack["data-status"]) == ("ontdekken", "actief")
    board = (site / "index.html").read_text(encoding="utf-8")
    hack_card = board[board.index('data-slug="hack"') : board.index("</a>", board.index('data-slug="hack"'))]
    assert (
        '<span class="badge actief">actief</span>' in hack_card and '<span class="badge late">late</span>' in hack_card
    )
    on_time = board[board.index('data-slug="een-keer-je-verhaal"') :].split("</a>", 1)[0]
    assert "badge late" not in on_time  # late: only a tank whose current phase is past its target

    for path in sorted((site / "tanks").glob("*.html")):
        page = Parsed(path.read_text(encoding="utf-8"))
        assert page.scripts == [], path.name  # a tank's page runs nothing
        assert ("a", [("href", "../index.html")]) in page.elements, path.name
    html = (site / "tanks" / "hack.html").read_text(encoding="utf-8")
    page = Parsed(html)
    title = html[html.index("<title>") + len("<title>") : html.index("</title>")]
    assert Parsed(title).shown() == hostile("Naam")
    h1 = html[html.index("<h1>") + len("<h1>") : html.index("</h1>")]
    assert Parsed(h1).shown() == hostile("Naam")
    # the parts follow each other with nothing between them
    assert "</dd><dt>" in html and "</td></tr><tr><td>" in html and "</article><article" in html
    assert ("a", [("href", "https://slimmernetwerk.nl/doetanks")]) in page.elements  # the note's web link
    assert "Een eerste regel, direct onder de titel." in page.shown()
    # the note: its own title dropped (the page has one), its sections one level down, below the phase's h2
    assert "<h3>De kern</h3>" in html and "<h2>X</h2>" not in html and "<h1>X</h1>" not in html
    assert html.index("<h2>1. ontdekken</h2>") < html.index("<h3>De kern</h3>")
    # the team: name, role, organisation in one row each; updates and consults with their date, channel and status
    shown = page.shown()
    assert f"{hostile('Trekker')}trekker{hostile('TrekkerOrg')}{hostile('Doetanker')}" in shown
    assert f"{hostile('DoetankerOrg')}Zonder Organisatiedoetanker{hostile('Coach')}" in shown  # no organisation: empty
    assert re.search(r"21 November 2026 · \w+ · " + re.escape(HOSTILE_URL), shown)  # date · channel · address
    assert re.search(r"23 November 2026 · \w+ · http://slimmernetwerk\.nl/oud", shown)
    assert ("a", [("href", "http://slimmernetwerk.nl/oud"), ("rel", "noopener noreferrer")]) in page.elements
    assert f"{hostile('Expert')}: {hostile('Vraag')} (aangevraagd)" in shown
    assert "KickoffLocatie" not in shown and f"Kickoff20 November 2026, {hostile('Locatie')}" in shown


def dom(tmp_path: Path, page: Path, fragment: str = "") -> str:
    done = chromium(tmp_path, page.as_uri() + (f"#{fragment}" if fragment else ""), "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    assert console == [], console
    return done.stdout


@needs_browser
def test_the_board_shows_every_public_tank_in_its_phase_column(site: Path, tmp_path: Path) -> None:
    page = dom(tmp_path, site / "index.html")
    columns: dict[str, list[str]] = {}
    for fase, body in re.findall(r'<section class="column" data-fase="(\w+)"(.*?)</section>', page, re.DOTALL):
        columns[fase] = sorted(re.findall(r'data-slug="([\w-]+)"', body))
    assert columns == {
        "ontdekken": ["een-keer-je-verhaal", "hack"],
        "onderzoeken": ["slimmer-vergaderen"],
        "ontwikkelen": [],
        "uitproberen": ["archiveren-aan-de-bron"],
        "leren": ["nieuwe-collegas-snel-op-weg"],
        "overdragen": [],
    }
    assert "Geheim project" not in page and not (site / "tanks" / "geheim.html").exists()
    shot = tmp_path / "index.png"
    assert (
        chromium(tmp_path, (site / "index.html").as_uri(), "--window-size=1280,900", f"--screenshot={shot}").returncode
        == 0
    )
    assert shot.stat().st_size > 10_000


@needs_browser
def test_a_tank_page_loads_with_its_timeline_notes_and_no_errors(site: Path, tmp_path: Path) -> None:
    page = dom(tmp_path, site / "tanks" / "archiveren-aan-de-bron.html")
    assert "<svg" in page and 'role="img"' in page and '<title id="tl-title">' in page
    assert "Het probleem áchter het probleem" in page and "Peter Hoekstra" in page
    shot = tmp_path / "tank.png"
    assert (
        chromium(
            tmp_path,
            (site / "tanks" / "archiveren-aan-de-bron.html").as_uri(),
            "--window-size=390,844",
            f"--screenshot={shot}",
        ).returncode
        == 0
    )
    assert shot.stat().st_size > 10_000


@needs_browser
def test_script_a_user_typed_is_shown_as_text_and_never_runs(site: Path, tmp_path: Path) -> None:
    for page in (site / "index.html", site / "tanks" / "hack.html"):
        shown = dom(tmp_path, page)
        title = re.search(r"<title>(.*?)</title>", shown, re.DOTALL)
        assert title and title.group(1).strip() != "PWNED"  # what every payload would set
        assert not re.search(r"<img[^>]*onerror", shown)
        assert not re.search(r"<script>document\.title", shown)
        assert 'href="javascript' not in shown
    tank = (site / "tanks" / "hack.html").read_text()
    assert "<script>document.title='PWNED'</script>" in Parsed(tank).shown()  # the note's script, shown as text
    assert '<a href="https://slimmernetwerk.nl/doetanks">de site</a>' in tank
    assert "geheim@example.nl" not in tank and "[e-mail address left out]" in tank


def test_every_field_is_shown_as_text_and_nothing_a_user_typed_becomes_markup(site: Path) -> None:
    """The same promise without a browser: every page parsed as a browser tokenizes it."""
    pages = [site / "index.html", *sorted((site / "tanks").glob("*.html"))]
    assert site / "tanks" / "hack.html" in pages
    for page in pages:
        parsed = Parsed(page.read_text(encoding="utf-8"))
        for tag, attrs in parsed.elements:
            for name, value in attrs:
                assert not name.startswith("on"), f"{page.name}: <{tag} {name}={value!r}>"  # no handler, ever
                if name in ("href", "src", "action", "formaction"):
                    assert not (value or "").strip().lower().startswith(("javascript:", "data:")), (page.name, value)
        assert not [s for s in parsed.scripts if "PWNED" in s], page.name
    board = Parsed((site / "index.html").read_text(encoding="utf-8")).shown()
    assert hostile("Naam") in board and hostile("Trekker") in board
    tank = Parsed((site / "tanks" / "hack.html").read_text(encoding="utf-8")).shown()
    for label in SHOWN:
        assert hostile(label) in tank, label  # shown, whole, as the text it is
    assert HOSTILE_URL in tank  # the update's address, as text and as a link that stays one attribute
    links = [dict(attrs).get("href") for tag, attrs in Parsed((site / "tanks" / "hack.html").read_text()).elements]
    assert HOSTILE_URL in links
    assert SCRIPT_URL in tank and SCRIPT_URL not in links


@needs_browser
def test_the_board_filters_by_phase_and_status_in_the_page_itself(site: Path, tmp_path: Path) -> None:
    by_phase = dom(tmp_path, site / "index.html", "fase=leren")
    columns = re.findall(r'<section class="column" data-fase="(\w+)"([^>]*)>', by_phase)
    assert len(columns) == 6 and [fase for fase, rest in columns if "hidden" not in rest] == ["leren"]
    by_status = dom(tmp_path, site / "index.html", "status=gestopt")  # no example tank is gestopt: every card hidden
    assert re.findall(r'<a class="card"[^>]*>', by_status) and all(
        ' hidden=""' in card for card in re.findall(r'<a class="card"[^>]*>', by_status)
    )


def test_the_lessen_page_holds_the_public_lessons_grouped_by_tank_and_is_linked_from_the_board(
    site: Path, ws: Workspace, run, tmp_path: Path
) -> None:
    # a private tank's lessons and a stopped tank's reason with a phone number in it
    build_tree(ws.root, {"tanks/geheim/05-leren.md": "# G\n\n## Wat werkt\n\nGEHEIMELES werkt.\n"})
    assert run("stop", "een-keer", "--reason", "Geen opdrachtgever gevonden; bel 06-12345678").exit_code == 0
    assert run("site", str(site)).exit_code == 0
    board = dom(tmp_path, site / "index.html")
    assert 'href="lessen.html"' in board and 'href="agenda.ics"' in board
    page = dom(tmp_path, site / "lessen.html")
    tanks = re.findall(r'<article id="([\w-]+)">', page)
    assert tanks == ["een-keer-je-verhaal", "nieuwe-collegas-snel-op-weg"]  # by name, only tanks with lessons
    assert "What does not work (leren)" in page and "Een toegangspas aanvragen" in page
    assert "Why it stopped (ontdekken)" in page and "Geen opdrachtgever gevonden" in page
    assert "06-12345678" not in page and "[phone number left out]" in page
    assert "GEHEIMELES" not in page and "GEHEIMELES" not in (site / "index.html").read_text()
    stopped = dom(tmp_path, site / "tanks" / "een-keer-je-verhaal.html")
    assert "Geen opdrachtgever gevonden" in stopped and "06-12345678" not in stopped


def test_the_search_box_finds_dutch_word_forms_in_the_page_itself(site: Path, tmp_path: Path) -> None:
    board = (site / "index.html").read_text(encoding="utf-8")
    assert '<script src="zoeken.js" defer></script>' in board and (site / "zoeken.js").is_file()
    index = re.search(r'<div id="zoekindex" hidden data-index="([^"]*)"></div>', board)
    assert index and "<" not in index.group(1)  # an escaped attribute: no markup can end it early
    assert "geheim@example.nl" not in board and "Geheim project" not in board

    def found(query: str) -> list[str]:
        probe = site / "probe.html"
        probe.write_text(board.replace('id="zoek" autocomplete', f'id="zoek" value="{query}" autocomplete'), "utf-8")
        shown = dom(tmp_path, probe)
        results = re.search(r'<section id="zoekresultaten"[^>]*>(.*?)</section>', shown, re.DOTALL)
        assert results and "<title>PWNED" not in shown and not re.search(r"<img[^>]*onerror", results.group(1))
        return re.findall(r'<a href="([^"]+)"', results.group(1))

    assert "tanks/nieuwe-collegas-snel-op-weg.html#ontwikkelen" in found("formulier")  # the note says 'formulieren'
    assert found("vergadering")[0] == "tanks/slimmer-vergaderen.html"  # the name first
    assert found("qwxzv") == []
    assert "tanks/hack.html#ontdekken" in found("onerror")  # what a user typed is found as text, and never runs


def test_the_site_publishes_the_agenda_of_its_public_tanks(site: Path) -> None:
    from icalendar import Calendar

    cal = Calendar.from_ical((site / "agenda.ics").read_bytes())
    summaries = {str(e["SUMMARY"]) for e in cal.walk("VEVENT")}
    assert "Kickoff: Slimmer vergaderen bij Vergunningen" in summaries
    assert not any("Geheim" in s for s in summaries)
