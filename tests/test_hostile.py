"""Hostile and careless input through the installed `doetank`, as a user (or an attacker) would type it: every run
ends in a sentence and the right exit code, never a traceback, a hang or a file written outside the workspace.
docs/reliability.md lists these cases and names the test of each."""

from __future__ import annotations

import datetime
import enum
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main
from conftest import RECORD, build_tree, git

from doetank_cli import i18n
from doetank_cli.cli import app

pytestmark = pytest.mark.e2e

DOETANK = shutil.which("doetank", path=str(Path(sys.executable).parent)) or shutil.which("doetank")


def doetank(
    cwd: Path, *args: str | bytes, lang: str = "en", env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """The installed doetank in a subprocess; bytes arguments reach it as a terminal in another encoding sends them."""
    assert DOETANK, "doetank is not installed in this environment"
    return subprocess.run(
        [DOETANK, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="backslashreplace",
        env={**os.environ, "DOETANK_LANG": lang, **(env or {})},
        stdin=subprocess.DEVNULL,
        timeout=timeout,
    )


def no_traceback(proc: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr
    assert proc.returncode != 70, proc.stderr


_MADE: dict[str, Path] = {}


@pytest.fixture
def netwerk(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace made by the installed doetank, with one committed tank (made once, copied for each test)."""
    if "netwerk" not in _MADE:
        base = tmp_path_factory.mktemp("made")
        doetank(base, "init", "netwerk")
        root = base / "netwerk"
        build_tree(root, {"tanks/slimmer/doetank.yaml": RECORD, "tanks/slimmer/01-ontdekken.md": "# Slimmer\n"})
        git(root, "add", "tanks")
        git(root, "commit", "-qm", "add tank")
        _MADE["netwerk"] = root
    copy = tmp_path / "netwerk"
    shutil.copytree(_MADE["netwerk"], copy, symlinks=True)
    return copy


# --------------------------------------------------------------------------- every command, arguments left out


def _commands(group: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command of the app, found by walking it: groups such as `member`, and commands added later."""
    for name, command in sorted(group.commands.items()):
        if hasattr(command, "commands"):
            yield from _commands(command, (*path, name))
        else:
            yield (*path, name), command


COMMANDS = list(_commands(typer.main.get_command(app)))


def _sample(param: Any) -> str:
    """A valid value for a parameter, so that only the one left out is missing."""
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", str)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return str(next(iter(annotation)).value)
    if annotation is datetime.date:
        return "2026-12-01"
    return "slimmer"


def _left_out(command: Any) -> Iterator[tuple[list[str], str]]:
    """Argument lists that each lack one required parameter, with the name the error must give."""
    arguments = [p for p in command.params if p.param_type_name == "argument" and p.required]
    options = [p for p in command.params if p.param_type_name == "option" and p.required]
    given_options = [value for p in options for value in (p.opts[0], _sample(p))]
    for index, missing in enumerate(arguments):  # positional: only the last ones can be left out
        yield [_sample(p) for p in arguments[:index]] + given_options, (missing.metavar or missing.name.upper())
    for missing in options:
        others = [value for p in options if p is not missing for value in (p.opts[0], _sample(p))]
        yield [_sample(p) for p in arguments] + others, missing.opts[0]


def test_every_command_is_found_by_walking_the_app() -> None:
    names = {" ".join(path) for path, _command in COMMANDS}
    assert {"advance", "member add", "member remove", "site", "status"} <= names


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _c in COMMANDS])
def test_every_command_with_a_required_argument_left_out_is_a_usage_error(
    netwerk: Path, lang: str, path: tuple[str, ...], command: Any
) -> None:
    if any(p.required for p in command.params):  # without any argument at all (a command that needs none just runs)
        bare = doetank(netwerk, *path, lang=lang)
        no_traceback(bare)
        assert bare.returncode == 2, bare.stderr
    for args, name in _left_out(command):
        proc = doetank(netwerk, *path, *args, lang=lang)
        no_traceback(proc)
        assert proc.returncode == 2, (args, proc.stderr)
        shown = name if lang == "en" or name.startswith("-") else i18n._load(lang).gettext(name)  # MAP for FOLDER
        assert shown in proc.stderr, (args, proc.stderr)
        assert ("Missing" if lang == "en" else "ontbreekt") in proc.stderr, proc.stderr


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["new"], "NAAM"),
        (["new", "Slimmer werken"], "--vraagstuk"),
        (["new", "Slimmer werken", "--vraagstuk", "P"], "--organisatie"),
        (["member", "add", "slimmer", "Eva"], "--rol"),
        (["member", "add", "slimmer", "Eva", "--rol", "doetanker"], "--organisatie"),
        (["member", "add", "slimmer", "Eva", "--rol", "doetanker", "--organisatie", "O"], "--sector"),
    ],
)
def test_values_asked_for_on_a_terminal_are_a_usage_error_without_one(
    netwerk: Path, lang: str, args: list[str], names: str
) -> None:
    proc = doetank(netwerk, *args, lang=lang)
    no_traceback(proc)
    assert proc.returncode == 2 and names in proc.stderr, proc.stderr


