"""Running `doetank serve`: bind the port (the next free one when none was asked for), say the address on the first
line of stdout, open the browser, and serve until Ctrl+C. uvicorn with its pure-Python HTTP (h11): the same on
Windows, macOS and Linux, nothing to compile."""

from __future__ import annotations

import contextlib
import errno
import socket
import sys
import threading
import time
import webbrowser
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

from doetank_cli.errors import UsageError, WorkspaceError
from doetank_cli.i18n import _
from doetank_cli.web import access
from doetank_cli.workspace import Workspace

if TYPE_CHECKING:
    import uvicorn

#: without --port: the default, else the next free one of these many (a second serve, or another program)
PORT_TRIES = 10


def bind(host: str, port: int, given: bool) -> socket.socket:
    """A listening socket on host:port; without an explicit --port, the next free port when the default is taken."""
    last: OSError | None = None
    for candidate in [port] if given else range(port, port + PORT_TRIES):
        try:
            family, kind, proto, _name, address = socket.getaddrinfo(host, candidate, type=socket.SOCK_STREAM)[0]
        except socket.gaierror:
            raise UsageError(
                _("--host {host} is not an address or name this machine knows.").format(host=host)
            ) from None
        sock = socket.socket(family, kind, proto)
        # Windows lets another program take a port bound with SO_REUSEADDR; SO_EXCLUSIVEADDRUSE is its safe form
        if hasattr(socket, "SO_EXCLUSIVEADDRUSE"):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_EXCLUSIVEADDRUSE, 1)
        else:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
            sock.listen(128)
        except OSError as exc:
            sock.close()
            last = exc
            if exc.errno in (errno.EADDRNOTAVAIL, getattr(errno, "WSAEADDRNOTAVAIL", -1)):
                raise UsageError(_("--host {host} is not an address of this machine.").format(host=host)) from None
            continue
        sock.set_inheritable(True)
        return sock
    raise WorkspaceError(
        _("Port {port} is in use (another doetank serve, or another program): {said}").format(
            port=port, said=last.strerror if last else ""
        ),
        hint=_("Choose another with --port, for example --port {port}.").format(port=port + PORT_TRIES),
    )


def address(host: str, port: int, token: str | None) -> str:
    """The address people open: this machine's name when it listens on every address, with the token once."""
    shown = socket.gethostname() if access.is_wildcard(host) else host
    url = f"http://{access.url_host(shown)}:{port}/"
    return url + (f"?token={quote(token, safe='')}" if token else "")


def _open_when_up(server: object, url: str) -> None:
    for _attempt in range(100):
        if getattr(server, "started", False):
            with contextlib.suppress(webbrowser.Error):
                webbrowser.open(url)
            return
        time.sleep(0.1)


@dataclass
class Prepared:
    server: uvicorn.Server
    sock: socket.socket
    port: int
    url: str


def prepare(ws: Workspace, host: str, port: int, port_given: bool, token: str | None, allowed: list[str]) -> Prepared:
    """The server, bound and ready to run (tests run it in a thread; `run` in the foreground)."""
    import uvicorn

    from doetank_cli.web.app import create_app
    from doetank_cli.web.guard import Settings

    sock = bind(host, port, port_given)
    port = sock.getsockname()[1]
    settings = Settings(str(ws.root), port, access.allowed_hosts(host, allowed), access.Keys.new(token))
    config = uvicorn.Config(
        create_app(settings),
        http="h11",
        loop="asyncio",
        ws="none",
        lifespan="off",
        log_config=None,
        log_level="warning",
        access_log=False,
        proxy_headers=False,  # nobody in between is trusted to say who asked
        server_header=False,
        timeout_graceful_shutdown=3,
    )
    return Prepared(uvicorn.Server(config), sock, port, address(host, port, token))


def run(
    ws: Workspace, host: str, port: int, port_given: bool, token: str | None, allowed: list[str], browse: bool
) -> None:
    ready = prepare(ws, host, port, port_given, token, allowed)
    out = sys.stdout
    out.write(ready.url + "\n")
    out.write(_("doetank serve: the workspace {root} in your browser. Stop with Ctrl+C.").format(root=ws.root) + "\n")
    if not access.is_loopback(host):
        out.write(_("On this computer: {url}").format(url=address("127.0.0.1", ready.port, token)) + "\n")
        out.write(
            _(
                "Everyone with this link can change the workspace. The connection is not encrypted: use it only on a "
                "network you trust."
            )
            + "\n"
        )
    out.flush()
    if browse:
        local = address("127.0.0.1", ready.port, token) if access.is_wildcard(host) else ready.url
        threading.Thread(target=_open_when_up, args=(ready.server, local), daemon=True).start()
    try:
        ready.server.run(sockets=[ready.sock])
    finally:
        ready.sock.close()
