"""The coordinator's filters of `status` and `check`, defined once: the Typer commands declare their options from
FILTERS, and the warm path (entry.py) recognises the same options; both turn the values typed into Filters with
`parse`, so both accept and refuse exactly the same. Light on purpose: imported when the CLI starts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from doetank_cli.errors import UsageError
from doetank_cli.i18n import N_, _
from doetank_cli.vocab import Fase, SortOrder, Sought, Status


class Spec(NamedTuple):
    """One filter option of `status` and `check`: the one definition both the Typer command and the warm path use."""

    flag: str
    field: str
    help: str  # a message id: shown through _()
    metavar: str = ""  # a message id too; without one, an option with choices shows them
    choices: tuple[str, ...] = ()
    multiple: bool = False
    switch: bool = False  # an option without a value


FILTERS: tuple[Spec, ...] = (
    Spec(
        "--fase",
        "fase",
        N_("Only tanks in this phase (repeat the option for several)."),
        "",
        tuple(f.value for f in Fase),
        True,
    ),
    Spec("--status", "status", N_("Only tanks with this status."), "", tuple(s.value for s in Status)),
    Spec(
        "--organisatie",
        "organisatie",
        N_("Only tanks whose vraagstuk or opdrachtgever is at an organisation whose name holds this text."),
        N_("TEXT"),
    ),
    Spec(
        "--sought",
        "sought",
        N_("Only active tanks that are still looking for a coach or an opdrachtgever."),
        "",
        tuple(s.value for s in Sought),
    ),
    Spec(
        "--late", "late", N_("Only active tanks past their end date or a phase's target date (as DT031)."), switch=True
    ),
    Spec("--failing", "failing", N_("Only tanks with at least one error."), switch=True),
    Spec("--member", "member", N_("Only tanks with a member whose name holds this text."), N_("NAME")),
    Spec(
        "--quiet",
        "quiet",
        N_("Only tanks without a change for at least this many days (from the dates of git's commits)."),
        N_("DAYS"),
    ),
    Spec(
        "--sort",
        "sort",
        N_("Order the tanks: 'naam', 'fase', 'dagen_in_fase' (longest first) or 'einddatum' (soonest first)."),
        N_("ORDER"),  # the choices are Dutch words: in the help they are quoted, as values
        tuple(o.value for o in SortOrder),
    ),
)
FILTER = {spec.field: spec for spec in FILTERS}


class Filters(NamedTuple):
    """What the coordinator asked for; every filter given must hold (an empty Filters keeps every tank)."""

    fase: frozenset[Fase] = frozenset()
    status: Status | None = None
    organisatie: str | None = None
    sought: Sought | None = None
    late: bool = False
    failing: bool = False
    member: str | None = None
    quiet: int | None = None
    sort: SortOrder | None = None

    def __bool__(self) -> bool:
        return self != _NONE

    def typed(self) -> str:
        """The filters as they are typed ('--fase leren --late'), to name them back to the person (--sort is no
        filter: it is left out)."""
        words: list[str] = [f"--fase {fase.value}" for fase in sorted(self.fase, key=lambda f: f.nummer)]
        for spec in FILTERS[1:]:
            value = getattr(self, spec.field)
            if spec.field == "sort" or value is None or value is False:
                continue
            shown = getattr(value, "value", value)
            words.append(spec.flag if spec.switch else f"{spec.flag} {_quoted(str(shown))}")
        return " ".join(words)


def _quoted(value: str) -> str:
    """A value as a person would type it again: quoted when it holds a space."""
    return f'"{value}"' if " " in value else value


_NONE = Filters()


def _choice(spec: Spec, value: str) -> str:
    if value not in spec.choices:
        raise UsageError(
            _("{option} must be one of: {choices} (not '{value}').").format(
                option=spec.flag, choices=", ".join(spec.choices), value=value
            )
        )
    return value


def _text(spec: Spec, value: str) -> str:
    folded = " ".join(value.split()).casefold()
    if not folded:
        raise UsageError(_("{option} needs some text to look for.").format(option=spec.flag))
    return folded


def parse(values: Mapping[str, Any]) -> Filters:
    """The filters from the options' values as typed (strings; a list for --fase; booleans for the switches).

    Called alike by the Typer commands and by the warm path, so both accept and refuse exactly the same values.
    """
    given = {key: value for key, value in values.items() if value is not None and value != [] and value is not False}
    unknown = set(given) - set(FILTER)
    if unknown:
        raise TypeError(f"not a filter: {sorted(unknown)}")
    quiet = given.get("quiet")
    if quiet is not None:
        text = str(quiet).strip()
        if not (text.isascii() and text.isdigit()):
            raise UsageError(_("--quiet takes a whole number of days, 0 or more (not '{value}').").format(value=quiet))
    return Filters(
        fase=frozenset(Fase(_choice(FILTER["fase"], v)) for v in given.get("fase", ())),
        status=Status(_choice(FILTER["status"], given["status"])) if "status" in given else None,
        organisatie=_text(FILTER["organisatie"], given["organisatie"]) if "organisatie" in given else None,
        sought=Sought(_choice(FILTER["sought"], given["sought"])) if "sought" in given else None,
        late=bool(given.get("late")),
        failing=bool(given.get("failing")),
        member=_text(FILTER["member"], given["member"]) if "member" in given else None,
        quiet=int(str(quiet).strip()) if quiet is not None else None,
        sort=SortOrder(_choice(FILTER["sort"], given["sort"])) if "sort" in given else None,
    )