# --------------------------------------------------------------------------- helpers for the cases below


def patched(cwd: Path, setup: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """doetank's own entry point in a subprocess, after `setup` has changed the world (a full disk, a bug)."""
    code = f"{setup}\nimport sys\nsys.argv = ['doetank', *sys.argv[1:]]\nfrom doetank_cli.entry import main\nmain()\n"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


def record(root: Path, slug: str = "slimmer") -> Path:
    return root / "tanks" / slug / "doetank.yaml"


def add_tank(root: Path, slug: str, text: str = RECORD, **notes: str) -> None:
    build_tree(root, {f"tanks/{slug}/doetank.yaml": text, **{f"tanks/{slug}/{n}.md": t for n, t in notes.items()}})


def shown_slugs(proc: subprocess.CompletedProcess[str]) -> list[str]:
    import json

    return [t["slug"] for t in json.loads(proc.stdout)]


needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")


# --------------------------------------------------------------------------- the error boundary: OS errors


@needs_fifo
def test_a_fifo_as_record_or_note_is_named_and_never_opened(netwerk: Path) -> None:
    (netwerk / "tanks" / "pijp").mkdir()
    os.mkfifo(record(netwerk, "pijp"))
    for args in (["status", "--json"], ["check"], ["status", "pijp"], ["vraagstuk", "pijp", "--probleem", "X"]):
        proc = doetank(netwerk, *args, timeout=20)  # a FIFO that is opened hangs: the timeout fails the test
        no_traceback(proc)
        assert proc.returncode == 3, (args, proc.stderr)
        assert "tanks/pijp/doetank.yaml is a named pipe (FIFO), not a file" in proc.stderr, proc.stderr
    assert shown_slugs(doetank(netwerk, "status", "--json")) == ["slimmer"]  # the other tanks go on
    note = netwerk / "tanks" / "slimmer" / "01-ontdekken.md"
    note.unlink()
    os.mkfifo(note)
    shutil.rmtree(netwerk / "tanks" / "pijp")
    for args in (["advance", "slimmer"], ["status", "slimmer"], ["report", "slimmer"], ["site", "../out"]):
        proc = doetank(netwerk, *args, timeout=20)
        no_traceback(proc)
        assert proc.returncode == 3 and "01-ontdekken.md is a named pipe (FIFO)" in proc.stderr, (args, proc.stderr)
    assert not (netwerk.parent / "out").exists()


def test_a_huge_note_is_refused_before_it_is_read_and_the_site_is_not_stalled(netwerk: Path) -> None:
    # a gigabyte of repeated text travels through git as a few kilobytes; every colleague's site then read it whole
    note = netwerk / "tanks" / "slimmer" / "01-ontdekken.md"
    with note.open("ab") as handle:
        handle.truncate(9 * 1024 * 1024)  # sparse: the size is what counts
    for args in (["status", "slimmer"], ["advance", "slimmer"], ["report", "slimmer"], ["site", "../out"]):
        proc = doetank(netwerk, *args)
        no_traceback(proc)
        assert proc.returncode == 3, (args, proc.stderr)
        assert "tanks/slimmer/01-ontdekken.md is 9.0 MB, too large for a note (at most 8 MB)" in proc.stderr, args
    assert not (netwerk.parent / "out").exists()
    assert shown_slugs(doetank(netwerk, "status", "--json")) == ["slimmer"]  # the dashboard goes on


def test_a_symlink_loop_is_named_and_the_other_tanks_go_on(netwerk: Path) -> None:
    (netwerk / "tanks" / "rond").mkdir()
    record(netwerk, "rond").symlink_to("doetank.yaml")
    proc = doetank(netwerk, "status", "--json")
    no_traceback(proc)
    assert proc.returncode == 3 and "tanks/rond/doetank.yaml is a link that leads back to itself" in proc.stderr
    assert shown_slugs(proc) == ["slimmer"]


def test_an_unreadable_file_is_exit_3_naming_it_and_the_other_tanks_go_on(netwerk: Path) -> None:
    add_tank(netwerk, "dicht")
    # as root a chmod 000 file stays readable: the kernel's answer is given here instead
    deny = (
        "import errno, os\n_open = os.open\n"
        "def guarded(path, *a, **k):\n"
        "    if str(path).endswith('dicht/doetank.yaml'):\n"
        "        raise PermissionError(errno.EACCES, 'Permission denied', str(path))\n"
        "    return _open(path, *a, **k)\n"
        "os.open = guarded\n"
    )
    for args in (["status", "--json"], ["vraagstuk", "dicht", "--probleem", "X"]):
        proc = patched(netwerk, deny, *args)
        no_traceback(proc)
        assert proc.returncode == 3, (args, proc.stderr)
        assert "tanks/dicht/doetank.yaml: permission denied" in proc.stderr and "read and write access" in proc.stderr
    assert shown_slugs(patched(netwerk, deny, "status", "--json")) == ["slimmer"]
    assert record(netwerk, "dicht").read_text() == RECORD


def test_dot_doetank_being_a_file_still_reads_and_a_change_is_exit_4_naming_it(netwerk: Path) -> None:
    shutil.rmtree(netwerk / ".doetank", ignore_errors=True)
    (netwerk / ".doetank").write_text("not a folder")
    assert doetank(netwerk, "status", "--json").returncode == 0
    proc = doetank(netwerk, "vraagstuk", "slimmer", "--probleem", "X")
    no_traceback(proc)
    assert proc.returncode == 4 and ".doetank is not a folder" in proc.stderr, proc.stderr
    assert record(netwerk).read_text() == RECORD


def test_edit_on_a_note_that_is_a_folder_is_exit_3(netwerk: Path) -> None:
    note = netwerk / "tanks" / "slimmer" / "01-ontdekken.md"
    note.unlink()
    note.mkdir()
    proc = doetank(netwerk, "edit", "slimmer", env={"EDITOR": "true"})
    no_traceback(proc)
    assert proc.returncode == 3 and "tanks/slimmer/01-ontdekken.md is a folder, not a file" in proc.stderr


def test_a_record_nested_300_deep_is_exit_3_and_the_other_tanks_go_on(netwerk: Path) -> None:
    add_tank(netwerk, "diep", "naam: " + "[" * 300 + "]" * 300 + "\nfase: ontdekken\n")
    for args in (["status", "--json"], ["vraagstuk", "diep", "--probleem", "X"]):
        proc = doetank(netwerk, *args)
        no_traceback(proc)
        assert (
            proc.returncode == 3 and "tanks/diep/doetank.yaml: lists or mappings are nested too deeply" in proc.stderr
        )
    assert shown_slugs(doetank(netwerk, "status", "--json")) == ["slimmer"]


def test_a_full_disk_during_a_write_is_exit_4_and_the_record_is_as_it_was(netwerk: Path) -> None:
    full = (
        "import errno, os\n"
        "def fsync(fd):\n    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))\n"
        "os.fsync = fsync\n"
    )
    head = git(netwerk, "rev-parse", "HEAD")
    proc = patched(netwerk, full, "vraagstuk", "slimmer", "--probleem", "Nieuw")
    no_traceback(proc)
    assert proc.returncode == 4, proc.stderr
    assert "no space left on the disk to write tanks/slimmer/doetank.yaml" in proc.stderr, proc.stderr
    assert record(netwerk).read_text() == RECORD
    assert sorted(p.name for p in record(netwerk).parent.iterdir()) == ["01-ontdekken.md", "doetank.yaml"]
    assert git(netwerk, "rev-parse", "HEAD") == head


def test_a_date_beyond_the_range_is_refused_on_the_command_line_and_in_a_record(netwerk: Path) -> None:
    for value in ("9999-12-31", "1899-12-31", "20260101", "2026-W05-3", "2026-13-01"):
        proc = doetank(netwerk, "plan", "slimmer", "--einddatum", value)
        no_traceback(proc)
        assert proc.returncode == 2 and "--einddatum" in proc.stderr, (value, proc.stderr)
    assert record(netwerk).read_text() == RECORD
    assert doetank(netwerk, "site", "../out").returncode == 0
    before = sorted(p.name for p in (netwerk.parent / "out" / "tanks").iterdir())
    for value in ("9999-12-31", "'20260101'", "'2026-W05-3'"):
        record(netwerk).write_text(RECORD.replace("einddatum: 2027-06-30", f"einddatum: {value}"))
        for args in (["status", "--json"], ["site", "../out"], ["report", "slimmer"]):
            proc = doetank(netwerk, *args)
            no_traceback(proc)
            assert proc.returncode == 3, (value, args, proc.stderr)
            assert "tanks/slimmer/doetank.yaml:20: richtlijn.einddatum" in proc.stderr, proc.stderr
    assert sorted(p.name for p in (netwerk.parent / "out" / "tanks").iterdir()) == before  # the old site stands


def test_a_gitattributes_that_is_not_utf8_is_exit_3_naming_it(netwerk: Path) -> None:
    subprocess.run(["git", "init", "-q", "--bare", str(netwerk.parent / "server.git")], check=True)
    git(netwerk, "remote", "add", "origin", str(netwerk.parent / "server.git"))
    (netwerk / ".gitattributes").write_bytes(b"# caf\xe9\n*.md text\n")
    for args in (["sync"], ["init", "."]):
        proc = doetank(netwerk, *args)
        no_traceback(proc)
        assert proc.returncode == 3 and ".gitattributes:1: the file is not UTF-8" in proc.stderr, (args, proc.stderr)
    assert (netwerk / ".gitattributes").read_bytes() == b"# caf\xe9\n*.md text\n"


def test_init_or_site_on_a_file_is_a_usage_error(netwerk: Path) -> None:
    (netwerk.parent / "bestand").write_text("x")
    for cwd, args in ((netwerk.parent, ["init", "bestand"]), (netwerk, ["site", "../bestand"])):
        proc = doetank(cwd, *args)
        no_traceback(proc)
        assert proc.returncode == 2 and "bestand is a file" in proc.stderr, proc.stderr
    assert (netwerk.parent / "bestand").read_text() == "x"


def test_a_control_character_in_a_name_in_the_record_keeps_log_undo_and_trailers_right(netwerk: Path) -> None:
    text = RECORD.replace("{naam: Bram Peters,", '{naam: "Bram\\x1ePeters\\nDoetank-Tank: ander",')
    record(netwerk).write_text(text)
    git(netwerk, "commit", "-qam", "a name with control characters, typed by hand")
    removed = doetank(netwerk, "member", "remove", "slimmer", "Bram Peters Doetank-Tank: ander")
    assert removed.returncode == 0, removed.stderr
    message = git(netwerk, "log", "-1", "--format=%B")
    assert "\x1e" not in message and "Doetank-Tank: slimmer" in message.splitlines()
    assert "Doetank-Tank: ander" not in message.splitlines()  # the name stays on the subject line: no forged trailer
    for args in (["log"], ["log", "slimmer"]):
        proc = doetank(netwerk, *args, env={"COLUMNS": "200"})
        no_traceback(proc)
        assert proc.returncode == 0 and "Bram Peters Doetank-Tank: ander" in proc.stdout, proc.stdout
    undone = doetank(netwerk, "undo")
    no_traceback(undone)
    assert undone.returncode == 0, undone.stderr
    assert git(netwerk, "log", "-1", "--format=%(trailers:key=Doetank-Tank,valueonly)").strip() == "slimmer"
    assert record(netwerk).read_text() == text


def test_a_bug_is_exit_70_with_one_line_and_the_traceback_kept(netwerk: Path, tmp_path: Path) -> None:
    bug = (
        "import doetank_cli.lifecycle as lifecycle\n"
        "def detail(*a):\n    raise ValueError('kapot')\nlifecycle.detail = detail\n"
    )
    proc = patched(netwerk, bug, "status", "slimmer")
    assert proc.returncode == 70 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "doetank hit a bug (ValueError)" in proc.stderr
    (kept,) = (netwerk / ".doetank").glob("crash-*.txt")
    assert str(kept) in proc.stderr and "ValueError: kapot" in kept.read_text()
    assert git(netwerk, "status", "--porcelain") == ""  # the report is never shared
    elsewhere = tmp_path / "tmp"
    elsewhere.mkdir()
    bug = "import doetank_cli.workspace as ws\ndef find(*a, **k):\n    raise KeyError('x')\nws.find = find\n"
    proc = patched(tmp_path, bug, "status", env={"TMPDIR": str(elsewhere)})
    assert proc.returncode == 70 and "doetank hit a bug (KeyError)" in proc.stderr
    assert [p.name.startswith("doetank-crash-") for p in elsewhere.iterdir()] == [True]


# --------------------------------------------------------------------------- the workspace boundary: links


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A private key in the user's home, outside every workspace."""
    key = Path(os.environ["HOME"]) / ".ssh" / "id_ed25519"
    key.parent.mkdir(exist_ok=True)
    key.write_text("-----BEGIN OPENSSH PRIVATE KEY-----\nGEHEIM-b3BlbnNzaC1rZXktdjEAAAAA\n")
    return key


def everything_under(folder: Path) -> str:
    return "".join(p.read_text(errors="replace") for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def test_a_note_committed_as_a_link_to_a_private_key_never_reaches_the_site(netwerk: Path, secret: Path) -> None:
    assert doetank(netwerk, "site", "../out").returncode == 0
    note = netwerk / "tanks" / "slimmer" / "01-ontdekken.md"
    note.unlink()
    note.symlink_to(secret)
    git(netwerk, "add", "-A")
    git(netwerk, "commit", "-qm", "a colleague's link")
    for args in (["site", "../out"], ["report", "slimmer"], ["advance", "slimmer"]):
        proc = doetank(netwerk, *args)
        no_traceback(proc)
        assert proc.returncode == 3, (args, proc.stderr)
        assert "tanks/slimmer/01-ontdekken.md is a link to" in proc.stderr and "outside tanks" in proc.stderr
        assert "GEHEIM" not in proc.stdout + proc.stderr
    assert "GEHEIM" not in everything_under(netwerk.parent / "out")
    assert (netwerk.parent / "out" / "tanks" / "slimmer.html").is_file()  # the old site stands, whole


@pytest.mark.parametrize("how", ["absolute", "relative-dotdot", "link-to-a-link", "folder-link"])
def test_a_record_linked_outside_is_neither_shown_nor_copied_into_git(
    netwerk: Path, secret: Path, tmp_path: Path, how: str
) -> None:
    outside = tmp_path / "elders"
    outside.mkdir()
    (outside / "doetank.yaml").write_text(RECORD.replace("Slimmer vergaderen", "GEHEIM project"))
    (netwerk / "tanks" / "lek").mkdir()
    if how == "absolute":
        record(netwerk, "lek").symlink_to(outside / "doetank.yaml")
    elif how == "relative-dotdot":
        record(netwerk, "lek").symlink_to(Path("../../../elders/doetank.yaml"))
    elif how == "link-to-a-link":
        (netwerk / "tanks" / "slimmer" / "tussen.yaml").symlink_to(outside / "doetank.yaml")
        record(netwerk, "lek").symlink_to(Path("../slimmer/tussen.yaml"))
    else:
        (netwerk / "tanks" / "lek").rmdir()
        (netwerk / "tanks" / "lek").symlink_to(outside, target_is_directory=True)
    for args in (["status", "--json"], ["check"], ["status", "lek"], ["vraagstuk", "lek", "--probleem", "X"]):
        proc = doetank(netwerk, *args)
        no_traceback(proc)
        assert proc.returncode == 3 and "is a link to" in proc.stderr, (args, proc.stderr)
        assert "GEHEIM" not in proc.stdout
    assert shown_slugs(doetank(netwerk, "status", "--json")) == ["slimmer"]
    assert "GEHEIM" not in git(netwerk, "log", "-p", "--all")
    assert (outside / "doetank.yaml").read_text().startswith("naam: GEHEIM project")


def test_a_link_inside_tanks_is_followed(netwerk: Path) -> None:
    (netwerk / "tanks" / "kopie").symlink_to("slimmer", target_is_directory=True)
    assert sorted(shown_slugs(doetank(netwerk, "status", "--json"))) == ["kopie", "slimmer"]


def test_a_tanks_folder_linked_outside_writes_nothing_there(netwerk: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elders"
    shutil.move(netwerk / "tanks", outside)
    (netwerk / "tanks").symlink_to(outside, target_is_directory=True)
    before = sorted(p.relative_to(outside) for p in outside.rglob("*"))
    for args in (["new", "Nieuw", "--vraagstuk", "P", "--organisatie", "O"], ["status"], ["check"]):
        proc = doetank(netwerk, *args)
        no_traceback(proc)
        assert proc.returncode == 4 and "tanks is a link to" in proc.stderr, (args, proc.stderr)
    assert sorted(p.relative_to(outside) for p in outside.rglob("*")) == before


def test_a_template_linked_outside_is_refused_and_nothing_is_made(netwerk: Path, secret: Path) -> None:
    template = netwerk / "templates" / "01-ontdekken.md"
    template.unlink()
    template.symlink_to(secret)
    proc = doetank(netwerk, "new", "Nieuw", "--vraagstuk", "P", "--organisatie", "O")
    no_traceback(proc)
    assert proc.returncode == 3 and "templates/01-ontdekken.md is a link to" in proc.stderr, proc.stderr
    assert not (netwerk / "tanks" / "nieuw").exists()
    assert "GEHEIM" not in everything_under(netwerk / "tanks")


def test_a_state_folder_linked_elsewhere_is_refused(netwerk: Path, tmp_path: Path) -> None:
    elders = tmp_path / "elders"
    elders.mkdir()
    shutil.rmtree(netwerk / ".doetank", ignore_errors=True)
    (netwerk / ".doetank").symlink_to(elders, target_is_directory=True)
    proc = doetank(netwerk, "vraagstuk", "slimmer", "--probleem", "X")
    no_traceback(proc)
    assert proc.returncode == 4 and ".doetank is not a folder" in proc.stderr, proc.stderr
    assert list(elders.iterdir()) == []
    assert doetank(netwerk, "status").returncode == 0  # reading goes on, without the index


# --------------------------------------------------------------------------- text typed on the command line


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["vraagstuk", "slimmer", "--probleem", b"Caf\xe9"], "'--probleem'"),
        (["member", "add", "slimmer", b"Jos\xe9", "--rol", "doetanker", "--organisatie", "O", "--sector", "publiek"],
         "'NAAM'"),
        (["member", "add", "slimmer", "Eva\x1e", "--rol", "doetanker", "--organisatie", "O", "--sector", "publiek"],
         "'NAAM'"),
        (["vraagstuk", "slimmer", "--probleem", "X\x1b]0;PWNED\x07\x1b[31m"], "'--probleem'"),
        (["stop", "slimmer", "--reason", "twee\nregels"], "'--reason'"),
        (["new", "Tab\tnaam", "--vraagstuk", "P", "--organisatie", "O"], "'NAAM'"),
        (["opdrachtgever", "slimmer", "Karin", "--organisatie", "Gemeente\u2028Utrecht"], "'--organisatie'"),
        (["status", b"slim\xff"], "'TANK'"),
    ],
)  # fmt: skip
def test_text_that_is_not_utf8_or_holds_control_characters_is_refused_by_option(
    netwerk: Path, args: list[str | bytes], option: str
) -> None:
    proc = doetank(netwerk, *args)
    no_traceback(proc)
    assert proc.returncode == 2 and option in proc.stderr, proc.stderr
    assert "not valid UTF-8" in proc.stderr or "control character" in proc.stderr
    assert "\x1b" not in proc.stderr
    assert record(netwerk).read_text() == RECORD
    assert doetank(netwerk, "status").returncode == 0


