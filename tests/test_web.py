"""doetank serve over plain HTTP: every change through the lifecycle, in the person's name, one commit each; and the
server's defences (CSRF, Host, token, paths, escaping, headers) as an attacker meets them."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from conftest import FILLED_ONTDEKKEN, RECORD, REPO, build_tree, git, isolate
from serving import Client, Reply, serving, two_clones_that_clash

from doetank_cli import lifecycle
from doetank_cli.vocab import Fase, UpdateKanaal
from doetank_cli.workspace import Workspace

TOKEN = "een-geheim-van-het-team-2026"  # noqa: S105  (a test token)


@pytest.fixture
def web(ws: Workspace, tank: str) -> Iterator[Client]:
    with serving(ws) as client:
        yield client


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, Client]]:
    """One workspace and server for the tests that change nothing (or must not): the defences."""
    with pytest.MonkeyPatch.context() as mp:
        isolate(mp, tmp_path_factory.mktemp("home"))
        root = tmp_path_factory.mktemp("shared") / "ws"
        lifecycle.init(root)
        ws = Workspace(root)
        build_tree(root, {"tanks/slimmer/doetank.yaml": RECORD, "tanks/slimmer/01-ontdekken.md": FILLED_ONTDEKKEN})
        git(root, "add", "tanks")
        git(root, "commit", "-qm", "add tank")
        with serving(ws) as client:
            yield ws, client


def found(pattern: str, text: str) -> str:
    """The first group of a pattern that must be on the page."""
    match = re.search(pattern, text)
    assert match is not None, pattern
    return match.group(1)


def state(ws: Workspace) -> tuple[str, str]:
    """HEAD and a hash of every file under tanks/: what 'nothing changed' means."""
    digest = hashlib.sha256()
    for path in sorted(ws.tanks.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(ws.root)).encode() + b"\0" + path.read_bytes())
    return git(ws.root, "rev-parse", "HEAD").strip(), digest.hexdigest()


#: every POST route, with fields that would change something if the request were let through
POSTS = [
    ("/nieuw", {"naam": "Nieuwe tank", "vraagstuk": "Iets concreets", "organisatie": "Gemeente Ede"}),
    ("/tanks/slimmer/member-add", {"naam": "Eva", "rol": "doetanker", "organisatie": "X", "sector": "publiek"}),
    ("/tanks/slimmer/member-remove", {"naam": "Bram Peters"}),
    ("/tanks/slimmer/vraagstuk", {"vraagstuk": "Ander probleem"}),
    ("/tanks/slimmer/opdrachtgever", {"naam": "Piet"}),
    ("/tanks/slimmer/kickoff", {"datum": "2026-11-02", "locatie": "Zeist"}),
    ("/tanks/slimmer/update", {"kanaal": "blog", "url": "https://example.nl/blog"}),
    ("/tanks/slimmer/consult", {"expert": "Dr. X", "vraag": "Waarom?"}),
    ("/tanks/slimmer/plan", {"einddatum": "2027-12-31"}),
    ("/tanks/slimmer/advance", {}),
    ("/tanks/slimmer/stop", {"reden": "klaar"}),
    ("/tanks/slimmer/waive", {"regel": "DT011", "reden": "tijdelijk"}),
    ("/tanks/slimmer/notitie", {"tekst": "# X\n", "basis": ""}),
    ("/tanks/slimmer/member-set", {"naam": "Bram Peters", "rol": "coach"}),
    ("/tanks/slimmer/rename", {"naam": "Anders"}),
    ("/undo", {}),
    ("/sync", {}),
    ("/conflicten/slimmer", {"bestand": "tanks/slimmer/doetank.yaml", "veld": "naam", "keuze": "ours"}),
    ("/conflicten", {}),
]


# --------------------------------------------------------------------------- changes


def test_a_change_is_one_commit_in_the_persons_name_with_the_clis_trailers(ws: Workspace, web: Client) -> None:
    web.post("/wie", {"naam": "Anna de Vries", "email": "anna@utrecht.nl", "terug": "/tanks/slimmer"})
    before = git(ws.root, "rev-parse", "HEAD").strip()
    reply = web.post("/tanks/slimmer/kickoff", {"datum": "2026-11-21", "locatie": "Stadskantoor"})
    assert reply.status == 303 and reply.location == "/tanks/slimmer"
    assert git(ws.root, "rev-list", "--count", f"{before}..HEAD").strip() == "1"
    who = git(ws.root, "log", "-1", "--format=%an <%ae>|%cn <%ce>|%B")
    author, committer, message = who.split("|", 2)
    assert author == "Anna de Vries <anna@utrecht.nl>"
    assert committer == "Test Trekker <trekker@example.nl>"  # the machine's own identity commits
    assert "Doetank-Tank: slimmer" in message and "Doetank-Command: kickoff" in message
    assert "kickoff: {datum: 2026-11-21, locatie: Stadskantoor}" in (ws.tanks / "slimmer" / "doetank.yaml").read_text()
    page = web.follow(reply)
    assert "kickoff on 21 November 2026 at Stadskantoor" in page.text and "Anna de Vries" in page.text
    # the CLI makes the same commit, with the same trailers, in the machine's name
    lifecycle.kickoff(ws, "slimmer", date(2026, 11, 22), "Kennisland")
    cli = git(ws.root, "log", "-1", "--format=%an|%B")
    assert cli.startswith("Test Trekker|doetank kickoff: slimmer:") and "Doetank-Command: kickoff" in cli


def test_before_a_name_is_given_every_page_works_and_the_machine_is_the_author(ws: Workspace, web: Client) -> None:
    page = web.get("/tanks/slimmer")
    assert page.status == 200 and 'action="/wie"' in page.text
    assert web.post("/tanks/slimmer/plan", {"einddatum": "2027-12-31"}).status == 303
    assert git(ws.root, "log", "-1", "--format=%an").strip() == "Test Trekker"


def test_a_name_that_cannot_be_an_author_is_refused_with_its_reason(ws: Workspace, web: Client) -> None:
    reply = web.post("/wie", {"naam": "Mallory <evil@x>", "email": ""})
    assert reply.status == 400 and "without &lt; or &gt;" in reply.text
    assert "doetank_person" not in web.cookies
    assert web.post("/wie", {"naam": "Anna", "email": "geen adres"}).status == 400
    assert "doetank_person" not in web.cookies


def test_bad_input_is_said_in_a_sentence_and_kept_in_the_form_nothing_changed(ws: Workspace, web: Client) -> None:
    before = state(ws)
    reply = web.post("/tanks/slimmer/kickoff", {"datum": "21-11-2026", "locatie": "Zeist"})
    assert reply.status == 400
    assert "Date: &#39;21-11-2026&#39; is not a date; write it as 2026-12-03, 3 December 2026" in reply.text
    assert 'value="21-11-2026"' in reply.text and 'value="Zeist"' in reply.text
    reply = web.post(
        "/tanks/slimmer/member-add",
        {"naam": "Anna de Vries", "rol": "doetanker", "organisatie": "X", "sector": "publiek"},
    )
    assert reply.status == 400 and "Anna de Vries is already in tank slimmer" in reply.text
    reply = web.post(
        "/tanks/slimmer/member-add", {"naam": "Zoë", "rol": "trekker", "organisatie": "X", "sector": "publiek"}
    )
    assert reply.status == 409 and "DT012" in reply.text  # the rule the CLI names, and its exit code's meaning
    assert web.post("/tanks/slimmer/update", {"kanaal": "blog", "url": "javascript:alert(1)"}).status == 400
    assert (
        web.post("/tanks/slimmer/member-add", {"naam": "A\x07B", "rol": "doetanker", "sector": "publiek"}).status == 400
    )
    assert state(ws) == before


def test_a_blocked_advance_goes_to_the_checklist_with_each_line_linked_to_its_form(ws: Workspace, web: Client) -> None:
    (ws.tanks / "slimmer" / "01-ontdekken.md").write_text("# X\n\n## De kern\n\nIets.\n", encoding="utf-8")
    record = ws.tanks / "slimmer" / "doetank.yaml"
    record.write_text(record.read_text().replace("kickoff: {datum: 2026-11-20, locatie: Kennisland}\n", ""))
    git(ws.root, "commit", "-qam", "less")
    before = state(ws)
    reply = web.post("/tanks/slimmer/advance")
    assert reply.status == 303 and reply.location == "/tanks/slimmer#volgende-stappen"
    page = web.follow(reply)
    assert re.search(r"Not yet: \d exit criteria for onderzoeken are not met\.", page.text)
    checklist = page.text[page.text.index('class="checklist"') :].split("</ol>", 1)[0]
    assert '<span class="rule">DT020</span>' in checklist and 'href="/tanks/slimmer#kickoff"' in checklist
    assert '<span class="rule">DT041</span>' in checklist and 'href="/tanks/slimmer/notitie"' in checklist
    assert 'id="kickoff"' in page.text
    assert state(ws) == before
    # fixed through the forms the checklist links to, the advance goes through
    web.post("/tanks/slimmer/kickoff", {"datum": "2026-11-20", "locatie": "Kennisland"})
    editor = web.get("/tanks/slimmer/notitie")
    basis = found(r'name="basis" value="([0-9a-f]+)"', editor.text)
    tekst = FILLED.replace("\n", "\r\n")  # as a browser sends a textarea
    assert web.post("/tanks/slimmer/notitie", {"tekst": tekst, "basis": basis}).status == 303
    assert (ws.tanks / "slimmer" / "01-ontdekken.md").read_bytes() == FILLED.encode()  # the file's own line endings
    moved = web.post("/tanks/slimmer/advance")
    assert moved.location == "/tanks/slimmer" and "ontdekken → onderzoeken" in web.follow(moved).text
    assert "Doetank-Fase: ontdekken -> onderzoeken" in git(ws.root, "log", "-1", "--format=%B")


FILLED = (
    "# X\n\n## De kern\n\nA.\n\n## Waarom is het een probleem, en voor wie?\n\nB.\n\n"
    "## Het probleem áchter het probleem\n\nC.\n"
)


def test_a_note_changed_since_the_editor_opened_is_refused_409_with_both_versions(ws: Workspace, web: Client) -> None:
    note = ws.tanks / "slimmer" / "01-ontdekken.md"
    editor = web.get("/tanks/slimmer/notitie")
    basis = found(r'name="basis" value="([0-9a-f]+)"', editor.text)
    note.write_text(note.read_text() + "\nBram schreef <b>dit</b> intussen.\n", encoding="utf-8")  # a colleague
    theirs = note.read_bytes()
    reply = web.post(
        "/tanks/slimmer/notitie", {"tekst": "# Mijn versie\n\n## De kern\n\nMijn tekst.\n", "basis": basis}
    )
    assert reply.status == 409
    assert note.read_bytes() == theirs  # never a silent overwrite
    assert "Bram schreef &lt;b&gt;dit&lt;/b&gt; intussen." in reply.text and "Mijn tekst." in reply.text
    new_basis = found(r'name="basis" value="([0-9a-f]+)"', reply.text)
    assert new_basis == hashlib.sha256(theirs).hexdigest()
    assert web.post("/tanks/slimmer/notitie", {"tekst": "# Samen\n", "basis": new_basis}).status == 303
    assert note.read_text() == "# Samen\n"
    assert "Doetank-Command: edit" in git(ws.root, "log", "-1", "--format=%B")


def test_a_new_tank_from_the_form(ws: Workspace, web: Client) -> None:
    reply = web.post(
        "/nieuw",
        {"naam": "Samen roosteren", "vraagstuk": "Roosters botsen", "organisatie": "Gemeente Ede", "trekker": "Eva"},
    )
    assert reply.status == 303 and reply.location == "/tanks/samen-roosteren"
    assert "started in ontdekken" in web.follow(reply).text
    assert (ws.tanks / "samen-roosteren" / "01-ontdekken.md").is_file()
    missing = web.post("/nieuw", {"naam": "Zonder vraagstuk", "vraagstuk": "", "organisatie": "X"})
    assert missing.status == 400 and "Fill in Vraagstuk." in missing.text and 'value="Zonder vraagstuk"' in missing.text


def test_undo_takes_back_the_change_the_person_saw_and_refuses_when_another_came_in_between(
    ws: Workspace, web: Client
) -> None:
    web.post("/tanks/slimmer/plan", {"einddatum": "2027-12-31"})
    page = web.get("/log")
    seen = found(r'name="laatste" value="([0-9a-f]+)"', page.text)
    lifecycle.plan(ws, "slimmer", date(2028, 1, 31), None, None)  # someone else, meanwhile
    before = state(ws)
    refused = web.post("/undo", {"laatste": seen, "terug": "/log"})
    assert refused.status == 409 and state(ws) == before
    fresh = found(r'name="laatste" value="([0-9a-f]+)"', web.get("/log").text)
    done = web.post("/undo", {"laatste": fresh, "terug": "/tanks/slimmer/log"})
    assert done.status == 303 and "Undone:" in web.follow(done).text
    assert "einddatum: 2027-12-31" in (ws.tanks / "slimmer" / "doetank.yaml").read_text()


def test_the_history_says_what_happened_as_doetank_log_does_with_the_day_written_out(
    ws: Workspace, web: Client
) -> None:
    """Never a commit's raw subject ('doetank kickoff: slimmer: ...', the English 'doetank init: workspace') nor git's
    ISO day: the words of `doetank log` (render.what_happened) and '28 November 2026'."""
    from doetank_cli import render

    lifecycle.kickoff(ws, "slimmer", date(2026, 11, 20), "Stadskantoor")
    for path in ("/log", "/tanks/slimmer/log"):
        page = web.get(path).text
        rows = re.findall(r"<tr><td>(.*?)</td>", page)
        assert rows and all(re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", day) for day in rows), rows
        assert "doetank kickoff:" not in page and "kickoff on 20 November 2026 at Stadskantoor" in page
        # the undo panel names the change as undo will say it: the tank, then what happened, on a written-out day
        assert (
            "Undo would take back: slimmer: kickoff on 20 November 2026 at Stadskantoor, by Test Trekker on 28" in page
        )
    network = web.get("/log").text
    assert "doetank init:" not in network and "workspace made" in network
    assert render.what_happened("doetank advance: slimmer: ontdekken -> onderzoeken") == "ontdekken → onderzoeken"


def test_the_board_shows_100_cards_a_column_and_the_rest_on_request(ws: Workspace, web: Client) -> None:
    files = {}
    for n in range(120):
        files[f"tanks/t{n:03d}/doetank.yaml"] = RECORD.replace("naam: Slimmer vergaderen", f"naam: Tank {n:03d}")
    build_tree(ws.root, files)
    board = web.get("/")
    column = board.text[board.text.index('id="kolom-ontdekken"') :].split("</section>", 1)[0]
    assert column.count('class="card"') == 100 and "Show all 121 in ontdekken" in column
    more = found(r'href="(/\?alle=ontdekken[^"]*)"', column).replace("&amp;", "&").split("#")[0]
    everything = web.get(more)
    column = everything.text[everything.text.index('id="kolom-ontdekken"') :].split("</section>", 1)[0]
    assert column.count('class="card"') == 121
    filtered = web.get("/?naam=tank+11")
    assert len(re.findall(r'data-slug="t11\d"', filtered.text)) == 10 and 'data-slug="slimmer"' not in filtered.text


def test_parts_not_built_yet_say_so_on_a_page_of_their_own(web: Client) -> None:
    for path, module in (("/conflicten", "resolve"), ("/lessen", "lessons"), ("/zoek?q=vergaderen", "search")):
        reply = web.get(path)
        if importlib.util.find_spec(f"doetank_cli.{module}") is None:
            assert reply.status == 501 and "not part of this version of doetank yet" in reply.text, path
        else:
            assert reply.status == 200, path


def test_a_bug_while_answering_is_kept_under_dot_doetank_and_the_page_says_where(
    ws: Workspace, web: Client, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """As the CLI does (framework.keep_crash): the traceback in .doetank/crash-*.txt, one line in the server's window,
    and a page of one sentence and the file's place in the workspace; never the traceback in the page."""
    from doetank_cli.web import views

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("een fout in de code")

    monkeypatch.setattr(views, "board", broken)
    for _attempt in range(2):  # two bugs in the same second: two reports
        page = web.get("/")
        assert page.status == 500
        assert "Traceback" not in page.text and "een fout in de code" not in page.text
    reports = sorted((ws.root / ".doetank").glob("crash-*.txt"))
    assert len(reports) == 2, reports
    kept = reports[-1].read_text(encoding="utf-8")
    assert "doetank serve: GET /" in kept and "RuntimeError: een fout in de code" in kept and "Traceback" in kept
    shown = found(r"The details are in (\.doetank/crash-[\w-]+\.txt) in the workspace", page.text)
    assert (ws.root / shown).is_file()
    window = capfd.readouterr().err
    assert "an unexpected error (a bug) while answering /; the details are in" in window
    assert "Traceback" not in window
    assert "crash-" not in git(ws.root, "status", "--porcelain")  # .doetank/ is never shared


