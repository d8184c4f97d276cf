"""Cold reads (many records at once) use the C-backed safe loader, and it reads YAML as the round trip that changes
a record does: YAML 1.2, where `yes` is text, `010` is ten and `1e3` is a number. A record must not mean one thing to
`status` and another to the command that edits it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import RECORD, build_tree

from doetank_cli import store
from doetank_cli.errors import DataError

SCALARS = {
    "yes": "yes",  # YAML 1.1 would read a boolean
    "no": "no",
    "on": "on",
    "010": 10,  # YAML 1.1: eight
    "0o10": 8,
    "1e3": 1000.0,  # YAML 1.1: the text '1e3'
    "1_000": 1000,
    "2026-01-02": date(2026, 1, 2),
    "'2026-01-02'": "2026-01-02",
    "~": None,
    "0x1F": 31,
}


def test_the_bulk_loader_is_the_c_one() -> None:
    for yaml in (store._safe_yaml, store._fast_yaml):
        parser = yaml.Parser
        assert parser.__name__ == "CParser" and parser.__module__.startswith("ruamel.yaml.clib")


@pytest.mark.parametrize(("text", "value"), SCALARS.items())
def test_the_bulk_loader_reads_each_scalar_as_the_round_trip_does(text: str, value: object) -> None:
    doc = f"x: {text}\n"
    careful = store.plain(store._roundtrip_yaml().load(doc))["x"]
    for yaml in (store._safe_yaml, store._fast_yaml):  # the usual reader, and the one with YAML 1.2 chosen once
        fast = yaml.load(doc)["x"]
        assert fast == careful == value
        assert type(fast) is type(value) and isinstance(careful, type(value))  # ruamel keeps int subclasses


def test_a_record_that_says_it_is_yaml_1_1_is_refused_by_its_line_by_every_reader(tmp_path: Path) -> None:
    # the round trip would follow the directive (yes: true, 010: eight), the bulk readers would not
    text = RECORD.replace("naam: Slimmer vergaderen", "naam: yes")
    path = build_tree(tmp_path, {"r.yaml": "%YAML 1.1\n---\n" + text, "ok.yaml": "%YAML 1.2\n---\n" + text})
    for read in (store.load_record, lambda p, label: store.load_document(p, label).model):
        with pytest.raises(DataError) as refused:
            read(path / "r.yaml", "r.yaml")
        assert refused.value.message.startswith("r.yaml:1: ") and "YAML 1.1" in refused.value.message
        assert read(path / "ok.yaml", "ok.yaml").naam == "yes"  # 1.2 said out loud is what every record is
    with pytest.raises(DataError):
        store.load_plain("%YAML 1.1\n---\nx: yes\n", "r.yaml")


@pytest.mark.parametrize("naam", ["yes", "no", "on", "1e3", "010"])
def test_a_name_that_yaml_1_1_would_not_read_as_text_is_the_same_text_or_the_same_error_both_ways(
    tmp_path: Path, naam: str
) -> None:
    path = build_tree(tmp_path, {"r.yaml": RECORD.replace("naam: Slimmer vergaderen", f"naam: {naam}")}) / "r.yaml"
    try:
        fast = store.load_record(path, "r.yaml").naam
    except DataError as exc:
        fast = f"error: {exc.message}"
    try:
        careful = store.load_document(path, "r.yaml").model.naam
    except DataError as exc:
        careful = f"error: {exc.message}"
    assert fast == careful
    if naam in ("yes", "no", "on"):
        assert fast == naam
