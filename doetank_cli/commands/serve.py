"""The workspace in a browser: doetank serve. The web stack loads only when this command runs."""

from typing import Annotated

import typer

from doetank_cli.commands.common import app, find_ws
from doetank_cli.errors import UsageError
from doetank_cli.i18n import _


@app.command(
    help=_(
        "Open the workspace in a browser, for the team members who do not use a terminal. Every change goes through "
        "the same rules and is saved as one change in the name of the person who made it.\n\n"
        "Example: doetank serve\n\n"
        "For a team on one server: doetank serve --host 0.0.0.0 --token SECRET (then share the address it prints)."
    )
)
def serve(
    host: Annotated[
        str,
        typer.Option(
            help=_("The address to listen on. Anything but this computer itself (127.0.0.1) needs --token."),
        ),
    ] = "127.0.0.1",
    port: Annotated[
        int | None,
        typer.Option(help=_("The port (default 8421, or the next free one)."), show_default=False),
    ] = None,
    token: Annotated[
        str | None,
        typer.Option(
            envvar="DOETANK_TOKEN",
            help=_("A secret that people open the server with, once, as ?token=... (at least 16 characters)."),
            show_default=False,
        ),
    ] = None,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allowed-host",
            metavar=_("NAME"),
            help=_("Another name people reach this computer by (the server refuses names it does not know)."),
            show_default=False,
        ),
    ] = None,
    no_open: Annotated[bool, typer.Option("--no-open", help=_("Do not open the browser."))] = False,
) -> None:
    from doetank_cli.web import access

    token = token or None
    if port is not None and not 0 <= port <= 65535:
        raise UsageError(_("--port must be a number from 1 to 65535 (or 0: any free port)."))
    if token is None and not access.is_loopback(host):
        raise UsageError(
            _(
                "--host {host} lets other computers in: give a --token (or set DOETANK_TOKEN), so only your team can."
            ).format(host=host),
            hint=_("For example: doetank serve --host {host} --token {token}").format(
                host=host, token=access.suggest_token()
            ),
        )
    if token is not None:
        problem = access.token_problem(token)
        if problem:
            raise UsageError(problem)
    for name in allowed_host or []:
        if not name.strip() or any(ch.isspace() or ch in "/@" for ch in name.strip()):
            raise UsageError(_("--allowed-host {name} is not a host name or address.").format(name=name))
    ws = find_ws()
    from doetank_cli.web import server

    server.run(
        ws,
        host,
        access.DEFAULT_PORT if port is None else port,
        port is not None,
        token,
        allowed_host or [],
        not no_open,
    )