def test_the_waive_form_offers_only_the_rules_that_can_be_waived(ws: Workspace, web: Client) -> None:
    """The select lists every rule a waiver can set aside, and none of rules.UNWAIVABLE (DT050, DT060), which the
    lifecycle would refuse after the person wrote a reason."""
    from doetank_cli import rules

    page = web.get("/tanks/slimmer")
    form = page.text[page.text.index('action="/tanks/slimmer/waive"') :].split("</form>", 1)[0]
    offered = re.findall(r'<option value="(DT\d+)"', form)
    assert offered == [r.id for r in rules.RULES if r.id not in {"DT050", "DT060"}]
    assert {"DT050", "DT060"} <= {r.id for r in rules.RULES}


def test_the_overview_page_shows_the_figures_of_doetank_overview_linked_from_the_board(
    ws: Workspace, web: Client
) -> None:
    """/overzicht is `doetank overview` in the browser: the same figures (network.figures), each tank that needs
    attention linked to its page here, private tanks included (this is the workspace, not the public site)."""
    from doetank_cli import index, network

    later = RECORD.replace("naam: Slimmer vergaderen", "naam: Zonder coach").replace(
        "  - {naam: Cor Smit, rol: coach, organisatie: Kennisland, sector: extern}\n", ""
    )
    moved = RECORD.replace("naam: Slimmer vergaderen", "naam: Al verder").replace(
        "fase: ontdekken\n", "fase: onderzoeken\n"
    )
    moved = moved.replace(
        "  - {fase: ontdekken, datum: 2026-11-01}\n",
        "  - {fase: ontdekken, datum: 2026-11-01}\n  - {fase: onderzoeken, datum: 2026-11-15}\n",
    )
    build_tree(ws.root, {
        "tanks/zonder-coach/doetank.yaml": later + "publiek: false\n",
        "tanks/al-verder/doetank.yaml": moved,
    })  # fmt: skip
    board = web.get("/")
    assert 'href="/overzicht"' in board.text
    page = web.get("/overzicht")
    assert page.status == 200, page.text
    assert "Every Doetank of this workspace on 28 November 2026, public or not" in page.text
    assert "public Doetanks" not in page.text  # the site's sentence: the site shows only those
    ov = network.overview(ws, findings=False)
    fig = network.figures(ov, index.last_changes(ws, ov.tanks))
    assert fig.per_fase[Fase.ontdekken] == 2 and fig.per_fase[Fase.onderzoeken] == 1
    # the chart's words (its text alternative) carry the same figures
    assert "1. ontdekken: 2; 2. onderzoeken: 1; 3. ontwikkelen: 0" in page.text
    assert "2. onderzoeken: spent –, guideline –" in page.text and "1. ontdekken: spent 14 d" in page.text
    coach = page.text[page.text.index("No coach yet") :]
    assert re.match(r"No coach yet \(1\)</h3><ul><li><a href=\"/tanks/zonder-coach\">Zonder coach</a>", coach)
    assert web.get("/tanks/zonder-coach").status == 200


