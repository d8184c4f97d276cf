"""Start-up stays light: --help and --version never load pydantic, ruamel or Rich (start within 8x bare Python)."""

from __future__ import annotations

import subprocess
import sys

import pytest

PROBE = """
import sys
sys.argv = ["doetank", *sys.argv[1:]]
from doetank_cli.entry import main
try:
    main()
except SystemExit:
    pass
HEAVY = {"pydantic", "pydantic_core", "ruamel", "rich", "markdown_it", "sqlite3",
         "starlette", "uvicorn", "jinja2", "anyio", "h11"}
heavy = sorted({name.split(".")[0] for name in sys.modules} & HEAVY)
print("HEAVY", heavy, file=sys.stderr)
"""


@pytest.mark.parametrize(
    ("args", "loaded"),
    [
        (["--help"], "[]"),
        (["--version"], "[]"),
        # Typer 0.29 builds a command's parameters with pydantic; doetank's own heavy modules still stay out
        (["status", "--help"], "['pydantic', 'pydantic_core']"),
        (["check", "--help"], "['pydantic', 'pydantic_core']"),
        # the web stack loads only when serve runs, not for its help
        (["serve", "--help"], "['pydantic', 'pydantic_core']"),
    ],
)
def test_help_and_version_import_nothing_heavy(args: list[str], loaded: str) -> None:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True)
    assert f"HEAVY {loaded}" in done.stderr, done.stderr
    assert done.stdout.strip()


def test_version_does_not_even_import_typer() -> None:
    probe = (
        "import sys; sys.argv = ['doetank', '--version']; from "
        "doetank_cli.entry import main; main(); print('typer' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["doetank", "0.1.0", "False"]
