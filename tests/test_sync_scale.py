"""A sync that brings many tanks reads only what it tells: the phase and status of each changed record are read from
their own lines when that is certain, and are exactly what parsing the whole record gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from netgen import generate

from doetank_cli import store, sync

ODD = [
    "naam: X\nfase: 'leren'\nstatus: actief\n",  # quoted: parsed
    "{naam: X, fase: leren, status: gestopt}\n",  # flow style: parsed
    "---\nnaam: X\nfase: leren\n",  # a document marker: parsed
    "naam: X\nfase: leren   # nu\nstatus: afgerond # klaar\n",  # comments after the values
    "naam: X\nrichtlijn:\n  fases: {ontdekken: 2026-01-01}\ngeschiedenis:\n  - {fase: ontdekken, datum: 2026-01-01}\n"
    "fase: onderzoeken\n",  # phases elsewhere, indented
    "naam: X\nstatus: actief\n",  # no fase at all: parsed
    "# yaml-language-server: $schema=../../doetank.schema.json\nnaam: X\nfase: uitproberen\n",
]


def _facts(data: dict[str, object] | None) -> tuple[object, object]:
    return (data or {}).get("fase"), (data or {}).get("status")


@pytest.mark.parametrize("text", ODD)
def test_the_facts_of_an_odd_record_are_what_parsing_it_gives(text: str) -> None:
    assert _facts(sync._plain(text, "r.yaml", facts_only=True)) == _facts(store.load_plain(text, "r.yaml"))


def test_the_facts_of_a_network_of_records_are_what_parsing_them_gives(tmp_path: Path) -> None:
    generate(tmp_path, 120, seed=3)
    for path in sorted(tmp_path.glob("tanks/*/doetank.yaml")):
        text = path.read_text(encoding="utf-8")
        quick = sync._plain(text, "r.yaml", facts_only=True)
        assert _facts(quick) == _facts(store.load_plain(text, "r.yaml")), path
        assert set(quick) <= {"fase", "status"}  # read from the lines, not parsed
