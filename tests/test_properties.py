"""Property-based tests where input is open-ended: names, records, changes and the rules over anything valid."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from doetank_cli import lifecycle, rules, store
from doetank_cli.index import Summary
from doetank_cli.model import FASES, Doetank, Rol, Sector, UpdateKanaal
from doetank_cli.vocab import FIRST_DAY, LAST_DAY
from doetank_cli.workspace import MAX_SLUG, Workspace, is_slug, slugify

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)

# text as people type it into a record: any letters, digits, punctuation and spaces, in any script
words = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufeff"), min_size=1, max_size=40
).filter(lambda s: s.strip())
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
enum = st.sampled_from


@st.composite
def records(draw: st.DrawFn, any_dates: bool = False) -> dict[str, Any]:
    """A record the schema accepts, with values anywhere in their range."""
    day = st.dates(min_value=FIRST_DAY, max_value=LAST_DAY) if any_dates else days
    fase_index = draw(st.integers(0, len(FASES) - 1))
    leden = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "naam": words,
                    "rol": enum([r.value for r in Rol]),
                    "organisatie": words,
                    "sector": enum([s.value for s in Sector]),
                }
            ),
            max_size=11,
        )
    )
    geschiedenis = draw(
        st.lists(st.fixed_dictionaries({"fase": enum([f.value for f in FASES]), "datum": day}), max_size=7)
    )
    record: dict[str, Any] = {
        "naam": draw(words),
        "status": draw(enum(["actief", "afgerond", "gestopt"])),
        "fase": FASES[fase_index].value,
        "vraagstuk": draw(
            st.fixed_dictionaries({}, optional={"probleem": words, "organisatie": words, "groter_vraagstuk": words})
        ),
        "leden": leden,
        "geschiedenis": geschiedenis,
    }
    optional = {
        "herkomst": enum(["opdrachtgever", "netwerk"]),
        "kanaal": enum(["linkedin", "slimmernetwerk-cafe", "anders"]),
        "opdrachtgever": st.fixed_dictionaries(
            {"naam": words}, optional={"organisatie": words, "sector": enum(["publiek", "extern"])}
        ),
        "richtlijn": st.fixed_dictionaries(
            {}, optional={"einddatum": day, "fases": st.dictionaries(enum([f.value for f in FASES]), day, max_size=6)}
        ),
        "kickoff": st.fixed_dictionaries({"datum": day, "locatie": words}),
        "updates": st.lists(
            st.fixed_dictionaries(
                {"datum": day, "kanaal": enum(["linkedin", "blog"]), "url": st.just("https://slimmernetwerk.nl/x")}
            ),
            max_size=4,
        ),
        "consulten": st.lists(
            st.fixed_dictionaries({"expert": words, "vraag": words, "status": enum(["aangevraagd", "gehouden"])}),
            max_size=3,
        ),
        "uitzonderingen": st.dictionaries(
            st.from_regex(r"DT[0-9]{3}", fullmatch=True) | words, st.none() | words, max_size=3
        ),
        "publiek": st.booleans(),
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            record[key] = draw(strategy)
    return record


@given(st.text(max_size=200))
def test_any_name_gives_a_safe_and_stable_slug(name: str) -> None:
    slug = slugify(name)
    assert slug == "" or is_slug(slug)
    assert len(slug) <= MAX_SLUG
    assert slugify(slug) == slug
    assert ".." not in slug and "/" not in slug and "\x00" not in slug


@given(st.text(max_size=200))
def test_any_slug_a_user_types_stays_inside_tanks_or_is_refused(
    tmp_path_factory: pytest.TempPathFactory, name: str
) -> None:
    ws = Workspace(Path("/nonexistent/ws"))
    try:
        path = ws.tank_dir(name)
    except Exception as exc:
        assert type(exc).__name__ == "UsageError"
        return
    assert path.parent == ws.tanks


@SETTINGS
@given(records())
def test_the_rules_never_crash_on_a_record_the_schema_accepts(data: dict[str, Any]) -> None:
    tank = Doetank.model_validate(data)
    for today in (date(2026, 11, 28), date(2000, 1, 1), date(2100, 12, 31)):
        found = rules.evaluate(tank, rules.Context("s", today))
        rules.gate(tank, rules.Context("s", today, rules.NoteGap("n", True, ["De kern"])))
        first, last = rules.valid_window(tank, today)
        assert first <= today < last
        assert all(f.regel in rules.BY_ID for f in found)
        Summary.of("s", tank, found)


@SETTINGS
@given(records(any_dates=True), st.dates())
def test_the_findings_hold_over_the_days_the_index_trusts_them_up_to_the_first_and_last_dates(
    data: dict[str, Any], day: date
) -> None:
    tank = Doetank.model_validate(data)
    for today in (date.min, day, date.max):
        found = rules.evaluate(tank, rules.Context("s", today))
        assert all(f.regel in rules.BY_ID for f in found)
        first, last = rules.valid_window(tank, today)
        assert first <= today and (today < last or today == last == date.max)
        # the promise the index relies on: every day of [first, last) gives the findings today gives
        for other in (first, last - timedelta(days=1) if last > first else first):
            assert rules.evaluate(tank, rules.Context("s", other)) == found, (today, other)


def _text(data: dict[str, Any]) -> str:
    return store.new_record_text(data)


@SETTINGS
@given(records())
def test_any_valid_record_survives_load_and_save_byte_for_byte(
    tmp_path_factory: pytest.TempPathFactory, data: dict[str, Any]
) -> None:
    path = tmp_path_factory.mktemp("r") / "doetank.yaml"
    text = _text(data)
    path.write_text(text, encoding="utf-8")
    doc = store.load_document(path, "r")
    assert doc.model == store.load_record(path, "r")  # the round-trip and the fast loader read the same record
    assert doc.dump() == text
    assert store.save(doc) is False
    assert path.read_text(encoding="utf-8") == text


@SETTINGS
@given(records(), st.data())
def test_any_change_through_the_tool_keeps_every_comment(
    tmp_path_factory: pytest.TempPathFactory, data: dict[str, Any], draw: st.DataObject
) -> None:
    data = {**data, "status": "actief", "leden": [lid for lid in data["leden"] if lid["rol"] == "doetanker"][:3]}
    lines = _text(data).splitlines()
    # a person's comments: on lines of their own and at the ends of lines, anywhere
    commented = []
    for number, line in enumerate(lines):
        if draw.draw(st.booleans()) and not line.lstrip().startswith("#"):
            note = f"opmerking {number}"
            commented.append(note)
            line = (
                f"{line}  # {note}"
                if draw.draw(st.booleans())
                else f"{' ' * (len(line) - len(line.lstrip()))}# {note}\n{line}"
            )
        lines[number] = line
    root = tmp_path_factory.mktemp("ws")
    (root / "tanks" / "t").mkdir(parents=True)
    record = root / "tanks" / "t" / "doetank.yaml"
    record.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        store.load_document(record, "t")
    except Exception:
        reject()  # a comment placed where YAML does not allow one: not a record, so not this test's case
    ws = Workspace(root)
    change = draw.draw(st.sampled_from(["member", "update", "vraagstuk", "plan", "kickoff", "waive"]))
    if change == "member":
        lifecycle.member_add(ws, "t", "Nieuw Lid Zoë", Rol.doetanker, "DUO", Sector.publiek, commit=False)
    elif change == "update":
        lifecycle.add_update(
            ws, "t", UpdateKanaal.blog, "https://slimmernetwerk.nl/y?a=1", date(2026, 11, 28), commit=False
        )
    elif change == "vraagstuk":
        lifecycle.set_vraagstuk(
            ws, "t", probleem="Nieuw: probleem #1", organisatie=None, groter_vraagstuk=None, commit=False
        )
    elif change == "plan":
        lifecycle.plan(ws, "t", date(2027, 6, 30), FASES[1], date(2027, 1, 15), commit=False)
    elif change == "kickoff":
        lifecycle.kickoff(ws, "t", date(2026, 12, 10), "Kennisland", commit=False)
    else:
        lifecycle.waive(ws, "t", "DT011", "Tijdelijk: twee adviseurs", commit=False)
    after = record.read_text(encoding="utf-8")
    for note in commented:
        assert f"# {note}" in after, (change, note)
    store.load_record(record, "t")


# any character at all: control characters, lone surrogates (bytes a terminal sent that were not UTF-8), every category
anything = st.text(st.characters(exclude_categories=()), max_size=30)
_COMMANDS = {
    "new": lambda t: ["new", t, "--vraagstuk", t, "--organisatie", t, "--groter-vraagstuk", t, "--trekker", t],
    "member add": lambda t: ["member", "add", "slimmer", t, "--rol", "doetanker", "--organisatie", t, "--sector",
                             "extern"],
    "member remove": lambda t: ["member", "remove", "slimmer", t],
    "vraagstuk": lambda t: ["vraagstuk", "slimmer", "--probleem", t, "--organisatie", t, "--groter-vraagstuk", t],
    "opdrachtgever": lambda t: ["opdrachtgever", "slimmer", t, "--organisatie", t],
    "kickoff": lambda t: ["kickoff", "slimmer", "--datum", "2026-12-01", "--locatie", t],
    "consult": lambda t: ["consult", "slimmer", "--expert", t, "--vraag", t],
    "update": lambda t: ["update", "slimmer", "--kanaal", "blog", "--url", "https://x.nl/" + t],
    "waive": lambda t: ["waive", "slimmer", "DT011", "--reason", t],
    "advance": lambda t: ["advance", "slimmer", "--force", "--reason", t, "--dry-run"],
    "stop": lambda t: ["stop", t, "--reason", t],
    "status": lambda t: ["status", t],
    "check": lambda t: ["check", t],
    "rules": lambda t: ["rules", t],
    "plan": lambda t: ["plan", "slimmer", "--einddatum", t],
}  # fmt: skip


@settings(SETTINGS, max_examples=150)
@given(st.sampled_from(sorted(_COMMANDS)), anything, st.booleans())
def test_any_text_typed_on_the_command_line_ends_in_0_1_or_2_and_the_workspace_stays_readable(
    run, ws: Workspace, tank: str, command: str, text: str, commit: bool
) -> None:
    args = _COMMANDS[command](text) + ([] if commit or command in ("status", "check", "rules") else ["--no-commit"])
    result = run(*args)
    assert result.exit_code in (0, 1, 2), (args, result.output)
    for path in ws.tanks.glob("*/doetank.yaml"):
        loaded = store.load_record(path, str(path))  # never a record doetank cannot read back
        assert not any(0xD800 <= ord(c) <= 0xDFFF for c in loaded.model_dump_json())
    assert run("status", "--json").exit_code == 0
