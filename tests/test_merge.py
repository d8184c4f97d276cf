"""The merge driver on its own: base, ours and theirs in, one record (or a clear conflict) out."""

from __future__ import annotations

from pathlib import Path

from conftest import RECORD

from doetank_cli import merge, store

BRAM = "  - {naam: Bram Peters, rol: doetanker, organisatie: Rijkswaterstaat, sector: publiek}\n"


def run(tmp_path: Path, base: str, ours: str, theirs: str) -> tuple[int, str]:
    paths = []
    for name, text in (("base", base), ("ours", ours), ("theirs", theirs)):
        path = tmp_path / f"{name}.yaml"
        path.write_text(text)
        paths.append(path)
    code = merge.merge_files(paths[0], paths[1], paths[2], "tanks/x/doetank.yaml")
    return code, paths[1].read_text()


def test_changes_on_both_sides_to_different_fields_merge_cleanly(tmp_path: Path) -> None:
    ours = RECORD.replace("einddatum: 2027-06-30", "einddatum: 2027-05-31")
    theirs = RECORD.replace("kanaal: blog", "kanaal: linkedin").replace(
        BRAM, BRAM + "  - {naam: Eva Jansen, rol: doetanker, organisatie: UWV, sector: publiek}\n"
    )
    code, text = run(tmp_path, RECORD, ours, theirs)
    assert code == 0
    tank = store.load_record(tmp_path / "ours.yaml", "x")
    assert str(tank.richtlijn.einddatum) == "2027-05-31" and [u.kanaal.value for u in tank.updates] == [
        "linkedin",
        "linkedin",
    ]
    assert [lid.naam for lid in tank.leden][-1] == "Eva Jansen"
    assert "# the team as it started" in text and "# klein en concreet" in text


def test_the_same_change_on_both_sides_is_taken_once_and_is_no_clash(tmp_path: Path) -> None:
    eva = "  - {naam: Eva Jansen, rol: doetanker, organisatie: UWV, sector: publiek}\n"
    both = RECORD.replace("einddatum: 2027-06-30", "einddatum: 2027-05-31").replace(BRAM, BRAM + eva)
    code, text = run(tmp_path, RECORD, both, both)
    assert code == 0
    assert text == both  # one new date, one Eva, no conflict comment, nothing else touched


def test_updates_consults_and_history_are_matched_by_what_they_are_about(tmp_path: Path) -> None:
    blog = "  - {datum: 2026-11-22, kanaal: blog, url: 'https://slimmernetwerk.nl/doetanks/x'}\n"
    ours = RECORD.replace(
        blog, blog + '  - {datum: 2026-11-25, kanaal: blog, url: "https://slimmernetwerk.nl/ons"}\n'
    ).replace("geschiedenis:\n", 'consulten:\n  - {expert: Els Visser, vraag: "Wat werkt?"}\ngeschiedenis:\n')
    theirs = RECORD.replace(
        blog, blog + '  - {datum: 2026-11-26, kanaal: linkedin, url: "https://www.linkedin.com/posts/zij"}\n'
    ).replace("geschiedenis:\n", 'consulten:\n  - {expert: Els Visser, vraag: "Wat niet?"}\ngeschiedenis:\n')
    theirs = theirs.replace(
        "  - {fase: ontdekken, datum: 2026-11-01}\n",
        "  - {fase: ontdekken, datum: 2026-11-01}\n  - {fase: onderzoeken, datum: 2026-11-27, reden: Tempo}\n",
    ).replace("fase: ontdekken\n", "fase: onderzoeken\n", 1)
    code, text = run(tmp_path, RECORD, ours, theirs)
    assert code == 0, merge.conflicts_in(text)
    tank = store.load_record(tmp_path / "ours.yaml", "x")
    assert [u.url for u in tank.updates] == [
        "https://www.linkedin.com/posts/x",
        "https://slimmernetwerk.nl/doetanks/x",
        "https://slimmernetwerk.nl/ons",
        "https://www.linkedin.com/posts/zij",
    ]
    assert [(c.expert, c.vraag) for c in tank.consulten] == [("Els Visser", "Wat werkt?"), ("Els Visser", "Wat niet?")]
    assert [(s.fase.value, s.reden) for s in tank.geschiedenis] == [("ontdekken", None), ("onderzoeken", "Tempo")]
    assert tank.fase.value == "onderzoeken"


