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
