"""Fixtures: an isolated git config, a pinned date, and workspaces built from a dict of files.

Under the Windows simulation (PYTHONPATH=tests/windows, see its sitecustomize.py) the test repositories check out with
core.autocrlf=true, as Git for Windows sets it, and tests marked `posix` (they need fork, signals, chown or the OS's
own lock) are skipped and counted.
"""

from __future__ import annotations

import os

# the language is fixed when doetank is imported: the tests read English unless a test asks for Dutch
os.environ["DOETANK_LANG"] = "en"
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from doetank_cli import lifecycle
from doetank_cli.cli import app
from doetank_cli.workspace import Workspace

TODAY = "2026-11-28"
REPO = Path(__file__).resolve().parent.parent
#: set by tests/windows/sitecustomize.py
WINDOWS_SIMULATION = os.environ.get("DOETANK_WINDOWS_SIMULATION") == "1"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not WINDOWS_SIMULATION:
        return
    for item in items:
        marker = item.get_closest_marker("posix")
        if marker is not None:
            why = marker.kwargs.get("reason") or (marker.args[0] if marker.args else "needs POSIX")
            item.add_marker(pytest.mark.skip(reason=f"Windows simulation: {why}"))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if WINDOWS_SIMULATION:
        # counted from the reports, which reach this process also when the tests ran in pytest-xdist's workers
        skipped = terminalreporter.stats.get("skipped", [])
        posix = [r for r in skipped if "Windows simulation: " in str(getattr(r, "longrepr", ""))]
        terminalreporter.write_line(
            f"Windows simulation: {len(posix)} tests need POSIX itself and were skipped "
            "(marked posix: fork, signals, chown, the OS's own lock)."
        )


def isolate(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """No git config, workspace or clock of the developer's: the environment every test runs in."""
    config = home / "gitconfig"
    config.write_text(
        "[user]\n\tname = Test Trekker\n\temail = trekker@example.nl\n[init]\n\tdefaultBranch = main\n"
        + ("[core]\n\tautocrlf = true\n" if WINDOWS_SIMULATION else "")
    )
    for key in list(os.environ):
        if key.startswith("GIT_") or key in {"DOETANK_ROOT", "VISUAL", "EDITOR", "NO_COLOR", "COLUMNS"}:
            monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))  # the user's doetank settings, for platformdirs
    monkeypatch.setenv("DOETANK_TODAY", TODAY)


@pytest.fixture(autouse=True)
def isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the developer's git config, workspace or clock; nor what a server in an earlier test kept (serve
    switches on keeping the scan of tanks/ and the index's snapshot for its whole process, which the commands never
    do: each test starts as a command does)."""
    from doetank_cli import index, workspace

    isolate(monkeypatch, tmp_path_factory.mktemp("home"))
    monkeypatch.setattr(index, "_remembered", None)
    monkeypatch.setattr(workspace, "_scans", None)


def build_tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def doetank_in(root: Path, language: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`doetank --root ROOT ARGS` in its own process, in `language`, at 120 columns: what a person sees."""
    env = os.environ | {"DOETANK_LANG": language, "COLUMNS": "120"}
    return subprocess.run(
        [sys.executable, "-m", "doetank_cli", "--root", str(root), *args],
        env=env,
        capture_output=True,
        encoding="utf-8",
        check=False,
    )


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    """A fresh workspace made by `doetank init`: git repository, templates, first commit."""
    lifecycle.init(tmp_path / "ws")
    return Workspace(tmp_path / "ws")


@pytest.fixture
def run(ws: Workspace, monkeypatch: pytest.MonkeyPatch):
    """Run the CLI inside the workspace as a user would; returns the click Result."""
    monkeypatch.chdir(ws.root)
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)

    return invoke


RECORD = """\
naam: Slimmer vergaderen
status: actief                    # actief | afgerond | gestopt
fase: ontdekken
vraagstuk:
  probleem: Overleggen leveren zelden besluiten op   # klein en concreet
  organisatie: Gemeente Utrecht
  groter_vraagstuk: Hoe komen publieke organisaties sneller tot besluiten?
herkomst: opdrachtgever
opdrachtgever:
  naam: Karin Jansen
  organisatie: Gemeente Utrecht
  sector: publiek
leden:
  # the team as it started
  - {naam: Anna de Vries, rol: trekker, organisatie: Gemeente Utrecht, sector: publiek}
  - {naam: Bram Peters, rol: doetanker, organisatie: Rijkswaterstaat, sector: publiek}
  - {naam: Dirk Jansen, rol: doetanker, organisatie: Gemeente Zeist, sector: publiek}
  - {naam: Cor Smit, rol: coach, organisatie: Kennisland, sector: extern}
richtlijn:
  einddatum: 2027-06-30
kickoff: {datum: 2026-11-20, locatie: Kennisland}
updates:
  - {datum: 2026-11-21, kanaal: linkedin, url: "https://www.linkedin.com/posts/x"}
  - {datum: 2026-11-22, kanaal: blog, url: 'https://slimmernetwerk.nl/doetanks/x'}
geschiedenis:
  - {fase: ontdekken, datum: 2026-11-01}
id: 0b7e3c52-9d1a-4c1e-8f36-2f5a7d1e6c90
"""

