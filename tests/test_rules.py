from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

import pytest
from conftest import REPO

from doetank_cli.model import FASES, Doetank, Fase, Richtlijn
from doetank_cli.rules import BY_ID, RULES, Context, Ernst, NoteGap, evaluate, gate, lookup, suggest, valid_window

TODAY = date(2026, 11, 28)

GOOD: dict[str, Any] = {
    "naam": "Slimmer vergaderen",
    "fase": "ontdekken",
    "vraagstuk": {
        "probleem": "Overleggen zonder besluit",
        "organisatie": "Gemeente Utrecht",
        "groter_vraagstuk": "Sneller besluiten",
    },
    "opdrachtgever": {"naam": "Karin", "organisatie": "Gemeente Utrecht", "sector": "publiek"},
    "leden": [
        {"naam": "Anna", "rol": "trekker", "sector": "publiek"},
        {"naam": "Bram", "rol": "doetanker", "sector": "publiek"},
        {"naam": "Dirk", "rol": "doetanker", "sector": "publiek"},
        {"naam": "Cor", "rol": "coach", "sector": "extern"},
    ],
    "richtlijn": {"einddatum": "2027-06-30"},
    "kickoff": {"datum": "2026-11-20", "locatie": "Kennisland"},
    "updates": [
        {"datum": "2026-11-21", "kanaal": "linkedin", "url": "https://x"},
        {"datum": "2026-11-22", "kanaal": "blog", "url": "https://y"},
    ],
    "geschiedenis": [{"fase": "ontdekken", "datum": "2026-11-01"}],
}


def tank(fase: Fase = Fase.ontdekken, **changes: Any) -> Doetank:
    data = copy.deepcopy(GOOD)
    nummer = FASES.index(fase)
    data["fase"] = fase.value
    data["geschiedenis"] = [
        {"fase": f.value, "datum": f"2026-11-{i + 1:02d}"} for i, f in enumerate(FASES[: nummer + 1])
    ]
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return Doetank.model_validate(data)


def found(t: Doetank, rule: str, note: NoteGap | None = None) -> list[Ernst]:
    return [f.ernst for f in evaluate(t, Context("slimmer", TODAY, note)) if f.regel == rule]


@pytest.mark.parametrize("fase", FASES)
def test_a_complete_tank_breaks_no_rule_in_any_phase(fase: Fase) -> None:
    assert evaluate(tank(fase), Context("slimmer", TODAY)) == []


BREAKS = [
    # rule, how to break it, severity in ontdekken, severity from onderzoeken on
    ("DT001", {"vraagstuk": {"organisatie": "X", "groter_vraagstuk": "Y"}}, Ernst.fout, Ernst.fout),
    ("DT002", {"vraagstuk": {"probleem": "P", "groter_vraagstuk": "Y"}}, Ernst.fout, Ernst.fout),
    (
        "DT003",
        {"vraagstuk": {"probleem": "P", "organisatie": "X", "groter_vraagstuk": "  "}},
        Ernst.waarschuwing,
        Ernst.fout,
    ),
    ("DT004", {"opdrachtgever": None}, Ernst.waarschuwing, Ernst.waarschuwing),
    ("DT005", {"opdrachtgever": {"naam": "K", "sector": "extern"}}, Ernst.waarschuwing, Ernst.waarschuwing),
    ("DT010", {"leden": GOOD["leden"][:2] + GOOD["leden"][3:]}, Ernst.waarschuwing, Ernst.fout),
    (
        "DT011",
        {
            "leden": [
                {"naam": n, "rol": r, "sector": s}
                for n, r, s in [
                    ("A", "trekker", "publiek"),
                    ("B", "doetanker", "extern"),
                    ("C", "doetanker", "extern"),
                    ("D", "doetanker", "publiek"),
                    ("E", "coach", "extern"),
                ]
            ]
        },
        Ernst.waarschuwing,
        Ernst.waarschuwing,
    ),
    (
        "DT012",
        {"leden": [{"naam": n, "rol": "doetanker"} for n in "ABC"] + [{"naam": "D", "rol": "coach"}]},
        Ernst.fout,
        Ernst.fout,
    ),
    ("DT013", {"leden": GOOD["leden"][:3]}, Ernst.waarschuwing, Ernst.fout),
    ("DT014", {"leden": GOOD["leden"] + [{"naam": "anna ", "rol": "doetanker"}]}, Ernst.fout, Ernst.fout),
    ("DT020", {"kickoff": None}, None, Ernst.fout),
    ("DT021", {"updates": [GOOD["updates"][1]]}, Ernst.waarschuwing, Ernst.waarschuwing),
    ("DT022", {"updates": [GOOD["updates"][0]]}, None, Ernst.waarschuwing),
    ("DT030", {"richtlijn": None}, Ernst.waarschuwing, Ernst.fout),
    ("DT031", {"richtlijn": {"einddatum": "2026-11-01"}}, Ernst.waarschuwing, Ernst.waarschuwing),
]


