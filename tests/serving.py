"""A real `doetank serve` in a thread of the test process, and a plain HTTP client (http.client) that sends exactly
what it is told: any Host header, any raw path, cookies kept as a browser keeps them."""

from __future__ import annotations

import http.client
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from email.message import Message
from pathlib import Path
from urllib.parse import urlencode

from conftest import FILLED_ONTDEKKEN, RECORD, build_tree, git

from doetank_cli import lifecycle
from doetank_cli.web import server as web_server
from doetank_cli.workspace import Workspace


@dataclass
class Reply:
    status: int
    headers: Message
    text: str

    @property
    def location(self) -> str | None:
        return self.headers.get("location")

    def csrf(self) -> str:
        found = re.search(r'name="csrf" value="([^"]+)"', self.text)
        assert found, "no CSRF token on the page"
        return found.group(1)


class Client:
    def __init__(self, port: int, host: str | None = None) -> None:
        self.port = port
        self.host = host if host is not None else f"127.0.0.1:{port}"
        self.cookies: dict[str, str] = {}
        self._csrf: str | None = None

    def request(
        self, method: str, path: str, fields: dict[str, str] | None = None, headers: dict[str, str] | None = None
    ) -> Reply:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        sent = {"Host": self.host}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(fields).encode("utf-8")
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        sent.update(headers or {})
        conn.request(method, path, body=body, headers={k: v for k, v in sent.items() if v is not None})
        response = conn.getresponse()
        text = response.read().decode("utf-8", errors="replace")
        conn.close()
        for cookie in response.headers.get_all("set-cookie") or []:
            name, _sep, rest = cookie.partition("=")
            value = rest.split(";", 1)[0].strip('"')
            if re.search(r"(?i)max-age=0\b|expires=thu, 01 jan 1970", cookie):
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        reply = Reply(response.status, response.headers, text)
        if 'name="csrf"' in text:
            self._csrf = reply.csrf()
        return reply

    def get(self, path: str, **headers: str) -> Reply:
        return self.request("GET", path, headers=headers or None)

    def csrf(self) -> str:
        if self._csrf is None:
            self.get("/")
        assert self._csrf is not None
        return self._csrf

    def post(self, path: str, fields: dict[str, str] | None = None, *, csrf: bool = True, **headers: str) -> Reply:
        data = dict(fields or {})
        if csrf:
            data.setdefault("csrf", self.csrf())
        return self.request("POST", path, data, headers or None)

    def follow(self, reply: Reply) -> Reply:
        assert reply.status == 303, (reply.status, reply.text[:2000])
        assert reply.location is not None
        return self.get(reply.location.split("#", 1)[0])


@contextmanager
def serving(
    ws: Workspace, *, host: str = "127.0.0.1", token: str | None = None, allowed: tuple[str, ...] = ()
) -> Iterator[Client]:
    """The server of `doetank serve` (the same app, settings and uvicorn configuration), on a free port."""
    ready = web_server.prepare(ws, host, 0, True, token, list(allowed))
    thread = threading.Thread(target=ready.server.run, kwargs={"sockets": [ready.sock]}, daemon=True)
    thread.start()
    started = threading.Event()
    for _attempt in range(200):
        if ready.server.started:
            started.set()
            break
        threading.Event().wait(0.02)
    assert started.is_set(), "the server did not start"
    try:
        yield Client(ready.port)
    finally:
        ready.server.should_exit = True
        thread.join(timeout=30)
        ready.sock.close()


def two_clones_that_clash(tmp_path: Path) -> tuple[Workspace, Workspace, Path]:
    """Anna and Bram set a different einddatum on the same tank; Anna shared first, Bram's sync stops at the clash."""
    from doetank_cli import sync

    server = tmp_path / "server.git"
    git(tmp_path, "init", "--quiet", "--bare", str(server))
    lifecycle.init(tmp_path / "anna")
    anna = Workspace(tmp_path / "anna")
    build_tree(anna.root, {"tanks/slimmer/doetank.yaml": RECORD, "tanks/slimmer/01-ontdekken.md": FILLED_ONTDEKKEN})
    git(anna.root, "add", "tanks")
    git(anna.root, "commit", "-qm", "add tank")
    git(anna.root, "remote", "add", "origin", str(server))
    sync.sync(anna)
    git(tmp_path, "clone", "--quiet", str(server), "bram")
    bram = Workspace(tmp_path / "bram")
    sync.sync(bram)
    lifecycle.plan(anna, "slimmer", date(2027, 4, 30), None, None)
    sync.sync(anna)
    lifecycle.plan(bram, "slimmer", date(2027, 5, 31), None, None)
    assert sync.sync(bram).conflicts
    return anna, bram, server