def test_the_same_name_in_nfc_and_nfd_is_one_person(netwerk: Path) -> None:
    nfc, nfd = "Jos\u00e9 Mu\u00f1oz", "Jose\u0301 Mun\u0303oz"
    add = ["--rol", "doetanker", "--organisatie", "O", "--sector", "publiek"]
    assert doetank(netwerk, "member", "add", "slimmer", nfd, *add).returncode == 0
    assert nfc in record(netwerk).read_text()  # kept in the composed form
    again = doetank(netwerk, "member", "add", "slimmer", nfc, *add)
    assert again.returncode == 2 and "already in tank slimmer" in again.stderr
    # a name written in the decomposed form by an editor on a Mac is the same person too
    record(netwerk).write_text(record(netwerk).read_text().replace(nfc, nfd))
    assert doetank(netwerk, "member", "remove", "slimmer", nfc).returncode == 0
    assert "Jos" not in record(netwerk).read_text()


def test_names_in_any_script_and_names_windows_reserves_get_a_slug(netwerk: Path) -> None:
    for naam, slug in (("con", "con-tank"), ("NUL", "nul-tank"), ("com1", "com1-tank")):
        proc = doetank(netwerk, "new", naam, "--vraagstuk", "P", "--organisatie", "O")
        assert proc.returncode == 0 and (netwerk / "tanks" / slug).is_dir(), proc.stderr
    for naam in ("مشكلة الاجتماعات", "בעיה בישיבות", "会议太多"):
        proc = doetank(netwerk, "new", naam, "--vraagstuk", "P", "--organisatie", "O")
        assert proc.returncode == 0, proc.stderr
        slug = proc.stdout.split(":")[0]
        assert slug.startswith("tank-") and record(netwerk, slug).is_file()
        assert doetank(netwerk, "status", naam).returncode == 0  # the name itself finds the tank
        again = doetank(netwerk, "new", naam, "--vraagstuk", "P", "--organisatie", "O")
        assert again.returncode == 2 and "already exists" in again.stderr
    assert git(netwerk, "status", "--porcelain") == ""