@pytest.mark.parametrize(("rule", "change", "in_ontdekken", "later"), BREAKS, ids=[b[0] for b in BREAKS])
def test_each_rule_breaks_with_the_severity_of_the_phase(
    rule: str, change: dict[str, Any], in_ontdekken: Ernst | None, later: Ernst
) -> None:
    assert found(tank(Fase.ontdekken, **change), rule) == ([in_ontdekken] if in_ontdekken else [])
    for fase in FASES[1:]:
        assert found(tank(fase, **change), rule) == [later], fase


@pytest.mark.parametrize(("rule", "change", "in_ontdekken", "later"), BREAKS, ids=[b[0] for b in BREAKS])
def test_a_waiver_with_a_reason_marks_the_finding_and_it_no_longer_counts(
    rule: str, change: dict[str, Any], in_ontdekken: Ernst | None, later: Ernst
) -> None:
    t = tank(Fase.leren, uitzonderingen={rule: "Tijdelijk, tot de werving rond is"}, **change)
    hits = [f for f in evaluate(t, Context("slimmer", TODAY)) if f.regel == rule]
    assert hits and all(
        f.uitzondering == "Tijdelijk, tot de werving rond is" and not f.counts and not f.blocks for f in hits
    )


def test_a_waiver_without_a_reason_waives_nothing() -> None:
    t = tank(Fase.leren, kickoff=None, uitzonderingen={"DT020": None})
    assert [f.blocks for f in evaluate(t, Context("s", TODAY)) if f.regel == "DT020"] == [True]


def test_more_than_nine_is_a_fout_even_in_ontdekken() -> None:
    leden = [{"naam": "T", "rol": "trekker"}] + [{"naam": f"D{i}", "rol": "doetanker"} for i in range(9)]
    assert found(tank(Fase.ontdekken, leden=leden), "DT010") == [Ernst.fout]


def test_a_team_of_exactly_nine_is_not_too_big_and_of_ten_is() -> None:
    nine = [{"naam": "T", "rol": "trekker"}] + [{"naam": f"D{i}", "rol": "doetanker"} for i in range(8)]
    coach = [{"naam": "C", "rol": "coach"}]
    for fase in FASES:
        assert found(tank(fase, leden=nine + coach), "DT010") == [], fase
        assert found(tank(fase, leden=[*nine, {"naam": "D9", "rol": "doetanker"}, *coach]), "DT010") == [Ernst.fout]


def test_a_team_of_exactly_three_is_big_enough_and_of_two_is_not() -> None:
    three = [{"naam": "T", "rol": "trekker"}, {"naam": "D1", "rol": "doetanker"}, {"naam": "D2", "rol": "doetanker"}]
    coach = [{"naam": "C", "rol": "coach"}]
    assert found(tank(Fase.onderzoeken, leden=three + coach), "DT010") == []
    assert found(tank(Fase.onderzoeken, leden=three[:2] + coach), "DT010") == [Ernst.fout]


def test_the_coach_does_not_count_towards_the_team_size() -> None:
    leden = [{"naam": "T", "rol": "trekker"}, {"naam": "D", "rol": "doetanker"}, {"naam": "C", "rol": "coach"}]
    assert found(tank(Fase.ontdekken, leden=leden), "DT010") == [Ernst.waarschuwing]


def test_a_kickoff_in_the_future_has_not_happened_yet() -> None:
    assert found(tank(Fase.onderzoeken, kickoff={"datum": "2026-12-10", "locatie": "K"}), "DT020") == [Ernst.fout]
    assert found(tank(Fase.ontdekken, kickoff={"datum": "2026-12-10", "locatie": "K"}, updates=[]), "DT021") == []


