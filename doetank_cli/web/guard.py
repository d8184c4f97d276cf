"""The gate every request passes before a route sees it: the Host it names, the token, a cross-site POST, the session
cookie (for CSRF tokens) and the security headers of every answer, error pages included."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from doetank_cli.web import access

#: no script but our own file, no inline script or event handler, no style attribute, nothing from elsewhere
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",  # no-referrer would make the browser send "Origin: null" with our own forms
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}
RETRY = "toegang"  # the query mark of the one automatic retry of a page opened from another site


@dataclass(frozen=True)
class Settings:
    """What one server answers for: the workspace, where it listens, the names it answers to, its secrets."""

    root: str
    port: int
    hosts: frozenset[str]
    keys: access.Keys

    @property
    def access_cookie(self) -> str:
        return f"doetank_access_{self.port}"

    @property
    def session_cookie(self) -> str:
        return f"doetank_session_{self.port}"


class Guard:
    def __init__(self, app: ASGIApp, settings: Settings, page: Callable[[str, str, int], str]) -> None:
        self.app = app
        self.settings = settings
        self.page = page  # (title, message, status) -> a standalone HTML page
        self.refused: set[str] = set()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        s = self.settings
        host = request.headers.get("host")
        cookies = request.cookies
        if not access.host_ok(host, s.hosts, s.port):
            self._say_refused(host or "")
            await self._answer(scope, receive, send, "bad-host", 400)
            return
        if request.method not in ("GET", "HEAD") and self._cross_site(request):
            await self._answer(scope, receive, send, "cross-site", 403)
            return
        extra_cookies: list[str] = []
        if s.keys.token is not None and not s.keys.access_ok(cookies.get(s.access_cookie)):
            given = request.query_params.get("token")
            if request.method == "GET" and given is not None and s.keys.token_ok(given):
                # a page of our own that moves on: a redirect would keep the other site as the initiator, and the
                # SameSite=Strict cookie would not be sent on the very next request
                target = _without(request, "token")
                response = HTMLResponse(self.page("welcome", target, 200), 200)
                response.set_cookie(
                    s.access_cookie, s.keys.access(), max_age=30 * 86400, httponly=True, samesite="strict"
                )
                await self._send(response, scope, receive, send)
                return
            retry = request.method == "GET" and given is None and request.query_params.get(RETRY) is None
            target = _with(request, RETRY, "1") if retry else ""
            await self._answer(scope, receive, send, "token", 401, target)
            return
        session = cookies.get(s.session_cookie)
        if not session or len(session) > 64:
            session = access.new_session()
            cookie: SimpleCookie = SimpleCookie()
            cookie[s.session_cookie] = session
            morsel = cookie[s.session_cookie]
            morsel["path"] = "/"
            morsel["httponly"] = True
            morsel["samesite"] = "Lax"
            extra_cookies.append(cookie.output(header="").strip())
        scope.setdefault("state", {})["session"] = session

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                _secure(headers, scope["path"])
                for value in extra_cookies:
                    headers.append("set-cookie", value)
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _cross_site(self, request: Request) -> bool:
        """A POST a page of another site made: browsers say so in Sec-Fetch-Site and Origin."""
        if request.headers.get("sec-fetch-site") == "cross-site":
            return True
        origin = request.headers.get("origin")
        if origin is None:
            return False
        parts = urlsplit(origin)
        return origin == "null" or not access.host_ok(parts.netloc, self.settings.hosts, self.settings.port)

    def _say_refused(self, host: str) -> None:
        """Tell the person who started the server, once per name, how to let a name in that they do use."""
        shown = "".join(ch for ch in host if ch.isprintable())[:100]
        if shown in self.refused or len(self.refused) > 20:
            return
        self.refused.add(shown)
        from doetank_cli.i18n import _

        sys.stderr.write(
            _(
                "Refused a request for '{host}': not an address of this server. If people reach it under that name, "
                "start it again with --allowed-host {name}."
            ).format(host=shown, name=shown.rsplit(":", 1)[0] or "NAME")
            + "\n"
        )

    async def _answer(
        self, scope: Scope, receive: Receive, send: Send, kind: str, status: int, extra: str = ""
    ) -> None:
        await self._send(HTMLResponse(self.page(kind, extra, status), status), scope, receive, send)

    async def _send(self, response: Response, scope: Scope, receive: Receive, send: Send) -> None:
        _secure(response.headers, scope["path"])
        await response(scope, receive, send)


def _secure(headers: MutableHeaders, path: str) -> None:
    for key, value in HEADERS.items():
        headers[key] = value
    headers["cache-control"] = "no-cache" if path.startswith("/static/") else "no-store"


def _path(request: Request) -> str:
    """The request's own path, quoted, and never '//host' (which a browser reads as another site)."""
    return "/" + quote(request.url.path.lstrip("/"), safe="/-_.~")


def _without(request: Request, key: str) -> str:
    rest = [(k, v) for k, v in parse_qsl(request.url.query, keep_blank_values=True) if k != key]
    return _path(request) + (f"?{urlencode(rest)}" if rest else "")


def _with(request: Request, key: str, value: str) -> str:
    rest = [*parse_qsl(request.url.query, keep_blank_values=True), (key, value)]
    return f"{_path(request)}?{urlencode(rest)}"