def test_an_empty_tank_never_acts_on_the_only_tank(netwerk: Path) -> None:
    for name in ("", " ", "\u00a0"):
        proc = doetank(netwerk, "stop", name, "--reason", "x")
        no_traceback(proc)
        assert proc.returncode == 2 and "TANK is empty" in proc.stderr, proc.stderr
    assert record(netwerk).read_text() == RECORD


def test_a_name_of_ten_thousand_characters_is_kept_and_a_long_typo_finds_no_tank(netwerk: Path) -> None:
    naam = "Vergaderen " * 900
    assert doetank(netwerk, "new", naam, "--vraagstuk", "P", "--organisatie", "O").returncode == 0
    proc = doetank(netwerk, "status", "slimmer-" + "x" * 10_000)
    assert proc.returncode == 2 and "There is no tank" in proc.stderr and len(proc.stderr) < 400


# --------------------------------------------------------------------------- text from files on the terminal


def test_escape_sequences_in_a_record_never_reach_the_terminal(netwerk: Path) -> None:
    hostile = RECORD.replace("naam: Slimmer vergaderen", 'naam: "X\\e]0;PWNED\\a\\e[31m\\u202e\\x9b2J"')
    hostile = hostile.replace("{naam: Bram Peters,", '{naam: "Bram\\e[2J",').replace("rol: trekker", "rol: doetanker")
    record(netwerk).write_text(hostile)
    git(netwerk, "commit", "-qam", "X\x1b[31m in a commit by hand")
    doetank(netwerk, "waive", "slimmer", "DT011", "--reason", "vanwege de externe leden")
    for args in (
        ["status"], ["status", "--json"], ["status", "slimmer"], ["check"], ["check", "--json"],
        ["report", "slimmer"], ["report", "slimmer", "--format", "text"], ["log"], ["log", "slimmer"],
    ):  # fmt: skip
        proc = doetank(netwerk, *args)
        assert proc.returncode in (0, 1), (args, proc.stderr)
        out = proc.stdout + proc.stderr
        assert not any(c in out for c in "\x1b\x07\x9b\u202e"), (args, out)
        if args[0] in ("status", "report") or args == ["check"]:  # every view that shows the name shows it escaped
            assert "\\x1b]0;PWNED" in out or "\\u001b]0;PWNED" in out, (args, out)
    shown = doetank(netwerk, "log", "slimmer", env={"COLUMNS": "200"}).stdout
    assert "X\\x1b[31m in a commit by" in shown and "hand" in shown, shown  # shown escaped, and nothing cut off
    broken = doetank(netwerk, "vraagstuk", "slimmer", "--probleem", "X")
    assert broken.returncode == 0
    record(netwerk).write_text(hostile.replace("fase: ontdekken\n", 'fase: "ontdekken\\e[31m"\n', 1))
    proc = doetank(netwerk, "status", "--json")
    assert proc.returncode == 3 and "\x1b" not in proc.stderr and "\\x1b" in proc.stderr


