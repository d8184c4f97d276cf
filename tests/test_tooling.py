"""doetank in the tools a team already uses: the real pre-commit, the real check-jsonschema, and bash completion."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import RECORD, REPO, build_tree, git
from test_validation import NO_TREKKER

pytestmark = pytest.mark.e2e

BIN = Path(sys.executable).parent
# read before the fixtures point HOME at a temporary folder, so pre-commit's pip reuses the wheels pip already has
PIP_CACHE = os.environ.get("PIP_CACHE_DIR") or str(Path.home() / ".cache" / "pip")


def tool(name: str) -> str:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    assert found, f"{name} is not installed: pip install -e '.[test]'"
    return found


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False)


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def test_the_pre_commit_hook_passes_good_tanks_and_stops_a_commit_with_a_fout(
    tmp_path: Path, pre_commit_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PRE_COMMIT_HOME", str(pre_commit_home))
    monkeypatch.setenv("PIP_CACHE_DIR", PIP_CACHE)
    # a team's repository whose workspace is a folder below the root, as pre-commit passes paths from the root
    team = tmp_path / "team"
    build_tree(
        team,
        {
            "README.md": "Onze Doetanks\n",
            "netwerk/tanks/slimmer/doetank.yaml": RECORD,
            "netwerk/tanks/ander/doetank.yaml": RECORD,
        },
    )
    git(team, "init", "-q")
    git(team, "add", ".")
    git(team, "commit", "-qm", "tanks")
    pre_commit = tool("pre-commit")

    passing = run(team, pre_commit, "try-repo", str(REPO), "doetank-check", "--all-files")
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "doetank check" in passing.stdout and "Passed" in passing.stdout

    (team / "netwerk/tanks/slimmer/doetank.yaml").write_text(NO_TREKKER)
    git(team, "add", ".")
    failing = run(team, pre_commit, "try-repo", str(REPO), "doetank-check")
    assert failing.returncode == 1
    assert "DT012 een-trekker" in failing.stdout and "1 tank checked" in failing.stdout  # only the staged tank

    (team / "netwerk/tanks/slimmer/doetank.yaml").write_text(
        RECORD.replace("status: actief", "status: actief\nstatus: gestopt")
    )
    git(team, "add", ".")
    broken = run(team, pre_commit, "try-repo", str(REPO), "doetank-check")
    assert broken.returncode == 1
    assert "tanks/slimmer/doetank.yaml:3" in broken.stdout and "status" in broken.stdout


def test_check_jsonschema_accepts_the_example_tanks_and_rejects_a_broken_record(tmp_path: Path) -> None:
    checker = tool("check-jsonschema")
    schema = REPO / "doetank.schema.json"
    examples = sorted(str(p) for p in (REPO / "tanks").glob("*/doetank.yaml"))
    assert len(examples) >= 4
    ok = run(REPO, checker, "--schemafile", str(schema), *examples)
    assert ok.returncode == 0, ok.stdout + ok.stderr

    broken = build_tree(
        tmp_path,
        {
            "doetank.yaml": RECORD.replace("rol: coach", "rol: baas").replace(
                "einddatum: 2027-06-30", "einddatum: 2027-13-30"
            )
            + "eigenaar: Piet\n"
        },
    )
    bad = run(tmp_path, checker, "--schemafile", str(schema), str(broken / "doetank.yaml"))
    assert bad.returncode == 1
    assert "'eigenaar' was unexpected" in bad.stdout


def test_the_committed_schema_is_the_one_doetank_exports() -> None:
    exported = run(REPO, tool("doetank"), "schema")
    assert exported.returncode == 0
    assert (REPO / "doetank.schema.json").read_text(encoding="utf-8") == exported.stdout, "run 'doetank schema --write'"


def test_bash_completion_installs_and_completes_slugs_and_rule_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doetank = tool("doetank")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("SHELL", "/bin/bash")
    installed = run(tmp_path, doetank, "--install-completion", "bash")
    assert installed.returncode == 0, installed.stderr
    script = tmp_path / ".bash_completions" / "doetank.sh"
    assert (
        f"source '{script}'" in (tmp_path / ".bashrc").read_text() or str(script) in (tmp_path / ".bashrc").read_text()
    )

    def complete(*words: str) -> list[str]:
        line = " ".join(words)
        probe = (
            f'source "{script}"; COMP_WORDS=({line}); COMP_CWORD={len(words) - 1}; '
            f'_doetank_completion "{doetank}"; printf "%s\\n" "${{COMPREPLY[@]}}"'
        )
        done = run(REPO, "bash", "-c", probe)
        assert done.returncode == 0, done.stderr
        return done.stdout.split()

    assert complete("doetank", "status", "sl") == ["slimmer-vergaderen"]
    assert complete("doetank", "advance", "") == sorted(p.name for p in (REPO / "tanks").iterdir() if p.is_dir())
    assert complete("doetank", "waive", "slimmer-vergaderen", "DT01") == ["DT010", "DT011", "DT012", "DT013", "DT014"]
    assert "check" in complete("doetank", "ch")
