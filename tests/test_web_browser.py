"""doetank serve in real headless Chromium (Debian's, driven by Playwright): a team member works a tank through its
phase with the mouse and keyboard only, in Dutch, and no page logs a console error.

DOETANK_SCREENSHOTS=docs/img writes the README's screenshots (the same pages the test visits).
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import RECORD, REPO, TODAY, build_tree, git, isolate
from serving import two_clones_that_clash

from doetank_cli import lifecycle

pytestmark = pytest.mark.e2e

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--disable-quic", "--no-first-run"]  # fmt: skip
#: a console message of the page's own HTTP status, for the pages that answer with one on purpose (404, 409)
STATUS_MESSAGE = re.compile(r"^Failed to load resource: the server responded with a status of (404|409)")


def expect(locator: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def _need_browser() -> Any:
    why = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        why = "playwright is not installed (pip install -e '.[test]')"
    if CHROMIUM is None:
        why = "chromium is not installed (apt-get install chromium)"
    if why:
        if os.environ.get("DOETANK_REQUIRE_CHROMIUM"):
            pytest.fail(why)
        pytest.skip(why)
    return sync_playwright


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """`doetank serve` as a person starts it, in Dutch, over the example tanks and one tank to work on."""
    _need_browser()
    with pytest.MonkeyPatch.context() as mp:
        isolate(mp, tmp_path_factory.mktemp("home"))
        root = tmp_path_factory.mktemp("browser") / "werkmap"
        lifecycle.init(root)
        shutil.copytree(REPO / "tanks", root / "tanks", dirs_exist_ok=True)
        record = RECORD.replace("kickoff: {datum: 2026-11-20, locatie: Kennisland}\n", "").replace(
            "  - {naam: Dirk Jansen, rol: doetanker, organisatie: Gemeente Zeist, sector: publiek}\n", ""
        )
        build_tree(root, {"tanks/slimmer/doetank.yaml": record})
        git(root, "add", "-A")
        git(root, "commit", "-qm", "tanks")
        env = {**os.environ, "DOETANK_LANG": "nl", "DOETANK_TODAY": TODAY}
        proc = subprocess.Popen(
            [sys.executable, "-m", "doetank_cli", "--root", str(root), "serve", "--port", "0", "--no-open"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        try:
            url = proc.stdout.readline().strip() if proc.stdout else ""
            assert url.startswith("http://127.0.0.1:"), url + (proc.stderr.read() if proc.stderr else "")
            yield url.rstrip("/"), root
        finally:
            proc.terminate()
            proc.wait(timeout=30)


@pytest.fixture(scope="module")
def browser(server: tuple[str, Path]) -> Iterator[Any]:
    sync_playwright = _need_browser()
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


class Watched:
    """A page that remembers every console error and script error, and the HTTP status of each page it opened."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.errors: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", self._dialog)

    def _dialog(self, dialog: Any) -> None:
        self.errors.append(f"dialog: {dialog.message}")  # no page of doetank opens one: a script that ran would
        dialog.dismiss()

    def clean(self) -> list[str]:
        return [e for e in self.errors if not STATUS_MESSAGE.match(e)]


def shoot(page: Any, name: str, tmp_path: Path, full: bool = True) -> None:
    target = os.environ.get("DOETANK_SCREENSHOTS")
    path = (REPO / target if target else tmp_path) / f"serve-{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=full)
    assert path.stat().st_size > 10_000


def submit(page: Any, form: str) -> None:
    with page.expect_navigation():
        page.click(f"#{form} button[type=submit]")