def test_one_question_to_two_experts_and_a_phase_entered_without_a_reason_are_kept_apart(tmp_path: Path) -> None:
    consult = 'consulten:\n  - {{expert: {expert}, vraag: "Wat werkt?"}}\ngeschiedenis:\n'
    ours = RECORD.replace("geschiedenis:\n", consult.format(expert="Els Visser"))
    theirs = RECORD.replace("geschiedenis:\n", consult.format(expert="Piet Bos")).replace(
        "  - {fase: ontdekken, datum: 2026-11-01}\n",
        "  - {fase: ontdekken, datum: 2026-11-01}\n  - {fase: onderzoeken, datum: 2026-11-27}\n",
    )
    code, text = run(tmp_path, RECORD, ours, theirs)
    assert code == 0, merge.conflicts_in(text)
    tank = store.load_record(tmp_path / "ours.yaml", "x")
    assert [c.expert for c in tank.consulten] == ["Els Visser", "Piet Bos"]
    assert [(s.fase.value, str(s.datum)) for s in tank.geschiedenis] == [
        ("ontdekken", "2026-11-01"),
        ("onderzoeken", "2026-11-27"),
    ]


def test_a_clash_keeps_the_schema_line_first_and_a_bom_where_it_was(tmp_path: Path) -> None:
    schema = "# yaml-language-server: $schema=../../doetank.schema.json\n"
    base = "\ufeff" + schema + RECORD
    ours = base.replace("einddatum: 2027-06-30", "einddatum: 2027-05-31")
    theirs = base.replace("einddatum: 2027-06-30", "einddatum: 2027-04-30")
    code, _text = run(tmp_path, base, ours, theirs)
    assert code == 1
    raw = (tmp_path / "ours.yaml").read_text(encoding="utf-8")
    assert raw.startswith("\ufeff" + schema + "# doetank-conflict: richtlijn.einddatum: ")  # then the clash, on top
    clash = raw.splitlines()[1]
    assert "2027-05-31" in clash and "2027-04-30" in clash
    assert raw.count("\ufeff") == 1 and "einddatum: 2027-05-31" in raw


def test_comments_written_only_by_them_are_kept_with_both_sides_changes(tmp_path: Path) -> None:
    ours = RECORD.replace("einddatum: 2027-06-30", "einddatum: 2027-05-31")
    theirs = RECORD.replace("herkomst: opdrachtgever", "herkomst: opdrachtgever  # via Karin").replace(
        "kanaal: blog", "kanaal: linkedin"
    )
    code, text = run(tmp_path, RECORD, ours, theirs)
    assert code == 0
    assert "herkomst: opdrachtgever  # via Karin" in text and "einddatum: 2027-05-31" in text
    assert "# the team as it started" in text and [
        u.kanaal.value for u in store.load_record(tmp_path / "ours.yaml", "x").updates
    ] == ["linkedin", "linkedin"]


def test_a_record_new_on_one_side_only_or_unreadable_falls_back_to_a_line_merge(tmp_path: Path) -> None:
    code, text = run(tmp_path, "", "", RECORD)  # only they have it: theirs, as it is
    assert code == 0 and text == RECORD
    broken = RECORD.replace("leden:\n", "leden: [\n")
    code, text = run(tmp_path, RECORD, broken, RECORD.replace("herkomst: opdrachtgever", "herkomst: netwerk"))
    assert code == 1 and "leden: [\n" in text and "herkomst: netwerk" in text  # both sides' lines, for a person


def test_members_are_matched_by_name_not_position(tmp_path: Path) -> None:
    ours = RECORD.replace(BRAM, "")  # Bram leaves
    theirs = RECORD.replace(
        "Anna de Vries, rol: trekker, organisatie: Gemeente Utrecht",
        "Anna de Vries, rol: trekker, organisatie: Provincie Utrecht",
    )
    code, text = run(tmp_path, RECORD, ours, theirs)
    assert code == 0
    leden = {lid.naam: lid for lid in store.load_record(tmp_path / "ours.yaml", "x").leden}
    assert "Bram Peters" not in leden and leden["Anna de Vries"].organisatie == "Provincie Utrecht"
    # in place: Anna's line changed where it was, the comment above the team kept, nothing else rewritten
    assert text == ours.replace(
        "Anna de Vries, rol: trekker, organisatie: Gemeente Utrecht",
        "Anna de Vries, rol: trekker, organisatie: Provincie Utrecht",
    )