def test_a_terminal_and_the_browser_at_once_never_interleave(ws: Workspace, web: Client) -> None:
    """Writers through the browser and the lifecycle functions at once: every change lands, one commit each."""
    before = int(git(ws.root, "rev-list", "--count", "HEAD"))

    def browser(n: int) -> None:
        client = Client(web.port)
        for i in range(4):
            assert (
                client.post("/tanks/slimmer/update", {"kanaal": "blog", "url": f"https://b.nl/{n}/{i}"}).status == 303
            )

    def terminal() -> None:
        for i in range(4):
            lifecycle.add_update(ws, "slimmer", UpdateKanaal.linkedin, f"https://t.nl/{i}", None)

    threads = [threading.Thread(target=browser, args=(n,)) for n in range(3)] + [threading.Thread(target=terminal)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    record = (ws.tanks / "slimmer" / "doetank.yaml").read_text()
    assert all(f"https://b.nl/{n}/{i}" in record for n in range(3) for i in range(4))
    assert all(f"https://t.nl/{i}" in record for i in range(4))
    assert int(git(ws.root, "rev-list", "--count", "HEAD")) == before + 16


# --------------------------------------------------------------------------- defences


@pytest.mark.parametrize(("path", "fields"), POSTS, ids=[p for p, _f in POSTS])
def test_a_post_without_or_with_a_wrong_csrf_token_is_403_and_changes_nothing(
    shared: tuple[Workspace, Client], path: str, fields: dict[str, str]
) -> None:
    ws, web = shared
    before = state(ws)
    assert web.post(path, fields, csrf=False).status == 403
    assert web.post(path, {**fields, "csrf": "0" * 64}).status == 403
    stranger = Client(web.port)  # a token of another session (another browser) is no good either
    assert stranger.post(path, {**fields, "csrf": web.csrf()}).status == 403
    assert web.request("POST", path, headers={"Content-Type": "text/plain"}).status == 403
    assert state(ws) == before


def test_a_post_from_another_site_is_refused(ws: Workspace, web: Client) -> None:
    before = state(ws)
    fields = {"einddatum": "2027-12-31"}
    assert (
        web.request(
            "POST", "/tanks/slimmer/plan", {**fields, "csrf": web.csrf()}, {"Origin": "http://evil.example"}
        ).status
        == 403
    )
    assert (
        web.request(
            "POST", "/tanks/slimmer/plan", {**fields, "csrf": web.csrf()}, {"Sec-Fetch-Site": "cross-site"}
        ).status
        == 403
    )
    assert state(ws) == before


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:{port}",
        "127.0.0.1:1",
        "localhost.evil.example:{port}",
        "127.0.0.1:{port}@evil",
        "",
    ],
)
def test_a_request_for_another_host_is_400(shared: tuple[Workspace, Client], host: str) -> None:
    web = shared[1]
    client = Client(web.port, host=host.format(port=web.port))
    assert client.get("/").status == 400
    assert client.request("POST", "/tanks/slimmer/plan", {"einddatum": "2027-01-01"}).status == 400
    assert Client(web.port, host=f"localhost:{web.port}").get("/").status == 200


