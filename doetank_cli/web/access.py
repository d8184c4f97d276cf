"""Who may ask the server what: the addresses it answers to, the token, CSRF tokens and signed cookies. Standard library
only, so that `doetank serve` can refuse a bad --host or --token before the web stack is loaded.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import json
import re
import secrets
import socket
from dataclasses import dataclass

from doetank_cli.i18n import _

DEFAULT_PORT = 8421
#: a token shorter than this is guessable over a network in an afternoon
MIN_TOKEN = 16
_LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})


def _bare(host: str) -> str:
    return host.strip().strip("[]").rstrip(".").lower()


def is_loopback(host: str) -> bool:
    name = _bare(host)
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def is_wildcard(host: str) -> bool:
    """0.0.0.0 or ::, every address of the machine."""
    try:
        return ipaddress.ip_address(_bare(host)).is_unspecified
    except ValueError:
        return False


def token_problem(token: str) -> str | None:
    """Why a token cannot be used, or None."""
    if len(token) < MIN_TOKEN:
        return _("The token is too short: use at least {n} characters, for example {example}").format(
            n=MIN_TOKEN, example=suggest_token()
        )
    if any(ch.isspace() or not ch.isprintable() for ch in token):
        return _("The token may not hold spaces or control characters; for example {example}").format(
            example=suggest_token()
        )
    return None


def suggest_token() -> str:
    return secrets.token_urlsafe(18)


def machine_names() -> set[str]:
    """The names and addresses this machine answers to, as far as it knows them itself (no network is asked)."""
    found = set(_LOOPBACK)
    for name in {socket.gethostname(), socket.getfqdn()}:
        if not name:
            continue
        found.add(_bare(name))
        try:
            infos = socket.getaddrinfo(name, None)
        except OSError:
            continue
        for info in infos:
            found.add(_bare(str(info[4][0]).split("%", 1)[0]))
    return found


def allowed_hosts(host: str, extra: list[str]) -> frozenset[str]:
    """The Host header names a request may carry: loopback names on loopback; beyond it the machine's own names and
    addresses, and the names given with --allowed-host (a name people use that the machine does not know itself)."""
    names = {_bare(host)} | {_bare(e) for e in extra if e.strip()}
    names |= set(_LOOPBACK) if is_loopback(host) else machine_names()
    if is_wildcard(host):
        names.discard(_bare(host))  # nobody browses to 0.0.0.0
    return frozenset(names)


_HOST = re.compile(r"^(?:\[(?P<v6>[0-9a-f:.]+)\]|(?P<name>[a-z0-9.\-_]+))(?::(?P<port>[0-9]{1,5}))?$")


def host_ok(header: str | None, allowed: frozenset[str], port: int) -> bool:
    """Whether a request's Host header names this server: one of `allowed`, at the port it listens on. A page on
    another site that rebinds its own name to this machine sends its own name, and is refused (DNS rebinding)."""
    if not header:
        return False
    found = _HOST.match(header.strip().lower())
    if not found:
        return False
    name = _bare(found.group("v6") or found.group("name") or "")
    given = int(found.group("port")) if found.group("port") else 80
    return name in allowed and given == port


def url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


# --------------------------------------------------------------------------- tokens and signed values


def _mac(key: bytes, *parts: str) -> str:
    return hmac.new(key, "\0".join(parts).encode("utf-8"), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Keys:
    """The server's secrets: the token people were given (if any), and a random key made at every start."""

    token: str | None
    secret: bytes

    @classmethod
    def new(cls, token: str | None) -> Keys:
        return cls(token, secrets.token_bytes(32))

    def token_ok(self, given: str) -> bool:
        return self.token is not None and hmac.compare_digest(given.encode("utf-8"), self.token.encode("utf-8"))

    def access(self) -> str:
        """The cookie value that stands for the token: derived from it, so it outlives a restart with the same token
        and no longer opens anything once the token changes."""
        assert self.token is not None
        return _mac(self.token.encode("utf-8"), "doetank-access")

    def access_ok(self, cookie: str | None) -> bool:
        return self.token is not None and cookie is not None and hmac.compare_digest(cookie, self.access())

    def csrf(self, session: str) -> str:
        return _mac(self.secret, "csrf", session)

    def csrf_ok(self, session: str | None, given: str | None) -> bool:
        return bool(session and given) and hmac.compare_digest(self.csrf(session or ""), given or "")

    def sign(self, value: object) -> str:
        body = base64.urlsafe_b64encode(json.dumps(value, ensure_ascii=False).encode("utf-8")).decode("ascii")
        return f"{body}.{_mac(self.secret, 'signed', body)}"

    def unsign(self, signed: str | None) -> object:
        if not signed or "." not in signed:
            return None
        body, mac = signed.rsplit(".", 1)
        if not hmac.compare_digest(mac, _mac(self.secret, "signed", body)):
            return None
        try:
            return json.loads(base64.urlsafe_b64decode(body.encode("ascii")))
        except (ValueError, UnicodeDecodeError):
            return None


def new_session() -> str:
    return secrets.token_urlsafe(24)


# --------------------------------------------------------------------------- the person making changes

MAX_NAME = 100
_EMAIL = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+$")


def person_problem(naam: str, email: str) -> str | None:
    """Why a name and e-mail cannot be an author of commits, or None."""
    if not naam.strip():
        return _("Fill in your name.")
    if len(naam) > MAX_NAME or any(not ch.isprintable() for ch in naam) or "<" in naam or ">" in naam:
        return _("A name has at most {n} characters, without < or > or control characters.").format(n=MAX_NAME)
    if email.strip() and (len(email) > 200 or not _EMAIL.match(email.strip())):
        return _("'{email}' is not an e-mail address; leave it empty if you like.").format(email=email)
    return None


def encode_person(naam: str, email: str) -> str:
    raw = json.dumps({"naam": " ".join(naam.split()), "email": email.strip()}, ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii")


def decode_person(cookie: str | None) -> tuple[str, str] | None:
    """The person a cookie names, or None for a missing or unusable one (never an error: it is only a preference)."""
    if not cookie:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(cookie.encode("ascii")))
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict):
        return None
    naam, email = data.get("naam"), data.get("email", "")
    if not isinstance(naam, str) or not isinstance(email, str) or person_problem(naam, email):
        return None
    return naam, email
