"""The spelregels as rules: one small pure function per rule, in one catalogue (RULES). Never prints."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from pydantic import BaseModel

from doetank_cli.errors import UsageError
from doetank_cli.i18n import _, datum, ngettext
from doetank_cli.model import FASES, Doetank, Fase, Rol, Sector, Stap, Status, UpdateKanaal, name_key


class Ernst(StrEnum):
    fout = "fout"  # blocks advancing, fails check
    waarschuwing = "waarschuwing"  # informs


@dataclass(frozen=True)
class NoteGap:
    """What the current phase's note lacks (the lifecycle reads the file; the rules stay pure)."""

    file: str
    exists: bool
    empty_sections: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Context:
    slug: str
    today: date
    note: NoteGap | None = None  # given only when the note gate is asked for (advance, next steps)
    conflicts: tuple[int, ...] = ()  # the lines of the record that are undecided clash notes (the reader finds them)


@dataclass(frozen=True)
class Problem:
    bericht: str
    oplossing: str
    ernst: Ernst | None = None  # None: the rule's severity for the phase


@dataclass(frozen=True)
class Finding:
    regel: str
    naam: str
    ernst: Ernst
    bericht: str
    oplossing: str
    uitzondering: str | None = None  # the reason, when the tank waives this rule

    @property
    def counts(self) -> bool:
        return self.uitzondering is None

    @property
    def blocks(self) -> bool:
        return self.counts and self.ernst == Ernst.fout


Severity = Callable[[Fase], Ernst | None]
Check = Callable[[Doetank, Context], Iterable[Problem]]


@dataclass(frozen=True)
class Rule:
    id: str
    naam: str
    controle: str  # what it checks, in a sentence
    spelregel: str  # the sentence of the spelregels it enforces
    ernst: Severity
    check: Check
    uitleg: str = ""  # what the severity per phase does not say

    def ernst_per_fase(self) -> dict[Fase, Ernst | None]:
        return {f: self.ernst(f) for f in FASES}


def always(ernst: Ernst) -> Severity:
    return lambda fase: ernst


def fout_from(first: Fase, before: Ernst | None = Ernst.waarschuwing) -> Severity:
    """A fout once the tank is in `first` or later (so an exit criterion of the phase before); `before` earlier."""
    return lambda fase: Ernst.fout if fase.nummer >= first.nummer else before


def warn_from(first: Fase) -> Severity:
    return lambda fase: Ernst.waarschuwing if fase.nummer >= first.nummer else None


def _record(ctx: Context) -> str:
    return f"tanks/{ctx.slug}/doetank.yaml"


# --------------------------------------------------------------------------- the checks


def _vraagstuk_concreet(tank: Doetank, ctx: Context) -> Iterator[Problem]:
    if not (tank.vraagstuk.probleem or "").strip():
        yield Problem(
            _("The vraagstuk names no problem (vraagstuk.probleem is empty)."),
            _('doetank vraagstuk {slug} --probleem "..."').format(slug=ctx.slug),
        )


def _vraagstuk_praktijk(tank: Doetank, ctx: Context) -> Iterator[Problem]:
    if not (tank.vraagstuk.organisatie or "").strip():
        yield Problem(
            _("The vraagstuk names no organisation where it plays out in practice (vraagstuk.organisatie)."),
            _('doetank vraagstuk {slug} --organisatie "..."').format(slug=ctx.slug),
        )


def _groter_vraagstuk(tank: Doetank, ctx: Context) -> Iterator[Problem]:
    if not (tank.vraagstuk.groter_vraagstuk or "").strip():
        yield Problem(
            _("The larger vraagstuk this problem represents is not named (vraagstuk.groter_vraagstuk)."),
            _('doetank vraagstuk {slug} --groter-vraagstuk "..."').format(slug=ctx.slug),
        )


def _opdrachtgever(tank: Doetank, ctx: Context) -> Iterator[Problem]:
    if tank.opdrachtgever is None:
        yield Problem(
            _("No opdrachtgever yet: the tank works best on a problem an opdrachtgever brings."),
            _("doetank opdrachtgever {slug} NAAM --organisatie ORG --sector publiek").format(slug=ctx.slug),
        )


