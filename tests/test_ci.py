"""CI runs the README's test command only when it cannot pass without running the tests, and only with the lint,
format and type steps in front (.ci/guard.py, called first by .ci/run)."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from conftest import REPO

GOOD = (
    "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/ruff check . && "
    ".venv/bin/ruff format --check . && .venv/bin/mypy && .venv/bin/python -m pytest -q"
)


def _guard() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ci_guard", REPO / ".ci" / "guard.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


guard = _guard()


def readme_command(readme: str) -> str:
    block = readme.split("<!-- test-command -->", 1)[1].split("<!-- /test-command -->", 1)[0]
    return "\n".join(line for line in block.splitlines() if line and not line.startswith("```"))


def test_the_readme_command_is_accepted_and_runs_lint_format_types_then_tests() -> None:
    command = readme_command((REPO / "README.md").read_text(encoding="utf-8"))
    assert guard.problems(command) == []
    assert guard.problems(GOOD) == []
    assert command.index("ruff check") < command.index("ruff format --check") < command.index("mypy")
    assert command.index("mypy") < command.index("pytest")


@pytest.mark.parametrize(
    "bad",
    [
        GOOD + " || true",
        GOOD + " || :",
        GOOD + " || exit 0",
        GOOD + "; true",
        GOOD + "; exit 0",
        GOOD + " -k 'not slow'",
        GOOD + " -k=sync",
        GOOD + " -qk sync",
        GOOD + " -m 'not e2e'",
        GOOD + " --co",
        GOOD + " --collect-only",
        GOOD + " --deselect tests/test_sync.py",
        GOOD + " --ignore tests/test_site.py",
        GOOD + " --lf",
        GOOD + " &",
        "set +e && " + GOOD,
        "PYTEST_ADDOPTS=-x " + GOOD,
        GOOD.replace(".venv/bin/mypy && ", ""),
        GOOD.replace(".venv/bin/ruff check . && ", ""),
        GOOD.replace(".venv/bin/ruff format --check . && ", ""),
        GOOD.replace(".venv/bin/python -m pytest -q", "echo 'all tests passed'"),
        "",
    ],
)
def test_a_command_that_could_pass_without_the_tests_or_the_checks_is_refused(bad: str) -> None:
    assert guard.problems(bad), bad


def test_redirections_and_chains_are_not_mistaken_for_tricks() -> None:
    assert guard.problems(GOOD + " 2>&1") == []
    assert guard.problems(GOOD.replace(" -q", " -q -x -ra")) == []


@pytest.mark.skipif(sys.platform == "win32", reason=".ci/run is a bash script run by CI on Linux")
def test_ci_stops_before_installing_anything_when_the_readme_command_is_refused(tmp_path: Path) -> None:
    shutil.copytree(REPO / ".ci", tmp_path / ".ci")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    command = readme_command(readme)
    (tmp_path / "README.md").write_text(readme.replace(command, command + " || true"), encoding="utf-8")
    done = subprocess.run(["bash", str(tmp_path / ".ci" / "run")], capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert "'||' turns a failure into a success" in done.stderr
    assert "+ " not in done.stdout and "git version" not in done.stdout  # nothing after the guard ran
