"""Every screen of a tank's life, as a person sees it: run as a script in one language, prints them as JSON.

    DOETANK_LANG=nl python tests/lifecycle_screens.py WORKDIR > screens.json

The language is fixed when doetank is imported, so each language runs in a process of its own (test_language.py
starts it). The data typed in (names, problems, reasons) is listed in DATA, so that a check of the interface's
words can leave it out: a Dutch name in an English screen is the user's, not the interface's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from doetank_cli.cli import app

DATA = [
    "Slimmer vergaderen",
    "slimmer-vergaderen",
    "Sneller besluiten",
    "sneller-besluiten",
    "Archief op orde",
    "archief-op-orde",
    "Overleggen leveren zelden besluiten op",
    "Hoe komen publieke organisaties sneller tot besluiten?",
    "Gemeente Utrecht",
    "Karin Jansen",
    "Anna de Vries",
    "Bram Peters",
    "Dirk Jansen",
    "Cor Smit",
    "Rijkswaterstaat",
    "Gemeente Zeist",
    "Kennisland",
    "Dr. E. Visser",
    "Wat zegt onderzoek over vergaderlast?",
    "Twee externe adviseurs tot de werving rond is",
    "Opdrachtgever vertrokken",
    "Het team is compleet op papier",
    "Van de 41 agendapunten leidden er 9 tot een besluit.",
    "Van de 41 agendapunten leidden er 9 tot een",  # as search cuts it short
    "Aanvragers wachten langer.",
    "Mandaat is onduidelijk.",
    "Begonnen op",
    "De kern",
    "Waarom is het een probleem, en voor wie?",
    "Het probleem áchter het probleem",
    "Theorie",
    "Praktijk",
    "De interventie",
    "De aanpak",
    "Het experiment",
    "Wat we zagen",
    "Wat werkt niet",
    "Wat werkt",
    "De businesscase",
    "Voor wie",
    "https://www.linkedin.com/posts/slimmer",
    "https://slimmernetwerk.nl/doetanks/slimmer",
    "Test Trekker",
    "overheid",
    "bestaat-niet",
    "31-02-2026",
    "20-11-2026",
    "20 November 2026",
    "30 juni 2027",
    "June 30, 2027",
    "1800-01-01",
    "DT999",
    "--bogus",
    "agendapunten",
    "onvindbaar",
]

FILL = """
import pathlib, sys
path = pathlib.Path(sys.argv[1])
lines = []
for line in path.read_text(encoding="utf-8").splitlines():
    lines.append(line)
    if line.startswith("## "):
        lines.append("Van de 41 agendapunten leidden er 9 tot een besluit.")