def test_one_side_removes_a_member_the_other_changed_is_a_clash_that_loses_nothing(tmp_path: Path) -> None:
    ours = RECORD.replace(BRAM, "")
    theirs = RECORD.replace("Bram Peters, rol: doetanker", "Bram Peters, rol: coach")
    code, text = run(tmp_path, RECORD, ours, theirs)
    assert code == 1
    assert merge.conflicts_in(text) == [
        "leden[Bram Peters]: yours (removed), "
        "server {naam: Bram Peters, rol: coach, organisatie: Rijkswaterstaat, sector: publiek}, "
        "before {naam: Bram Peters, rol: doetanker, organisatie: Rijkswaterstaat, sector: publiek}"
    ]
    assert "Bram Peters" not in store.load_record(tmp_path / "ours.yaml", "x").model_dump_json()  # ours: removed


def test_two_new_versions_of_one_tank_clash_field_by_field(tmp_path: Path) -> None:
    code, text = run(tmp_path, "", RECORD, RECORD.replace("Slimmer vergaderen", "Beter vergaderen"))
    assert code == 1 and "naam: yours Slimmer vergaderen, server Beter vergaderen" in merge.conflicts_in(text)[0]


def test_comments_written_on_both_sides_are_both_kept(tmp_path: Path) -> None:
    ours = RECORD.replace("herkomst: opdrachtgever", "herkomst: opdrachtgever  # via Karin")
    theirs = RECORD.replace("  organisatie: Gemeente Utrecht\n", "  organisatie: Gemeente Utrecht  # eerste keuze\n", 1)
    code, text = run(tmp_path, RECORD, ours, theirs)
    assert code == 1
    assert "# via Karin" in text and "# eerste keuze" in text


def test_a_record_that_does_not_parse_falls_back_to_markers_the_loader_refuses(tmp_path: Path) -> None:
    code, text = run(
        tmp_path, RECORD, RECORD.replace("leden:\n", "leden: [\n"), RECORD.replace("fase: ontdekken", "fase: leren", 1)
    )
    assert code == 1  # merged line by line, but still no record: git keeps it unmerged
    assert "leden: [\n" in text and "fase: leren" in text and "<<<<<<<" not in text  # both sides' lines, no markers
    code, text = run(
        tmp_path, RECORD, RECORD.replace("leden:\n", "leden: [\n"), RECORD.replace("leden:\n", "leden: {\n")
    )
    assert code == 1 and "<<<<<<<" in text


# --------------------------------------------------------------------------- the cases the issue names (#12)


def test_alike_items_never_collapse_so_a_consult_held_on_the_other_side_is_kept(tmp_path: Path) -> None:
    """Item 1: two consults with one expert and one question; each side marks another one held."""
    consults = (
        "consulten:\n"
        "  - {expert: Eva, vraag: 'Hoe?', status: aangevraagd, datum: 2026-10-01}\n"
        "  - {expert: Eva, vraag: 'Hoe?', status: gehouden, datum: 2026-10-15, gehouden: 2026-10-20}\n"
    )
    base = RECORD + consults
    theirs = base.replace(
        "status: aangevraagd, datum: 2026-10-01}", "status: gehouden, datum: 2026-10-01, gehouden: 2026-11-01}"
    )
    ours = base.replace("einddatum: 2027-06-30", "einddatum: 2027-05-31")
    code, _text = run(tmp_path, base, ours, theirs)
    assert code == 0
    tank = store.load_record(tmp_path / "ours.yaml", "x")
    assert [(c.status.value, str(c.gehouden)) for c in tank.consulten] == [
        ("gehouden", "2026-11-01"),
        ("gehouden", "2026-10-20"),
    ]
    assert str(tank.richtlijn.einddatum) == "2027-05-31"


def test_alike_items_added_on_one_side_are_all_kept(tmp_path: Path) -> None:
    item = "  - {expert: Eva, vraag: 'Hoe?', status: aangevraagd, datum: 2026-10-0%d}\n"
    base = RECORD + "consulten:\n" + item % 1
    theirs = base + item % 2 + item % 3
    code, _text = run(tmp_path, base, base.replace("naam: Slimmer", "naam: Slim"), theirs)
    assert code == 0
    assert len(store.load_record(tmp_path / "ours.yaml", "x").consulten) == 3