def _opdrachtgever_publiek(tank: Doetank, ctx: Context) -> Iterator[Problem]:
    og = tank.opdrachtgever
    if og is not None and og.sector is None:
        yield Problem(
            _("The sector of the opdrachtgever {naam} is not recorded.").format(naam=og.naam),
            _('doetank opdrachtgever {slug} "{naam}" --sector publiek (or extern)').format(slug=ctx.slug, naam=og.naam),
        )
    elif og is not None and og.sector != Sector.publiek:
        yield Problem(
            _("The opdrachtgever {naam} is not from the public sector (sector: {sector}).").format(
                naam=og.naam, sector=og.sector or "?"
            ),
            _('doetank opdrachtgever {slug} "{naam}" --sector publiek, if that is what it is').format(
                slug=ctx.slug, naam=og.naam
            ),
        )


def _teamgrootte(tank: Doetank, ctx: Context) -> Iterator[Problem]:
    n = len(tank.team)
    if n > 9:
        yield Problem(
            _("The team has {n} people (trekker and doetankers); the spelregels allow at most 9.").format(n=n),
            _("doetank member remove {slug} NAAM").format(slug=ctx.slug),
            Ernst.fout,
        )
    elif n < 3:
        yield Problem(
            ngettext(
                "The team has {n} person (trekker and doetankers); a Doetank needs at least 3.",
                "The team has {n} people (trekker and doetankers); a Doetank needs at least 3.",
                n,
            ).format(n=n),
            _("doetank member add {slug} NAAM --rol doetanker --organisatie ORG --sector publiek").format(
                slug=ctx.slug
            ),
        )


def _publiek_primair(tank: Doetank, ctx: Context) -> Iterator[Problem]:
    team = tank.team
    extern = [lid for lid in team if lid.sector == Sector.extern]
    if team and len(extern) * 2 >= len(team):
        yield Problem(
            _(
                "{n} of the {total} team members are external advisers; they are welcome but should be fewer than half."
            ).format(n=len(extern), total=len(team)),
            _("doetank member add {slug} NAAM --rol doetanker --organisatie ORG --sector publiek").format(
                slug=ctx.slug
            ),
        )


def _een_trekker(tank: Doetank, ctx: Context) -> Iterator[Problem]:
    trekkers = tank.met_rol(Rol.trekker)
    if not trekkers:
        yield Problem(
            _("The tank has no trekker to coordinate it."),
            _("doetank member add {slug} NAAM --rol trekker --organisatie ORG --sector publiek").format(slug=ctx.slug),
        )
    elif len(trekkers) > 1:
        yield Problem(
            _("The tank has {n} trekkers ({names}); exactly one coordinates.").format(
                n=len(trekkers), names=", ".join(t.naam for t in trekkers)
            ),
            _("doetank member remove {slug} NAAM, then add them again as doetanker").format(slug=ctx.slug),
        )


def _coach(tank: Doetank, ctx: Context) -> Iterator[Problem]:
    coaches = tank.met_rol(Rol.coach)
    if not coaches:
        yield Problem(
            _("The tank has no coach yet to guide the process."),
            _("doetank member add {slug} NAAM --rol coach --organisatie ORG --sector extern").format(slug=ctx.slug),
        )
    elif len(coaches) > 1:
        yield Problem(
            _("The tank has {n} coaches ({names}); one guides the process.").format(
                n=len(coaches), names=", ".join(c.naam for c in coaches)
            ),
            _("doetank member remove {slug} NAAM").format(slug=ctx.slug),
        )


def _rollen_gescheiden(tank: Doetank, ctx: Context) -> Iterator[Problem]:
    counts = Counter(name_key(lid.naam) for lid in tank.leden)
    for lid in tank.leden:
        key = name_key(lid.naam)
        if counts.get(key, 0) > 1:
            rollen = sorted({other.rol.value for other in tank.leden if name_key(other.naam) == key})
            yield Problem(
                _(
                    "{naam} appears {n} times in leden ({rollen}); everyone has one role, "
                    "and the coach is not the trekker."
                ).format(naam=lid.naam, n=counts[key], rollen=", ".join(rollen)),
                _('doetank member remove {slug} "{naam}" and add them once').format(slug=ctx.slug, naam=lid.naam),
            )
            counts[key] = 0  # one finding per person


def _kickoff_held(tank: Doetank, ctx: Context) -> bool:
    return tank.kickoff is not None and tank.kickoff.datum <= ctx.today