path.write_text("\\n".join(lines) + "\\n", encoding="utf-8")
"""


def main(workdir: Path) -> None:
    workdir.mkdir(parents=True, exist_ok=True)
    dutch = os.environ.get("DOETANK_LANG") == "nl"
    kickoff, einddatum = ("20-11-2026", "30 juni 2027") if dutch else ("20 November 2026", "June 30, 2027")
    runner = CliRunner()
    screens: dict[str, str] = {}
    root = workdir / "ws"

    def run(label: str, *args: str, where: Path | None = None) -> None:
        result = runner.invoke(
            app, ["--root", str(where or root), *args] if args[0] != "init" else list(args), prog_name="doetank"
        )
        screens[label] = f"[exit {result.exit_code}]\n" + result.output
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception

    def help_of(command: list[str], label: str) -> None:
        result = runner.invoke(app, [*command, "--help"], prog_name="doetank")
        screens[label] = result.output

    editor = workdir / "fill.py"
    editor.write_text(FILL, encoding="utf-8")
    os.environ["EDITOR"] = f"{sys.executable} {editor}"

    help_of([], "help")
    for info in app.registered_commands:
        if not info.hidden:
            name = info.name or info.callback.__name__  # type: ignore[union-attr]
            help_of([name], f"help {name}")
    for sub in ("add", "set", "remove"):
        help_of(["member", sub], f"help member {sub}")

    run("init", "init", str(root))
    run("status empty", "status")
    slim = "slimmer-vergaderen"
    run(
        "new",
        "new",
        "Slimmer vergaderen",
        "--vraagstuk",
        "Overleggen leveren zelden besluiten op",
        "--organisatie",
        "Gemeente Utrecht",
    )
    run("status one tank", "status")
    run("status TANK new", "status", slim)
    run("advance blocked", "advance", slim)
    run("advance dry-run force", "advance", slim, "--dry-run", "--force", "--reason", "Het team is compleet op papier")
    run("check blocked", "check")
    run(
        "vraagstuk",
        "vraagstuk",
        slim,
        "--groter-vraagstuk",
        "Hoe komen publieke organisaties sneller tot besluiten?",
    )
    run("opdrachtgever", "opdrachtgever", slim, "Karin Jansen", "--organisatie", "Gemeente Utrecht")
    for naam, rol, org, sector in (
        ("Anna de Vries", "trekker", "Gemeente Utrecht", "publiek"),
        ("Bram Peters", "doetanker", "Rijkswaterstaat", "publiek"),
        ("Dirk Jansen", "doetanker", "Gemeente Zeist", "publiek"),
        ("Cor Smit", "coach", "Kennisland", "extern"),
    ):
        run(f"member add {rol}", "member", "add", slim, naam, "--rol", rol, "--organisatie", org, "--sector", sector)
    run(
        "member add second trekker",
        *("member", "add", slim, "Karin Jansen", "--rol", "trekker", "--organisatie", "X", "--sector", "publiek"),
    )
    run("member set", "member", "set", slim, "Dirk Jansen", "--organisatie", "Gemeente Zeist", "--sector", "publiek")
    run("member set nothing", "member", "set", slim, "Dirk Jansen")
    run("member remove unknown", "member", "remove", slim, "Karin Jansen")
    run("kickoff", "kickoff", slim, "--datum", kickoff, "--locatie", "Kennisland")
    run("update linkedin", "update", slim, "--kanaal", "linkedin", "--url", "https://www.linkedin.com/posts/slimmer")
    run("update duplicate", "update", slim, "--kanaal", "linkedin", "--url", "https://www.linkedin.com/posts/slimmer")
    run("update blog", "update", slim, "--kanaal", "blog", "--url", "https://slimmernetwerk.nl/doetanks/slimmer")
    run(
        "consult",
        "consult",
        slim,
        "--expert",
        "Dr. E. Visser",
        "--vraag",
        "Wat zegt onderzoek over vergaderlast?",
    )
    run("consult held", "consult", slim, "--held")
    run("plan", "plan", slim, "--einddatum", einddatum, "--fase", "ontdekken", "--datum", "2027-01-15")
    run("plan in the past", "plan", slim, "--einddatum", "2026-01-15")
    run("plan again", "plan", slim, "--einddatum", "2027-06-30")
    run("waive", "waive", slim, "DT011", "--reason", "Twee externe adviseurs tot de werving rond is")
    run("check with waiver", "check")
    run("waive remove", "waive", slim, "DT011", "--remove")
    run("edit", "edit", slim)
    run("advance passing", "advance", slim)
    run("edit a later phase", "edit", slim, "leren")
    run("status", "status")
    run("status TANK", "status", slim)
    run("check", "check")
    run("rules", "rules")
    run("rules DT010", "rules", "DT010")
    run("log TANK", "log", slim)
    run("report markdown", "report", slim)
    run("report text", "report", slim, "--format", "text")
    run("rename", "rename", slim, "Sneller besluiten")
    snel = "sneller-besluiten"
    run(
        "new archief",
        "new",
        "Archief op orde",
        "--vraagstuk",
        "Overleggen leveren zelden besluiten op",
        "--organisatie",
        "Gemeente Utrecht",
    )
    for n in range(1, 7):
        run(f"advance forced {n}", "advance", "archief", "--force", "--reason", "Het team is compleet op papier")
    run("report finished", "report", "archief")
    run("report finished text", "report", "archief", "--format", "text")
    run("status TANK finished", "status", "archief")
    run("stop", "stop", snel, "--reason", "Opdrachtgever vertrokken")
    run("status TANK stopped", "status", snel)
    run("report stopped", "report", snel)
    run("status after", "status")
    run("lessons", "lessons")
    run("search", "search", "agendapunten")
    run("search nothing", "search", "onvindbaar")
    run("log", "log")
    site = workdir / "site"
    run("site", "site", str(site))
    for page in sorted(site.rglob("*.html")):
        screens[f"site {page.relative_to(site).as_posix()}"] = page.read_text(encoding="utf-8")
    run("undo", "undo")

    # sharing with a server of the team: a bare repository beside the workspace
    server = workdir / "server.git"
    subprocess.run(["git", "init", "--bare", "--quiet", str(server)], check=True)
    subprocess.run(["git", "-C", str(root), "remote", "add", "origin", str(server)], check=True)
    (root / "tanks" / snel / "02-onderzoeken.md").write_text(
        "## Theorie\n\nMandaat is onduidelijk.\n", encoding="utf-8"
    )
    run("sync", "sync")
    run("sync again", "sync")
    run("log after sync", "log", snel)

    # a colleague's clone: both change the end date, the second sync clashes, and resolve decides
    other = workdir / "collega"
    subprocess.run(["git", "clone", "--quiet", str(server), str(other)], check=True)
    run("sync in a new clone", "sync", where=other)
    run("plan here", "plan", snel, "--einddatum", "2027-05-31")
    run("plan there", "plan", snel, "--einddatum", "2027-04-30", where=other)
    run("sync first", "sync")
    run("sync clash", "sync", where=other)
    run("status during a clash", "status", snel, where=other)
    run("change during a clash", "kickoff", snel, "--datum", "2026-12-01", where=other)
    run("resolve", "resolve", "--theirs", where=other)
    run("log after resolve", "log", snel, where=other)

    # mistakes a person makes
    run("error unknown tank", "status", "bestaat-niet")
    run("error unknown option", "status", "--bogus")
    run("error mistyped command", "statsu")
    run("error mistyped command of a group", "member", "ad", snel)
    run(
        "error bad choice",
        "member",
        "add",
        snel,
        "Eva",
        "--rol",
        "doetanker",
        "--organisatie",
        "X",
        "--sector",
        "overheid",
    )
    run("error missing option", "consult", snel)
    run("error missing argument", "new")
    run("error missing arguments", "member", "add")
    run("error bad date", "kickoff", snel, "--datum", "31-02-2026")
    run("error date out of range", "kickoff", snel, "--datum", "1800-01-01")
    run("error unknown rule", "waive", snel, "DT999", "--reason", "Opdrachtgever vertrokken")
    run("error stopped tank", "advance", snel)
    run("error force without reason", "advance", "archief", "--force")
    run("error no workspace", "--root", str(workdir / "nergens"), "status")
    # UTF-8 bytes whatever the code page (the Windows simulation runs with PYTHONIOENCODING=cp1252)
    sys.stdout.buffer.write(json.dumps(screens, ensure_ascii=False, indent=1).encode("utf-8"))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
