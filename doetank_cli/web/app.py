"""The routes of `doetank serve`: parse the form, call the same lifecycle function as the command line, render.

As thin as cli.py and commands/: every change is one call of the function the CLI calls (the same rules, lock, commit
and trailers), made in the name of the person the browser said it is. Every page checks the workspace afresh: what
is kept between requests (the scan of tanks/, the index's snapshot, the board made of it) is used only while the
folder and every record are exactly what it was made of.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from doetank_cli import __version__, i18n, index, lifecycle, render, repo, rules, workspace
from doetank_cli.errors import DoetankError, UsageError
from doetank_cli.i18n import N_, _, ngettext
from doetank_cli.model import FASES, Fase, Herkomst, Kanaal, Rol, Sector, Status, UpdateKanaal
from doetank_cli.web import access, forms, views
from doetank_cli.web.actions import ACTIONS, Outcome, Unavailable, outcome_of, status_of
from doetank_cli.web.forms import Form
from doetank_cli.web.guard import RETRY, Guard, Settings
from doetank_cli.workspace import Workspace, is_slug

HERE = Path(__file__).parent
STATIC = {
    "doetank.css": "text/css; charset=utf-8",
    "doetank.js": "text/javascript; charset=utf-8",
    "favicon.svg": "image/svg+xml",
}
PERSON_COOKIE = "doetank_person"
#: the address part for a conflict in a file of no tank (.gitattributes, templates/): never a slug, so never a tank
WORKSPACE_FILES = "_"
FLASH_COOKIE = "doetank_flash"


class NotFound(Exception):
    pass


@dataclass
class Ctx:
    request: Request
    ws: Workspace
    session: str
    person: tuple[str, str] | None
    flash: dict[str, Any] | None

    @property
    def author(self) -> repo.Author | None:
        return repo.Author(*self.person) if self.person else None


# --------------------------------------------------------------------------- the application


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=True,  # every value is escaped unless it is Markup made by our own code
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pair"] = lambda value: (value, value)
    env.filters["kanaal"] = i18n.kanaal_label  # 'LinkedIn', as the CLI and the site write it
    env.filters["kanaal_pair"] = lambda value: (value, i18n.kanaal_label(value))
    # the history as `doetank log` says it: what happened in words (never a commit's raw subject), the day written out
    env.filters["wat"] = render.what_happened
    env.filters["met_tank"] = render.with_tank
    env.filters["dag"] = render.log_date
    env.globals.update(
        _=_,
        ngettext=ngettext,
        datum=i18n.datum,
        lang=i18n.LANGUAGE,
        version=__version__,
        FASES=FASES,
        Rol=Rol,
        Sector=Sector,
        Herkomst=Herkomst,
        Kanaal=Kanaal,
        UpdateKanaal=UpdateKanaal,
        Status=Status,
        ATTENTION=views.ATTENTION,
        ERNST=views.ERNST,
        WORKSPACE_FILES=WORKSPACE_FILES,
        # deciding conflicts is issue #12's core: its menu item shows once that module is there
        has_resolve=importlib.util.find_spec("doetank_cli.resolve") is not None,
        has_lessons=importlib.util.find_spec("doetank_cli.lessons") is not None,
        has_search=importlib.util.find_spec("doetank_cli.search") is not None,
        SOORT={
            "werkt": N_("What works"),
            "werkt-niet": N_("What does not work"),
            "anders": N_("What we would do differently"),
            "gestopt": N_("Why tanks stopped"),
        },
        rule_choices=views.rule_choices,
        GATE_RULE=rules.GATE_RULE,
    )
    return env


def _core(module: str, what: str, issue: str) -> Any:
    """A core module another issue builds (resolve, lessons, search), once it is there; until then a page says so."""
    try:
        return importlib.import_module(f"doetank_cli.{module}")
    except ImportError:
        raise Unavailable(what, issue) from None


def _resolve() -> Any:
    return _core("resolve", _("Deciding conflicts in the browser"), "#12")


def _local(path: str) -> str:
    """A path on this server to send the browser back to; anything else (another site, '//host') is the board."""
    if not path.startswith("/") or path.startswith("//") or "\\" in path or any(ord(ch) < 32 for ch in path):
        return "/"
    return path


class Web:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.env = environment()
        self.ws = Workspace(Path(settings.root))
        # the board asks for every tank on every request: the scan of tanks/ and the index's snapshot are kept between
        # requests, and still checked against the folder and every record each time
        workspace.remember_scans()
        index.remember_snapshots()

    # ----------------------------------------------------------------------- plumbing

    def ctx(self, request: Request) -> Ctx:
        state = request.scope.get("state", {})
        flash = self.settings.keys.unsign(request.cookies.get(FLASH_COOKIE))
        return Ctx(
            request,
            self.ws,
            state.get("session", ""),
            access.decode_person(request.cookies.get(PERSON_COOKIE)),
            flash if isinstance(flash, dict) and isinstance(flash.get("text"), str) else None,
        )

    def render(self, ctx: Ctx, name: str, status: int = 200, **values: Any) -> HTMLResponse:
        request = ctx.request
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        common = {
            "csrf": self.settings.keys.csrf(ctx.session) if ctx.session else "",
            "person": ctx.person,
            "flash": ctx.flash,
            "terug": _local(here) if request.method == "GET" else "/",
            "nav": "",
            "failed": None,
            "values": {},
            "error": "",
        }
        html = self.env.get_template(name).render({**common, **values})
        response = HTMLResponse(html, status)
        if ctx.flash is not None:
            response.delete_cookie(FLASH_COOKIE, httponly=True, samesite="strict")
        return response

    def redirect(self, url: str, outcome: Outcome) -> Response:
        response = RedirectResponse(url + outcome.anchor, status_code=303)
        flash = asdict(outcome)
        del flash["slug"]
        flash["text"] = flash["text"][:600]
        flash["notices"] = [n[:400] for n in flash["notices"][:4]]
        response.set_cookie(FLASH_COOKIE, self.settings.keys.sign(flash), httponly=True, samesite="strict")
        return response

    def message(self, ctx: Ctx, title: str, text: str, status: int, hint: str | None = None) -> HTMLResponse:
        return self.render(ctx, "message.html", status, title=title, text=text, hint=hint)

    def problem(self, ctx: Ctx, exc: DoetankError) -> HTMLResponse:
        return self.message(ctx, _("That did not work"), exc.message, status_of(exc), exc.hint)

    def _run(self, handler: Callable[..., Response], request: Request, form: Form | None) -> Response:
        """One request's work, in a worker thread: in the person's name, with every error a page of its own."""
        ctx = self.ctx(request)
        try:
            with repo.authored_by(ctx.author):
                return handler(ctx) if form is None else handler(ctx, form)
        except NotFound:
            return self.not_found(ctx)
        except Unavailable as exc:
            return self.unavailable(ctx, exc)
        except DoetankError as exc:
            return self.problem(ctx, exc)
        except Exception as exc:
            return self.crashed(ctx, exc)

    def crashed(self, ctx: Ctx, exc: Exception) -> HTMLResponse:
        """A bug while answering: the report kept under the workspace's .doetank/ as the CLI keeps it (framework), one
        line in the server's window, and a page that says so in one sentence and where the file is."""
        from doetank_cli import framework

        request = ctx.request
        kept = framework.keep_crash(exc, ctx.ws.root, f"doetank serve: {request.method} {request.url.path}")
        if kept is None:  # not even the temp folder could take it: the window is the only place left
            where = _("The details are in the window where doetank serve runs; please pass them on.")
        else:
            try:
                shown = kept.relative_to(ctx.ws.root).as_posix()
                where = _("The details are in {file} in the workspace; please send that file to whoever looks after "
                          "doetank.").format(file=shown)  # fmt: skip
            except ValueError:  # the temp folder: its name only (the page may be seen on another computer)
                where = _("The details are in {file} in the temp folder of the computer that runs doetank serve; "
                          "please send that file to whoever looks after doetank.").format(file=kept.name)  # fmt: skip
        sys.stderr.write(
            (
                _("doetank serve: an unexpected error (a bug) while answering {path}:").format(path=request.url.path)
                if kept is None
                else _(
                    "doetank serve: an unexpected error (a bug) while answering {path}; the details are in {file}."
                ).format(path=request.url.path, file=kept)
            )
            + "\n"
            + ("".join(traceback.format_exception(exc)) if kept is None else "")
        )
        return self.message(
            ctx,
            _("An unexpected error"),
            _("This is a bug in doetank, not something you did.")
            if request.method == "GET"
            else _(
                "This is a bug in doetank, not something you did; see whether your change was saved before you try "
                "again."
            ),
            500,
            where,
        )

    def get(self, handler: Callable[[Ctx], Response]) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            return await run_in_threadpool(self._run, handler, request, None)

        return endpoint

    def post(self, handler: Callable[[Ctx, Form], Response]) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            body = b""
            async for chunk in request.stream():
                body += chunk
                if len(body) > forms.MAX_BODY:
                    return self.message(self.ctx(request), _("Too much at once"), _("The form is too large."), 413)
            try:
                fields = forms.parse(body, request.headers.get("content-type", ""))
            except forms.BadForm:
                return self.message(self.ctx(request), _("That did not work"), _("The form could not be read."), 400)
            session = request.scope.get("state", {}).get("session")
            if not self.settings.keys.csrf_ok(session, fields.get("csrf")):
                return self.message(
                    self.ctx(request),
                    _("The form has expired"),
                    _("Nothing was changed: the form was not one this page gave out (or the server restarted)."),
                    403,
                    _("Go back, reload the page, and try again."),
                )
            return await run_in_threadpool(self._run, handler, request, Form(fields))

        return endpoint

    def not_found(self, ctx: Ctx) -> HTMLResponse:
        return self.message(
            ctx, _("Not found"), _("There is no page at this address."), 404, _("The board lists every tank.")
        )

    def unavailable(self, ctx: Ctx, exc: Unavailable) -> HTMLResponse:
        return self.message(
            ctx,
            _("Not in this version yet"),
            _("{what} is not part of this version of doetank yet; it is being built (issue {issue}).").format(
                what=exc.what, issue=exc.issue
            ),
            501,
        )

    def _slug(self, ctx: Ctx) -> str:
        """The tank the address names: exactly a tank's slug, in tanks/ (a folder linked outside is no tank here)."""
        slug = str(ctx.request.path_params.get("slug", ""))
        try:
            if is_slug(slug) and ctx.ws.record_path(slug).is_file():
                return slug
        except DoetankError:
            pass
        raise NotFound

    def gate_page(self, kind: str, extra: str, status: int) -> str:
        """The pages the guard answers with itself, before any route or cookie: no forms on them."""
        texts = {
            "bad-host": (_("Wrong address"), _("This server does not answer to that address.")),
            "cross-site": (_("Refused"), _("Another web site tried to make a change here; nothing was changed.")),
            "token": (
                _("This needs the link with the token"),
                _("Open the link you were given (it ends in ?token=...), or ask the person who started the server."),
            ),
            "welcome": (_("Welcome"), _("You can now use this server. Opening the page...")),
        }
        title, text = texts[kind]
        return self.env.get_template("gate.html").render(title=title, text=text, target=extra, status=status)

    # ----------------------------------------------------------------------- pages

    def board(self, ctx: Ctx) -> Response:
        query = dict(ctx.request.query_params)
        filters = views.Filters.of(query)
        board = views.board(ctx.ws, filters)
        if board.html is None:  # a board made just now; a kept one has its HTML already
            # rendered by the autoescaping environment, like every page
            board.html = Markup(self.env.get_template("board_columns.html").render(board=board, filters=filters))  # noqa: S704
        return self.render(ctx, "board.html", board=board, filters=filters, nav="board")

    def tank(self, ctx: Ctx) -> Response:
        return self._tank_page(ctx, self._slug(ctx))

    def _tank_page(
        self,
        ctx: Ctx,
        slug: str,
        failed: str | None = None,
        form: Form | None = None,
        error: str = "",
        status: int = 200,
    ) -> Response:
        return self.render(
            ctx,
            "tank.html",
            status,
            page=views.tank_page(ctx.ws, slug),
            failed=failed,
            values=form.fields if form else {},
            error=error,
            terug=f"/tanks/{slug}",
        )

    def tank_action(self, ctx: Ctx, form: Form) -> Response:
        slug = self._slug(ctx)
        actie = str(ctx.request.path_params.get("actie", ""))
        if actie == "notitie":
            return self.save_note(ctx, form, slug)
        handler = ACTIONS.get(actie)
        if handler is None:
            raise NotFound
        try:
            outcome = handler(ctx.ws, slug, form)
        except DoetankError as exc:
            message = exc.message + (f" {exc.hint}" if exc.hint else "")
            return self._tank_page(ctx, slug, actie, form, message, status_of(exc))
        return self.redirect(f"/tanks/{outcome.slug or slug}", outcome)

    def note(self, ctx: Ctx) -> Response:
        draft = lifecycle.read_note(ctx.ws, self._slug(ctx))
        return self.render(ctx, "note.html", draft=draft, tekst=draft.text, basis=draft.basis, theirs=None)

    def save_note(self, ctx: Ctx, form: Form, slug: str) -> Response:
        tekst = form.raw("tekst")
        try:
            change = lifecycle.save_note(ctx.ws, slug, form.text("tekst", _("The note")) or "", form.raw("basis"))
        except lifecycle.NoteChanged as exc:
            draft = lifecycle.read_note(ctx.ws, slug)
            return self.render(
                ctx, "note.html", 409, draft=draft, tekst=tekst, basis=exc.basis, theirs=exc.current, error=exc.message
            )
        except DoetankError as exc:
            draft = lifecycle.read_note(ctx.ws, slug)
            return self.render(
                ctx,
                "note.html",
                status_of(exc),
                draft=draft,
                tekst=tekst,
                basis=form.raw("basis"),
                theirs=None,
                error=exc.message,
            )
        return self.redirect(f"/tanks/{slug}", outcome_of(change))

    def new_form(self, ctx: Ctx) -> Response:
        return self.render(ctx, "new.html", nav="nieuw")

    def new(self, ctx: Ctx, f: Form) -> Response:
        try:
            spec = lifecycle.NewTank(
                naam=f.required("naam", _("Name")),
                probleem=f.required("vraagstuk", _("Vraagstuk")),
                organisatie=f.required("organisatie", _("Organisation")),
                groter_vraagstuk=f.text("groter_vraagstuk", _("Larger vraagstuk")),
                herkomst=f.choice("herkomst", _("Origin"), Herkomst),
                kanaal=f.choice("kanaal", _("Channel"), Kanaal),
                opdrachtgever=f.text("opdrachtgever", _("Opdrachtgever")),
                opdrachtgever_organisatie=f.text("opdrachtgever_organisatie", _("Organisation of the opdrachtgever")),
                opdrachtgever_sector=f.choice("opdrachtgever_sector", _("Sector of the opdrachtgever"), Sector)
                or Sector.publiek,
                trekker=f.text("trekker", _("Trekker")),
                trekker_organisatie=f.text("trekker_organisatie", _("Organisation of the trekker")),
                einddatum=f.date("einddatum", _("End date")),
            )
            change = lifecycle.new(ctx.ws, spec)
        except DoetankError as exc:
            message = exc.message + (f" {exc.hint}" if exc.hint else "")
            return self.render(
                ctx, "new.html", status_of(exc), values=f.fields, error=message, failed="nieuw", nav="nieuw"
            )
        return self.redirect(f"/tanks/{change.slug}", outcome_of(change))

    def tank_log(self, ctx: Ctx) -> Response:
        slug, entries = lifecycle.history(ctx.ws, self._slug(ctx))
        return self.render(ctx, "log.html", slug=slug, entries=entries, last=views.last_change(ctx.ws), nav="log")

    def network_log(self, ctx: Ctx) -> Response:
        from doetank_cli import sync

        return self.render(
            ctx, "log.html", slug=None, entries=sync.network_log(ctx.ws), last=views.last_change(ctx.ws), nav="log"
        )

    def undo(self, ctx: Ctx, f: Form) -> Response:
        from doetank_cli import sync

        terug = _local(f.raw("terug") or "/log")
        last = views.last_change(ctx.ws)
        if last is None or last.sha != f.raw("laatste"):
            shown = (
                _("nothing")
                if last is None
                else f"{render.with_tank(last.wat)} ({last.wie}, {render.log_date(last.datum)})"
            )
            return self.message(
                ctx,
                _("Someone changed something in the meantime"),
                _("Nothing was undone: the last change is now {change}.").format(change=shown),
                409,
                _("Look at the history again, then decide."),
            )
        result = sync.undo(ctx.ws)
        notices = list(result.notices)
        if result.was_pushed:
            notices.append(_("That change was already shared; synchronise to share the undo too."))
        return self.redirect(
            terug, Outcome(_("Undone: {what}").format(what=render.with_tank(result.undone)), notices=notices)
        )

    def sync_page(self, ctx: Ctx) -> Response:
        return self.render(ctx, "sync.html", result=None, error=None, nav="sync")

    def sync(self, ctx: Ctx, f: Form) -> Response:
        from doetank_cli import sync

        try:
            result = sync.sync(ctx.ws)
        except DoetankError as exc:
            return self.render(ctx, "sync.html", status_of(exc), result=None, error=exc, nav="sync")
        return self.render(ctx, "sync.html", 409 if result.conflicts else 200, result=result, error=None, nav="sync")

    def who_page(self, ctx: Ctx) -> Response:
        return self.render(ctx, "who.html", nav="wie")

    def who(self, ctx: Ctx, f: Form) -> Response:
        terug = _local(f.raw("terug") or "/")
        if f.flag("vergeet"):
            response = RedirectResponse(terug, status_code=303)
            response.delete_cookie(PERSON_COOKIE, httponly=True, samesite="lax")
            return response
        naam, email = " ".join(f.raw("naam").split()), f.raw("email").strip()
        problem = access.person_problem(naam, email)
        if problem:
            return self.render(ctx, "who.html", 400, error=problem, values=f.fields, failed="wie", nav="wie")
        response = RedirectResponse(terug, status_code=303)
        response.set_cookie(
            PERSON_COOKIE, access.encode_person(naam, email), max_age=365 * 86400, httponly=True, samesite="lax"
        )
        return response

    def conflicts(self, ctx: Ctx) -> Response:
        resolve = _resolve()
        return self.render(ctx, "conflicts.html", found=resolve.conflicts(ctx.ws), nav="conflicten")

    def decide(self, ctx: Ctx, f: Form) -> Response:
        """One decision: a clash of a record (yours, the server's, a new value), or a file as a whole."""
        slug = str(ctx.request.path_params.get("slug", ""))
        resolve = _resolve()
        path = f.raw("bestand")
        found = {c.path: c for c in resolve.conflicts(ctx.ws).files}
        if path not in found or (found[path].slug or WORKSPACE_FILES) != slug:
            raise NotFound  # only a file this merge left undecided, of the tank the address names
        try:
            if f.raw("veld"):
                choice = resolve.Choice(f.raw("keuze")) if f.raw("keuze") in {c.value for c in resolve.Choice} else None
                if choice is None:
                    raise UsageError(_("Choose yours, the server's, or a new value."))
                value = f.text("waarde", _("New value"), required=choice == resolve.Choice.value)
                resolve.decide(ctx.ws, path, f.raw("veld"), choice, value)
                text = _("{field} in {file} decided.").format(field=f.raw("veld"), file=path)
            else:
                keep = f.raw("behoud")
                if keep not in {k.value for k in resolve.Keep}:
                    raise UsageError(_("Choose both versions, yours, or the server's."))
                resolve.decide_note(ctx.ws, path, resolve.Keep(keep))
                text = _("{file} decided.").format(file=path)
        except DoetankError as exc:
            return self.render(
                ctx, "conflicts.html", status_of(exc), found=resolve.conflicts(ctx.ws), error=exc.message,
                failed=path, nav="conflicten",
            )  # fmt: skip
        return self.redirect("/conflicten", Outcome(text))

    def finish(self, ctx: Ctx, f: Form) -> Response:
        resolve = _resolve()
        done = resolve.finish(ctx.ws)
        notices = list(done.notices)
        if done.unshared:
            notices.append(_("Synchronise to share the decisions with the team."))
        text = _("The merge is finished") + (
            f" {_('(saved as change {sha})').format(sha=done.sha)}" if done.sha else ""
        )
        return self.redirect("/sync" if done.unshared else "/", Outcome(text, notices=notices))

    def lessons(self, ctx: Ctx) -> Response:
        network = _core("lessons", _("The network's lessons"), "#17")
        fase = ctx.request.query_params.get("fase", "")
        chosen = Fase(fase) if fase in {f.value for f in FASES} else None
        found = network.collect(ctx.ws, chosen)
        by_soort: dict[str, list[Any]] = {soort: [] for soort in network.SOORTEN}
        for lesson in found.lessons:
            by_soort.setdefault(lesson.soort, []).append(lesson)
        return self.render(
            ctx,
            "lessons.html",
            by_soort=by_soort,
            unread=found.unread,
            fase=chosen.value if chosen else "",
            nav="lessen",
        )

    def search(self, ctx: Ctx) -> Response:
        full_text = _core("search", _("Search"), "#17")
        query = " ".join(ctx.request.query_params.get("q", "").split())[:200]
        hits = full_text.search(ctx.ws, query, 50) if query else []
        return self.render(ctx, "search.html", query=query, hits=hits, nav="zoek")

    def overview(self, ctx: Ctx) -> Response:
        """The network at a glance: the figures of `doetank overview`, worked out as it does (kept in the index beside
        the rows they come from, while those rows, the day and the history are the same), drawn as the site's
        Overzicht page draws them, over every tank of the workspace, each linked to its page here."""
        from doetank_cli import network
        from doetank_cli.publish import site

        ov = network.overview(ctx.ws, findings=False)
        figures = network.overview_figures(ctx.ws, ov)
        body = site.overview_body(figures, {s.slug: s.naam for s in ov.tanks}, lambda slug: f"/tanks/{slug}")
        return self.render(
            ctx,
            "overview.html",
            body=Markup(body),  # noqa: S704  (built by publish/site.py, which escapes every value it puts in)
            errors=ov.errors,
            today=figures.today,
            nav="overzicht",
        )