def test_a_team_member_takes_a_tank_to_its_next_phase_in_the_browser(
    server: tuple[str, Path], browser: Any, tmp_path: Path
) -> None:
    url, root = server
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    w = Watched(context.new_page())
    page = w.page
    page.goto(f"{url}/tanks/slimmer")
    assert page.title().startswith("Slimmer vergaderen")

    # who are you: asked in the page, never in the way
    page.click("details.who summary")
    page.fill("#who-naam", "Anna de Vries")
    page.fill("#who-email", "anna@utrecht.nl")
    with page.expect_navigation():
        page.click("details.who button[type=submit]")
    assert "op naam van Anna de Vries" in page.inner_text("header")

    # a member, a kickoff
    page.fill("#member-add-naam", "Dirk Jansen")
    page.select_option("#member-add-rol", "doetanker")
    page.fill("#member-add-organisatie", "Gemeente Zeist")
    page.select_option("#member-add-sector", "publiek")
    submit(page, "member-add")
    assert "Dirk Jansen joined as doetanker" in page.inner_text(".flash") or "Dirk Jansen" in page.inner_text(".flash")
    page.fill("#kickoff-datum", "2026-11-20")
    page.fill("#kickoff-locatie", "Kennisland")
    submit(page, "kickoff")
    assert "Kennisland" in page.inner_text(".flash")

    # the note: two of the three sections, the third shown as still empty while typing
    page.click("a#notitie")
    page.wait_for_url(f"{url}/tanks/slimmer/notitie")
    text = page.input_value("#tekst")
    assert "## De kern" in text
    typed = text.replace("## De kern\n", "## De kern\n\nVan de 41 agendapunten leidden er 9 tot een besluit.\n", 1)
    typed = typed.replace(
        "## Waarom is het een probleem, en voor wie?\n", "## Waarom is het een probleem, en voor wie?\n\nWachten.\n", 1
    )
    page.fill("#tekst", typed)
    expect(page.locator("#section-status li.sec-empty")).to_have_count(1)  # as typed, without saving
    assert "Het probleem áchter het probleem" in page.inner_text("#section-status li.sec-empty")
    shoot(page, "note", tmp_path)
    with page.expect_navigation():
        page.click("form.editor button[type=submit]")

    # advancing is refused with the checklist; its line leads to the form that fixes it
    submit(page, "advance")
    assert page.url.endswith("/tanks/slimmer#volgende-stappen")
    assert "Nog niet" in page.inner_text(".flash")
    checklist = page.inner_text("ol.checklist")
    assert "DT041" in checklist
    shoot(page, "checklist", tmp_path, full=False)
    page.click("ol.checklist a[href='/tanks/slimmer/notitie']")
    page.wait_for_url(f"{url}/tanks/slimmer/notitie")
    page.fill("#tekst", page.input_value("#tekst") + "\n")
    tail = "## Het probleem áchter het probleem\n"
    page.fill("#tekst", page.input_value("#tekst").replace(tail, tail + "\nNiemand heeft mandaat.\n"))
    expect(page.locator("#section-status li.sec-empty")).to_have_count(0)
    with page.expect_navigation():
        page.click("form.editor button[type=submit]")
    submit(page, "advance")
    assert "ontdekken → onderzoeken" in page.inner_text(".flash")
    assert "fase 2 van 6, onderzoeken" in page.inner_text(".lead")
    log = git(root, "log", "-4", "--format=%an|%s")
    assert log.splitlines()[0] == "Anna de Vries|doetank advance: slimmer: ontdekken -> onderzoeken"
    assert all(line.startswith("Anna de Vries|") for line in log.splitlines())
    shoot(page, "tank", tmp_path)

    # a new tank
    page.click("header nav a[href='/nieuw']")
    page.fill("#nieuw-naam", "Samen roosteren")
    page.fill("#nieuw-vraagstuk", "Roosters van teams botsen elke week")
    page.fill("#nieuw-organisatie", "Gemeente Ede")
    page.fill("#nieuw-trekker", "Eva Janssen")
    with page.expect_navigation():
        page.click("form.panel button[type=submit]")
    assert page.url == f"{url}/tanks/samen-roosteren"
    assert (root / "tanks" / "samen-roosteren" / "01-ontdekken.md").is_file()
    assert w.clean() == [], w.errors
    context.close()


