"""The operations on a tank: load -> change -> validate -> save -> commit, under the workspace lock."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from doetank_cli import hooks, index, network, notes, repo, rules, store
from doetank_cli.clock import today
from doetank_cli.errors import DataError, DoetankError, GitError, RulesError, UsageError, WorkspaceError
from doetank_cli.i18n import _, kanaal_label, ngettext
from doetank_cli.i18n import datum as datum_text
from doetank_cli.index import Overview, Summary
from doetank_cli.model import (
    FASES,
    KEY_ORDER,
    ConsultStatus,
    Doetank,
    Fase,
    Herkomst,
    Kanaal,
    Rol,
    Sector,
    Status,
    UpdateKanaal,
    name_key,
)
from doetank_cli.store import Document
from doetank_cli.workspace import Workspace, is_slug, slugify

if TYPE_CHECKING:
    from doetank_cli.publish.report import Report
    from doetank_cli.publish.site import SiteResult

_UNVERSIONED_MARK = "unversioned-noted"


@dataclass
class Change:
    """What a mutating command did, for the renderer."""

    slug: str
    summary: str
    changed: bool = True
    sha: str | None = None
    notices: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # more to say about the result, after the summary


def refuse_unfinished(ws: Workspace) -> None:
    """While a merge (or rebase, cherry-pick) waits for a person, no command changes a tank: it would write into files
    that hold both versions, and git would take the result as decided."""
    what = repo.unfinished(ws.root)
    if what is None:
        return
    if what == "merge":
        message = _("A sync stopped at changes that clash, and they are not decided yet; nothing was changed.")
    else:
        message = _("git is in the middle of a {operation} that waits for you; nothing was changed.").format(
            operation=repo.operation_name(what)
        )
    raise WorkspaceError(message, hint=_("Decide first with 'doetank resolve', then run the command again."))


def _can_commit(ws: Workspace, commit: bool) -> None:
    """Before anything is written (under the lock): an unfinished merge, and git trouble that would refuse every commit
    (another user's repository), stop here."""
    refuse_unfinished(ws)
    if commit:
        repo.is_repo(ws.root)


def _commit(
    ws: Workspace, slug: str, paths: list[Path], command: str, summary: str, trailers: dict[str, str] | None = None
) -> tuple[str | None, list[str]]:
    if not repo.is_repo(ws.root):
        if store.mark_once(ws, _UNVERSIONED_MARK):
            why = _("git is not installed") if not repo.available() else _("this workspace is not in a git repository")
            return None, [
                _(
                    "Nothing is versioned: {why}. Changes are saved, but there is no "
                    "history or sharing until you run 'git init'."
                ).format(why=why)
            ]
        return None, []
    subject = f"doetank {command}: {slug}: {summary}"
    try:
        sha, notices = repo.commit(ws.root, paths, subject, {"Tank": slug, "Command": command, **(trailers or {})})
    except GitError as exc:
        raise GitError(
            _("The change to {slug} is saved, but git could not commit it. {said}").format(slug=slug, said=exc.message),
            hint=_("Fix the cause, then commit {paths} yourself, or run the command again with --no-commit.").format(
                paths=" ".join(ws.rel(p) for p in paths)
            ),
        ) from None
    return sha, notices


def _mutate(
    ws: Workspace, name: str, command: str, apply: Callable[[Document, Doetank, str], str], *, commit: bool
) -> Change:
    slug = ws.resolve(name)
    with store.lock(ws):
        _can_commit(ws, commit)
        doc = store.load_document(ws.record_path(slug), ws.rel(ws.record_path(slug)))
        summary = apply(doc, doc.model, slug)
        give_id(doc, slug)
        try:
            doc.model  # noqa: B018  (the change itself must fit the schema before anything is written)
            changed = store.save(doc)
        except DataError as exc:
            # the record was sound when it was read: what does not fit is the value given now (exit 2, not 3)
            raise UsageError(
                _("That change does not fit the record, which is left as it was: {reason}").format(reason=exc.message)
            ) from None
        sha, notices = _commit(ws, slug, [doc.path], command, summary) if commit and changed else (None, [])
    return Change(slug, summary, changed, sha, notices)


def record_id(slug: str, tank: Doetank) -> str:
    """The tank's stable id: the one in its record, else the one it will get on its next change.

    An older record gets an id derived from its slug and the day it started, not a random one: two people who change
    it on two laptops give it the same id, so the field-by-field merge sees one change, not a clash.
    """
    if tank.id:
        return tank.id
    start = tank.geschiedenis[0].datum.isoformat() if tank.geschiedenis else ""
    return str(uuid.uuid5(_ID_NAMESPACE, f"{slug}\n{start}"))


_ID_NAMESPACE = uuid.UUID("5b0f7c1e-2f4e-4d55-9a53-6f0d6c8a9e21")


def give_id(doc: Document, slug: str, *, always: bool = False) -> bool:
    """Write the stable id into a record that lacks one, when it changes anyway (or `always`); True when written."""
    if "id" in doc.data or not (always or doc.dump() != doc.text):
        return False
    store.set_key(doc.data, "id", record_id(slug, doc.model), KEY_ORDER)
    return True


def _same_name(a: str, b: str) -> bool:
    return name_key(a) == name_key(b)


# --------------------------------------------------------------------------- init and new


@dataclass
class InitResult:
    root: Path
    created: list[str]
    git_initialised: bool
    sha: str | None
    notices: list[str]


def init(path: Path) -> InitResult:
    root = path.expanduser().absolute()
    if root.exists() and not root.is_dir():
        raise UsageError(
            _("{path} is a file; 'doetank init' makes a workspace in a folder.").format(path=path),
            hint=_("Name a new folder, or an existing one: doetank init mijn-doetanks"),
        )
    root.mkdir(parents=True, exist_ok=True)
    ws = Workspace(root)
    created: list[str] = []
    keep = ws.inside(ws.tanks / ".gitkeep", ws.tanks)  # a tanks/ or templates/ that leads out is refused first
    if not ws.tanks.is_dir():
        created.append("tanks/")
    store.write_new(keep, "")
    written = [keep]
    for fase in FASES:
        target = ws.template_path(fase)
        source = notes.packaged_templates() / target.name
        if store.write_new(target, store.read_text(source, str(source))):
            created.append(ws.rel(target))
        written.append(target)
    if write_schema(ws):
        created.append(ws.rel(ws.schema_path))
    written.append(ws.schema_path)
    git_initialised = False
    if repo.available() and not repo.is_repo(root):
        repo.init(root)
        git_initialised = True
    sha: str | None = None
    notices: list[str] = []
    if repo.is_repo(root):
        from doetank_cli.sync import ensure_merge_driver

        attributes = ensure_merge_driver(ws)
        if attributes is not None:
            created.append(ws.rel(attributes))
            written.append(attributes)
        sha, notices = repo.commit(root, written, "doetank init: " + _("workspace made"), {"Command": "init"})
    else:
        notices = [_("git is not installed: the workspace works, but nothing is versioned.")]
    return InitResult(root, created, git_initialised, sha, notices)


def write_schema(ws: Workspace) -> bool:
    """Write doetank.schema.json at the workspace root when it is missing or out of date; True when written."""
    from doetank_cli.schema import schema_text

    text = schema_text()
    path = ws.root_file(ws.schema_path.name)
    current = store.read_text(path, ws.rel(path)) if path.exists() else None
    if current == text:
        return False
    store.atomic_write(path, text)
    return True


def refresh_schema(ws: Workspace, *, commit: bool = True) -> Change:
    """`doetank schema --write`: the workspace's schema file brought up to date, and every record without a stable id
    given one, in one commit. A record that cannot be read is named and left as it is."""
    with store.lock(ws):
        _can_commit(ws, commit)
        written = [ws.schema_path] if write_schema(ws) else []
        notices: list[str] = []
        for slug in ws.slugs():
            path = ws.record_path(slug)
            if not path.is_file():
                continue
            try:
                doc = store.load_document(path, ws.rel(path))
            except DoetankError as exc:
                notices.append(_("{file} was left as it is: {problem}").format(file=ws.rel(path), problem=exc.message))
                continue
            if give_id(doc, slug, always=True) and store.save(doc):
                written.append(path)
        sha: str | None = None
        if written and commit and repo.is_repo(ws.root):
            sha, said = repo.commit(ws.root, written, f"doetank schema: {ws.schema_path.name}", {"Command": "schema"})
            notices += said
    ids = len(written) - (1 if written and written[0] == ws.schema_path else 0)
    summary = (
        _("written")
        if not ids
        else ngettext("written; {n} record got its id", "written; {n} records got their id", ids).format(n=ids)
    )
    return Change(ws.schema_path.name, summary, bool(written), sha, notices)


@dataclass
class NewMember:
    """A member named when the tank starts (the trekker has options of its own on NewTank)."""

    naam: str
    rol: Rol
    organisatie: str | None = None
    sector: Sector = Sector.publiek


@dataclass
class NewTank:
    naam: str
    probleem: str
    organisatie: str
    groter_vraagstuk: str | None = None
    herkomst: Herkomst | None = None
    kanaal: Kanaal | None = None
    opdrachtgever: str | None = None
    opdrachtgever_organisatie: str | None = None
    opdrachtgever_sector: Sector = Sector.publiek
    trekker: str | None = None
    trekker_organisatie: str | None = None
    trekker_sector: Sector = Sector.publiek
    einddatum: date | None = None
    leden: list[NewMember] = field(default_factory=list)  # doetankers and the coach, after the trekker
    kickoff: date | None = None
    kickoff_locatie: str | None = None


def free_slug(ws: Workspace, naam: str) -> str:
    """The short name a new tank called `naam` gets, or a UsageError when it has none or another tank has it (so an
    interview can ask again before anything else is asked)."""
    slug = slugify(naam.strip())
    if not slug:
        raise UsageError(
            _(
                "The name '{naam}' has no letters or digits to make a short name from; choose a name with words in it."
            ).format(naam=naam)
        )
    folder = ws.tank_dir(slug)
    if folder.exists():
        raise UsageError(
            _("A tank with the short name '{slug}' already exists ({path}); nothing was changed.").format(
                slug=slug, path=ws.rel(folder)
            ),
            hint=_("Choose another name, or work on the existing tank."),
        )
    return slug


def new(ws: Workspace, spec: NewTank, *, commit: bool = True) -> Change:
    naam = spec.naam.strip()
    slug = slugify(naam)
    if not slug:
        free_slug(ws, naam)  # says why
    for label, value in ((_("--vraagstuk"), spec.probleem), (_("--organisatie"), spec.organisatie)):
        if not value.strip():
            raise UsageError(_("{option} may not be empty.").format(option=label))
    day = today()
    values: dict[str, object] = {
        "naam": naam,
        "status": Status.actief.value,
        "fase": Fase.ontdekken.value,
        "vraagstuk": {
            "probleem": spec.probleem.strip(),
            "organisatie": spec.organisatie.strip(),
            "groter_vraagstuk": spec.groter_vraagstuk,
        },
        "herkomst": (spec.herkomst or (Herkomst.opdrachtgever if spec.opdrachtgever else Herkomst.netwerk)).value,
        "kanaal": spec.kanaal.value if spec.kanaal else None,
        "leden": [],
        "geschiedenis": [{"fase": Fase.ontdekken.value, "datum": day}],
        "id": str(uuid.uuid4()),
    }
    if spec.opdrachtgever:
        values["opdrachtgever"] = {
            "naam": spec.opdrachtgever.strip(),
            "organisatie": spec.opdrachtgever_organisatie or spec.organisatie.strip(),
            "sector": spec.opdrachtgever_sector.value,
        }
    members = (
        [NewMember(spec.trekker, Rol.trekker, spec.trekker_organisatie, spec.trekker_sector)] if spec.trekker else []
    )
    members += [m for m in spec.leden if m.naam.strip()]
    values["leden"] = [
        {
            "naam": m.naam.strip(),
            "rol": m.rol.value,
            "organisatie": (m.organisatie or "").strip() or spec.organisatie.strip(),
            "sector": m.sector.value,
        }
        for m in members
    ]
    if spec.einddatum:
        values["richtlijn"] = {"einddatum": spec.einddatum}
    if spec.kickoff:
        values["kickoff"] = {"datum": spec.kickoff, "locatie": (spec.kickoff_locatie or "").strip() or "Kennisland"}
    with store.lock(ws):
        _can_commit(ws, commit)
        free_slug(ws, naam)  # under the lock: another process may have made it since
        record = ws.record_path(slug)
        note = ws.note_path(slug, Fase.ontdekken)
        # the note's text first: a template that cannot be read stops `new` before anything is written
        first_note = notes.render(ws, Fase.ontdekken, naam, slug, day)
        store.create_record(record, ws.rel(record), values)
        store.write_new(note, first_note)
        summary = _("started in ontdekken")
        sha, notices = (
            _commit(ws, slug, [record, note], "new", summary, {"Fase": Fase.ontdekken.value}) if commit else (None, [])
        )
    if not ws.schema_path.is_file():
        notices.append(
            _(
                "Editors check doetank.yaml against {file}, which this workspace "
                "lacks; write it with 'doetank schema --write'."
            ).format(file=ws.schema_path.name)
        )
    return Change(slug, summary, True, sha, notices)


# --------------------------------------------------------------------------- the record


def member_add(
    ws: Workspace, name: str, naam: str, rol: Rol, organisatie: str, sector: Sector, *, commit: bool = True
) -> Change:
    naam = naam.strip()
    if not naam:
        raise UsageError(_("A member needs a name."))

    def apply(doc: Document, tank: Doetank, slug: str) -> str:
        for lid in tank.leden:
            if _same_name(lid.naam, naam):
                raise UsageError(
                    _("{naam} is already in tank {slug} as {rol}.").format(naam=lid.naam, slug=slug, rol=lid.rol.value)
                )
        if rol in (Rol.trekker, Rol.coach) and tank.met_rol(rol):
            current = tank.met_rol(rol)[0]
            rule = "DT012" if rol == Rol.trekker else "DT013"
            raise RulesError(
                _("{rule}: tank {slug} already has a {rol}, {naam}; a Doetank has exactly one.").format(
                    rule=rule, slug=slug, rol=rol.value, naam=current.naam
                ),
                hint=_('First give {naam} another role: doetank member set {slug} "{naam}" --rol doetanker').format(
                    slug=slug, naam=current.naam
                ),
            )
        store.append_item(
            doc,
            "leden",
            {"naam": naam, "rol": rol.value, "organisatie": organisatie.strip() or None, "sector": sector.value},
        )
        return _("{naam} joined as {rol}").format(naam=naam, rol=rol.value)

    return _mutate(ws, name, "member add", apply, commit=commit)


def role_holder(ws: Workspace, name: str, rol: Rol) -> str | None:
    """Who already holds a role a tank has exactly one of (trekker, coach), if anyone: a question can be asked again
    before anything is written."""
    if rol not in (Rol.trekker, Rol.coach):
        return None
    path = ws.record_path(ws.resolve(name))
    holders = store.load_record(path, ws.rel(path)).met_rol(rol)
    return holders[0].naam if holders else None


def member_remove(ws: Workspace, name: str, naam: str, *, commit: bool = True) -> Change:
    def apply(doc: Document, tank: Doetank, slug: str) -> str:
        for position, lid in enumerate(tank.leden):
            if _same_name(lid.naam, naam):
                del doc.data["leden"][position]
                return _("{naam} ({rol}) left the team").format(naam=lid.naam, rol=lid.rol.value)
        names = ", ".join(lid.naam for lid in tank.leden) or _("nobody yet")
        raise UsageError(
            _("{naam} is not in the team of {slug} (members: {names}).").format(naam=naam, slug=slug, names=names)
        )

    return _mutate(ws, name, "member remove", apply, commit=commit)


def member_set(
    ws: Workspace,
    name: str,
    naam: str,
    *,
    rol: Rol | None = None,
    organisatie: str | None = None,
    sector: Sector | None = None,
    nieuwe_naam: str | None = None,
    commit: bool = True,
) -> Change:
    """Change one member in place (role, organisation, sector, name); the line keeps its place and comments."""
    if rol is None and organisatie is None and sector is None and nieuwe_naam is None:
        raise UsageError(_("Give at least one of --rol, --organisatie, --sector, --naam: what changes?"))
    if nieuwe_naam is not None and not nieuwe_naam.strip():
        raise UsageError(_("--naam may not be empty."))

    def apply(doc: Document, tank: Doetank, slug: str) -> str:
        position = next((i for i, lid in enumerate(tank.leden) if _same_name(lid.naam, naam)), None)
        if position is None:
            names = ", ".join(lid.naam for lid in tank.leden) or _("nobody yet")
            raise UsageError(
                _("{naam} is not in the team of {slug} (members: {names}).").format(naam=naam, slug=slug, names=names)
            )
        lid = tank.leden[position]
        if nieuwe_naam is not None:
            for other in tank.leden:
                if other is not lid and _same_name(other.naam, nieuwe_naam):
                    raise UsageError(
                        _("{naam} is already in tank {slug} as {rol}.").format(
                            naam=other.naam, slug=slug, rol=other.rol.value
                        )
                    )
        if rol in (Rol.trekker, Rol.coach) and rol != lid.rol and tank.met_rol(rol):
            current = tank.met_rol(rol)[0]
            raise RulesError(
                _("{rule}: tank {slug} already has a {rol}, {naam}; a Doetank has exactly one.").format(
                    rule="DT012" if rol == Rol.trekker else "DT013", slug=slug, rol=rol.value, naam=current.naam
                ),
                hint=_('First: doetank member set {slug} "{naam}" --rol doetanker').format(
                    slug=slug, naam=current.naam
                ),
            )
        item = doc.data["leden"][position]
        order = ["naam", "rol", "organisatie", "sector"]
        changed = []
        for key, value in (
            ("naam", nieuwe_naam.strip() if nieuwe_naam is not None else None),
            ("rol", rol.value if rol is not None else None),
            ("organisatie", organisatie.strip() if organisatie is not None else None),
            ("sector", sector.value if sector is not None else None),
        ):
            if value is None:
                continue
            if key == "organisatie" and not value:
                if key in item:
                    del item[key]
                    changed.append(_("{key} removed").format(key=key))
                continue
            if store.plain(item.get(key)) != value:
                store.set_key(item, key, value, order)
                changed.append(f"{key} {value}")
        if not changed:
            return _("{naam}: nothing to change").format(naam=lid.naam)
        return _("{naam}: {changes}").format(naam=lid.naam, changes=", ".join(changed))

    return _mutate(ws, name, "member set", apply, commit=commit)


def rename(ws: Workspace, name: str, naam: str, *, commit: bool = True) -> Change:
    """Give a tank a new name, and the slug made from it: the folder moves, the record and the notes' titles follow,
    in one commit (git sees the files as renamed). The old slug is said in the summary, so `log` shows where it was."""
    naam = naam.strip()
    new_slug = slugify(naam)
    if not new_slug:
        raise UsageError(
            _(
                "The name '{naam}' has no letters or digits to make a short name from; choose a name with words in it."
            ).format(naam=naam)
        )
    slug = ws.resolve(name)
    with store.lock(ws):
        _can_commit(ws, commit)
        record = ws.record_path(slug)
        doc = store.load_document(record, ws.rel(record))
        old_naam = doc.model.naam
        if new_slug != slug and ws.tank_dir(new_slug).exists():
            raise UsageError(
                _("A tank with the short name '{slug}' already exists ({path}); nothing was changed.").format(
                    slug=new_slug, path=ws.rel(ws.tank_dir(new_slug))
                ),
                hint=_("Choose another name."),
            )
        if naam == old_naam and new_slug == slug:
            return Change(slug, _("nothing changed"), changed=False)
        tracked = repo.tracked_files(ws.root, ws.tank_dir(slug)) if commit and repo.is_repo(ws.root) else []
        if new_slug != slug:
            store.move_tank(ws, slug, new_slug)  # first: if the move fails, nothing else has changed
            record = ws.record_path(new_slug)
            doc = store.load_document(record, ws.rel(record))
        store.set_key(doc.data, "naam", naam, KEY_ORDER)
        store.save(doc)
        folder = ws.tank_dir(new_slug)
        notes_changed = store.retitle_notes(folder, old_naam, naam)
        if new_slug != slug:
            summary = _("renamed from {old} ({old_slug})").format(old=old_naam, old_slug=slug)
        else:
            summary = _("renamed from {old}").format(old=old_naam)
        moved = [folder / p.relative_to(ws.tank_dir(slug)) for p in tracked]
        paths = list(dict.fromkeys([*tracked, *moved, record, *notes_changed]))
        sha, notices = _commit(ws, new_slug, paths, "rename", summary, {"Renamed-From": slug}) if commit else (None, [])
    return Change(new_slug, summary, True, sha, notices)


def set_vraagstuk(
    ws: Workspace,
    name: str,
    *,
    probleem: str | None,
    organisatie: str | None,
    groter_vraagstuk: str | None,
    commit: bool = True,
) -> Change:
    given = {"probleem": probleem, "organisatie": organisatie, "groter_vraagstuk": groter_vraagstuk}
    given = {k: v.strip() for k, v in given.items() if v is not None}
    if not given:
        raise UsageError(_("Give at least one of --probleem, --organisatie, --groter-vraagstuk."))

    def apply(doc: Document, tank: Doetank, slug: str) -> str:
        vraagstuk = store.child_map(doc.data, "vraagstuk", KEY_ORDER)
        # what is said is what changed: a form sends every field, also the ones left as they were
        changed = [key for key, value in given.items() if store.plain(vraagstuk.get(key)) != value]
        for key in changed:
            store.set_key(vraagstuk, key, given[key], ["probleem", "organisatie", "groter_vraagstuk"])
        if not changed:
            return _("vraagstuk ({keys})").format(keys=", ".join(given))
        return _("vraagstuk updated ({keys})").format(keys=", ".join(changed))

    return _mutate(ws, name, "vraagstuk", apply, commit=commit)


def set_opdrachtgever(
    ws: Workspace, name: str, naam: str, organisatie: str | None, sector: Sector | None, *, commit: bool = True
) -> Change:
    if not naam.strip():
        raise UsageError(_("The opdrachtgever needs a name."))

    def apply(doc: Document, tank: Doetank, slug: str) -> str:
        first = tank.opdrachtgever is None
        og = store.child_map(doc.data, "opdrachtgever", KEY_ORDER)
        order = ["naam", "organisatie", "sector"]
        store.set_key(og, "naam", naam.strip(), order)
        if organisatie is not None:
            store.set_key(og, "organisatie", organisatie.strip(), order)
        elif first and tank.vraagstuk.organisatie:
            store.set_key(og, "organisatie", tank.vraagstuk.organisatie, order)  # as `new --opdrachtgever` does
        if sector is not None:
            store.set_key(og, "sector", sector.value, order)
        elif first:
            store.set_key(og, "sector", Sector.publiek.value, order)  # as `new --opdrachtgever` does
        return _("opdrachtgever: {naam}").format(naam=naam.strip())

    return _mutate(ws, name, "opdrachtgever", apply, commit=commit)


def kickoff(ws: Workspace, name: str, datum: date, locatie: str | None, *, commit: bool = True) -> Change:
    def apply(doc: Document, tank: Doetank, slug: str) -> str:
        where = (locatie or (tank.kickoff.locatie if tank.kickoff else "") or "Kennisland").strip()
        km = store.child_map(doc.data, "kickoff", KEY_ORDER)
        store.set_key(km, "datum", datum, ["datum", "locatie"])
        store.set_key(km, "locatie", where, ["datum", "locatie"])
        return _("kickoff on {datum} at {locatie}").format(datum=datum_text(datum), locatie=where)

    return _mutate(ws, name, "kickoff", apply, commit=commit)


def add_update(
    ws: Workspace, name: str, kanaal: UpdateKanaal, url: str, datum: date | None, *, commit: bool = True
) -> Change:
    url = url.strip()
    if not url.lower().startswith(("https://", "http://")):
        raise UsageError(
            _("--url must be a web address starting with https:// or http:// (got '{url}').").format(url=url)
        )
    day = datum or today()

    def apply(doc: Document, tank: Doetank, slug: str) -> str:
        for known in tank.updates:
            if _same_url(known.url, url):
                raise UsageError(
                    _("This address is already recorded as the {kanaal} update of {datum}: {url}").format(
                        kanaal=kanaal_label(known.kanaal.value), datum=datum_text(known.datum), url=known.url
                    ),
                    hint=_("Each update is recorded once; nothing was changed."),
                )
        store.append_item(doc, "updates", {"datum": day, "kanaal": kanaal.value, "url": url})
        if kanaal == UpdateKanaal.blog:
            return _("blog post of {datum}").format(datum=datum_text(day))
        return _("LinkedIn update of {datum}").format(datum=datum_text(day))

    return _mutate(ws, name, "update", apply, commit=commit)


def open_consults(tank: Doetank) -> list[tuple[int, str, str]]:
    """The consults requested and not yet held: (position in consulten, expert, vraag)."""
    return [(i, c.expert, c.vraag) for i, c in enumerate(tank.consulten) if c.status == ConsultStatus.aangevraagd]


def _same_url(a: str, b: str) -> bool:
    """Two addresses of one post: the same apart from the case of scheme and host, and a closing slash."""
    from urllib.parse import urlsplit

    def key(url: str) -> tuple[str, str, str, str]:
        parts = urlsplit(url.strip())
        return parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"), parts.query

    try:
        return key(a) == key(b)
    except ValueError:
        return a.strip() == b.strip()


def consult(
    ws: Workspace,
    name: str,
    expert: str | None,
    vraag: str | None,
    held: bool,
    datum: date | None,
    *,
    commit: bool = True,
) -> Change:
    """Request a consult (expert and vraag), or mark one held: the one with `expert`, or without it the one that is
    open (when several are open, the error lists them)."""
    expert = (expert or "").strip() or None
    day = datum or today()
    if not held and expert is None:
        raise UsageError(_("--expert may not be empty."))
    if not held and not (vraag or "").strip():
        raise UsageError(_("A consult request needs --vraag: what do you want to ask the expert?"))

    def apply(doc: Document, tank: Doetank, slug: str) -> str:
        if not held:
            store.append_item(
                doc,
                "consulten",
                {
                    "expert": expert,
                    "vraag": (vraag or "").strip(),
                    "status": ConsultStatus.aangevraagd.value,
                    "datum": day,
                },
            )
            return _("consult requested with {expert}").format(expert=expert)
        candidates = [
            (i, who, what) for i, who, what in open_consults(tank) if expert is None or _same_name(who, expert)
        ]
        if not candidates:
            if expert is None:
                raise UsageError(
                    _("Tank {slug} has no open consult.").format(slug=slug),
                    hint=_('Request one first: doetank consult {slug} --expert "..." --vraag "..."').format(slug=slug),
                )
            raise UsageError(
                _("Tank {slug} has no open consult with {expert}.").format(slug=slug, expert=expert),
                hint=_('Request one first: doetank consult {slug} --expert "{expert}" --vraag "..."').format(
                    slug=slug, expert=expert
                ),
            )
        if expert is None and len({name_key(who) for _i, who, _w in candidates}) > 1:
            listed = "; ".join(f"{who}: {what}" for _i, who, what in candidates)
            raise UsageError(
                _("Tank {slug} has {n} open consults ({listed}); say which with --expert.").format(
                    slug=slug, n=len(candidates), listed=listed
                ),
                hint=_('For example: doetank consult {slug} --held --expert "{expert}"').format(
                    slug=slug, expert=candidates[0][1]
                ),
            )
        position = candidates[-1][0]
        c = tank.consulten[position]
        item = doc.data["consulten"][position]
        order = ["expert", "vraag", "status", "datum", "gehouden"]
        store.set_key(item, "status", ConsultStatus.gehouden.value, order)
        store.set_key(item, "gehouden", day, order)
        return _("consult with {expert} held on {datum}").format(expert=c.expert, datum=datum_text(day))

    return _mutate(ws, name, "consult", apply, commit=commit)


def plan(
    ws: Workspace, name: str, einddatum: date | None, fase: Fase | None, datum: date | None, *, commit: bool = True
) -> Change:
    if einddatum is None and fase is None:
        raise UsageError(_("Give --einddatum, or --fase with --datum."))
    if (fase is None) != (datum is None):
        raise UsageError(_("--fase and --datum go together: the target date for one phase."))

    warnings: list[str] = []

    def apply(doc: Document, tank: Doetank, slug: str) -> str:
        warnings.extend(_plan_warnings(tank, einddatum, fase, datum))
        richtlijn = store.child_map(doc.data, "richtlijn", KEY_ORDER)
        done: list[str] = []  # what is said is what changed: the browser's form sends the end date it shows, too
        same: list[str] = []
        if einddatum is not None:
            store.set_key(richtlijn, "einddatum", einddatum, ["einddatum", "fases"])
            said = _("end date {date}").format(date=datum_text(einddatum))
            (same if tank.richtlijn.einddatum == einddatum else done).append(said)
        if fase is not None and datum is not None:
            fases = store.child_map(richtlijn, "fases", ["einddatum", "fases"])
            store.set_key(fases, fase.value, datum, [f.value for f in FASES])
            said = _("{fase} by {datum}").format(fase=fase.value, datum=datum_text(datum))
            (same if tank.richtlijn.fases.get(fase) == datum else done).append(said)
        return _("guideline: {what}").format(what=", ".join(done or same))

    change = _mutate(ws, name, "plan", apply, commit=commit)
    change.notices[:0] = warnings
    return change


def _plan_warnings(tank: Doetank, einddatum: date | None, fase: Fase | None, datum: date | None) -> list[str]:
    """What looks like a typo in a plan: a date in the past, before the tank started, or a phase after the end."""
    day = today()
    start = tank.geschiedenis[0].datum if tank.geschiedenis else None
    said = []
    for label, value in ((_("The end date"), einddatum), (_("The target date of {fase}").format(fase=fase), datum)):
        if value is None:
            continue
        if start is not None and value < start:
            said.append(
                _("{what}, {datum}, is before the tank started ({start}); is that a typo?").format(
                    what=label, datum=datum_text(value), start=datum_text(start)
                )
            )
        elif value < day and tank.status == Status.actief:
            said.append(
                _("{what}, {datum}, is in the past; is that a typo?").format(what=label, datum=datum_text(value))
            )
    end = einddatum or tank.richtlijn.einddatum
    if fase is not None and datum is not None and end is not None and datum > end:
        said.append(
            _("The target date of {fase}, {datum}, is after the end date, {end}.").format(
                fase=fase.value, datum=datum_text(datum), end=datum_text(end)
            )
        )
    return said


def stop(ws: Workspace, name: str, reason: str, *, commit: bool = True) -> Change:
    reason = reason.strip()
    if not reason:
        raise UsageError(_("--reason may not be empty: what did the tank learn, and why stop?"))

    def apply(doc: Document, tank: Doetank, slug: str) -> str:
        if tank.status != Status.actief:
            raise UsageError(_("Tank {slug} is already {status}.").format(slug=slug, status=tank.status.value))
        store.set_key(doc.data, "status", Status.gestopt.value, KEY_ORDER)
        store.set_key(doc.data, "gestopt", {"datum": today(), "reden": reason}, KEY_ORDER)
        return _("stopped in {fase}").format(fase=tank.fase.value)

    return _mutate(ws, name, "stop", apply, commit=commit)


def waive(
    ws: Workspace, name: str, rule_id: str, reason: str | None, *, remove: bool = False, commit: bool = True
) -> Change:
    """Write (or with remove, lift) a waiver under uitzonderingen; the reason is required."""
    rule = rules.require(rule_id)
    if rule.id == rules.WAIVER_RULE:
        raise UsageError(_("{rule} checks the waivers themselves and cannot be waived.").format(rule=rule.id))
    if rule.id == rules.CONFLICT_RULE:
        slug = ws.resolve(name)
        record = ws.record_path(slug)
        rel = ws.rel(record)
        open_lines = conflicts_in(store.decode(store.read_bytes(record, rel, store.MAX_RECORD), rel))
        raise UsageError(
            _("{rule} cannot be waived: changes that clash are decided, never set aside.").format(rule=rule.id),
            hint=(
                _("{file}:{line} holds a clash that is not decided yet: decide it with 'doetank resolve'.").format(
                    file=rel, line=open_lines[0]
                )
                if open_lines
                else _("{slug} holds no clash now, so {rule} does not apply to it: there is nothing to waive.").format(
                    slug=slug, rule=rule.id
                )
            ),
        )
    if not remove and not (reason or "").strip():
        raise UsageError(_("A waiver needs --reason: say why the rule does not apply to this tank."))

    def apply(doc: Document, tank: Doetank, slug: str) -> str:
        if remove:
            waivers = doc.data.get("uitzonderingen")
            if not waivers or rule.id not in waivers:
                raise UsageError(_("{slug} does not waive {rule}.").format(slug=slug, rule=rule.id))
            del waivers[rule.id]
            if not waivers:
                del doc.data["uitzonderingen"]
            return _("waiver of {rule} lifted").format(rule=rule.id)
        store.set_key(store.child_map(doc.data, "uitzonderingen", KEY_ORDER), rule.id, " ".join(reason.split()))  # type: ignore[union-attr]
        return _("{rule} {naam} waived").format(rule=rule.id, naam=rule.naam)

    return _mutate(ws, name, "waive", apply, commit=commit)


# --------------------------------------------------------------------------- advance


@dataclass
class AdvanceResult:
    slug: str
    tank: Doetank
    van: Fase
    naar: Fase | None  # None: out of overdragen, the tank is afgerond
    findings: list[rules.Finding]
    moved: bool
    forced: bool = False
    sha: str | None = None
    notices: list[str] = field(default_factory=list)
    note_created: str | None = None
    note_kept: str | None = None
    veto: str | None = None  # what the pre-advance hook said when it stopped the advance
    veto_hook: str | None = None

    @property
    def blocking(self) -> list[rules.Finding]:
        return [f for f in self.findings if f.blocks]

    @property
    def unforceable(self) -> list[rules.Finding]:
        """What blocks even with --force: an undecided merge conflict."""
        return [f for f in self.blocking if f.regel in rules.UNWAIVABLE]


def note_gap(ws: Workspace, slug: str, fase: Fase) -> rules.NoteGap:
    check = notes.check(ws, slug, fase)
    return rules.NoteGap(ws.rel(check.path), check.exists, check.empty_sections)


def advance(
    ws: Workspace,
    name: str,
    *,
    force: bool = False,
    reason: str | None = None,
    dry_run: bool = False,
    commit: bool = True,
) -> AdvanceResult:
    if force and not dry_run and not (reason or "").strip():
        raise UsageError(_("--force needs --reason: say why the tank moves on without meeting its exit criteria."))
    slug = ws.resolve(name)
    if not dry_run:
        _can_commit(ws, commit)  # before a hook runs, too
    seen, vetoed, hook_notices = (None, None, []) if dry_run else _pre_advance(ws, slug, force)
    if vetoed is not None:
        return vetoed
    with store.lock(ws):
        if not dry_run:
            _can_commit(ws, commit)
        doc = store.load_document(ws.record_path(slug), ws.rel(ws.record_path(slug)))
        tank = doc.model
        if tank.status != Status.actief:
            raise UsageError(
                _("Tank {slug} is {status}; only an active tank advances.").format(slug=slug, status=tank.status.value)
            )
        day = today()
        context = rules.Context(slug, day, note_gap(ws, slug, tank.fase), conflicts_in(doc.text))
        findings = rules.gate(tank, context)
        result = AdvanceResult(slug, tank, tank.fase, tank.fase.volgende, findings, moved=False)
        result.notices = hook_notices
        if dry_run or (result.blocking and not force) or result.unforceable:
            result.forced = (
                dry_run and force and bool(result.blocking) and not result.unforceable
            )  # what --force would go past
            return result
        if seen is not None and doc.text != seen:
            raise WorkspaceError(
                _("{file} changed while the pre-advance hook ran; nothing was changed. Run the advance again.").format(
                    file=doc.label
                )
            )
        result.forced = bool(result.blocking)
        # the rules it went past, recorded with the reason: waived by it while the tank is in the new phase
        past = sorted({f.regel for f in result.blocking}) if result.forced else None
        paths = [doc.path, ws.note_path(slug, tank.fase)]
        if result.naar is not None:
            store.set_key(doc.data, "fase", result.naar.value, KEY_ORDER)
            stap = {
                "fase": result.naar.value,
                "datum": day,
                "reden": reason.strip() if result.forced and reason else None,
                "geforceerd": past,
            }
            store.append_item(doc, "geschiedenis", stap)
            note = ws.note_path(slug, result.naar)
            text = notes.render(ws, result.naar, tank.naam, slug, day)
            if store.write_new(note, text):
                result.note_created = ws.rel(note)
            else:
                result.note_kept = ws.rel(note)
            paths.append(note)
        else:
            store.set_key(doc.data, "status", Status.afgerond.value, KEY_ORDER)
            store.set_key(doc.data, "afgerond", day, KEY_ORDER)
            if result.forced and reason:
                # the reason for completing despite open criteria belongs in the history too
                store.append_item(
                    doc,
                    "geschiedenis",
                    {"fase": tank.fase.value, "datum": day, "reden": reason.strip(), "geforceerd": past},
                )
        give_id(doc, slug)
        result.tank = doc.model
        store.save(doc)
        result.moved = True
        if commit:
            naar = result.naar.value if result.naar else Status.afgerond.value
            summary = f"{tank.fase.value} -> {naar}"
            result.sha, said = _commit(
                ws, slug, [p for p in paths if p.exists()], "advance", summary, {"Fase": summary}
            )
            result.notices += said
    # after the lock: the hook may run doetank itself
    result.notices += hooks.after(ws, hooks.POST_ADVANCE, slug, result.van.value, _naar(result))
    return result


def _naar(result: AdvanceResult) -> str:
    return result.naar.value if result.naar else Status.afgerond.value


def _pre_advance(ws: Workspace, slug: str, force: bool) -> tuple[str | None, AdvanceResult | None, list[str]]:
    """Run the clone's pre-advance hook, if any, when the tank would move: (the record as the hook saw it, the
    vetoed result when the hook said no, notices). It runs without the lock, so that it may run doetank itself;
    the advance then goes on only if the record is still what the hook saw."""
    hook = hooks.find(ws, hooks.PRE_ADVANCE)
    if hook.path is None:
        return None, None, hook.notices
    doc = store.load_document(ws.record_path(slug), ws.rel(ws.record_path(slug)))
    tank = doc.model
    if tank.status != Status.actief:
        return None, None, hook.notices  # the advance itself says why not
    findings = rules.gate(tank, rules.Context(slug, today(), note_gap(ws, slug, tank.fase)))
    result = AdvanceResult(slug, tank, tank.fase, tank.fase.volgende, findings, moved=False, notices=hook.notices)
    if result.blocking and not force:
        return None, None, hook.notices  # the checklist comes first
    ran = hooks.run(ws, hook, slug, tank.fase.value, _naar(result))
    if ran is not None and ran.code != 0:
        result.veto = ran.said or _("(it said nothing; exit code {code})").format(code=ran.code)
        result.veto_hook = ws.rel(hook.path).replace("\\", "/") if hook.path else None
        return doc.text, result, hook.notices
    return doc.text, None, hook.notices


# --------------------------------------------------------------------------- reading


# every tank at once: the network module reads them through the index (light, for the warm path); here for callers
overview = network.overview
check = network.check


@dataclass
class Detail:
    summary: Summary
    tank: Doetank
    today: date
    gate: list[rules.Finding]  # what advancing would need


def conflicts_in(text: str) -> tuple[int, ...]:
    """The lines of a record's text that are undecided clash notes, for DT060."""
    return tuple(store.conflict_lines(text))


def detail(ws: Workspace, name: str) -> Detail:
    slug = ws.resolve(name)
    path = ws.record_path(slug)
    raw = store.read_bytes(path, ws.rel(path), store.MAX_RECORD)
    tank = store.load_record(path, ws.rel(path), raw)
    conflicts = conflicts_in(store.decode(raw, ws.rel(path)))
    day = today()
    summary = Summary.of(slug, tank, rules.evaluate(tank, rules.Context(slug, day, conflicts=conflicts)))
    gate = (
        rules.gate(tank, rules.Context(slug, day, note_gap(ws, slug, tank.fase), conflicts))
        if tank.status == Status.actief
        else []
    )
    return Detail(summary, tank, day, gate)


def history(ws: Workspace, name: str) -> tuple[str, list[repo.LogEntry]]:
    slug = ws.resolve(name)
    if not repo.is_repo(ws.root):
        raise WorkspaceError(
            _("{root} is not in a git repository, so there is no history to show.").format(root=ws.root),
            hint=_("Run 'git init' to start one."),
        )
    entries = repo.log(ws.root, ws.tank_dir(slug))
    # a renamed tank's history goes on under its old short name, up to the rename
    folders, seen = [ws.tank_dir(slug)], {slug}
    while folders and len(seen) < 20:
        for sha, old in repo.renames(ws.root, folders.pop()):
            if is_slug(old) and old not in seen:
                seen.add(old)
                entries += repo.log(ws.root, ws.tanks / old, until=f"{sha}^")
                folders.append(ws.tanks / old)
    return slug, entries


def edit_note(
    ws: Workspace, name: str, fase: Fase | None, run_editor: Callable[[Path], None], *, commit: bool = True
) -> Change:
    """Open a phase note (the current phase by default) in the editor; commit it when it changed."""
    slug = ws.resolve(name)
    path = ws.record_path(slug)
    tank = store.load_record(path, ws.rel(path))
    fase = fase or tank.fase
    if fase.nummer > tank.fase.nummer:
        raise UsageError(
            _("Tank {slug} is in {current}; the note for {fase} starts when the tank gets there.").format(
                slug=slug, current=tank.fase.value, fase=fase.value
            )
        )
    note = ws.note_path(slug, fase)
    with store.lock(ws):
        _can_commit(ws, commit)
        created = store.write_new(note, notes.render(ws, fase, tank.naam, slug, today()))
    label = ws.rel(note)
    before = store.read_bytes(note, label)
    run_editor(note)
    changed = created or store.read_bytes(ws.note_path(slug, fase), label) != before
    summary = _("note {file} edited").format(file=note.name)
    lines = _still_empty(ws, slug, fase)
    if not (changed and commit):
        return Change(slug, summary, changed, lines=lines)
    with store.lock(ws):
        refuse_unfinished(ws)  # a sync that stopped at a clash while the editor was open: the note stays as written
        sha, notices = _commit(ws, slug, [note], "edit", summary, {"Fase": fase.value})
    return Change(slug, summary, True, sha, notices, lines)


def _still_empty(ws: Workspace, slug: str, fase: Fase) -> list[str]:
    """After editing: which required sections of the note are still empty, or that none is."""
    gap = notes.check(ws, slug, fase)
    if not gap.exists:
        return []
    if not gap.empty_sections:
        return [_("Every required section of the note is filled in.")]
    return [
        _("Still empty, and needed before {fase} is done: {sections}.").format(
            fase=fase.value, sections=", ".join(f"'{h}'" for h in gap.empty_sections)
        )
    ]


#: a note is prose of a few pages; this much is not one (and is refused before anything is written)
MAX_NOTE = 1024 * 1024


def note_basis(raw: bytes | None) -> str:
    """What an editor started from, as it sends it back with a save: the hash of the note's bytes ('' when absent)."""
    import hashlib

    return hashlib.sha256(raw if raw is not None else b"").hexdigest()


class NoteChanged(WorkspaceError):
    """The note changed since the editor opened it: saving would overwrite someone else's words."""

    def __init__(self, message: str, current: str, basis: str) -> None:
        super().__init__(message)
        self.current = current  # the note as it is now
        self.basis = basis  # its hash, to save over it once a person has merged both


@dataclass
class NoteDraft:
    """The current phase's note as an editor opens it: its text (the template's when the note is absent), the hash
    to send back, and the required sections of its template."""

    slug: str
    fase: Fase
    file: str
    text: str
    basis: str
    exists: bool
    required: list[str]
    empty: list[str]


def _note_text(raw: bytes, label: str) -> str:
    """A note's text; unlike a record, a note with git's conflict markers opens, so that a person can settle it."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return store.decode(raw, label)  # raises the one clear error naming the file and line


def _plain_file(ws: Workspace, path: Path) -> bool:
    """Whether a note is there to read. `path` came from ws.note_path, the workspace boundary: a link out of tanks/,
    a FIFO or a device was refused there already (a FIFO would block the server for good); a folder is refused when
    it is read."""
    return path.exists()


def read_note(ws: Workspace, name: str) -> NoteDraft:
    slug = ws.resolve(name)
    path = ws.record_path(slug)
    tank = store.load_record(path, ws.rel(path))
    note = ws.note_path(slug, tank.fase)
    raw = store.read_bytes(note, ws.rel(note), MAX_NOTE) if _plain_file(ws, note) else None
    if raw is not None:
        text = _note_text(raw, ws.rel(note))
    else:
        text = notes.render(ws, tank.fase, tank.naam, slug, today())
    required = notes.required_sections(notes.template_text(ws, tank.fase))
    empty = notes.empty_sections(required, text) if raw is not None else required
    return NoteDraft(slug, tank.fase, ws.rel(note), text, note_basis(raw), raw is not None, required, empty)


def save_note(ws: Workspace, name: str, tekst: str, basis: str, *, commit: bool = True) -> Change:
    """Write the current phase's note as one change (one commit, trailers as `edit`), but only over the text the
    writer started from: a note changed since (by a colleague, a sync, an editor) is refused with both versions."""
    slug = ws.resolve(name)
    text = tekst.replace("\r\n", "\n").replace("\r", "\n")  # a browser sends CRLF whatever the file holds
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in text):
        raise UsageError(_("The note holds control characters; remove them and save again."))
    if not text.strip():
        raise UsageError(_("The note is empty; nothing was saved."))
    if not text.endswith("\n"):
        text += "\n"
    if len(text.encode("utf-8")) > MAX_NOTE:
        raise UsageError(
            _("The note is larger than {limit} MB; nothing was saved.").format(limit=MAX_NOTE // 1024 // 1024)
        )
    _can_commit(ws, commit)
    with store.lock(ws):
        path = ws.record_path(slug)
        tank = store.load_record(path, ws.rel(path))
        note = ws.note_path(slug, tank.fase)
        raw = store.read_bytes(note, ws.rel(note), MAX_NOTE) if _plain_file(ws, note) else None
        current = _note_text(raw, ws.rel(note)) if raw is not None else ""
        if note_basis(raw) != basis:
            raise NoteChanged(
                _("{file} changed since you opened it; nothing was saved. Both versions are shown.").format(
                    file=ws.rel(note)
                ),
                current,
                note_basis(raw),
            )
        if raw is not None and b"\r\n" in raw:
            text = text.replace("\n", "\r\n")  # the file's own line endings stay
        if raw is not None and raw.startswith(b"\xef\xbb\xbf"):
            text = "\ufeff" + text
        summary = _("note {file} edited").format(file=note.name)
        if raw is not None and text.encode("utf-8") == raw:
            return Change(slug, summary, False)
        store.atomic_write(note, text)
        sha, notices = _commit(ws, slug, [note], "edit", summary, {"Fase": tank.fase.value}) if commit else (None, [])
    return Change(slug, summary, True, sha, notices)


# --------------------------------------------------------------------------- publishing


def report(ws: Workspace, name: str) -> Report:
    """The report of one tank, as publishable() releases it (a private tank too: it is asked for by name)."""
    from doetank_cli.publish import publishable
    from doetank_cli.publish import report as publish

    (released,) = publishable(ws, [ws.resolve(name)], private=True).tanks
    return publish.build(ws, released, today())


@dataclass
class Agenda:
    data: bytes  # the iCalendar file
    errors: list[DoetankError] = field(default_factory=list)  # records that could not be read: left out, named
    notices: list[str] = field(default_factory=list)


def agenda(ws: Workspace) -> Agenda:
    """The dates of every active public tank as iCalendar; a record that cannot be read is left out and named."""
    from doetank_cli.publish import agenda as calendar
    from doetank_cli.publish import publishable

    released = publishable(ws, notes=False, unreadable="skip")
    out = Agenda(b"", released.errors)
    out.data = calendar.calendar(_unique_ids([(r.slug, r.tank) for r in released.tanks], out.notices), today())
    return out


def _unique_ids(pairs: list[tuple[str, Doetank]], notices: list[str]) -> list[tuple[str, Doetank]]:
    """(id, tank) for each (slug, tank); a record copied with its id gets its slug added to it here, and is named."""
    seen: dict[str, str] = {}
    out = []
    for slug, tank in pairs:
        tank_id = record_id(slug, tank)
        if tank_id in seen:
            notices.append(
                _(
                    "{slug} has the same id as {other} (was its folder copied?); delete the line 'id:' from "
                    "tanks/{slug}/doetank.yaml and it gets its own on its next change."
                ).format(slug=slug, other=seen[tank_id])
            )
            tank_id = f"{tank_id}-{slug}"
        seen.setdefault(tank_id, slug)
        out.append((tank_id, tank))
    return out


def site(ws: Workspace, outdir: Path) -> SiteResult:
    """The static site of the public tanks of now, built beside OUTDIR and swapped in whole; a file that cannot be
    read stops it with its name and line, before anything is replaced."""
    from doetank_cli.publish import publishable
    from doetank_cli.publish import report as publish
    from doetank_cli.publish import site as website

    target = website.check_outdir(ws, outdir)
    day = today()
    released = publishable(ws)
    reports = [publish.build(ws, r, day) for r in released.tanks]
    from doetank_cli.publish import agenda as calendar

    dates = calendar.calendar(_unique_ids([(r.slug, r.tank) for r in released.tanks], []), day)
    # the Overzicht page: overview's figures over the tanks publishable() released, and those only (from a current
    # index when there is one: counts and dates, no text; the names on the page are the released ones)
    slugs = [r.slug for r in released.tanks]
    public = index.current(ws, slugs, day, complete=False, findings=False)
    if public is None:
        made = [Summary.of(r.slug, r.tank, rules.evaluate(r.tank, rules.Context(r.slug, day))) for r in released.tanks]
        public = Overview(day, made, [])
    figures = network.figures(public, index.last_changes(ws, public.tanks))
    return website.write(
        target, reports, day, released.left_out, dates, shown=outdir.expanduser().absolute(), figures=figures
    )
