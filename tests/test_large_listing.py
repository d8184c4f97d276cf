"""The dashboard of a large network (more than render.LARGE tanks) is written line by line, without Rich's layout:
the same facts, aligned, cut at the terminal's width, styled only on a terminal, and no control character from a
record ever reaches the terminal."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from rich.cells import cell_len
from rich.console import Console

from doetank_cli import render
from doetank_cli.index import Overview, Summary
from doetank_cli.vocab import Fase, Status

DAY = date(2026, 11, 28)
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def network() -> Overview:
    tanks = [
        Summary("aa", "A", Status.actief, Fase.leren, 4, "Anna de Vries", "Cor Smit", None, date(2026, 1, 1), None),
        Summary("bb", "B", Status.gestopt, Fase.onderzoeken, 2, None, None, None, None, None),
        Summary(
            "cc", "C", Status.actief, Fase.ontdekken, 9, "Evil\x1b[2J\x07 Name 李小龍 " * 4, None, None, None, None
        ),
        Summary("dd", "D", Status.afgerond, Fase.overdragen, 5, "Noor", "Coach", None, None, None),
    ]
    return Overview(DAY, tanks, [])


@pytest.fixture
def screen(monkeypatch: pytest.MonkeyPatch):
    def make(terminal: bool, width: int = 80) -> io.StringIO:
        out = io.StringIO()
        console = Console(
            file=out,
            force_terminal=terminal,
            width=width,
            color_system="standard" if terminal else "auto",  # as Rich chooses: no colour when piped
            highlight=False,
        )
        monkeypatch.setattr(render, "console", console)
        monkeypatch.setattr(render, "LARGE", 1)
        return out

    return make


def test_piped_the_lines_are_plain_aligned_and_cut_at_the_width(screen) -> None:
    out = screen(terminal=False)
    render.overview_table(network())
    lines = out.getvalue().splitlines()
    assert lines[0].split()[:2] == ["Tank", "Phase"]
    rows = {line.split()[0]: line for line in lines[1:5]}
    assert set(rows) == {"aa", "bb", "cc", "dd"}
    assert "\x1b" not in out.getvalue() and "\x07" not in out.getvalue()
    assert all(cell_len(line) <= 80 for line in lines[:5])
    assert rows["cc"].endswith("…") and "Evil\\x1b[2J\\x07 Name 李" in rows["cc"]  # escaped, as render.safe does
    assert "●●●●◐○ leren" in rows["aa"] and "Anna de Vries / Cor Smit" in rows["aa"]
    assert "●◐○○○○ gestopt" in rows["bb"] and "no trekker / coach still sou" in rows["bb"]
    assert "●●●●●● afgerond" in rows["dd"]
    column = lines[0].index("Phase")
    assert all(min(line.find(c) for c in "●◐" if c in line) == column for line in lines[1:5])


def test_on_a_terminal_it_is_styled_as_rich_styles_it_and_just_as_wide(screen) -> None:
    out = screen(terminal=True)
    render.overview_table(network())
    text = out.getvalue()
    assert "\x1b[31m" in text and "\x1b[33m" in text and "\x1b[32m" in text  # red, yellow, green
    assert "\x1b[2J" not in text and "\x07" not in text
    lines = [ANSI.sub("", line) for line in text.splitlines()[:5]]
    assert all(cell_len(line) <= 80 for line in lines)
    piped = screen(terminal=False)
    render.overview_table(network())
    assert lines == piped.getvalue().splitlines()[:5]