def test_a_kickoff_dated_today_has_been_held() -> None:
    today = {"datum": TODAY.isoformat(), "locatie": "Kennisland"}
    assert found(tank(Fase.onderzoeken, kickoff=today), "DT020") == []  # not "planned, not yet taken place"
    # held, so the LinkedIn update the spelregels ask for "zodra de eerste bijeenkomst is geweest" is due today
    assert found(tank(Fase.ontdekken, kickoff=today, updates=[]), "DT021") == [Ernst.waarschuwing]
    tomorrow = {"datum": (TODAY + timedelta(days=1)).isoformat(), "locatie": "Kennisland"}
    assert found(tank(Fase.onderzoeken, kickoff=tomorrow), "DT020") == [Ernst.fout]
    assert found(tank(Fase.ontdekken, kickoff=tomorrow, updates=[]), "DT021") == []


def test_an_einddatum_or_phase_target_of_today_is_not_yet_overdue() -> None:
    today, yesterday = TODAY.isoformat(), (TODAY - timedelta(days=1)).isoformat()
    assert found(tank(Fase.ontdekken, richtlijn={"einddatum": today}), "DT031") == []
    assert found(tank(Fase.ontdekken, richtlijn={"einddatum": yesterday}), "DT031") == [Ernst.waarschuwing]
    on_time = {"einddatum": "2027-06-30", "fases": {"ontdekken": today}}
    assert found(tank(Fase.ontdekken, richtlijn=on_time), "DT031") == []
    late = {"einddatum": "2027-06-30", "fases": {"ontdekken": yesterday}}
    assert found(tank(Fase.ontdekken, richtlijn=late), "DT031") == [Ernst.waarschuwing]


def test_findings_are_trusted_exactly_until_a_date_of_the_record_can_change_them() -> None:
    # the record's dates: geschiedenis 2026-11-01, kickoff 11-20, updates 11-21 and 11-22, einddatum 12-31
    t = tank(Fase.ontdekken, richtlijn={"einddatum": "2026-12-31"})
    assert valid_window(t, date(2026, 12, 15)) == (date(2026, 11, 23), date(2026, 12, 31))
    assert valid_window(t, date(2026, 12, 31)) == (date(2026, 12, 31), date(2027, 1, 1))  # its last day on time
    assert valid_window(t, date(2027, 3, 1)) == (date(2027, 1, 1), date.max)  # overdue from the day after, for good
    assert [f.regel for f in evaluate(t, Context("s", date(2026, 12, 31)))] == []
    assert [f.regel for f in evaluate(t, Context("s", date(2027, 1, 1)))] == ["DT031"]


def test_a_passed_phase_target_warns_only_while_the_tank_is_still_in_that_phase() -> None:
    richtlijn = {"einddatum": "2027-06-30", "fases": {"ontdekken": "2026-11-15"}}
    assert found(tank(Fase.ontdekken, richtlijn=richtlijn), "DT031") == [Ernst.waarschuwing]
    assert found(tank(Fase.onderzoeken, richtlijn=richtlijn), "DT031") == []


def test_a_stopped_tank_is_not_overdue() -> None:
    t = tank(
        Fase.leren,
        status="gestopt",
        gestopt={"datum": "2026-11-02", "reden": "R"},
        richtlijn={"einddatum": "2026-01-01"},
    )
    assert found(t, "DT031") == []


@pytest.mark.parametrize(
    "geschiedenis",
    [
        [],
        [{"fase": "onderzoeken", "datum": "2026-11-01"}],
        [{"fase": "ontdekken", "datum": "2026-11-05"}, {"fase": "onderzoeken", "datum": "2026-11-01"}],
        [{"fase": "ontdekken", "datum": "2026-11-01"}, {"fase": "ontwikkelen", "datum": "2026-11-02"}],
        [{"fase": "ontdekken", "datum": "2026-11-01"}],  # ends before fase (onderzoeken)
    ],
)
def test_geschiedenis_out_of_order_backwards_or_not_ending_at_fase_is_a_fout(
    geschiedenis: list[dict[str, str]],
) -> None:
    t = tank(Fase.onderzoeken)
    t = t.model_copy(
        update={"geschiedenis": Doetank.model_validate({**GOOD, "geschiedenis": geschiedenis}).geschiedenis}
    )
    assert found(t, "DT040") == [Ernst.fout]
    hits = [f for f in evaluate(t, Context("s", TODAY)) if f.regel == "DT040"]
    assert hits[0].oplossing.startswith("correct geschiedenis in tanks/s/doetank.yaml")


def test_the_note_gate_lists_each_empty_section_and_a_missing_note() -> None:
    t = tank(Fase.ontdekken)
    gap = NoteGap("tanks/s/01-ontdekken.md", True, ["De kern", "Praktijk"])
    assert found(t, "DT041", gap) == [Ernst.fout, Ernst.fout]
    missing = [
        f.bericht
        for f in evaluate(t, Context("s", TODAY, NoteGap("tanks/s/01-ontdekken.md", False)))
        if f.regel == "DT041"
    ]
    assert missing == ["The note tanks/s/01-ontdekken.md is missing."]
    assert found(t, "DT041", NoteGap("f", True, [])) == []