def test_beyond_loopback_the_machines_own_names_and_allowed_hosts_are_served(ws: Workspace, tank: str) -> None:
    with serving(ws, host="0.0.0.0", token=TOKEN, allowed=("doetank.gemeente.nl",)) as client:  # noqa: S104
        assert Client(client.port, host="doetank.gemeente.nl").get(f"/?token={TOKEN}").status == 400  # port 80
        ok = Client(client.port, host=f"doetank.gemeente.nl:{client.port}").get(f"/?token={TOKEN}")
        assert ok.status == 200
        assert Client(client.port, host=f"{socket.gethostname()}:{client.port}").get("/").status == 401
        assert Client(client.port, host=f"evil.example:{client.port}").get(f"/?token={TOKEN}").status == 400


TRAVERSALS = [
    "/static/../app.py",
    "/static/..%2fapp.py",
    "/static/%2e%2e%2fapp.py",
    "/static/..%5capp.py",
    "/static/%2e%2e/web/app.py",
    "/static/templates%2fbase.html",
    "/tanks/..%2f..%2fetc%2fpasswd",
    "/tanks/%2e%2e",
    "/tanks/..",
    "/tanks/../../etc/passwd",
    "/tanks/slimmer%2f..%2f..%2f..%2fetc%2fpasswd",
    "/tanks/..%2f..%2fetc/notitie",
    "/tanks/..%2f..%2fetc/log",
    "/tanks/%2e%2e%2ftemplates/notitie",
    "/tanks/.git/log",
    "/tanks/slimmer/..%2f..%2f..%2fetc%2fpasswd",
    "/.git/config",
    "/tanks/slimmer/doetank.yaml",
    "/tanks/slimmer/01-ontdekken.md",
    "/%2e%2e/%2e%2e/etc/passwd",
    "//etc/passwd",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_path_outside_the_workspace_or_the_packaged_files_is_served(
    shared: tuple[Workspace, Client], path: str
) -> None:
    web = shared[1]
    reply = web.get(path)
    assert reply.status == 404, (path, reply.status)
    assert "root:" not in reply.text and "import" not in reply.text and "naam:" not in reply.text


@pytest.mark.parametrize(
    "path",
    ["/tanks/..%2f..%2fetc/kickoff", "/tanks/%2e%2e/kickoff", "/conflicten/..%2f..%2fetc", "/tanks/.git/kickoff"],
)
def test_a_post_to_a_path_outside_the_workspace_is_404(shared: tuple[Workspace, Client], path: str) -> None:
    ws, web = shared
    before = state(ws)
    assert web.post(path, {"datum": "2026-11-02"}).status == 404
    assert state(ws) == before


def test_a_tank_folder_linked_outside_the_workspace_is_not_served(ws: Workspace, web: Client, tmp_path: Path) -> None:
    outside = build_tree(tmp_path / "outside", {"doetank.yaml": RECORD.replace("Slimmer vergaderen", "Geheim buiten")})
    (ws.tanks / "buiten").symlink_to(outside, target_is_directory=True)
    assert web.get("/tanks/buiten").status == 404
    assert web.post("/tanks/buiten/kickoff", {"datum": "2026-11-02"}).status == 404
    assert "Geheim buiten" not in web.get("/").text
    note = ws.tanks / "slimmer" / "01-ontdekken.md"
    note.unlink()
    note.symlink_to(outside / "doetank.yaml")
    assert "Geheim buiten" not in web.get("/tanks/slimmer").text
    editor = web.get("/tanks/slimmer/notitie")
    assert editor.status != 200 and "Geheim buiten" not in editor.text and "will not follow it" in editor.text


def test_the_token_is_asked_once_then_kept_in_a_strict_httponly_cookie(ws: Workspace, tank: str) -> None:
    with serving(ws, token=TOKEN) as client:
        assert client.get("/").status == 401
        assert client.get("/tanks/slimmer?token=wrong-wrong-wrong-wrong").status == 401
        assert client.post("/tanks/slimmer/plan", {"einddatum": "2027-01-01"}, csrf=False).status == 401
        welcome = client.get(f"/tanks/slimmer?token={TOKEN}")
        assert welcome.status == 200
        assert 'http-equiv="refresh" content="0; url=/tanks/slimmer"' in welcome.text and TOKEN not in welcome.text
        cookie = next(c for c in welcome.headers.get_all("set-cookie") or [] if c.startswith("doetank_access_"))
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict") and TOKEN not in cookie
        page = client.get("/tanks/slimmer")
        assert page.status == 200 and TOKEN not in page.text
        assert client.post("/tanks/slimmer/plan", {"einddatum": "2027-01-01"}).status == 303
        # a link opened from another site arrives without the Strict cookie: the page tries once more by itself
        stranger = Client(client.port)
        retry = stranger.get("/tanks/slimmer")
        assert retry.status == 401 and 'content="0; url=/tanks/slimmer?toegang=1"' in retry.text
        assert 'http-equiv="refresh"' not in stranger.get("/tanks/slimmer?toegang=1").text


def test_a_token_is_required_beyond_loopback_and_must_be_long_enough(run, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run("serve", "--host", "0.0.0.0", "--no-open")  # noqa: S104
    assert result.exit_code == 2 and "--token" in result.output
    assert run("serve", "--host", "192.168.1.20", "--no-open").exit_code == 2
    assert run("serve", "--host", "0.0.0.0", "--token", "kort", "--no-open").exit_code == 2  # noqa: S104
    monkeypatch.setenv("DOETANK_TOKEN", "ook-kort")
    assert run("serve", "--host", "0.0.0.0", "--no-open").exit_code == 2  # noqa: S104
    assert run("serve", "--port", "70000", "--no-open").exit_code == 2
    assert run("serve", "--allowed-host", "a b", "--no-open").exit_code == 2


def test_a_port_in_use_is_named_with_what_to_do(run) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = run("serve", "--port", str(port), "--no-open")
    assert result.exit_code == 4
    assert f"Port {port} is in use" in result.output and "--port" in result.output


XSS = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)><svg onload=alert(3)>"


def test_script_typed_into_any_field_is_shown_as_text(ws: Workspace, web: Client) -> None:
    web.post("/wie", {"naam": "Eve " + XSS.replace("<", "").replace(">", ""), "email": ""})
    created = web.post("/nieuw", {"naam": "X" + XSS, "vraagstuk": XSS, "organisatie": XSS, "groter_vraagstuk": XSS,
                                  "opdrachtgever": XSS, "trekker": XSS})  # fmt: skip
    assert created.location is not None
    slug = created.location.rsplit("/", 1)[1]
    for action, fields in [
        ("member-add", {"naam": XSS + "2", "rol": "doetanker", "organisatie": XSS, "sector": "publiek"}),
        ("opdrachtgever", {"naam": XSS + "3", "organisatie": XSS}),
        ("kickoff", {"datum": "2026-11-02", "locatie": XSS}),
        ("update", {"kanaal": "blog", "url": "https://x.nl/" + XSS}),
        ("consult", {"expert": XSS, "vraag": XSS}),
        ("waive", {"regel": "DT011", "reden": XSS}),
        ("stop", {"reden": XSS}),
    ]:
        assert web.post(f"/tanks/{slug}/{action}", fields).status == 303, action
    editor = web.get(f"/tanks/{slug}/notitie")
    basis = found(r'name="basis" value="([0-9a-f]+)"', editor.text)
    web.post(
        f"/tanks/{slug}/notitie",
        {"tekst": "# T\n\n## De kern\n\n" + XSS + "\n[x](javascript:alert(4))\n", "basis": basis},
    )
    pages = [web.get(p).text for p in ("/", f"/tanks/{slug}", f"/tanks/{slug}/notitie", f"/tanks/{slug}/log", "/log")]
    bad = web.post(f"/tanks/{slug}/kickoff", {"datum": XSS, "locatie": XSS}).text  # an error page echoes input
    for text in [*pages, bad]:
        assert "<script>alert" not in text and "<img src=x" not in text and "<svg onload" not in text
        assert "javascript:alert" not in text.replace("javascript:alert(4)", "") or 'href="javascript' not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[1]


def test_every_page_carries_the_csp_and_no_inline_script_handler_or_style(ws: Workspace, web: Client) -> None:
    paths = ["/", "/tanks/slimmer", "/tanks/slimmer/notitie", "/tanks/slimmer/log", "/log", "/nieuw", "/sync", "/wie",
             "/nope", "/conflicten"]  # fmt: skip
    for path in paths:
        reply = web.get(path)
        csp = reply.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
        assert reply.headers["x-content-type-options"] == "nosniff" and reply.headers["x-frame-options"] == "DENY"
        assert reply.headers["cache-control"] == "no-store"
        assert not re.search(r"<script(?![^>]*\bsrc=)", reply.text), path
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", reply.text), path
        assert not re.search(r"<[^>]+\sstyle\s*=", reply.text), path
    assert Client(web.port, host="evil.example").get("/").headers["content-security-policy"]


def test_every_field_has_a_label(web: Client) -> None:
    for path in ("/", "/tanks/slimmer", "/tanks/slimmer/notitie", "/nieuw", "/wie"):
        text = web.get(path).text
        labels = set(re.findall(r'<label for="([^"]+)"', text))
        for tag, attrs in re.findall(r"<(input|select|textarea)\b([^>]*)>", text):
            if 'type="hidden"' in attrs:
                continue
            found = re.search(r'\bid="([^"]+)"', attrs)
            assert found and found.group(1) in labels, (path, tag, attrs)


def contrast(a: str, b: str) -> float:
    def lum(hex_colour: str) -> float:
        rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_the_colours_meet_wcag_aa_contrast() -> None:
    css = (Path(__file__).parent.parent / "doetank_cli" / "web" / "static" / "doetank.css").read_text()
    colour = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-f]{6})", css))
    pairs = [("ink", "paper"), ("ink", "tint"), ("muted", "paper"), ("muted", "tint"), ("accent", "paper"),
             ("accent", "tint"), ("ok", "paper"), ("ok", "ok-bg"), ("late", "paper"), ("late", "late-bg"),
             ("warn", "paper"), ("warn", "warn-bg"), ("ink", "late-bg"), ("ink", "warn-bg"), ("ink", "ok-bg"),
             ("accent-dark", "paper")]  # fmt: skip
    for fg, bg in pairs:
        assert contrast(colour[fg], colour[bg]) >= 4.5, (fg, bg, contrast(colour[fg], colour[bg]))
    assert contrast("#ffffff", colour["accent"]) >= 4.5 and contrast("#ffffff", colour["accent-dark"]) >= 4.5
    assert contrast(colour["focus"], colour["ink"]) >= 3  # the focus ring against its dark edge


