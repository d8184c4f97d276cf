"""The warm read path: `status`, `check` and `overview` answered from a current index, without Typer, pydantic,
ruamel or markdown_it (Rich only to draw a table).

`recognise` accepts only the exact forms it can prove the Typer commands treat alike: `--root PATH` before the
command, `--json`, and the coordinator's filters as filters.FILTERS defines them (each once, `--fase` as often as
wanted), with plain values. The values go through the same filters.parse, the tanks through the same network and
index functions, the output through the same jsonout and render functions. Anything else, and any doubt on the way
(a stale row, a stray folder, an error of any kind) returns None before a byte is written, and Typer does the whole
run. tests/test_warm.py runs both paths over every accepted form in both languages and compares their bytes.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

from doetank_cli import filters

#: the commands the warm path may answer, and whether they take filters and tank names
_COMMANDS = {"status": (True, False), "check": (True, True), "overview": (False, False)}
_SWITCHES = {spec.flag: spec for spec in filters.FILTERS if spec.switch}
_VALUED = {spec.flag: spec for spec in filters.FILTERS if not spec.switch}


class Form:
    """A command line warm.py recognised: the command, --root, --json, the filters' values, the tanks named."""

    def __init__(self, command: str, root: str | None) -> None:
        self.command = command
        self.root = root
        self.as_json = False
        self.values: dict[str, Any] = {}
        self.names: list[str] = []


def _plain(value: str) -> bool:
    """A value both paths read alike: printable ASCII, not empty, not like an option."""
    return bool(value) and value.isascii() and value.isprintable() and not value.startswith("-")


def recognise(args: list[str]) -> Form | None:
    """The form of a warm command, or None: then Typer parses (and says what is wrong, if anything)."""
    rest = list(args)
    root = None
    if rest and (rest[0] == "--root" or rest[0].startswith("--root=")):
        flag = rest.pop(0)
        root = flag.partition("=")[2] if "=" in flag else (rest.pop(0) if rest else "")
        if not _plain(root):
            return None
    if not rest or rest[0] not in _COMMANDS:
        return None
    form = Form(rest.pop(0), root)
    takes_filters, takes_names = _COMMANDS[form.command]
    seen: set[str] = set()
    while rest:
        arg = rest.pop(0)
        flag, has_value, value = arg.partition("=")
        if arg == "--json":
            if form.as_json:
                return None
            form.as_json = True
        elif takes_filters and arg in _SWITCHES:
            if arg in seen:
                return None
            seen.add(arg)
            form.values[_SWITCHES[arg].field] = True
        elif takes_filters and flag in _VALUED:
            spec = _VALUED[flag]
            if not has_value:
                if not rest:
                    return None
                value = rest.pop(0)
            if not _plain(value) or (flag in seen and not spec.multiple):
                return None
            seen.add(flag)
            if spec.multiple:
                form.values.setdefault(spec.field, []).append(value)
            else:
                form.values[spec.field] = value
        elif takes_names and _plain(arg):
            form.names.append(arg)
        else:
            return None
    return form


def run(args: list[str]) -> int | None:
    """Answer a warm command and return its exit code; None when Typer must (nothing has been written then)."""
    if any(key.endswith("_COMPLETE") for key in os.environ if key.startswith("_DOETANK")):
        return None  # shell completion is Typer's
    form = recognise(args)
    if form is None:
        return None
    try:
        answer = _answer(form)
    except Exception:
        return None
    if answer is None:
        return None
    from doetank_cli import system

    system.configure_output()  # entry.main did so already; the same when this is started on its own (a test, a wrapper)
    try:
        return answer()
    except BrokenPipeError:
        return _closed_pipe()
    except KeyboardInterrupt:
        return 130  # as Typer: interrupted, no traceback


def _answer(form: Form) -> Callable[[], int] | None:
    """The work of the command, done; returns what writes the output (or None: not warm)."""
    from doetank_cli import network

    chosen = filters.parse(form.values)
    if form.command == "check":
        ws = network.workspace_of(form.root, form.names)
        ov = network.current_check(ws, form.names)
    else:
        from doetank_cli import workspace

        ws = workspace.find(form.root)
        ov = network.current_overview(ws, findings=False)
    if ov is None:
        return None
    if form.command == "overview":
        figures = network.overview_figures(ws, ov)
        if form.as_json:
            from doetank_cli import jsonout

            return lambda: _done(jsonout.figures_json, figures)
        from doetank_cli import render

        return lambda: _done(render.figures, figures)
    ov = network.select(ws, ov, chosen)
    if form.command == "status":
        if form.as_json:
            from doetank_cli import jsonout

            return lambda: _done(jsonout.overview_json, ov)
        from doetank_cli import render

        return lambda: _done(render.overview_table, ov)
    blocks = any(f.blocks for s in ov.tanks for f in s.findings)
    if form.as_json:
        from doetank_cli import jsonout

        return lambda: _done(jsonout.check_json, ov, 1 if blocks else 0)
    from doetank_cli import render

    return lambda: _done(render.check_result, ov, 1 if blocks else 0)


def _done(write: Any, what: Any, code: int = 0) -> int:
    write(what)
    sys.stdout.flush()
    return code


def _closed_pipe() -> int:
    """The reader went away (`doetank status | head`): quietly, exit 1, as Click does."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return 1


def finish(code: int) -> None:
    """Exit without the interpreter's teardown: every stream is flushed and every file closed by now, so there is
    nothing left to do but free memory, which the operating system does at once (tens of ms for 10,000 tanks)."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        code = _closed_pipe() if code == 0 else code
    os._exit(code)