# --------------------------------------------------------------------------- publishing


@pytest.mark.parametrize(
    "outdir",
    [".", "tanks", "tanks/slimmer", "tanks/nieuw", "templates", ".doetank/site", ".git", ".git/x", "tanks/../.git"],
)
def test_site_refuses_an_outdir_that_is_the_workspace_or_one_of_its_own_folders(netwerk: Path, outdir: str) -> None:
    before = git(netwerk, "status", "--porcelain", "--ignored")
    proc = doetank(netwerk, "site", outdir)
    no_traceback(proc)
    assert proc.returncode == 2 and "The site cannot go in" in proc.stderr, proc.stderr
    assert git(netwerk, "status", "--porcelain", "--ignored") == before
    assert not list((netwerk / "tanks").rglob("*.html"))


def test_site_refuses_a_link_into_the_workspace_and_a_folder_around_it(netwerk: Path) -> None:
    (netwerk.parent / "link").symlink_to(netwerk / "tanks", target_is_directory=True)
    for outdir in ("../link", "..", "../link/slimmer"):
        proc = doetank(netwerk, "site", outdir)
        no_traceback(proc)
        assert proc.returncode == 2, (outdir, proc.stderr)
    assert not list((netwerk / "tanks").rglob("*.html"))


def test_site_goes_beside_the_workspace_folders_and_sync_never_shares_it(netwerk: Path) -> None:
    server = netwerk.parent / "server.git"
    subprocess.run(["git", "init", "-q", "--bare", str(server)], check=True)
    git(netwerk, "remote", "add", "origin", str(server))
    assert doetank(netwerk, "site", "public").returncode == 0
    assert (netwerk / "public" / "tanks" / "slimmer.html").is_file()
    assert doetank(netwerk, "sync").returncode == 0
    assert "public/" not in git(netwerk, "ls-tree", "-r", "--name-only", "HEAD")