def test_a_clash_on_a_multi_line_value_leaves_a_valid_record_with_one_note_line(tmp_path: Path) -> None:
    """Item 2: `probleem: |` over two lines, each side changes another line."""
    base = RECORD.replace(
        "  probleem: Overleggen leveren zelden besluiten op   # klein en concreet\n",
        "  probleem: |\n    Overleggen leveren zelden besluiten op.\n    Niemand weet wie beslist.\n",
    )
    ours = base.replace("zelden besluiten", "bijna nooit besluiten")
    theirs = base.replace("Niemand weet", "Geen mens weet")
    code, text = run(tmp_path, base, ours, theirs)
    assert code == 1
    tank = store.load_record(tmp_path / "ours.yaml", "x")  # still a record
    assert tank.vraagstuk.probleem == "Overleggen leveren bijna nooit besluiten op.\nNiemand weet wie beslist.\n"
    notes = store.conflict_notes(text)
    assert len(notes) == 1 and notes[0].startswith("# doetank-conflict: vraagstuk.probleem: yours ")
    assert '"Overleggen leveren zelden besluiten op.\\nGeen mens weet wie beslist.\\n"' in notes[0]
    assert all(line.startswith("#") or not line.startswith(" ") for line in text.splitlines()[:2])


def test_values_with_line_breaks_of_any_kind_stay_on_the_note_line(tmp_path: Path) -> None:
    base = RECORD
    ours = RECORD.replace("naam: Slimmer vergaderen", 'naam: "Slim\\u2028mer\\rvergaderen"')
    theirs = RECORD.replace("naam: Slimmer vergaderen", 'naam: "Sneller\\u0085vergaderen\\tnu"')
    code, text = run(tmp_path, base, ours, theirs)
    assert code == 1
    notes = store.conflict_notes(text)
    assert len(notes) == 1 and "\\u2028" in notes[0] and "\\u0085" in notes[0]
    store.load_record(tmp_path / "ours.yaml", "x")


def test_a_hash_inside_a_quoted_value_is_not_a_comment(tmp_path: Path) -> None:
    """Item 12: "Team #4" on one side and "issue #12" on the other are values, not comments written on both sides."""
    ours = RECORD.replace("naam: Slimmer vergaderen", 'naam: "Slimmer vergaderen, Team #4"')
    theirs = RECORD.replace("locatie: Kennisland}", 'locatie: "Kennisland, zie issue #12"}')
    code, text = run(tmp_path, RECORD, ours, theirs)
    assert code == 0, text
    tank = store.load_record(tmp_path / "ours.yaml", "x")
    assert tank.kickoff is not None
    assert tank.naam == "Slimmer vergaderen, Team #4" and tank.kickoff.locatie == "Kennisland, zie issue #12"


def test_the_same_change_on_both_sides_is_never_a_clash(tmp_path: Path) -> None:
    both = RECORD.replace("einddatum: 2027-06-30", "einddatum: 2027-05-31").replace(
        BRAM, BRAM + "  - {naam: Eva Jansen, rol: doetanker, organisatie: UWV, sector: publiek}\n"
    )
    quoted = both.replace("einddatum: 2027-05-31", "einddatum: '2027-05-31'")
    code, text = run(tmp_path, RECORD, both, quoted)
    assert code == 0 and not store.conflict_notes(text)
    tank = store.load_record(tmp_path / "ours.yaml", "x")
    assert [lid.naam for lid in tank.leden].count("Eva Jansen") == 1


def test_one_person_added_on_both_sides_with_different_roles_is_a_clash_on_the_role(tmp_path: Path) -> None:
    ours = RECORD.replace(BRAM, BRAM + "  - {naam: Eva Jansen, rol: doetanker, organisatie: UWV, sector: publiek}\n")
    theirs = RECORD.replace(BRAM, BRAM + "  - {naam: eva  jansen, rol: coach, organisatie: UWV, sector: publiek}\n")
    code, text = run(tmp_path, RECORD, ours, theirs)
    assert code == 1
    assert merge.conflicts_in(text) == ["leden[Eva Jansen].naam: yours Eva Jansen, server eva  jansen"] or any(
        "leden[Eva Jansen].rol: yours doetanker, server coach" in said for said in merge.conflicts_in(text)
    )
    assert [lid.naam for lid in store.load_record(tmp_path / "ours.yaml", "x").leden].count("Eva Jansen") == 1


def test_when_only_the_server_wrote_comments_the_file_still_holds_your_value_at_a_clash(tmp_path: Path) -> None:
    ours = RECORD.replace("einddatum: 2027-06-30", "einddatum: 2027-04-30")
    theirs = RECORD.replace("einddatum: 2027-06-30", "einddatum: 2027-05-31  # afgesproken met Karin")
    code, text = run(tmp_path, RECORD, ours, theirs)
    assert code == 1 and "# afgesproken met Karin" in text
    assert str(store.load_record(tmp_path / "ours.yaml", "x").richtlijn.einddatum) == "2027-04-30"


