"""The changes a tank's page offers, one function each: read the form as the CLI reads its options, call the one
lifecycle function the CLI calls, and say what happened (an Outcome shown once on the next page)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from doetank_cli import lifecycle
from doetank_cli.errors import DataError, DoetankError, RulesError, UsageError
from doetank_cli.i18n import _, ngettext
from doetank_cli.model import Fase, Rol, Sector, Status, UpdateKanaal
from doetank_cli.web.forms import Form
from doetank_cli.workspace import Workspace


@dataclass
class Outcome:
    """What a change did, shown once on the page the browser is sent to."""

    text: str
    kind: str = "ok"  # ok | fout | let-op
    notices: list[str] = field(default_factory=list)
    anchor: str = ""
    slug: str = ""  # where the tank is now, when the change moved it (rename)


def status_of(exc: DoetankError) -> int:
    if isinstance(exc, lifecycle.NoteChanged | RulesError):
        return 409
    if isinstance(exc, UsageError):
        return 400
    if isinstance(exc, DataError):
        return 422
    return 409  # git or the workspace: the state of things, not the request, stands in the way


def outcome_of(change: lifecycle.Change) -> Outcome:
    text = (
        change.summary
        if change.changed
        else _("{what}: it was already so, nothing changed").format(what=change.summary)
    )
    if change.sha:
        text += " " + _("(saved as change {sha})").format(sha=change.sha)
    return Outcome(text, notices=change.notices)


def _member_add(ws: Workspace, slug: str, f: Form) -> Outcome:
    rol = f.choice("rol", _("Role"), Rol, required=True)
    sector = f.choice("sector", _("Sector"), Sector, required=True)
    assert rol is not None and sector is not None
    return outcome_of(
        lifecycle.member_add(ws, slug, f.required("naam", _("Name")), rol, f.text("organisatie", "") or "", sector)
    )


def _member_remove(ws: Workspace, slug: str, f: Form) -> Outcome:
    return outcome_of(lifecycle.member_remove(ws, slug, f.required("naam", _("Name"))))


def _member_set(ws: Workspace, slug: str, f: Form) -> Outcome:
    return outcome_of(
        lifecycle.member_set(
            ws,
            slug,
            f.required("naam", _("Name")),
            rol=f.choice("rol", _("Role"), Rol),
            organisatie=f.text("organisatie", _("Organisation")),
            sector=f.choice("sector", _("Sector"), Sector),
            nieuwe_naam=f.text("nieuwe_naam", _("New name")),
        )
    )


def _rename(ws: Workspace, slug: str, f: Form) -> Outcome:
    change = lifecycle.rename(ws, slug, f.required("naam", _("Name")))
    outcome = outcome_of(change)
    outcome.slug = change.slug
    return outcome


def _vraagstuk(ws: Workspace, slug: str, f: Form) -> Outcome:
    probleem = f.text("vraagstuk", _("Vraagstuk"))
    organisatie = f.text("organisatie", _("Organisation"))
    groter = f.text("groter_vraagstuk", _("Larger vraagstuk"))
    if probleem is None and organisatie is None and groter is None:
        raise UsageError(_("Fill in at least one of the three fields."))
    return outcome_of(
        lifecycle.set_vraagstuk(ws, slug, probleem=probleem, organisatie=organisatie, groter_vraagstuk=groter)
    )


def _opdrachtgever(ws: Workspace, slug: str, f: Form) -> Outcome:
    return outcome_of(
        lifecycle.set_opdrachtgever(
            ws,
            slug,
            f.required("naam", _("Name")),
            f.text("organisatie", _("Organisation")),
            f.choice("sector", _("Sector"), Sector),
        )
    )


def _kickoff(ws: Workspace, slug: str, f: Form) -> Outcome:
    datum = f.date("datum", _("Date"), required=True)
    assert datum is not None
    return outcome_of(lifecycle.kickoff(ws, slug, datum, f.text("locatie", _("Place"))))


def _update(ws: Workspace, slug: str, f: Form) -> Outcome:
    kanaal = f.choice("kanaal", _("Channel"), UpdateKanaal, required=True)
    assert kanaal is not None
    return outcome_of(
        lifecycle.add_update(ws, slug, kanaal, f.url("url", _("Web address")), f.date("datum", _("Date")))
    )


def _consult(ws: Workspace, slug: str, f: Form) -> Outcome:
    held = f.raw("status") == "gehouden"
    expert = f.required("expert", _("Expert"))
    vraag = None if held else f.required("vraag", _("Question"))
    return outcome_of(lifecycle.consult(ws, slug, expert, vraag, held, f.date("datum", _("Date"))))


def _plan(ws: Workspace, slug: str, f: Form) -> Outcome:
    einddatum = f.date("einddatum", _("End date"))
    fase = f.choice("fase", _("Phase"), Fase)
    datum = f.date("datum", _("Target date"))
    if einddatum is None and fase is None and datum is None:
        raise UsageError(_("Fill in the end date, or a phase with its target date."))
    if (fase is None) != (datum is None):
        raise UsageError(_("A phase and its target date go together."))
    return outcome_of(lifecycle.plan(ws, slug, einddatum, fase, datum))


def _stop(ws: Workspace, slug: str, f: Form) -> Outcome:
    return outcome_of(lifecycle.stop(ws, slug, f.required("reden", _("Reason"))))


def _waive(ws: Workspace, slug: str, f: Form) -> Outcome:
    regel = f.required("regel", _("Rule"))
    if f.flag("opheffen"):
        return outcome_of(lifecycle.waive(ws, slug, regel, None, remove=True))
    return outcome_of(lifecycle.waive(ws, slug, regel, f.required("reden", _("Reason"))))


def _advance(ws: Workspace, slug: str, f: Form) -> Outcome:
    force = f.flag("force")
    reden = f.text("reden", _("Reason"))
    if force and reden is None:
        raise UsageError(_("Moving on without meeting the exit criteria needs a reason."))
    result = lifecycle.advance(ws, slug, force=force, reason=reden)
    naar = result.naar.value if result.naar else Status.afgerond.value
    if not result.moved:
        n = len(result.blocking)
        return Outcome(
            ngettext(
                "Not yet: {n} exit criterion for {naar} is not met. The checklist says what to do.",
                "Not yet: {n} exit criteria for {naar} are not met. The checklist says what to do.",
                n,
            ).format(n=n, naar=naar),
            "let-op",
            anchor="#volgende-stappen",
        )
    text = f"{result.van.value} → {naar}"
    if result.sha:
        text += " " + _("(saved as change {sha})").format(sha=result.sha)
    notices = list(result.notices)
    if result.forced:
        notices.insert(
            0,
            _("Moved on past {n} unmet criteria ({rules}); the reason is in the history.").format(
                n=len(result.blocking), rules=", ".join(f.regel for f in result.blocking)
            ),
        )
    if result.note_kept:
        notices.append(_("The note {file} already existed and was kept as it is.").format(file=result.note_kept))
    return Outcome(text, notices=notices)


class Unavailable(Exception):
    """A part of doetank that this version does not have yet (it is being built in another issue)."""

    def __init__(self, what: str, issue: str) -> None:
        super().__init__(what)
        self.what = what
        self.issue = issue


ACTIONS: dict[str, Callable[[Workspace, str, Form], Outcome]] = {
    "member-add": _member_add,
    "member-set": _member_set,
    "member-remove": _member_remove,
    "vraagstuk": _vraagstuk,
    "opdrachtgever": _opdrachtgever,
    "kickoff": _kickoff,
    "update": _update,
    "consult": _consult,
    "plan": _plan,
    "advance": _advance,
    "stop": _stop,
    "waive": _waive,
    "rename": _rename,
}