def test_site_refuses_a_folder_with_files_it_did_not_write(netwerk: Path) -> None:
    mine = netwerk.parent / "mijn-map"
    build_tree(mine, {"belangrijk.docx": "van mij", "sub/foto.jpg": "x"})
    proc = doetank(netwerk, "site", str(mine))
    no_traceback(proc)
    assert proc.returncode == 2 and "already holds files that doetank did not write" in proc.stderr
    assert (mine / "belangrijk.docx").read_text() == "van mij" and (mine / "sub" / "foto.jpg").exists()
    empty = netwerk.parent / "leeg"
    empty.mkdir()
    assert doetank(netwerk, "site", str(empty)).returncode == 0
    assert (empty / ".doetank-site").is_file()
    assert doetank(netwerk, "site", str(empty)).returncode == 0  # its own site, replaced


def test_the_site_is_exactly_the_public_tanks_of_now(netwerk: Path) -> None:
    for slug in ("geheim", "oud", "weg"):
        add_tank(netwerk, slug, RECORD.replace("Slimmer vergaderen", f"Tank {slug}"))
    git(netwerk, "add", "-A")
    git(netwerk, "commit", "-qm", "three more")
    out = netwerk.parent / "out"
    assert doetank(netwerk, "site", str(out)).returncode == 0
    assert sorted(p.name for p in (out / "tanks").iterdir()) == ["geheim.html", "oud.html", "slimmer.html", "weg.html"]
    record(netwerk, "geheim").write_text(RECORD.replace("Slimmer vergaderen", "Tank geheim") + "publiek: false\n")
    git(netwerk, "mv", "tanks/oud", "tanks/nieuw")
    git(netwerk, "rm", "-rq", "tanks/weg")
    proc = doetank(netwerk, "site", str(out))
    assert proc.returncode == 0 and "1 tank with publiek: false is left out" in proc.stdout
    assert sorted(p.name for p in (out / "tanks").iterdir()) == ["nieuw.html", "slimmer.html"]
    assert "Tank geheim" not in everything_under(out) and "tanks/weg.html" not in everything_under(out)
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".out.")] == []
    private = doetank(netwerk, "report", "geheim")  # asked for by name: given, scrubbed, and said to be private
    assert private.returncode == 0 and "geheim is private (publiek: false)" in private.stderr