def test_every_page_loads_without_console_errors_on_a_phone_and_by_keyboard(
    server: tuple[str, Path], browser: Any, tmp_path: Path
) -> None:
    url, _root = server
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL", has_touch=True)
    w = Watched(context.new_page())
    page = w.page
    for path in ("/", "/?aandacht=coach", "/tanks/archiveren-aan-de-bron", "/tanks/archiveren-aan-de-bron/notitie",
                 "/tanks/archiveren-aan-de-bron/log", "/log", "/sync", "/nieuw", "/wie", "/overzicht",
                 "/bestaat-niet"):  # fmt: skip
        page.goto(url + path)
        # nothing wider than the phone: no sideways scrolling
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), path
    assert w.clean() == [], w.errors
    page.goto(url + "/tanks/archiveren-aan-de-bron")
    shoot(page, "phone", tmp_path, full=False)
    # keyboard only: the first Tab reaches the skip link, Enter moves to the content
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhoud"
    context.close()

    wide = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    board = Watched(wide.new_page())
    board.page.goto(url + "/")
    shoot(board.page, "board", tmp_path)
    assert board.clean() == []
    wide.close()


def test_script_typed_in_the_browser_never_runs(server: tuple[str, Path], browser: Any) -> None:
    url, _root = server
    context = browser.new_context()
    w = Watched(context.new_page())
    page = w.page
    payload = "<img src=x onerror=alert(1)><script>alert(2)</script>"
    page.goto(url + "/nieuw")
    page.fill("#nieuw-naam", "Hack " + payload)
    page.fill("#nieuw-vraagstuk", payload)
    page.fill("#nieuw-organisatie", payload)
    with page.expect_navigation():
        page.click("form.panel button[type=submit]")
    assert payload in page.inner_text("h1")  # shown as the text it is
    page.goto(url + "/")
    assert [e for e in w.errors if e.startswith("dialog")] == []
    assert page.evaluate("document.querySelectorAll('main img, main script').length") == 0
    context.close()


@pytest.mark.skipif(
    importlib.util.find_spec("doetank_cli.resolve") is None, reason="deciding conflicts is built in issue #12"
)
def test_a_clash_made_by_two_clones_is_decided_in_the_browser(browser: Any, tmp_path: Path) -> None:
    """Anna and Bram, on two laptops, both set the einddatum; Bram's sync stops at the clash, and Bram decides it with
    a button, finishes the merge and shares it, all in the browser."""
    _anna, bram, server = two_clones_that_clash(tmp_path)
    env = {**os.environ, "DOETANK_LANG": "nl", "DOETANK_TODAY": TODAY}
    proc = subprocess.Popen(
        [sys.executable, "-m", "doetank_cli", "--root", str(bram.root), "serve", "--port", "0", "--no-open"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip().rstrip("/")
        context = browser.new_context(viewport={"width": 1100, "height": 800}, locale="nl-NL")
        w = Watched(context.new_page())
        page = w.page
        page.goto(url + "/conflicten")
        assert "richtlijn.einddatum" in page.inner_text("main")
        shoot(page, "conflicts", tmp_path, full=False)
        with page.expect_navigation():
            page.click("form.button-form:has(input[value='theirs']) button")
        assert "Er wacht niets op een beslissing." in page.inner_text("main")
        with page.expect_navigation():
            page.click("form.button-form[action='/conflicten'] button")
        with page.expect_navigation():
            page.click("form.button-form[action='/sync'] button")
        assert "Gesynchroniseerd" in page.inner_text("main")
        assert w.clean() == [], w.errors
        context.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert "einddatum: 2027-04-30" in (bram.tanks / "slimmer" / "doetank.yaml").read_text()
    assert git(bram.root, "rev-parse", "HEAD") == git(server, "rev-parse", "main")
