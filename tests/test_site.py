"""The static site, opened in real headless Chromium: it loads without console errors, shows every public tank in its
phase's column, keeps private tanks and contact details out, and runs none of the script a user might type."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import RECORD, REPO, build_tree

from doetank_cli.workspace import Workspace

pytestmark = pytest.mark.e2e

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PAYLOAD_NAME = "<img src=x onerror=\"document.title='PWNED'\"> Hack"
PAYLOAD_NOTE = """# X

## De kern

<script>document.title='PWNED'</script>
<img src=x onerror="document.title='PWNED'">
[klik hier](javascript:document.title='PWNED') en [de site](https://slimmernetwerk.nl/doetanks)
Mail ons: geheim@example.nl
"""


def chromium(tmp_path: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    if CHROMIUM is None:
        if os.environ.get("DOETANK_REQUIRE_CHROMIUM"):
            pytest.fail("chromium is not installed (apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
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


@pytest.fixture
def site(ws: Workspace, run, tmp_path: Path) -> Path:
    """The example tanks, a tank full of script, and one that is not public."""
    shutil.copytree(REPO / "tanks", ws.tanks, dirs_exist_ok=True)
    hostile = RECORD.replace("naam: Slimmer vergaderen", f"naam: {json.dumps(PAYLOAD_NAME)}").replace(
        'url: "https://www.linkedin.com/posts/x"', "url: \"javascript:document.title='PWNED'\""
    )
    build_tree(ws.root, {"tanks/hack/doetank.yaml": hostile, "tanks/hack/01-ontdekken.md": PAYLOAD_NOTE})
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


def dom(tmp_path: Path, page: Path, fragment: str = "") -> str:
    done = chromium(tmp_path, page.as_uri() + (f"#{fragment}" if fragment else ""), "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    assert console == [], console
    return done.stdout


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


def test_script_a_user_typed_is_shown_as_text_and_never_runs(site: Path, tmp_path: Path) -> None:
    for page in (site / "index.html", site / "tanks" / "hack.html"):
        shown = dom(tmp_path, page)
        title = re.search(r"<title>(.*?)</title>", shown, re.DOTALL)
        assert title and title.group(1).strip() != "PWNED"  # what every payload would set
        assert not re.search(r"<img[^>]*onerror", shown)
        assert not re.search(r"<script>document\.title", shown)
        assert 'href="javascript' not in shown
    tank = (site / "tanks" / "hack.html").read_text()
    assert "&lt;script&gt;document.title=&#x27;PWNED&#x27;&lt;/script&gt;" in tank or "&lt;script&gt;" in tank
    assert '<a href="https://slimmernetwerk.nl/doetanks">de site</a>' in tank
    assert "geheim@example.nl" not in tank and "[e-mail address left out]" in tank


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
    index = re.search(r'<script type="application/json" id="zoekindex">(.*?)</script>', board, re.DOTALL)
    assert index and "<" not in index.group(1)  # no markup can end the block early
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