def test_a_site_that_fails_halfway_leaves_the_old_site_whole(netwerk: Path) -> None:
    out = netwerk.parent / "out"
    assert doetank(netwerk, "site", str(out)).returncode == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    add_tank(netwerk, "tweede", RECORD.replace("Slimmer vergaderen", "Tweede tank"))
    halfway = (
        "import doetank_cli.publish.site as site\n_page = site.tank_page\ncalls = []\n"
        "def tank_page(*a):\n    calls.append(1)\n    if len(calls) == 2:\n"
        "        raise OverflowError('date value out of range')\n"
        "    return _page(*a)\nsite.tank_page = tank_page\n"
    )
    proc = patched(netwerk, halfway, "site", str(out))
    assert proc.returncode == 70 and "doetank hit a bug (OverflowError)" in proc.stderr
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    # killed between renaming the old site away and the new one in: the next run puts the old one back first
    old = netwerk.parent / ".out.old-x1"
    os.replace(out, old)
    killed = "import doetank_cli.publish.site as site\ndef boom(*a):\n    raise SystemExit(9)\nsite._swap = boom\n"
    assert patched(netwerk, killed, "site", str(out)).returncode == 9
    assert out.is_dir() and not old.exists()
    assert doetank(netwerk, "site", str(out)).returncode == 0
    assert (out / "tanks" / "tweede.html").is_file()
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".out.")] == []