FILLED_ONTDEKKEN = """\
# Slimmer vergaderen

## De kern

Van de 41 agendapunten leidden er 9 tot een besluit.

## Waarom is het een probleem, en voor wie?

Aanvragers wachten langer.

## Het probleem áchter het probleem

Mandaat is onduidelijk.
"""


@pytest.fixture
def tank(ws: Workspace) -> str:
    """A tank ready to leave ontdekken, committed."""
    build_tree(ws.root, {"tanks/slimmer/doetank.yaml": RECORD, "tanks/slimmer/01-ontdekken.md": FILLED_ONTDEKKEN})
    git(ws.root, "add", "tanks")
    git(ws.root, "commit", "-qm", "add tank")
    return "slimmer"


# --------------------------------------------------------------------------- a team: one server, several clones


class Clone:
    """One person's clone of the team's workspace; calling it runs doetank there as that person would."""

    def __init__(self, root: Path, name: str | None) -> None:
        self.root = root
        self.name = name
        self.runner = CliRunner()

    def __call__(self, *args: str, code: int | None = 0, input: str | None = None):
        result = self.runner.invoke(app, ["--root", str(self.root), *args], input=input, catch_exceptions=False)
        if code is not None:
            assert result.exit_code == code, (self.name, args, result.exit_code, result.output)
        return result

    def git(self, *args: str) -> str:
        return git(self.root, *args)

    def path(self, rel: str) -> Path:
        return self.root / rel

    def record(self, slug: str) -> str:
        return (self.root / "tanks" / slug / "doetank.yaml").read_text(encoding="utf-8")

    def tank(self, slug: str):
        from doetank_cli import store

        return store.load_record(self.root / "tanks" / slug / "doetank.yaml", slug)

    def slugs(self) -> list[str]:
        return sorted(p.name for p in (self.root / "tanks").iterdir() if p.is_dir())


class Network:
    """The team's server (a bare repository) and the clones of its people, each with their own git identity."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.server = base / "server.git"
        git(base, "init", "--quiet", "--bare", str(self.server))
        self.clones: list[Clone] = []

    def clone(self, name: str | None, email: str | None = None) -> Clone:
        """A person's clone: the first one starts the workspace and shares it; the others clone the server.
        `name` None: a laptop where git has no user.name or user.email."""
        folder = self.base / (name or "anoniem").lower()
        if not self.clones:
            lifecycle.init(folder)
            git(folder, "remote", "add", "origin", str(self.server))
        else:
            git(self.base, "clone", "--quiet", str(self.server), str(folder))
        if name is not None:
            git(folder, "config", "user.name", name)
            git(folder, "config", "user.email", email or f"{name.lower()}@example.nl")
        person = Clone(folder, name)
        self.clones.append(person)
        person("sync")  # the first shares the workspace; the others register the merge driver
        return person

    def hook(self, script: str, name: str = "pre-receive") -> None:
        """A server-side hook (POSIX shell)."""
        hook = self.server / "hooks" / name
        hook.write_text(script, encoding="utf-8")
        hook.chmod(0o755)


@pytest.fixture
def network(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Network:
    """A bare server and no clones yet; git has no identity of its own here (each clone sets one, or not)."""
    config = tmp_path / "gitconfig-team"
    config.write_text("[init]\n\tdefaultBranch = main\n", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    return Network(tmp_path)


@pytest.fixture
def team(network: Network) -> tuple[Clone, Clone, Clone]:
    """Anna started the workspace with one tank; Bram and Sanne cloned it."""
    anna = network.clone("Anna")
    anna("new", "Slimmer vergaderen", "--vraagstuk", "Overleggen zonder besluit", "--organisatie", "Gemeente Utrecht",
         "--trekker", "Anna de Vries")  # fmt: skip
    anna("sync")
    return anna, network.clone("Bram"), network.clone("Sanne")
