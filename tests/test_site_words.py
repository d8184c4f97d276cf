"""The site board at 1280 px in real headless Chromium: a long Dutch word stays inside its card; the SVG timeline and
the tank's page speak the interface language, and carry the reasons of a stop and of a forced advance."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import RECORD, build_tree
from test_site import chromium

from doetank_cli.workspace import Workspace

pytestmark = pytest.mark.e2e

MEASURE = """
<script>
var out = [];
document.querySelectorAll('.card').forEach(function (card) {
  card.querySelectorAll('*').forEach(function (el) {
    var box = el.getBoundingClientRect(), outer = card.getBoundingClientRect();
    if (box.right > outer.right + 0.5 || el.scrollWidth > el.clientWidth + 1) { out.push(card.dataset.slug); }
  });
});
document.title = out.length ? 'OVERFLOW ' + out.join(' ') : 'FITS';
</script>
"""


def test_a_long_word_stays_inside_its_card_on_the_board_at_1280_px(ws: Workspace, run, tmp_path: Path) -> None:
    long_name = "Toekomstbestendige dienstverleningsorganisatieontwikkelingstrajecten"
    build_tree(
        ws.root,
        {
            "tanks/lang/doetank.yaml": RECORD.replace("naam: Slimmer vergaderen", f"naam: {long_name}"),
            "tanks/kort/doetank.yaml": RECORD,
        },
    )
    out = tmp_path / "site"
    assert run("site", str(out)).exit_code == 0
    page = (out / "index.html").read_text(encoding="utf-8")
    assert long_name in page
    probe = out / "probe.html"
    probe.write_text(page.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    done = chromium(tmp_path, probe.as_uri(), "--window-size=1280,900", "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    title = re.search(r"<title>(.*?)</title>", done.stdout, re.DOTALL)
    assert title is not None and title.group(1).strip() == "FITS", title and title.group(1)


def test_the_tank_page_carries_the_reasons_and_the_timeline_speaks_english(ws: Workspace, run, tmp_path: Path) -> None:
    build_tree(ws.root, {"tanks/slimmer/doetank.yaml": RECORD})
    assert run("advance", "slimmer", "--force", "--reason", "Het team wilde door").exit_code == 0
    assert run("stop", "slimmer", "--reason", "De opdrachtgever vertrok").exit_code == 0
    out = tmp_path / "site"
    assert run("site", str(out)).exit_code == 0
    page = (out / "tanks" / "slimmer.html").read_text(encoding="utf-8")
    assert "<dt>Why the tank stopped</dt><dd>De opdrachtgever vertrok</dd>" in page
    assert "stopped on 28 November 2026, in phase 2 of 6, onderzoeken" in page
    assert "28 November 2026, on to onderzoeken: Het team wilde door" in page
    assert "end date 30 June 2027" in page and "einddatum 30" not in page
