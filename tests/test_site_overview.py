"""The site's Overzicht page: the overview's figures over the public tanks only, as inline SVG charts, each with its
figures in words and as a table, no script; opened in headless Chromium without console errors."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from netgen import FASES, Truth, generate
from test_site import dom, needs_browser
from typer.testing import CliRunner

from doetank_cli.cli import app

pytestmark = pytest.mark.e2e
CHARTS = ["per-fase", "per-status", "dagen", "kwartalen"]


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Truth]]:
    """The site of 80 generated tanks, built before any index was (every record read from its file)."""
    root = tmp_path_factory.mktemp("network")
    truths = generate(root, 80, seed=5)
    out = root.parent / f"{root.name}-site"
    result = CliRunner().invoke(app, ["--root", str(root), "site", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out, truths


def test_the_board_links_to_the_overzicht_which_runs_no_script(network: tuple[Path, dict[str, Truth]]) -> None:
    site, _truths = network
    assert 'href="overzicht.html"' in (site / "index.html").read_text(encoding="utf-8")
    html = (site / "overzicht.html").read_text(encoding="utf-8")
    assert "<script" not in html and 'href="index.html"' in html


def test_every_chart_has_its_figures_in_words_and_as_a_table(network: tuple[Path, dict[str, Truth]]) -> None:
    site, _truths = network
    html = (site / "overzicht.html").read_text(encoding="utf-8")
    for chart in CHARTS:
        figure = html[html.index(f'<figure class="chart" id="{chart}">') :].split("</figure>", 1)[0]
        assert f'role="img" aria-labelledby="{chart}-title {chart}-desc"' in figure
        title = re.search(rf'<title id="{chart}-title">([^<]+)</title>', figure)
        desc = re.search(rf'<desc id="{chart}-desc">([^<]+)</desc>', figure)
        assert title and desc and ":" in desc.group(1), chart
        assert "<table>" in figure and figure.count("<rect") >= 1, chart


def test_the_figures_are_those_of_the_public_tanks_only(network: tuple[Path, dict[str, Truth]]) -> None:
    site, truths = network
    html = (site / "overzicht.html").read_text(encoding="utf-8")
    public = [t for t in truths.values() if t.publiek]
    private = [t for t in truths.values() if not t.publiek]
    assert public and private
    active = Counter(t.fase for t in public if t.status == "actief")
    desc = re.search(r'<desc id="per-fase-desc">([^<]+)</desc>', html)
    assert desc is not None
    assert desc.group(1) == "; ".join(f"{n}. {fase}: {active[fase]}" for n, fase in enumerate(FASES, 1))
    statuses = Counter(t.status for t in public)
    desc = re.search(r'<desc id="per-status-desc">([^<]+)</desc>', html)
    assert desc is not None
    assert desc.group(1) == "; ".join(f"{s}: {statuses[s]}" for s in ("actief", "afgerond", "gestopt"))
    for t in private:
        assert t.slug not in html and f">{t.naam}<" not in html  # never named, never linked
    sought = sorted(t.slug for t in public if t.status == "actief" and not t.coach)
    assert sought and all(f'href="tanks/{slug}.html"' in html for slug in sought)


@needs_browser
def test_the_overzicht_opens_in_chromium_with_its_charts_and_no_errors(
    network: tuple[Path, dict[str, Truth]], tmp_path: Path
) -> None:
    site, _truths = network
    page = dom(tmp_path, site / "overzicht.html")  # no console errors, or it fails
    assert page.count('role="img"') == len(CHARTS)
    for chart in CHARTS:
        assert f'id="{chart}-desc"' in page


def test_the_overzicht_from_a_current_index_is_the_one_from_the_records(
    network: tuple[Path, dict[str, Truth]], tmp_path: Path
) -> None:
    site, _truths = network
    root = site.parent / site.name.removesuffix("-site")
    runner = CliRunner()
    assert runner.invoke(app, ["--root", str(root), "status", "--json"]).exit_code == 0  # the index, current
    again = tmp_path / "site"
    assert runner.invoke(app, ["--root", str(root), "site", str(again)]).exit_code == 0
    assert (again / "overzicht.html").read_text(encoding="utf-8") == (site / "overzicht.html").read_text("utf-8")