def _kickoff(tank: Doetank, ctx: Context) -> Iterator[Problem]:
    if tank.kickoff is None:
        yield Problem(
            _("No physical kickoff is recorded: the first time the team meets."),
            _("doetank kickoff {slug} --datum DATE --locatie Kennisland").format(slug=ctx.slug),
        )
    elif tank.kickoff.datum > ctx.today:
        yield Problem(
            _("The kickoff is planned for {datum} and has not taken place yet.").format(
                datum=datum(tank.kickoff.datum)
            ),
            _("wait for the kickoff, or record the real date: doetank kickoff {slug} --datum DATE").format(
                slug=ctx.slug
            ),
        )


def _linkedin_update(tank: Doetank, ctx: Context) -> Iterator[Problem]:
    kickoff = tank.kickoff
    # an update counts from the kickoff's day on: one posted before the team met is not the update after it
    if (
        kickoff is not None
        and _kickoff_held(tank, ctx)
        and not any(u.kanaal == UpdateKanaal.linkedin and u.datum >= kickoff.datum for u in tank.updates)
    ):
        yield Problem(
            _("The kickoff was on {datum}, and no LinkedIn update is recorded since.").format(
                datum=datum(kickoff.datum)
            ),
            _("doetank update {slug} --kanaal linkedin --url URL").format(slug=ctx.slug),
        )


def _blog(tank: Doetank, ctx: Context) -> Iterator[Problem]:
    if not any(u.kanaal == UpdateKanaal.blog for u in tank.updates):
        yield Problem(
            _("No blog post on the tank's page of the site is recorded."),
            _("doetank update {slug} --kanaal blog --url URL").format(slug=ctx.slug),
        )


def _richtlijn(tank: Doetank, ctx: Context) -> Iterator[Problem]:
    if tank.richtlijn.einddatum is None:
        yield Problem(
            _("No time guideline is set (richtlijn.einddatum)."),
            _("doetank plan {slug} --einddatum DATE").format(slug=ctx.slug),
        )


def _richtlijn_verlopen(tank: Doetank, ctx: Context) -> Iterator[Problem]:
    if tank.status != Status.actief:
        return
    einde = tank.richtlijn.einddatum
    if einde is not None and einde < ctx.today:
        yield Problem(
            _("The guideline's end date, {datum}, has passed.").format(datum=datum(einde)),
            _('doetank plan {slug} --einddatum DATE, or doetank stop {slug} --reason "..."').format(slug=ctx.slug),
        )
    for fase, target in sorted(tank.richtlijn.fases.items(), key=lambda item: item[0].nummer):
        if fase.nummer >= tank.fase.nummer and target < ctx.today:
            yield Problem(
                _("The target date for {fase}, {datum}, has passed and the tank is still in {current}.").format(
                    fase=fase.value, datum=datum(target), current=tank.fase.value
                ),
                _("doetank plan {slug} --fase {fase} --datum DATE").format(slug=ctx.slug, fase=fase.value),
            )


def _fase_volgorde(tank: Doetank, ctx: Context) -> Iterator[Problem]:
    fix = _("correct geschiedenis in {file}: one entry per phase, in order, ending at the current phase").format(
        file=_record(ctx)
    )
    stappen = tank.geschiedenis
    if tank.status == Status.afgerond and len(stappen) >= 2 and stappen[-1].fase == stappen[-2].fase == FASES[-1]:
        stappen = stappen[:-1]  # the last entry records how the tank was completed out of overdragen (forced)
    if not stappen:
        yield Problem(_("geschiedenis is empty; it should list every phase entered, from ontdekken on."), fix)
        return
    for index, stap in enumerate(stappen):
        expected = FASES[index] if index < len(FASES) else None
        if stap.fase != expected:
            yield Problem(
                _("geschiedenis entry {n} is {fase}; in the stappenplan it should be {expected}.").format(
                    n=index + 1, fase=stap.fase.value, expected=expected.value if expected else "-"
                ),
                fix,
            )
            return
        if index and stap.datum < stappen[index - 1].datum:
            yield Problem(
                _("geschiedenis goes back in time: {fase} on {datum} comes before {prev_datum}.").format(
                    fase=stap.fase.value, datum=datum(stap.datum), prev_datum=datum(stappen[index - 1].datum)
                ),
                fix,
            )
            return
    if stappen[-1].fase != tank.fase:
        yield Problem(
            _("geschiedenis ends at {last}, but the tank is in {fase}.").format(
                last=stappen[-1].fase.value, fase=tank.fase.value
            ),
            fix,
        )


