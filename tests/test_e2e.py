"""The installed `doetank`, run in a subprocess as a user would: a whole lifecycle, init to afgerond."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, git

pytestmark = pytest.mark.e2e

DOETANK = shutil.which("doetank", path=str(Path(sys.executable).parent)) or shutil.which("doetank")
FILL = """\
import re, sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
text = re.sub(r"(\\n## (?!.*optioneel).*\\n)", r"\\1\\nIngevuld door het team.\\n", text)
open(path, "w", encoding="utf-8").write(text)
"""


def doetank(cwd: Path, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    assert DOETANK, "doetank is not installed in this environment"
    proc = subprocess.run(
        [DOETANK, *args], cwd=cwd, capture_output=True, text=True, env=os.environ.copy(), stdin=subprocess.DEVNULL
    )
    if ok:
        assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def test_a_tank_goes_from_init_to_afgerond(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    editor = tmp_path / "fill.py"
    editor.write_text(FILL)
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    doetank(tmp_path, "init", "netwerk")
    ws = tmp_path / "netwerk"
    doetank(
        ws,
        "new",
        "Slimmer vergaderen",
        "--vraagstuk",
        "Overleggen zonder besluit",
        "--organisatie",
        "Gemeente Utrecht",
        "--groter-vraagstuk",
        "Sneller besluiten",
        "--opdrachtgever",
        "Karin Jansen",
        "--trekker",
        "Anna de Vries",
        "--einddatum",
        "2027-06-30",
    )
    blocked = doetank(ws, "advance", "slimmer", ok=False)
    assert blocked.returncode == 1 and "DT020" in blocked.stdout and "Traceback" not in blocked.stderr
    for naam, rol, sector in [
        ("Bram Peters", "doetanker", "publiek"),
        ("Dirk Jansen", "doetanker", "publiek"),
        ("Cor Smit", "coach", "extern"),
    ]:
        doetank(ws, "member", "add", "slim", naam, "--rol", rol, "--organisatie", "Org", "--sector", sector)
    doetank(ws, "kickoff", "slim", "--datum", "2026-11-20")
    doetank(ws, "update", "slim", "--kanaal", "linkedin", "--url", "https://www.linkedin.com/posts/x")
    doetank(ws, "update", "slim", "--kanaal", "blog", "--url", "https://slimmernetwerk.nl/x")
    phases = ["ontdekken", "onderzoeken", "ontwikkelen", "uitproberen", "leren", "overdragen"]
    for current, nxt in zip(phases, [*phases[1:], "afgerond"], strict=True):
        doetank(ws, "edit", "slim")
        moved = doetank(ws, "advance", "slim")
        assert f"{current} → {nxt}" in moved.stdout
    record = (ws / "tanks" / "slimmer-vergaderen" / "doetank.yaml").read_text()
    assert "status: afgerond" in record and "afgerond: 2026-11-28" in record
    assert sorted(p.name for p in (ws / "tanks" / "slimmer-vergaderen").glob("*.md")) == [
        f"{i + 1:02d}-{p}.md" for i, p in enumerate(phases)
    ]
    assert git(ws, "status", "--porcelain") == ""  # every change was committed
    fases = re.findall(r"Doetank-Fase: (.*)", git(ws, "log", "--format=%B"))
    assert "overdragen -> afgerond" in fases and "ontdekken -> onderzoeken" in fases
    status = json.loads(doetank(ws, "status", "--json").stdout)
    assert status[0]["status"] == "afgerond" and status[0]["fouten"] == 0
    log = doetank(ws, "log", "slim").stdout
    assert "Test Trekker" in log and "ontdekken → onderzoeken" in log


def test_the_example_workspace_is_a_real_dashboard(tmp_path: Path) -> None:
    shutil.copytree(REPO / "tanks", tmp_path / "tanks")
    proc = doetank(tmp_path, "status", "--json")
    tanks = json.loads(proc.stdout)
    assert len(tanks) >= 3
    assert len({t["fase"] for t in tanks}) >= 3
    assert any(t["coach"] is None and t["opdrachtgever"] is None for t in tanks)
    assert any(t["opdrachtgever"] for t in tanks)
    records = [p.read_text() for p in (tmp_path / "tanks").glob("*/doetank.yaml")]
    assert any("uitzonderingen:" in r for r in records)
    table = doetank(tmp_path, "status").stdout
    assert "coach still sought" in table and all(len(line) <= 80 for line in table.splitlines())


def test_errors_are_sentences_not_tracebacks(tmp_path: Path) -> None:
    proc = doetank(tmp_path, "status", ok=False)
    assert proc.returncode == 4 and "doetank init" in proc.stderr and "Traceback" not in proc.stderr
    (tmp_path / "tanks" / "kapot").mkdir(parents=True)
    (tmp_path / "tanks" / "kapot" / "doetank.yaml").write_text("naam: X\nfase: ontdekken\nfase: leren\n")
    proc = doetank(tmp_path, "advance", "kapot", ok=False)
    assert proc.returncode == 3 and "tanks/kapot/doetank.yaml:3: found duplicate key" in proc.stderr


@pytest.fixture
def no_git_identity(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A laptop where git has no user.name or user.email."""
    empty = tmp_path / "empty-gitconfig"
    empty.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))


def test_no_git_identity_still_commits_and_says_once_who_can_set_one(tmp_path: Path, no_git_identity: None) -> None:
    made = doetank(tmp_path, "init", "ws")
    assert 'Set yours once, for every workspace: doetank config set naam "Your Name"' in made.stderr + made.stdout
    proc = doetank(tmp_path / "ws", "new", "Tank", "--vraagstuk", "P", "--organisatie", "O")
    assert "doetank config set naam" not in proc.stderr  # said once per workspace
    assert git(tmp_path / "ws", "status", "--porcelain") == ""
    # a person without git sets their own name and address with doetank, once, and is the author from then on
    assert doetank(tmp_path, "config", "set", "email", "anna bij utrecht", ok=False).returncode == 2
    assert doetank(tmp_path, "config", "set", "naam", "<script>", ok=False).returncode == 2
    doetank(tmp_path, "config", "set", "naam", "Anna de Vries")
    doetank(tmp_path, "config", "set", "email", "anna@utrecht.nl")
    doetank(tmp_path / "ws", "plan", "tank", "--einddatum", "2027-06-30")
    assert git(tmp_path / "ws", "log", "-1", "--format=%an <%ae>").strip() == "Anna de Vries <anna@utrecht.nl>"


def test_a_hand_edited_name_in_the_settings_that_git_could_not_take_is_not_used(
    tmp_path: Path, no_git_identity: None
) -> None:
    from doetank_cli import settings

    settings.write({"naam": "Anna\nCommitter: Mallory <m@x.nl>", "email": "anna@utrecht.nl"})
    made = doetank(tmp_path, "init", "ws")
    assert "doetank config set naam" in made.stderr + made.stdout  # the name was not used, and the person is told
    author = git(tmp_path / "ws", "log", "-1", "--format=%an|%ae").strip()
    assert author.endswith("|anna@utrecht.nl") and "Mallory" not in author
