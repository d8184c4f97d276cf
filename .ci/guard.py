"""Refuse a CI test command that could pass without running the tests, or that skips the lint, format or type step.

.ci/run takes the command from the README (between its <!-- test-command --> markers) and runs it only when this
finds nothing wrong with it. Standard library only: it runs before anything is installed.
"""

from __future__ import annotations

import re
import shlex
import sys

#: every step CI must run, in this order: lint, format, types, then the tests
REQUIRED = [
    ("ruff check", "the lint step (ruff check .)"),
    ("ruff format --check", "the format step (ruff format --check .)"),
    ("mypy", "the type step (mypy)"),
    ("pytest", "the tests (python -m pytest)"),
]

#: (pattern, why it is refused): each lets the command succeed while tests fail or never run
FORBIDDEN = [
    (r"\|\|", "'||' turns a failure into a success"),
    (r"(^|[;&|]\s*)(true|:)\s*($|[;&|)])", "'true' or ':' after a failing step ends in success"),
    (r"\bexit\s+0\b", "'exit 0' ends in success whatever ran before"),
    (r"\bset\s+\+e\b", "'set +e' lets a failing step pass"),
    (r"(?<![&>])&(?![&>])", "a single '&' runs a step in the background, and CI does not wait for it"),
    (r";", "';' runs the next step even when one failed; chain the steps with '&&'"),
    (r"(^|\s)-[A-Za-z]*[mk]", "'-m' or '-k' selects only some tests"),
    (r"--co\b|--collect-only\b", "'--co' / '--collect-only' collects the tests without running them"),
    (r"--deselect\b|--ignore(-glob)?\b", "'--deselect' / '--ignore' leaves tests out"),
    (r"--lf\b|--last-failed\b|--sw\b|--stepwise\b", "'--lf' / '--stepwise' run only some tests"),
    (r"--suppress-no-test-exit-code\b", "it passes when no test ran"),
    (r"PYTEST_ADDOPTS|PYTEST_PLUGINS", "options hidden in the environment can select or skip tests"),
    (r"(^|\s)-p\s+no:", "'-p no:...' switches plugins off"),
]


def problems(command: str) -> list[str]:
    """What is wrong with `command` as CI's test command; [] when it may run."""
    found = []
    flat = " ".join(command.split())
    if not flat:
        return ["the README has no test command between <!-- test-command --> markers"]
    try:
        shlex.split(flat)
    except ValueError as exc:
        found.append(f"the command does not parse as a shell command: {exc}")
    at = -1
    for needle, what in REQUIRED:
        place = flat.find(needle, at + 1)
        if place < 0:
            found.append(f"the command lacks {what}")
        elif place < at:
            found.append(f"{what} runs out of order: lint, format, types, then tests")
        at = max(at, place)
    pytest_part = flat[flat.find("pytest") :] if "pytest" in flat else ""
    for pattern, why in FORBIDDEN:
        # option patterns are judged on the pytest part only: `pip install -e` and `python -m pytest` are fine
        where = pytest_part.replace("python -m pytest", "pytest") if pattern.startswith(("(^|\\s)-", "--")) else flat
        where = where.replace("-m pytest", "pytest")
        if re.search(pattern, where):
            found.append(f"refused: {why}")
    return found


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else sys.stdin.read()
    wrong = problems(command)
    for line in wrong:
        print(f".ci/guard.py: {line}: {command.strip()}", file=sys.stderr)
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