def _fase_notities(tank: Doetank, ctx: Context) -> Iterator[Problem]:
    note = ctx.note
    if note is None:
        return
    edit = _("doetank edit {slug}").format(slug=ctx.slug)
    if not note.exists:
        yield Problem(_("The note {file} is missing.").format(file=note.file), edit)
        return
    for heading in note.empty_sections:
        yield Problem(
            _("Section '{heading}' of {file} is still empty.").format(heading=heading, file=note.file),
            _("fill it in: {edit}").format(edit=edit),
        )


def _uitzonderingen(tank: Doetank, ctx: Context) -> Iterator[Problem]:
    for rule_id, reason in tank.uitzonderingen.items():
        if rule_id == WAIVER_RULE:
            yield Problem(
                _("uitzonderingen waives {rule}, the rule about waivers itself; that rule cannot be waived.").format(
                    rule=rule_id
                ),
                _("remove {rule} from uitzonderingen in {file}").format(rule=rule_id, file=_record(ctx)),
            )
        elif rule_id not in BY_ID:
            suggestion = suggest(rule_id)
            yield Problem(
                _("uitzonderingen names {rule}, which is not a rule, so it waives nothing.").format(rule=rule_id)
                + (_(" Did you mean {suggestion}?").format(suggestion=suggestion) if suggestion else ""),
                _("correct the rule id in {file}; 'doetank rules' lists them").format(file=_record(ctx)),
            )
        elif not (reason or "").strip():
            yield Problem(
                _("The waiver of {rule} gives no reason, so it waives nothing.").format(rule=rule_id),
                _('doetank waive {slug} {rule} --reason "..."').format(slug=ctx.slug, rule=rule_id),
            )


def _conflict_open(tank: Doetank, ctx: Context) -> Iterator[Problem]:
    if ctx.conflicts:
        lines = ", ".join(str(n) for n in ctx.conflicts)
        yield Problem(
            ngettext(
                "{file}:{line}: a merge left an undecided clash here (a '# doetank-conflict:' line).",
                "{file}:{line}: a merge left {n} undecided clashes here ('# doetank-conflict:' lines {lines}).",
                len(ctx.conflicts),
            ).format(file=_record(ctx), line=ctx.conflicts[0], n=len(ctx.conflicts), lines=lines),
            _("doetank resolve {slug}").format(slug=ctx.slug),
        )


def lookup(text: str) -> Rule | None:
    """A rule by its id in any case (dt011) or by its name (publiek-primair)."""
    wanted = text.strip()
    return BY_ID.get(wanted.upper()) or next((rule for rule in RULES if rule.naam == wanted.lower()), None)


def require(text: str) -> Rule:
    """The rule someone names on the command line, or a usage error with a 'did you mean'."""
    rule = lookup(text)
    if rule is None:
        suggestion = suggest(text)
        raise UsageError(
            _("There is no rule '{rule}'.").format(rule=text)
            + (_(" Did you mean {suggestion}?").format(suggestion=suggestion) if suggestion else ""),
            hint=_("'doetank rules' lists them."),
        )
    return rule


def suggest(text: str) -> str | None:
    """The rule id someone probably meant, for a 'did you mean' hint."""
    import difflib

    known = lookup(text)
    if known is not None:
        return known.id
    close = difflib.get_close_matches(text.strip().upper(), list(BY_ID), n=1, cutoff=0.75)
    if close:
        return close[0]
    by_name = difflib.get_close_matches(text.strip().lower(), [rule.naam for rule in RULES], n=1, cutoff=0.6)
    return next(rule.id for rule in RULES if rule.naam == by_name[0]) if by_name else None


WAIVER_RULE = "DT050"
GATE_RULE = "DT041"  # the note gate: an exit criterion, judged when advancing
CONFLICT_RULE = "DT060"
#: rules no waiver and no forced advance can set aside
UNWAIVABLE = frozenset({WAIVER_RULE, CONFLICT_RULE})
#: the rules about a record's data; a tank that is gestopt or afgerond is judged on these only (its process is over)
DATA_RULES = frozenset({"DT040", WAIVER_RULE, CONFLICT_RULE})

