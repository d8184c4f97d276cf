"""The documents stay true: every test docs/reliability.md names exists, and every bad-input case is in it."""

from __future__ import annotations

import re

from conftest import REPO
from test_reliability import BAD_RECORDS

DOC = (REPO / "docs" / "reliability.md").read_text(encoding="utf-8")


def test_every_test_the_reliability_table_names_exists() -> None:
    named = re.findall(r"`(tests/test_\w+\.py)::(test_\w+)", DOC)
    assert len(named) >= 25
    for path, name in named:
        source = (REPO / path).read_text(encoding="utf-8")
        assert re.search(rf"^def {name}\(", source, re.MULTILINE), (
            f"{path}::{name} is named in docs/reliability.md but does not exist"
        )


def test_every_bad_input_case_is_in_the_reliability_table() -> None:
    rows = set(re.findall(r"^\| ([a-z0-9-]+) \|", DOC, re.MULTILINE))
    assert {case[0] for case in BAD_RECORDS} <= rows


def test_every_working_together_scenario_is_in_the_reliability_table() -> None:
    source = (REPO / "tests" / "test_together.py").read_text(encoding="utf-8")
    scenarios = re.findall(r"^def (test_\w+)\(", source, re.MULTILINE)
    section = DOC.split("## Working together", 1)[1].split("\n## ", 1)[0]
    missing = [name for name in scenarios if f"tests/test_together.py::{name}`" not in section]
    assert not missing, f"docs/reliability.md's 'Working together' table lacks: {missing}"