def test_the_gate_judges_the_tank_as_it_would_be_in_the_next_phase() -> None:
    t = tank(Fase.ontdekken, kickoff=None, richtlijn=None)
    blocking = sorted(f.regel for f in gate(t, Context("s", TODAY, NoteGap("n", True, []))) if f.blocks)
    assert blocking == ["DT020", "DT030"]  # both are fouten from onderzoeken, so exit criteria of ontdekken


def test_every_rule_quotes_the_spelregels_word_for_word() -> None:
    spelregels = " ".join((REPO / "docs" / "spelregels.txt").read_text(encoding="utf-8").split())
    for rule in RULES:
        assert rule.controle, rule.id
        assert rule.spelregel.rstrip(".") in spelregels, rule.id
    assert list(BY_ID) == sorted(BY_ID)


def test_two_trekkers_or_two_coaches_are_one_too_many() -> None:
    two_trekkers = [*GOOD["leden"], {"naam": "Eva", "rol": "trekker", "sector": "publiek"}]
    assert found(tank(Fase.ontdekken, leden=two_trekkers), "DT012") == [Ernst.fout]
    two_coaches = [*GOOD["leden"], {"naam": "Fenna", "rol": "coach", "sector": "extern"}]
    assert found(tank(Fase.onderzoeken, leden=two_coaches), "DT013") == [Ernst.fout]


def test_external_members_count_from_half_of_the_team() -> None:
    def team(extern: int, publiek: int) -> list[dict[str, str]]:
        return [{"naam": f"E{i}", "rol": "doetanker", "sector": "extern"} for i in range(extern)] + [
            {"naam": f"P{i}", "rol": "trekker" if i == 0 else "doetanker", "sector": "publiek"} for i in range(publiek)
        ]

    assert found(tank(Fase.ontdekken, leden=team(1, 2)), "DT011") == []  # a third: fewer than half
    assert found(tank(Fase.ontdekken, leden=team(2, 2)), "DT011") == [Ernst.waarschuwing]  # exactly half


def test_a_missing_larger_vraagstuk_is_named_like_an_empty_one() -> None:
    vraagstuk = {"probleem": "P", "organisatie": "X"}
    assert found(tank(Fase.onderzoeken, vraagstuk=vraagstuk), "DT003") == [Ernst.fout]


def test_someone_listed_twice_is_named_once_with_both_roles() -> None:
    leden = [*GOOD["leden"], {"naam": " cor  SMIT ", "rol": "trekker"}]
    leden[3] = {"naam": "Cor Smit", "rol": "coach", "sector": "extern"}
    hits = [f for f in evaluate(tank(Fase.ontdekken, leden=leden), Context("s", TODAY)) if f.regel == "DT014"]
    assert len(hits) == 1 and "Cor Smit appears 2 times in leden (coach, trekker)" in hits[0].bericht
    assert hits[0].naam == "rollen-gescheiden"


def test_two_phases_entered_on_one_day_are_in_order_and_a_seventh_entry_is_not() -> None:
    same_day = [{"fase": f.value, "datum": "2026-11-01"} for f in FASES[:3]]
    assert found(tank(Fase.ontwikkelen, geschiedenis=same_day), "DT040") == []
    seven = [{"fase": f.value, "datum": f"2026-11-0{i + 1}"} for i, f in enumerate(FASES)]
    seven.append({"fase": "overdragen", "datum": "2026-11-09"})
    hits = [f for f in evaluate(tank(Fase.overdragen, geschiedenis=seven), Context("s", TODAY)) if f.regel == "DT040"]
    assert [f.bericht for f in hits] == ["geschiedenis entry 7 is overdragen; in the stappenplan it should be -."]
    assert hits[0].oplossing.startswith("correct geschiedenis in tanks/s/doetank.yaml")


def test_late_phase_targets_are_named_in_the_order_of_the_phases() -> None:
    richtlijn = {"einddatum": "2027-06-30", "fases": {"onderzoeken": "2026-11-10", "ontdekken": "2026-11-05"}}
    hits = [f.bericht for f in evaluate(tank(Fase.ontdekken, richtlijn=richtlijn), Context("s", TODAY))]
    late = [b for b in hits if "target date" in b]
    assert len(late) == 2 and "for ontdekken" in late[0] and "for onderzoeken" in late[1]