# --------------------------------------------------------------------------- the property: nothing is ever lost

from datetime import date, timedelta  # noqa: E402
from typing import Any  # noqa: E402

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from doetank_cli.model import name_key  # noqa: E402

# text as people write it, with the characters that trip YAML: '#', ': ', quotes, line breaks
_letters = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufeff")
text = st.one_of(
    st.text(_letters, min_size=1, max_size=20).filter(lambda s: s.strip()),
    st.sampled_from(["Team #4", "issue #12", "a: b", "'quoted'", '"dubbel"', "- lijst", "# geen opmerking"]),
    st.lists(st.text(_letters, min_size=1, max_size=10).filter(str.strip), min_size=2, max_size=3).map("\n".join),
)
SCALARS = [("naam",), ("vraagstuk", "probleem"), ("vraagstuk", "organisatie"), ("richtlijn", "einddatum"), ("publiek",)]
FIELDS = {"leden": ["rol", "organisatie"], "consulten": ["held"], "updates": ["datum"]}


def _day(offset: int) -> date:
    return date(2026, 1, 1) + timedelta(days=offset)


@st.composite
def _base(draw: st.DrawFn) -> dict[str, Any]:
    names = draw(st.lists(text.filter(lambda s: "\n" not in s), max_size=4, unique_by=name_key))
    consulten = [
        {"expert": draw(st.sampled_from(["Eva", "Jan"])), "vraag": draw(st.sampled_from(["Hoe?", "Wat?"])),
         "status": "aangevraagd", "datum": _day(i)}
        for i in range(draw(st.integers(0, 4)))
    ]  # fmt: skip
    updates = [
        {"datum": _day(10 + i), "kanaal": "blog", "url": f"https://{draw(st.sampled_from(['a', 'b']))}.nl/{i}"}
        for i in range(draw(st.integers(0, 3)))
    ]
    return {
        "naam": draw(text),
        "status": "actief",
        "fase": "ontdekken",
        "vraagstuk": {"probleem": draw(text), "organisatie": draw(text)},
        "leden": [{"naam": n, "rol": "doetanker", "organisatie": draw(text)} for n in names],
        "richtlijn": {"einddatum": _day(400)},
        "updates": updates,
        "consulten": consulten,
        "geschiedenis": [{"fase": "ontdekken", "datum": _day(0)}],
        "publiek": True,
    }


@st.composite
def _ops(draw: st.DrawFn, base: dict[str, Any], side: int) -> list[tuple[Any, ...]]:
    """One side's changes: at most one per field or item, as the tool and people make them."""
    ops: list[tuple[Any, ...]] = []
    for path in SCALARS:
        if draw(st.booleans()):
            value: Any = draw(st.booleans()) if path == ("publiek",) else None
            value = _day(draw(st.integers(500, 503))) if path == ("richtlijn", "einddatum") else value
            value = value if value is not None else draw(text)
            if not merge._same(value, base[path[0]] if len(path) == 1 else base[path[0]][path[1]]):
                ops.append(("set", path, value))
    for key, fields in FIELDS.items():
        for index, item in enumerate(base[key]):
            what = draw(st.sampled_from(["keep", "keep", "remove", *fields]))
            if what == "remove":
                ops.append(("remove", key, index))
            elif what == "held":
                ops.append(
                    ("item", key, index, {"status": "gehouden", "gehouden": _day(600 + draw(st.integers(0, 1)))})
                )
            elif what == "rol":
                ops.append(("item", key, index, {"rol": draw(st.sampled_from(["trekker", "coach"]))}))
            elif what == "organisatie":
                organisatie = draw(text)
                if not merge._same(organisatie, item["organisatie"]):
                    ops.append(("item", key, index, {"organisatie": organisatie}))
            elif what == "datum":
                ops.append(("item", key, index, {"datum": _day(700 + draw(st.integers(0, 1)))}))
    for n in range(draw(st.integers(0, 2))):  # additions, never alike to the other side's
        key = draw(st.sampled_from(list(FIELDS)))
        item = {
            "leden": {"naam": f"Nieuw {side}.{n}", "rol": "doetanker"},
            "consulten": {
                "expert": "Eva",
                "vraag": "Hoe?",
                "status": "aangevraagd",
                "datum": _day(800 + 10 * side + n),
            },
            "updates": {"datum": _day(900 + n), "kanaal": "linkedin", "url": f"https://{side}.nl/{n}"},
        }[key]
        ops.append(("append", key, item))
    if draw(st.booleans()):  # the very same addition on both sides (drawn alike for side 0 and 1)
        ops.append(("append", "updates", {"datum": _day(950), "kanaal": "linkedin", "url": "https://beide.nl"}))
    return ops


