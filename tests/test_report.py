"""The report to paste: snapshots of the example tanks, and what it leaves out."""

from __future__ import annotations

import os
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