NOTE_WITH_PERSONAL_DATA = """\
# Slimmer vergaderen — 1. Ontdekken

<!--
Wat is de kern? Deze commentaren zijn hulp, geen inhoud.
Begonnen op 2026-11-01.
-->

## De kern

<!-- Wat is de kern van het probleem? -->
Van de 41 agendapunten op 12-03-2026 leidden er 9 tot een besluit (€ 1.234.567, postcode 3511 AB).
Bel Anna op +31 (0)6 12345678 of +31 (0)20 123 4567, of 06-12345678, 020 123 4567, +32 2 123 45 67, +44 20 7946 0958.
Mail anna.devries@utrecht.nl; IBAN NL91 ABNA 0417 1643 00; BSN 111222333.

## Waarom is het een probleem, en voor wie?

Aanvragers wachten langer.

## Het probleem áchter het probleem

Mandaat is onduidelijk.
"""
PERSONAL = [
    "Begonnen op", "Deze commentaren", "Wat is de kern van het probleem?", "<!--", "12345678", "123 4567",
    "2 123 45 67", "7946 0958", "anna.devries", "NL91", "0417", "111222333",
]  # fmt: skip
KEPT = ["41 agendapunten", "12-03-2026", "€ 1.234.567", "3511 AB", "Mandaat is onduidelijk"]


def test_guidance_comments_and_personal_numbers_never_reach_the_site_or_the_report(netwerk: Path) -> None:
    (netwerk / "tanks" / "slimmer" / "01-ontdekken.md").write_text(NOTE_WITH_PERSONAL_DATA)
    record(netwerk).write_text(
        RECORD.replace("organisatie: Gemeente Zeist", 'organisatie: "Gemeente Zeist, 06-87654321"')
    )
    out = netwerk.parent / "out"
    assert doetank(netwerk, "site", str(out)).returncode == 0
    page = (out / "tanks" / "slimmer.html").read_text()
    for fmt in ("markdown", "text"):
        report = doetank(netwerk, "report", "slimmer", "--format", fmt).stdout
        for published in (page, report):
            assert not [p for p in [*PERSONAL, "87654321"] if p in published]
        assert "[phone number left out]" in report
    assert all(k in page for k in KEPT), [k for k in KEPT if k not in page]
    assert page.count("[phone number left out]") >= 6 and "[IBAN left out]" in page and "[BSN left out]" in page
    assert "[e-mail address left out]" in page