def _apply(base: dict[str, Any], ops: list[tuple[Any, ...]]) -> dict[str, Any]:
    import copy as copying

    record = copying.deepcopy(base)
    removed: dict[str, set[int]] = {key: set() for key in FIELDS}
    for op in ops:
        if op[0] == "set":
            *parents, last = op[1]
            holder = record
            for part in parents:
                holder = holder[part]
            holder[last] = op[2]
        elif op[0] == "item":
            record[op[1]][op[2]].update(op[3])
        elif op[0] == "remove":
            removed[op[1]].add(op[2])
    for key, gone in removed.items():
        record[key] = [item for index, item in enumerate(record[key]) if index not in gone]
    for op in ops:
        if op[0] == "append":
            record[op[1]].append(op[2])
    return record


def _expected(base: dict[str, Any], ours: list[tuple[Any, ...]], theirs: list[tuple[Any, ...]]):
    """What a merge that loses nothing gives: every change of both sides; where they differ, ours, and a clash."""
    clashes: list[tuple[Any, Any]] = []
    taken: list[tuple[Any, ...]] = list(ours)
    mine = {op[1]: op for op in ours if op[0] == "set"}
    for op in theirs:
        if op[0] == "set":
            if op[1] not in mine:
                taken.append(op)
            elif merge._norm(mine[op[1]][2]) != merge._norm(op[2]):
                clashes.append((mine[op[1]][2], op[2]))
        elif op[0] == "append":
            if op not in ours:  # the same addition on both sides is one
                taken.append(op)
        else:
            other = next((o for o in ours if o[0] in ("item", "remove") and o[1:3] == op[1:3]), None)
            if other is None:
                taken.append(op)
            elif other[0] == "remove" and op[0] == "remove":
                pass
            elif other[0] == "remove" or op[0] == "remove":
                clashes.append(("item", op[1]))
            else:
                same_fields = set(other[3]) & set(op[3])
                differ = [f for f in same_fields if merge._norm(other[3][f]) != merge._norm(op[3][f])]
                for f in differ:
                    clashes.append((other[3][f], op[3][f]))
                taken.append(("item", op[1], op[2], {f: v for f, v in op[3].items() if f not in same_fields}))
    return _apply(base, taken), clashes


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_merge_keeps_every_change_of_both_sides_or_names_both_values_in_a_clash(data: st.DataObject) -> None:
    base = data.draw(_base())
    ours_ops, theirs_ops = data.draw(_ops(base, 0)), data.draw(_ops(base, 1))
    ours, theirs = _apply(base, ours_ops), _apply(base, theirs_ops)
    texts = [store.new_record_text(r) for r in (base, ours, theirs)]
    outcome = merge.merge_texts(texts[0], texts[1], texts[2], "tanks/x/doetank.yaml")
    assert outcome is not None
    merged = store.parse_document(outcome.text, "merged")  # a valid record, notes and all
    expected, clashes = _expected(base, ours_ops, theirs_ops)
    assert merge._norm(store.plain(merged.data)) == merge._norm(expected)
    assert len(outcome.clashes) == len(clashes) == len(store.conflict_notes(outcome.text))
    for ours_value, theirs_value in clashes:
        if ours_value == "item":
            assert any(c.steps[0] == theirs_value and isinstance(c.steps[-1], merge.Item) for c in outcome.clashes)
        else:
            assert any(
                merge._same(c.ours, ours_value) and merge._same(c.theirs, theirs_value) for c in outcome.clashes
            ), (ours_value, theirs_value, outcome.clashes)


def test_taking_a_side_that_never_had_a_key_leaves_the_key_out(tmp_path: Path) -> None:
    """resolve --ours when yours never had the key the server added (a stop, a kickoff): the key stays out, no
    "the place is no longer in the file"."""
    doc = store.parse_document(RECORD, "x")
    assert "gestopt" not in doc.data
    merge.put(doc.data, ("gestopt",), merge.MISSING)
    assert doc.dump() == RECORD
    merge.put(doc.data, ("kickoff", "locatie"), merge.MISSING)
    merge.put(doc.data, ("kickoff", "locatie"), merge.MISSING)  # gone already: still no error
    assert dict(doc.data["kickoff"]) == {"datum": date(2026, 11, 20)}
