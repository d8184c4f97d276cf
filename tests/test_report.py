"""The report to paste: snapshots of the example tanks, and what it leaves out."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import RECORD, REPO, build_tree

from doetank_cli.workspace import Workspace

SNAPSHOTS = Path(__file__).parent / "snapshots"


@pytest.mark.parametrize(
    ("slug", "fmt"),
    [
        ("slimmer-vergaderen", "markdown"),
        ("nieuwe-collegas-snel-op-weg", "markdown"),
        ("archiveren-aan-de-bron", "text"),
    ],
)
def test_the_report_of_an_example_tank_matches_its_snapshot(
    slug: str, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from doetank_cli.cli import app

    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(app, ["report", slug, "--format", fmt])
    assert result.exit_code == 0, result.output
    snapshot = SNAPSHOTS / f"report-{slug}.{'md' if fmt == 'markdown' else 'txt'}"
    if os.environ.get("UPDATE_SNAPSHOTS"):
        snapshot.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == snapshot.read_text(encoding="utf-8"), (
        "if the change is meant: UPDATE_SNAPSHOTS=1 pytest tests/test_report.py"
    )


def test_the_report_names_people_by_name_role_and_organisation_only(ws: Workspace, run) -> None:
    build_tree(
        ws.root,
        {
            "tanks/slimmer/doetank.yaml": RECORD,
            "tanks/slimmer/01-ontdekken.md": "# S\n\n## De kern\n\nBel Anna op 06-12345678 of mail "
            "anna.devries@utrecht.nl, of +31 30 286 0000.\n",
        },
    )
    out = run("report", "slimmer").stdout
    assert "- Anna de Vries — trekker, Gemeente Utrecht" in out
    assert "publiek" not in out.split("## Team")[1].split("##")[0]  # no sector
    assert "06-12345678" not in out and "anna.devries@utrecht.nl" not in out and "286 0000" not in out
    assert "[phone number left out]" in out and "[e-mail address left out]" in out


#: what a note or a record may hold that a blog's markdown renderer (raw HTML on, every link followed) would run
HOSTILE_NOTE = (
    "# S\n\n## De kern\n\n"
    "Zie [het plan](https://example.org/plan). "
    "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(2)) [c](java&#x09;script:alert(3)) [d]( <javascript:alert(4)>) "
    '![e](x" onerror="alert(5)) [f](data:text/html,<script>alert(6)</script>) [g][ref] <javascript:alert(7)> '
    '<a href="javascript:alert(8)">h</a> <script>alert(9)</script> <img src=x onerror=alert(10)> '
    "<details open ontoggle=alert(11)>\n[ref]: javascript:alert(12)\n"
)


def test_the_markdown_report_runs_nothing_on_a_blog_that_renders_raw_html(ws: Workspace, run) -> None:
    from markdown_it import MarkdownIt

    build_tree(
        ws.root,
        {
            "tanks/slimmer/doetank.yaml": RECORD.replace("naam: Slimmer vergaderen", 'naam: "Slim<script>x()</script>"')
            .replace("Overleggen leveren zelden besluiten op", "<img src=x onerror=alert(0)>")
            .replace("naam: Anna de Vries", 'naam: "Anna [x](javascript:alert(13))"'),
            "tanks/slimmer/01-ontdekken.md": HOSTILE_NOTE,
        },
    )
    result = run("report", "slimmer")
    assert result.exit_code == 0, result.output
    naive = MarkdownIt("commonmark", {"html": True})
    naive.validateLink = lambda url: True  # type: ignore[method-assign]
    html = naive.render(result.stdout)
    tags = {tag for tag in re.findall(r"<(/?[a-z0-9]+)", html)}
    assert tags <= {"h1", "/h1", "h2", "/h2", "p", "/p", "strong", "/strong", "ul", "/ul", "li", "/li", "a", "/a"} | {
        "table", "/table", "thead", "/thead", "tbody", "/tbody", "tr", "/tr", "th", "/th", "td", "/td", "br",
    }, tags  # fmt: skip
    assert re.findall(r'href="([^"]*)"', html) == ["https://example.org/plan"]
    # what was written is still there to read
    assert "Slim&lt;script&gt;x()&lt;/script&gt;" in html and "javascript:alert(1)" in html


def test_a_link_reference_to_anything_but_the_web_is_no_link() -> None:
    from markdown_it import MarkdownIt

    from doetank_cli.publish.report import _inert

    naive = MarkdownIt("commonmark", {"html": True})
    naive.validateLink = lambda url: True  # type: ignore[method-assign]
    text = "[a] [b] [c] [d]\n\n[a]: javascript:alert(1)\n> [b]:\n>   data:text/html,x\n- [c]: vbscript:x\n\n[d]: https://ok.example\n"
    assert re.findall(r'href="([^"]*)"', naive.render(_inert(text))) == ["https://ok.example"]