def test_a_rule_is_found_by_its_id_or_name_in_any_case_and_a_typo_by_the_nearest() -> None:
    for text in ("DT011", "dt011", " DT011 ", "publiek-primair", "Publiek-Primair"):
        rule = lookup(text)
        assert rule is not None and rule.id == "DT011", text
    assert lookup("DT099") is None and lookup("geen-regel") is None
    assert (
        suggest("DT0111") == "DT011" and suggest("publiek-primar") == "DT011" and suggest("Publiek-Primar") == "DT011"
    )
    assert suggest("XY011") is None  # a third of the id wrong: too far to guess
    assert suggest("kickoff") == "DT020" and suggest("iets heel anders") is None


def test_the_window_reaches_back_to_the_first_day_and_forward_to_the_last() -> None:
    t = tank(Fase.ontdekken, richtlijn={"einddatum": "2026-12-31"})
    assert valid_window(t, date(2026, 10, 1)) == (date.min, date(2026, 11, 1))  # before every date of the record
    phase_target = tank(Fase.ontdekken, richtlijn={"einddatum": "2027-06-30", "fases": {"ontdekken": "2026-12-15"}})
    assert valid_window(phase_target, date(2026, 12, 10)) == (date(2026, 11, 23), date(2026, 12, 15))
    # records hold dates up to vocab.LAST_DAY; the window stays whole even at the last date Python has
    last_day = Richtlijn.model_construct(einddatum=date.max, fases={})
    at_the_end = tank(Fase.ontdekken).model_copy(update={"richtlijn": last_day})
    assert valid_window(at_the_end, date.max) == (date.max, date.max)  # no day after the last one


def test_every_finding_says_how_to_fix_it() -> None:
    broken = Doetank.model_validate(
        {"naam": "Leeg", "fase": "leren", "kickoff": {"datum": "2026-01-01", "locatie": "K"}}
    )
    findings = evaluate(broken, Context("leeg", TODAY, NoteGap("n", False)))
    assert len({f.regel for f in findings}) >= 10
    for finding in findings:
        assert finding.oplossing.startswith(("doetank ", "write it in", "correct ", "wait for")), finding


@pytest.mark.parametrize(
    ("rule", "t", "note"),
    [
        ("DT040", lambda: tank(Fase.onderzoeken, geschiedenis=[{"fase": "ontdekken", "datum": "2026-11-01"}]), None),
        ("DT041", lambda: tank(Fase.ontdekken), NoteGap("tanks/s/01-ontdekken.md", True, ["De kern"])),
    ],
)
def test_the_phase_rules_can_be_waived_too(rule: str, t: Any, note: NoteGap | None) -> None:
    waived = t().model_copy(update={"uitzonderingen": {rule: "Overgenomen uit het oude dossier"}})
    hits = [f for f in evaluate(waived, Context("s", TODAY, note)) if f.regel == rule]
    assert hits and all(f.uitzondering == "Overgenomen uit het oude dossier" and not f.blocks for f in hits)


def test_a_valid_waiver_raises_no_dt050() -> None:
    assert found(tank(Fase.leren, uitzonderingen={"DT011": "Twee adviseurs tot de werving rond is"}), "DT050") == []


@pytest.mark.parametrize(
    ("uitzonderingen", "says"),
    [
        ({"DT020": None}, "gives no reason"),
        ({"DT020": "   "}, "gives no reason"),
        ({"DT0111": "Typo"}, "Did you mean DT011?"),
        ({"kickoff": "By name"}, "Did you mean DT020?"),
        ({"DT050": "Waive the waiver rule"}, "cannot be waived"),
    ],
)
def test_a_waiver_without_a_reason_or_for_no_rule_is_itself_a_finding(
    uitzonderingen: dict[str, str | None], says: str
) -> None:
    t = tank(Fase.leren, uitzonderingen=uitzonderingen)
    hits = [f for f in evaluate(t, Context("s", TODAY)) if f.regel == "DT050"]
    assert len(hits) == 1 and hits[0].ernst == Ernst.waarschuwing and hits[0].counts
    assert says in hits[0].bericht


def test_waiving_the_waiver_rule_does_not_hide_its_own_finding() -> None:
    t = tank(Fase.leren, uitzonderingen={"DT050": "Alles mag", "DT9": "x"})
    assert all(f.counts for f in evaluate(t, Context("s", TODAY)) if f.regel == "DT050")
