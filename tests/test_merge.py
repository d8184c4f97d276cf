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
    assert raw.startswith(
        "\ufeff" + schema + "# doetank-conflict: richtlijn.einddatum: ours 2027-05-31, theirs 2027-04-30"
    )
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
        "leden[bram peters]: ours (removed), "
        "theirs {'naam': 'Bram Peters', 'rol': 'coach', 'organisatie': 'Rijkswaterstaat', 'sector': 'publiek'}, "
        "base {'naam': 'Bram Peters', 'rol': 'doetanker', 'organisatie': 'Rijkswaterstaat', 'sector': 'publiek'}"
    ]


def test_two_new_versions_of_one_tank_clash_field_by_field(tmp_path: Path) -> None:
    code, text = run(tmp_path, "", RECORD, RECORD.replace("Slimmer vergaderen", "Beter vergaderen"))
    assert code == 1 and "naam: ours Slimmer vergaderen, theirs Beter vergaderen" in merge.conflicts_in(text)[0]


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