RULES: list[Rule] = [
    Rule(
        "DT001",
        "vraagstuk-concreet",
        _("vraagstuk.probleem is filled"),
        "beginnen met iets kleins en concreets",
        always(Ernst.fout),
        _vraagstuk_concreet,
    ),
    Rule(
        "DT002",
        "vraagstuk-praktijk",
        _("vraagstuk.organisatie is filled"),
        "Een probleem dat in de praktijk speelt bij een organisatie",
        always(Ernst.fout),
        _vraagstuk_praktijk,
    ),
    Rule(
        "DT003",
        "groter-vraagstuk",
        _("vraagstuk.groter_vraagstuk is filled"),
        "en een groter vraagstuk representeert",
        fout_from(Fase.onderzoeken),
        _groter_vraagstuk,
    ),
    Rule(
        "DT004",
        "opdrachtgever",
        _("an opdrachtgever is named"),
        "Een Doetank bijt zich daarom het liefst vast in een probleem dat door "
        "een opdrachtgever vanuit de publieke sector wordt aangedragen.",
        always(Ernst.waarschuwing),
        _opdrachtgever,
    ),
    Rule(
        "DT005",
        "opdrachtgever-publiek",
        _("the opdrachtgever's sector is publiek"),
        "Een Doetank bijt zich daarom het liefst vast in een probleem dat door "
        "een opdrachtgever vanuit de publieke sector wordt aangedragen.",
        always(Ernst.waarschuwing),
        _opdrachtgever_publiek,
    ),
    Rule(
        "DT010",
        "teamgrootte",
        _("trekker and doetankers number 3 to 9 (the coach is not counted)"),
        "3 – 9 Vernieuwers werkzaam in de publieke sector",
        fout_from(Fase.onderzoeken),
        _teamgrootte,
        _("More than 9 is an error in every phase; fewer than 3 is a warning in ontdekken, while the team forms."),
    ),
    Rule(
        "DT011",
        "publiek-primair",
        _("external members are fewer than half of the team"),
        "adviseurs van externe bureaus zijn welkom, maar vormen niet de primaire doelgroep",
        always(Ernst.waarschuwing),
        _publiek_primair,
    ),
    Rule("DT012", "een-trekker", _("exactly one trekker"), "Trekker coördineert", always(Ernst.fout), _een_trekker),
    Rule("DT013", "coach", _("exactly one coach"), "coach begeleidt het proces", fout_from(Fase.onderzoeken), _coach),
    Rule(
        "DT014",
        "rollen-gescheiden",
        _("nobody appears twice; the coach is not the trekker"),
        "trekker – Doetankers – coach",
        always(Ernst.fout),
        _rollen_gescheiden,
    ),
    Rule(
        "DT020",
        "kickoff",
        _("a physical kickoff is recorded (date, place)"),
        "Fysiek: De eerste keer bij elkaar komen voor een kennismaking, uitzetten van de lijnen.",
        fout_from(Fase.onderzoeken, None),
        _kickoff,
        _("A kickoff counts once its date has passed."),
    ),
    Rule(
        "DT021",
        "linkedin-update",
        _("after the kickoff, a LinkedIn update is recorded"),
        "Zodra de eerste bijeenkomst is geweest, via LinkedIn een update.",
        always(Ernst.waarschuwing),
        _linkedin_update,
    ),
    Rule(
        "DT022",
        "blog",
        _("a blog post on the tank's page is recorded"),
        "Via site wordt geblogd op pagina van de Doetank.",
        warn_from(Fase.onderzoeken),
        _blog,
    ),
    Rule(
        "DT030",
        "richtlijn",
        _("richtlijn.einddatum is set"),
        "is het wel belangrijk dat er een richtlijn wordt gesteld",
        fout_from(Fase.onderzoeken),
        _richtlijn,
    ),
    Rule(
        "DT031",
        "richtlijn-verlopen",
        _("an active tank is not past its end date or a phase's target date"),
        "is het wel belangrijk dat er een richtlijn wordt gesteld",
        always(Ernst.waarschuwing),
        _richtlijn_verlopen,
    ),
    Rule(
        "DT040",
        "fase-volgorde",
        _("geschiedenis lists the phases in order, dates never go back, and it ends at the current phase"),
        "Doetank stappenplan",
        always(Ernst.fout),
        _fase_volgorde,
    ),
    Rule(
        GATE_RULE,
        "fase-notities",
        _("every required section of the current phase's note has content"),
        "Doetank stappenplan",
        always(Ernst.fout),
        _fase_notities,
        _(
            "An exit criterion: judged by 'doetank advance' and shown as a next "
            "step by 'doetank status TANK', not by 'check', since a note is "
            "written during its phase."
        ),
    ),
    Rule(
        WAIVER_RULE,
        "uitzondering-geldig",
        _("every waiver in uitzonderingen names a rule of the catalogue and gives a reason"),
        "Hieronder worden een aantal handreikingen gedaan voor een goed werkende Doetank.",
        always(Ernst.waarschuwing),
        _uitzonderingen,
    ),
    Rule(
        CONFLICT_RULE,
        "conflict-open",
        _("the record holds no undecided merge conflict ('# doetank-conflict:' lines)"),
        # the record is the network's shared memory: what two people wrote is never half kept
        "een schat aan ervaringen (wat werkt, maar zeker ook wat niet werkt)",
        always(Ernst.fout),
        _conflict_open,
        _(
            "Cannot be waived, and advance --force does not pass it. A record with git's own markers (<<<<<<<) "
            "does not parse at all: every command names it, and 'doetank resolve' decides it."
        ),
    ),
]
BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}