def test_serve_prints_its_address_first_and_serves_the_workspace(ws: Workspace, tank: str, tmp_path: Path) -> None:
    env = {**os.environ, "DOETANK_LANG": "en"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "doetank_cli", "--root", str(ws.root), "serve", "--port", "0", "--no-open"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", url), url
        port = int(url.rsplit(":", 1)[1].strip("/"))
        assert "Slimmer vergaderen" in Client(port).get("/").text
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_synchronise_shows_what_came_in_and_went_out_in_the_persons_name(
    ws: Workspace, tank: str, tmp_path: Path
) -> None:
    server = tmp_path / "server.git"
    git(tmp_path, "init", "--quiet", "--bare", str(server))
    git(ws.root, "remote", "add", "origin", str(server))
    git(ws.root, "push", "--quiet", "-u", "origin", "main")
    git(tmp_path, "clone", "--quiet", str(server), "bram")
    other = Workspace(tmp_path / "bram")
    lifecycle.plan(other, "slimmer", date(2027, 9, 30), None, None)
    git(other.root, "push", "--quiet", "origin", "main")
    with serving(ws) as web:
        web.post("/wie", {"naam": "Anna de Vries", "email": ""})
        web.post("/tanks/slimmer/kickoff", {"datum": "2026-11-21", "locatie": "Zeist"})
        reply = web.post("/sync")
        assert reply.status == 200, reply.text[-3000:]
        assert "Synchronised with the team&#39;s server" in reply.text and "origin" not in reply.text
        came_in = reply.text[reply.text.index("Came in") :]
        assert 'href="/tanks/slimmer"' in came_in
    assert "einddatum: 2027-09-30" in (ws.tanks / "slimmer" / "doetank.yaml").read_text()
    assert "Anna de Vries" in git(ws.root, "log", "-3", "--format=%an")
    assert git(ws.root, "rev-parse", "HEAD") == git(server, "rev-parse", "main")  # pushed


def test_synchronise_shows_a_tank_renamed_elsewhere_as_renamed(ws: Workspace, tank: str, tmp_path: Path) -> None:
    """The page tells what sync.py found, as the terminal does: old → new, never a new tank."""
    server = tmp_path / "server.git"
    git(tmp_path, "init", "--quiet", "--bare", str(server))
    git(ws.root, "remote", "add", "origin", str(server))
    git(ws.root, "push", "--quiet", "-u", "origin", "main")
    git(tmp_path, "clone", "--quiet", str(server), "bram")
    lifecycle.rename(Workspace(tmp_path / "bram"), "slimmer", "Beter vergaderen")
    git(tmp_path / "bram", "push", "--quiet", "origin", "main")
    with serving(ws) as web:
        reply = web.post("/sync")
        assert reply.status == 200, reply.text[-3000:]
        came_in = " ".join(reply.text[reply.text.index("Came in") :].split())
        assert 'slimmer → <a href="/tanks/beter-vergaderen">beter-vergaderen</a>: renamed' in came_in, came_in
        assert "new, in" not in came_in and "removed" not in came_in


def test_sync_without_a_server_says_who_can_connect_one(web: Client) -> None:
    reply = web.post("/sync")
    assert reply.status == 409 and "not connected to the team&#39;s server" in reply.text, reply.text
    assert "Ask whoever set up this workspace" in reply.text and "git remote" not in reply.text


def test_a_record_that_does_not_read_is_named_never_skipped_and_never_rewritten(ws: Workspace, web: Client) -> None:
    broken = "naam: Kapot\nfase: ontdekken\n  status: [actief\n"
    build_tree(ws.root, {"tanks/kapot/doetank.yaml": broken})
    board = web.get("/")
    assert board.status == 200 and "tanks/kapot/doetank.yaml" in board.text and "could not be read" in board.text
    page = web.get("/tanks/kapot")
    assert page.status == 422 and "tanks/kapot/doetank.yaml:" in page.text
    assert web.post("/tanks/kapot/kickoff", {"datum": "2026-11-02", "locatie": "X"}).status == 422
    assert (ws.tanks / "kapot" / "doetank.yaml").read_text() == broken


def test_outside_git_changes_are_saved_and_the_page_says_nothing_is_versioned(tmp_path: Path) -> None:
    root = build_tree(tmp_path / "los", {"tanks/slimmer/doetank.yaml": RECORD})
    with serving(Workspace(root)) as web:
        page = web.follow(web.post("/tanks/slimmer/kickoff", {"datum": "2026-11-02", "locatie": "Zeist"}))
        assert "Nothing is versioned" in page.text
        history = web.get("/log")
        assert history.status == 409 and "not in a git repository, so there is no history to show" in history.text
    assert "locatie: Zeist" in (root / "tanks" / "slimmer" / "doetank.yaml").read_text()


def test_a_member_changed_in_place_and_the_tank_renamed_in_the_persons_name(ws: Workspace, web: Client) -> None:
    web.post("/wie", {"naam": "Anna de Vries", "email": ""})
    page = web.get("/tanks/slimmer")
    assert 'action="/tanks/slimmer/member-set"' in page.text and 'action="/tanks/slimmer/rename"' in page.text
    fields = {"naam": "Bram Peters", "rol": "doetanker", "organisatie": "Gemeente Ede", "sector": "publiek"}
    assert web.post("/tanks/slimmer/member-set", {**fields, "nieuwe_naam": ""}).status == 303
    assert (
        "{naam: Bram Peters, rol: doetanker, organisatie: Gemeente Ede"
        in (ws.tanks / "slimmer" / "doetank.yaml").read_text()
    )
    renamed = web.post("/tanks/slimmer/rename", {"naam": "Sneller besluiten"})
    assert renamed.status == 303 and renamed.location == "/tanks/sneller-besluiten"
    assert "Sneller besluiten" in web.follow(renamed).text
    assert git(ws.root, "log", "-2", "--format=%an").split() == ["Anna", "de", "Vries", "Anna", "de", "Vries"]


def test_the_board_says_what_needs_attention_and_filters_on_it(ws: Workspace, web: Client) -> None:
    shutil.copytree(REPO / "tanks", ws.tanks, dirs_exist_ok=True)
    board = web.get("/")
    attention = board.text[board.text.index('class="attention"') :].split("</section>", 1)[0]
    assert (
        "<strong>1</strong> coach still sought" in attention
        and "<strong>1</strong> opdrachtgever still sought" in attention
    )
    sought = web.get("/?aandacht=coach")
    assert re.findall(r'data-slug="([\w-]+)"', sought.text) == ["een-keer-je-verhaal"]
    assert "1 tank fits the filter." in sought.text
    late = web.get("/?fase=leren&status=actief")
    assert re.findall(r'data-slug="([\w-]+)"', late.text) == ["nieuwe-collegas-snel-op-weg"]
    assert web.get("/?fase=<script>&aandacht=x").status == 200  # an unknown filter value is no filter


def card_of(page: Reply, slug: str) -> str:
    """One tank's card on the board (empty when the board shows none)."""
    found = re.search(rf'<li class="card" data-slug="{slug}">(.*?)</li>', page.text, re.S)
    return found.group(1) if found else ""


def attention_count(page: Reply, words: str) -> str:
    return found(rf"<strong>(\d+)</strong> {words}", page.text)


def test_the_board_marks_a_tank_past_its_guideline_unless_dt031_is_waived(ws: Workspace, web: Client) -> None:
    """The mark follows DT031 as check counts it: a waiver takes it away, as it takes the warning out of check."""
    record = ws.record_path("slimmer")
    record.write_text(record.read_text().replace("einddatum: 2027-06-30", "einddatum: 2026-11-01"))
    late = web.get("/")
    assert "past its guideline" in card_of(late, "slimmer") and attention_count(late, "past its guideline") == "1"
    lifecycle.waive(ws, "slimmer", "DT031", "De opdrachtgever gaf ons tot maart")
    waived = web.get("/")
    assert "past its guideline" not in card_of(waived, "slimmer")
    assert attention_count(waived, "past its guideline") == "0"


def test_the_board_follows_every_change_made_beside_the_browser_between_two_requests(
    ws: Workspace, web: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The board made of the index's snapshot is used again only while every record is that snapshot's row: an edit
    in place that keeps the size and the modification time, a command at a terminal, a new tank folder, a tank
    removed, and another day are all on the next page."""
    first = web.get("/")
    assert web.get("/").text.count('class="card"') == first.text.count('class="card"') == 1
    assert "27 days in this phase" in card_of(first, "slimmer")
    record = ws.record_path("slimmer")
    before = record.stat()
    record.write_bytes(record.read_bytes().replace(b"Slimmer vergaderen", b"Sneller vergaderen"))
    os.utime(record, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert record.stat().st_size == before.st_size and record.stat().st_mtime_ns == before.st_mtime_ns
    assert ">Sneller vergaderen</a>" in card_of(web.get("/"), "slimmer")
    lifecycle.stop(ws, "slimmer", "De opdrachtgever trok zich terug")
    assert '<span class="badge gestopt">' in card_of(web.get("/"), "slimmer")
    build_tree(ws.root, {"tanks/tweede/doetank.yaml": RECORD.replace("Slimmer vergaderen", "Tweede tank")})
    assert ">Tweede tank</a>" in card_of(web.get("/"), "tweede")
    shutil.rmtree(ws.tanks / "slimmer")
    gone = web.get("/")
    assert not card_of(gone, "slimmer") and "1 tank in this workspace." in gone.text
    assert "27 days in this phase" in card_of(web.get("/"), "tweede")  # a board made of the snapshot, kept
    monkeypatch.setenv("DOETANK_TODAY", "2026-11-30")  # the tank's row holds for months: the board must not
    assert "29 days in this phase" in card_of(web.get("/"), "tweede")


def test_a_server_never_forks_its_workers_from_a_threaded_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fork copies only the calling thread: a lock another thread held stays held in the child, which then hangs
    (seen: the first board over 1,000 changed records never answered). With threads running, workers are spawned."""
    from doetank_cli import system

    monkeypatch.setattr(system, "PLATFORM", "linux")
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    alone = system.start_method()
    monkeypatch.setattr(threading, "active_count", lambda: 3)  # the event loop and a request's worker thread
    assert system.start_method() == "spawn"
    assert alone == ("fork" if hasattr(os, "fork") else "spawn")


needs_resolve = pytest.mark.skipif(
    importlib.util.find_spec("doetank_cli.resolve") is None, reason="deciding conflicts is built in issue #12"
)


@needs_resolve
def test_a_clash_between_two_clones_is_decided_with_buttons_in_the_persons_name(tmp_path: Path) -> None:
    _anna, bram, server = two_clones_that_clash(tmp_path)
    with serving(bram) as web:
        web.post("/wie", {"naam": "Bram Peters", "email": "bram@rws.nl"})
        page = web.get("/conflicten")
        assert page.status == 200 and "richtlijn.einddatum" in page.text
        assert "2027-04-30" in page.text and "2027-05-31" in page.text
        assert web.get("/tanks/slimmer").status == 200  # the tank's page still opens, and says what is open
        wrong = web.post("/conflicten/anders", {"bestand": "tanks/slimmer/doetank.yaml", "veld": "richtlijn.einddatum"})
        assert wrong.status == 404  # a file of another tank than the address names
        fields = {"bestand": "tanks/slimmer/doetank.yaml", "veld": "richtlijn.einddatum", "keuze": "theirs"}
        decided = web.post("/conflicten/slimmer", fields)
        assert decided.status == 303, decided.text[-2000:]
        assert "Nothing is waiting to be decided." in web.follow(decided).text
        finished = web.post("/conflicten")
        assert finished.status == 303
        synced = web.post("/sync")
        assert synced.status == 200
        said = " ".join(synced.text.split())
        assert "Went out" in said and "which leave every tank as the server has it" in said  # the decision was sent
        assert "changes that clashed, decided (slimmer)" in said and "Nothing new on either side" not in said
        assert "origin" not in said
    assert "einddatum: 2027-04-30" in (bram.tanks / "slimmer" / "doetank.yaml").read_text()
    assert git(bram.root, "log", "-1", "--format=%an", "main").strip() in ("Bram Peters", "Test Trekker")
    assert "Bram Peters" in git(bram.root, "log", "-3", "--format=%an")
    assert git(bram.root, "rev-parse", "HEAD") == git(server, "rev-parse", "main")


needs_knowledge = pytest.mark.skipif(
    importlib.util.find_spec("doetank_cli.search") is None, reason="lessons and search are built in issue #17"
)


@needs_knowledge
def test_the_networks_lessons_and_search_in_the_browser(ws: Workspace, web: Client) -> None:
    shutil.copytree(REPO / "tanks", ws.tanks, dirs_exist_ok=True)
    lessons = web.get("/lessen")
    assert lessons.status == 200
    works = lessons.text[lessons.text.index('id="soort-werkt"') :].split("</section>", 1)[0]
    assert "<li>" in works and 'href="/tanks/' in works
    found = web.get("/zoek?q=vergaderen")
    assert found.status == 200 and 'href="/tanks/slimmer-vergaderen"' in found.text
    hostile = web.get("/zoek?q=%3Cscript%3Ealert(1)%3C/script%3E")
    assert hostile.status == 200 and "<script>alert" not in hostile.text
