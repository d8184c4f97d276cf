"""Hostile and careless input through the installed `doetank`, as a user (or an attacker) would type it: every run
ends in a sentence and the right exit code, never a traceback, a hang or a file written outside the workspace.
docs/reliability.md lists these cases and names the test of each."""

from __future__ import annotations

import datetime
import enum
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main
from conftest import RECORD, build_tree, git

from doetank_cli.cli import app

pytestmark = pytest.mark.e2e

DOETANK = shutil.which("doetank", path=str(Path(sys.executable).parent)) or shutil.which("doetank")


def doetank(
    cwd: Path, *args: str | bytes, lang: str = "en", env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """The installed doetank in a subprocess; bytes arguments reach it as a terminal in another encoding sends them."""
    assert DOETANK, "doetank is not installed in this environment"
    return subprocess.run(
        [DOETANK, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="backslashreplace",
        env={**os.environ, "DOETANK_LANG": lang, **(env or {})},
        stdin=subprocess.DEVNULL,
        timeout=timeout,
    )


def no_traceback(proc: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr
    assert proc.returncode != 70, proc.stderr


_MADE: dict[str, Path] = {}


@pytest.fixture
def netwerk(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace made by the installed doetank, with one committed tank (made once, copied for each test)."""
    if "netwerk" not in _MADE:
        base = tmp_path_factory.mktemp("made")
        doetank(base, "init", "netwerk")
        root = base / "netwerk"
        build_tree(root, {"tanks/slimmer/doetank.yaml": RECORD, "tanks/slimmer/01-ontdekken.md": "# Slimmer\n"})
        git(root, "add", "tanks")
        git(root, "commit", "-qm", "add tank")
        _MADE["netwerk"] = root
    copy = tmp_path / "netwerk"
    shutil.copytree(_MADE["netwerk"], copy, symlinks=True)
    return copy


# --------------------------------------------------------------------------- every command, arguments left out


def _commands(group: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command of the app, found by walking it: groups such as `member`, and commands added later."""
    for name, command in sorted(group.commands.items()):
        if hasattr(command, "commands"):
            yield from _commands(command, (*path, name))
        else:
            yield (*path, name), command


COMMANDS = list(_commands(typer.main.get_command(app)))


def _sample(param: Any) -> str:
    """A valid value for a parameter, so that only the one left out is missing."""
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", str)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return str(next(iter(annotation)).value)
    if annotation is datetime.date:
        return "2026-12-01"
    return "slimmer"


def _left_out(command: Any) -> Iterator[tuple[list[str], str]]:
    """Argument lists that each lack one required parameter, with the name the error must give."""
    arguments = [p for p in command.params if p.param_type_name == "argument" and p.required]
    options = [p for p in command.params if p.param_type_name == "option" and p.required]
    given_options = [value for p in options for value in (p.opts[0], _sample(p))]
    for index, missing in enumerate(arguments):  # positional: only the last ones can be left out
        yield [_sample(p) for p in arguments[:index]] + given_options, (missing.metavar or missing.name.upper())
    for missing in options:
        others = [value for p in options if p is not missing for value in (p.opts[0], _sample(p))]
        yield [_sample(p) for p in arguments] + others, missing.opts[0]


def test_every_command_is_found_by_walking_the_app() -> None:
    names = {" ".join(path) for path, _command in COMMANDS}
    assert {"advance", "member add", "member remove", "site", "status"} <= names


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _c in COMMANDS])
def test_every_command_with_a_required_argument_left_out_is_a_usage_error(
    netwerk: Path, lang: str, path: tuple[str, ...], command: Any
) -> None:
    required = [p for p in command.params if p.required]
    bare = doetank(netwerk, *path, lang=lang)
    no_traceback(bare)
    if required:
        assert bare.returncode == 2, bare.stderr
    else:
        assert bare.returncode in (0, 1, 2, 3, 4), bare.stderr
    for args, name in _left_out(command):
        proc = doetank(netwerk, *path, *args, lang=lang)
        no_traceback(proc)
        assert proc.returncode == 2, (args, proc.stderr)
        assert name in proc.stderr, (args, proc.stderr)
        assert ("Missing" if lang == "en" else "ontbreekt") in proc.stderr, proc.stderr


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["new"], "NAAM"),
        (["new", "Slimmer werken"], "--vraagstuk"),
        (["new", "Slimmer werken", "--vraagstuk", "P"], "--organisatie"),
        (["member", "add", "slimmer", "Eva"], "--rol"),
        (["member", "add", "slimmer", "Eva", "--rol", "doetanker"], "--sector"),
    ],
)
def test_values_asked_for_on_a_terminal_are_a_usage_error_without_one(
    netwerk: Path, lang: str, args: list[str], names: str
) -> None:
    proc = doetank(netwerk, *args, lang=lang)
    no_traceback(proc)
    assert proc.returncode == 2 and names in proc.stderr, proc.stderr