async def _static(request: Request) -> Response:
    name = str(request.path_params.get("name", ""))
    if name not in STATIC:
        raise HTTPException(404)
    return Response((HERE / "static" / name).read_bytes(), media_type=STATIC[name])


def create_app(settings: Settings) -> ASGIApp:
    web = Web(settings)

    async def not_found(request: Request, exc: Exception) -> Response:
        # a GET of an address that only takes a form (405) is, to a person, no page at all
        return web.not_found(web.ctx(request))

    routes = [
        Route("/", web.get(web.board), methods=["GET"]),
        Route("/nieuw", web.get(web.new_form), methods=["GET"]),
        Route("/nieuw", web.post(web.new), methods=["POST"]),
        Route("/tanks/{slug}", web.get(web.tank), methods=["GET"]),
        Route("/tanks/{slug}/notitie", web.get(web.note), methods=["GET"]),
        Route("/tanks/{slug}/log", web.get(web.tank_log), methods=["GET"]),
        Route("/tanks/{slug}/{actie}", web.post(web.tank_action), methods=["POST"]),
        Route("/log", web.get(web.network_log), methods=["GET"]),
        Route("/undo", web.post(web.undo), methods=["POST"]),
        Route("/sync", web.get(web.sync_page), methods=["GET"]),
        Route("/sync", web.post(web.sync), methods=["POST"]),
        Route("/conflicten", web.get(web.conflicts), methods=["GET"]),
        Route("/conflicten", web.post(web.finish), methods=["POST"]),
        Route("/conflicten/{slug}", web.post(web.decide), methods=["POST"]),
        Route("/lessen", web.get(web.lessons), methods=["GET"]),
        Route("/zoek", web.get(web.search), methods=["GET"]),
        Route("/overzicht", web.get(web.overview), methods=["GET"]),
        Route("/wie", web.get(web.who_page), methods=["GET"]),
        Route("/wie", web.post(web.who), methods=["POST"]),
        Route("/static/{name}", _static, methods=["GET"]),
    ]
    app = Starlette(routes=routes, exception_handlers={404: not_found, 405: not_found})
    return Guard(app, settings, web.gate_page)


__all__ = ["RETRY", "Settings", "create_app"]
