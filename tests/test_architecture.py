"""docs/architecture.md stays true: every module of the package has a row in its table, and every row is a module."""

from __future__ import annotations

import re

from conftest import REPO

DOC = REPO / "docs" / "architecture.md"
ROW = re.compile(r"^\| `(doetank_cli/[^`]+\.py)` \|", re.MULTILINE)


def modules() -> list[str]:
    return sorted(p.relative_to(REPO).as_posix() for p in (REPO / "doetank_cli").rglob("*.py"))


def test_every_module_has_a_row_in_the_architecture_table() -> None:
    named = set(ROW.findall(DOC.read_text(encoding="utf-8")))
    missing = [m for m in modules() if m not in named]
    assert not missing, (
        f"docs/architecture.md does not name {len(missing)} module(s). Add one row per module to the table under "
        "'## Modules' (keep the table's order: faces, output, operations, judgement, storage, vocabulary), saying in "
        "one line what the module owns, and draw it in the layer diagram above when it starts a new part:\n"
        + "\n".join(f"| `{m}` | <what it owns> |" for m in missing)
    )


def test_every_row_of_the_architecture_table_is_a_module_that_exists() -> None:
    named = ROW.findall(DOC.read_text(encoding="utf-8"))
    gone = [m for m in named if m not in modules()]
    assert not gone, (
        "docs/architecture.md names module(s) that do not exist (moved or removed?): remove or rename these rows "
        "in the table under '## Modules': " + ", ".join(gone)
    )
    assert len(named) == len(set(named)), "docs/architecture.md names a module twice in its table"


def test_the_layers_are_a_diagram_that_renders_on_github_and_gitlab() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert text.count("```mermaid") >= 2  # the layers, and the way of one change
    for heading in ("## The layers", "## Modules", "## Where a new piece goes", "## One change, from a person to git"):
        assert f"\n{heading}\n" in text, heading
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "](docs/architecture.md)" in readme.split("## Design", 1)[1]