def forced(tank: Doetank) -> dict[str, str]:
    """The rules a forced advance went past into the current phase, with its reason: waived while the tank stays."""
    stap = next((s for s in reversed(tank.geschiedenis) if s.fase == tank.fase), None)
    if stap is None or not stap.geforceerd:
        return {}
    reason = (stap.reden or "").strip() or _("advanced with --force on {datum}").format(datum=datum(stap.datum))
    return {rule.strip().upper(): reason for rule in stap.geforceerd if rule.strip().upper() not in UNWAIVABLE}


def evaluate(tank: Doetank, ctx: Context, *, with_forced: bool = True) -> list[Finding]:
    """Every finding for the tank in its current phase; a waiver with a reason marks a finding, never hides it.

    A tank that is gestopt or afgerond is judged on the rules about its data only. The rules a forced advance went
    past count as waived by its reason while the tank is in that phase (`with_forced`; a gate judges afresh).
    """
    waivers = {rule: (reason or "").strip() for rule, reason in tank.uitzonderingen.items() if rule not in UNWAIVABLE}
    if with_forced:
        waivers = {**forced(tank), **{rule: reason for rule, reason in waivers.items() if reason}}
    active = tank.status == Status.actief
    findings = []
    for rule in RULES:
        if not active and rule.id not in DATA_RULES:
            continue
        phase_ernst = rule.ernst(tank.fase)
        if phase_ernst is None:
            continue
        for problem in rule.check(tank, ctx):
            findings.append(
                Finding(
                    rule.id,
                    rule.naam,
                    problem.ernst or phase_ernst,
                    problem.bericht,
                    problem.oplossing,
                    waivers.get(rule.id) or None,
                )
            )
    return findings


def valid_window(tank: Doetank, today: date) -> tuple[date, date]:
    """The days [first, last) over which evaluate(tank) gives what it gives today, so an index may reuse it.

    The rules compare today with dates in the record and never count days, so their outcome can only change on a
    date of the record or the day after it.
    """
    edges = sorted(
        {edge for day in _dates_in(tank) for edge in (day, day + timedelta(days=1) if day < date.max else day)}
    )
    first = max((edge for edge in edges if edge <= today), default=date.min)
    last = min((edge for edge in edges if edge > today), default=date.max)
    return first, last


def _dates_in(value: object) -> Iterator[date]:
    if isinstance(value, date):
        yield value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _dates_in(getattr(value, name))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _dates_in(key)
            yield from _dates_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from _dates_in(item)


def after_advance(tank: Doetank, today: date) -> Doetank:
    """The record as it would be one phase further (unchanged when there is no next phase)."""
    nxt = tank.fase.volgende
    if nxt is None:
        return tank
    return tank.model_copy(update={"fase": nxt, "geschiedenis": [*tank.geschiedenis, Stap(fase=nxt, datum=today)]})


def gate(tank: Doetank, ctx: Context) -> list[Finding]:
    """The findings that decide an advance: every rule as it applies in the next phase, plus the note gate; what a
    forced advance went past before is judged afresh."""
    return evaluate(after_advance(tank, ctx.today), ctx, with_forced=False)
