"""Windows and macOS: what the network's laptops do differently, tried on Linux.

What the Windows simulation (tests/windows/sitecustomize.py) cannot fake is injected here: sys.platform (through
system.PLATFORM), a file that antivirus or OneDrive holds, a folder the OS will not sync, the OS's own language.
"""

from __future__ import annotations

import errno
import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path, PureWindowsPath

import pytest
from conftest import RECORD, REPO, WINDOWS_SIMULATION, build_tree, git

from doetank_cli import i18n, lifecycle, repo, settings, store, system
from doetank_cli.errors import WorkspaceError
from doetank_cli.workspace import Workspace

DOETANK = Path(sys.executable).parent / "doetank"
SIMULATION = REPO / "tests" / "windows"
EMPTY_TREE = {
    "sha1": "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
    "sha256": "6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321",
}


def doetank(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """The installed doetank in a subprocess; its output as bytes, to see the encoding it really wrote."""
    return subprocess.run(
        [str(DOETANK), *args], cwd=cwd, capture_output=True, env=env or os.environ.copy(), stdin=subprocess.DEVNULL
    )


def record(ws: Workspace, slug: str = "slimmer") -> Path:
    return ws.tanks / slug / "doetank.yaml"


@pytest.fixture
def on_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    """The code doetank runs on Windows (sys.platform == 'win32'); the retries it waits through cost no time here."""
    monkeypatch.setattr(system, "PLATFORM", "win32")
    monkeypatch.setattr(system, "_sleep", lambda seconds: None)


def test_the_simulation_is_in_effect_when_it_says_so() -> None:
    """The second pass of CI would prove nothing if the simulation quietly failed to load."""
    if not WINDOWS_SIMULATION:
        pytest.skip("only under the Windows simulation")
    with pytest.raises(ImportError):
        import fcntl  # noqa: F401
    with pytest.raises(ImportError):
        import termios  # noqa: F401
    assert not hasattr(os, "fork")
    assert system.start_method() == "spawn"
    assert "autocrlf = true" in Path(os.environ["GIT_CONFIG_GLOBAL"]).read_text()


# --------------------------------------------------------------------------- writing files


def test_a_rename_refused_for_a_moment_on_windows_is_tried_again(
    on_windows: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "doetank.yaml"
    target.write_text("old\n")
    real, refusals = os.replace, list[str]()

    def held_by_a_scanner(source: str, dest: str) -> None:
        if len(refusals) < 3:
            refusals.append(dest)
            raise PermissionError(errno.EACCES, "The process cannot access the file", str(dest))
        real(source, dest)

    monkeypatch.setattr(os, "replace", held_by_a_scanner)
    store.atomic_write(target, "new\n")
    assert len(refusals) == 3 and target.read_text() == "new\n"
    assert list(tmp_path.iterdir()) == [target]  # no temp file left


def test_a_rename_refused_for_good_is_an_error_and_the_old_file_stays(
    on_windows: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "doetank.yaml"
    target.write_text("old\n")
    calls = []

    def always_held(source: str, dest: str) -> None:
        calls.append(dest)
        raise PermissionError(errno.EACCES, "Access is denied", str(dest))

    monkeypatch.setattr(os, "replace", always_held)
    with pytest.raises(PermissionError):
        store.atomic_write(target, "new\n")
    assert len(calls) == system.REPLACE_ATTEMPTS
    assert target.read_text() == "old\n" and list(tmp_path.iterdir()) == [target]


def test_on_linux_and_macos_a_refused_rename_is_not_tried_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(system, "PLATFORM", "linux")
    calls = []

    def refused(source: str, dest: str) -> None:
        calls.append(dest)
        raise PermissionError(errno.EACCES, "Permission denied", str(dest))

    monkeypatch.setattr(os, "replace", refused)
    with pytest.raises(PermissionError):
        store.atomic_write(tmp_path / "x.md", "x\n")
    assert len(calls) == 1


def test_on_windows_a_write_never_opens_the_folder_to_sync_it(
    on_windows: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open, folders = os.open, []

    def refuse_folders(path: str, flags: int, *args: int) -> int:
        if os.path.isdir(path):
            folders.append(path)
            raise PermissionError(errno.EACCES, "Access is denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", refuse_folders)
    store.atomic_write(tmp_path / "x.md", "written\n")
    assert (tmp_path / "x.md").read_text() == "written\n" and folders == []


@pytest.mark.parametrize("where", ["open", "fsync"])
def test_a_folder_the_os_will_not_sync_does_not_fail_a_write_that_is_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """A network share or FUSE refuses to open or to sync a folder after the rename: the file is written; go on."""
    monkeypatch.setattr(system, "PLATFORM", "linux")
    real_open, real_fsync, folders = os.open, os.fsync, set[int]()

    def open_(path: str, flags: int, *args: int) -> int:
        if os.path.isdir(path) and where == "open":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args)

    def fsync(fd: int) -> None:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            folders.add(fd)
            raise OSError(errno.EINVAL, "Invalid argument")
        real_fsync(fd)

    monkeypatch.setattr(os, "open", open_)
    monkeypatch.setattr(os, "fsync", fsync)
    ws_root = tmp_path / "ws"
    lifecycle.init(ws_root)
    ws = Workspace(ws_root)
    build_tree(ws.root, {"tanks/slimmer/doetank.yaml": RECORD})
    lifecycle.set_vraagstuk(
        ws, "slimmer", probleem=None, organisatie="Gemeente Zeist", groter_vraagstuk=None, commit=False
    )
    assert "organisatie: Gemeente Zeist" in record(ws).read_text()
    assert where == "open" or folders, "the folder was never opened: the fault was not injected"


# --------------------------------------------------------------------------- the lock


def test_a_workspace_locked_too_long_by_another_doetank_is_exit_4_saying_so(
    ws: Workspace, tank: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "LOCK_WAIT", 0.2)
    store.ensure_state(ws)
    before = record(ws).read_bytes()
    with system.lock(ws.state / "lock", 5), pytest.raises(WorkspaceError) as caught:
        lifecycle.set_vraagstuk(ws, "slimmer", probleem=None, organisatie="Gemeente Zeist", groter_vraagstuk=None)
    assert "Another doetank process" in caught.value.message and ".doetank/lock" in caught.value.message
    assert caught.value.exit_code == 4 and record(ws).read_bytes() == before


def test_without_an_os_lock_the_fallback_warning_never_reaches_the_user(ws: Workspace, tank: str) -> None:
    """Without fcntl (as under the simulation) filelock warns that it has only a soft lock; a user must not see it."""
    env = os.environ | {"PYTHONPATH": str(SIMULATION), "PYTHONWARNINGS": "always"}
    done = doetank(ws.root, "vraagstuk", "slimmer", "--organisatie", "Gemeente Zeist", env=env)
    assert done.returncode == 0, done.stderr
    assert b"soft" not in done.stderr.lower() and b"warning" not in done.stderr.lower(), done.stderr


# --------------------------------------------------------------------------- line endings


def _commit_changes_only_the_changed_line(ws: Workspace, path: Path) -> None:
    assert lifecycle.set_vraagstuk(
        ws, "slimmer", probleem=None, organisatie="Gemeente Zeist", groter_vraagstuk=None
    ).sha
    rel = ws.rel(path)
    assert git(ws.root, "show", "--numstat", "--format=", "HEAD").split() == ["1", "1", rel]
    blob = subprocess.run(["git", "-C", str(ws.root), "show", f"HEAD:{rel}"], capture_output=True, check=True).stdout
    assert b"\r" not in blob
    assert b"organisatie: Gemeente Zeist" in blob and b"# klein en concreet" in blob


def test_a_record_saved_with_crlf_by_a_windows_editor_commits_only_the_changed_line(ws: Workspace, tank: str) -> None:
    git(ws.root, "config", "core.autocrlf", "true")
    path = record(ws)
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))  # Notepad's way of saving it
    _commit_changes_only_the_changed_line(ws, path)
    assert b"\r" not in path.read_bytes()


def test_an_older_workspace_checked_out_with_crlf_commits_only_the_changed_line(ws: Workspace, tank: str) -> None:
    """No eol attributes yet (made before this version): git for Windows checks the record out with \\r\\n."""
    (ws.root / ".gitattributes").write_text(repo.ATTRIBUTES_LINE + "\n")
    git(ws.root, "commit", "-qam", "older attributes")
    git(ws.root, "config", "core.autocrlf", "true")
    path = record(ws)
    path.unlink()
    git(ws.root, "checkout", "--", ws.rel(path))
    assert b"\r\n" in path.read_bytes()  # the checkout really is a CRLF one
    _commit_changes_only_the_changed_line(ws, path)


def test_init_and_sync_keep_records_notes_and_templates_at_lf_and_nothing_else(ws: Workspace) -> None:
    lines = (ws.root / ".gitattributes").read_text().splitlines()
    assert {"tanks/**/doetank.yaml text eol=lf", "tanks/**/*.md text eol=lf", "templates/*.md text eol=lf"} <= set(
        lines
    )
    assert not any(line.startswith(("tanks/** ", "* ")) for line in lines)  # that would turn pictures into text
    (ws.root / ".gitattributes").write_text("*.png binary\n" + repo.ATTRIBUTES_LINE + "\n")
    from doetank_cli.sync import ensure_merge_driver

    assert ensure_merge_driver(ws) is not None
    after = (ws.root / ".gitattributes").read_text().splitlines()
    assert after[:2] == ["*.png binary", repo.ATTRIBUTES_LINE] and set(repo.LINE_ENDINGS) <= set(after)
    assert ensure_merge_driver(ws) is None  # written once


def test_a_picture_beside_a_note_is_committed_byte_for_byte_in_a_crlf_checkout(ws: Workspace, tank: str) -> None:
    git(ws.root, "config", "core.autocrlf", "true")
    picture = ws.tanks / "slimmer" / "bord.png"
    data = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) + b"\r\n"
    picture.write_bytes(data)
    git(ws.root, "add", "--", ws.rel(picture))
    git(ws.root, "commit", "-qm", "foto")
    blob = subprocess.run(
        ["git", "-C", str(ws.root), "show", f"HEAD:{ws.rel(picture)}"], capture_output=True, check=True
    ).stdout
    assert blob == data


@pytest.mark.parametrize("fmt", ["sha1", "sha256"])
def test_the_empty_tree_is_the_one_of_the_repositorys_object_format(tmp_path: Path, fmt: str) -> None:
    done = subprocess.run(["git", "init", "-q", f"--object-format={fmt}", str(tmp_path)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"this git cannot make a {fmt} repository")
    assert repo.empty_tree(tmp_path) == EMPTY_TREE[fmt]


# --------------------------------------------------------------------------- output


LUKASZ = RECORD.replace("Anna de Vries", "Łukasz Nowak")


def test_a_cp1252_pipe_gets_utf8_from_status_check_and_report(ws: Workspace, tank: str) -> None:
    """A Windows console's code page, output redirected (`doetank report T > verslag.md`): UTF-8, no crash."""
    record(ws).write_text(LUKASZ)
    build_tree(ws.root, {"tanks/zonder-trekker/doetank.yaml": RECORD.replace("rol: trekker", "rol: doetanker")})
    env = os.environ | {"PYTHONIOENCODING": "cp1252"}
    status = doetank(ws.root, "status", "--json", env=env)
    assert status.returncode == 0, status.stderr
    assert "Łukasz Nowak" in {t["trekker"] for t in json.loads(status.stdout.decode("utf-8"))}, status.stdout
    checked = doetank(ws.root, "check", env=env)
    assert checked.returncode == 1 and "✗ DT012" in checked.stdout.decode("utf-8")
    report = doetank(ws.root, "report", "slimmer", env=env)
    assert report.returncode == 0 and "Łukasz Nowak" in report.stdout.decode("utf-8")
    table = doetank(ws.root, "status", env=env)
    assert table.returncode == 0 and "Slimmer vergaderen" in table.stdout.decode("utf-8")


def test_a_console_that_cannot_show_a_character_shows_a_stand_in_instead_of_crashing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Console(io.TextIOWrapper):
        def isatty(self) -> bool:
            return True

    console = Console(io.BytesIO(), encoding="cp1252")
    monkeypatch.setattr(sys, "stdout", console)
    system.configure_output()
    print("✗ Łukasz", file=sys.stdout)
    sys.stdout.flush()
    assert console.encoding == "cp1252"  # the console's own encoding, as it can show it
    assert console.buffer.getvalue() == b"? ?ukasz\n"  # type: ignore[attr-defined]  # no ✗ or Ł in cp1252


@pytest.mark.parametrize("command", [["report", "slimmer"], ["status", "--json"], ["check", "--json"], ["status"]])
def test_output_writes_utf8_to_a_file_and_nothing_to_the_screen(
    ws: Workspace, tank: str, run, command: list[str]
) -> None:
    record(ws).write_text(LUKASZ)
    screen = run(*command)
    result = run(*command, "--output", "uit.txt")
    assert result.exit_code == screen.exit_code == 0, result.output
    written = (ws.root / "uit.txt").read_bytes().decode("utf-8")
    assert written == screen.stdout and written.strip()
    assert result.stdout == "" and "uit.txt" in result.stderr


def test_output_of_a_check_that_finds_a_fout_is_written_and_still_exits_1(ws: Workspace, tank: str, run) -> None:
    record(ws).write_text(RECORD.replace("rol: trekker", "rol: doetanker"))
    result = run("check", "--json", "--output", "bevindingen.json")
    assert result.exit_code == 1
    assert any(f["regel"] == "DT012" for f in json.loads((ws.root / "bevindingen.json").read_text("utf-8")))


def test_output_is_not_written_when_the_command_fails(ws: Workspace, run) -> None:
    result = run("report", "bestaat-niet", "--output", "verslag.md")
    assert result.exit_code == 2 and not (ws.root / "verslag.md").exists()


@pytest.mark.parametrize(
    ("target", "said"),
    [
        ("tanks/slimmer/doetank.yaml", "would overwrite"),
        ("tanks/slimmer/01-ontdekken.md", "would overwrite"),
        ("nergens/verslag.md", "does not exist"),
        ("tanks", "is a folder"),
        pytest.param("/dev/null", "not a regular file", marks=pytest.mark.posix(reason="/dev/null")),
    ],
)
def test_output_refuses_a_tanks_own_files_a_missing_folder_and_a_folder(
    ws: Workspace, tank: str, run, target: str, said: str
) -> None:
    before = record(ws).read_bytes()
    result = run("report", "slimmer", "--output", target)
    assert result.exit_code == 2 and said in result.stderr
    assert record(ws).read_bytes() == before


# --------------------------------------------------------------------------- language and settings


def _clean_env(**extra: str) -> dict[str, str]:
    """A shell as on Windows: no LANG or LC_*, no DOETANK_LANG."""
    env = {k: v for k, v in os.environ.items() if k not in {"DOETANK_LANG", "LANG", "LC_ALL", "LC_MESSAGES"}}
    return env | extra


def test_config_set_taal_nl_makes_a_shell_without_lang_dutch(tmp_path: Path) -> None:
    env = _clean_env()
    assert "Usage:" in doetank(tmp_path, "--help", env=env).stdout.decode()
    done = doetank(tmp_path, "config", "set", "taal", "nl", env=env)
    assert done.returncode == 0, done.stderr
    assert "Gebruik:" in doetank(tmp_path, "--help", env=env).stdout.decode()
    assert "Gebruik:" in doetank(tmp_path, "--help", env=env | {"LANG": "en_US.UTF-8"}).stdout.decode()
    assert "Usage:" in doetank(tmp_path, "--help", env=env | {"DOETANK_LANG": "en"}).stdout.decode()
    assert doetank(tmp_path, "config", "unset", "taal", env=env).returncode == 0
    assert "Usage:" in doetank(tmp_path, "--help", env=env).stdout.decode()


def test_the_language_is_found_without_importing_typer(tmp_path: Path) -> None:
    settings.write({"taal": "nl"})
    probe = "import sys, doetank_cli.i18n as i; print(i.LANGUAGE, 'typer' in sys.modules, 'pydantic' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=_clean_env(), check=True)
    assert done.stdout.split() == ["nl", "False", "False"]


@pytest.mark.parametrize(
    ("env", "taal", "expected"),
    [
        ({"DOETANK_LANG": "en", "LANG": "nl_NL.UTF-8"}, "nl", "en"),  # DOETANK_LANG first
        ({"LANG": "en_US.UTF-8"}, "nl", "nl"),  # then the setting
        ({"LANG": "nl_BE.UTF-8"}, None, "nl"),  # then the locale
        ({"LC_ALL": "en_GB.UTF-8", "LANG": "nl_NL.UTF-8"}, None, "en"),  # the first locale variable set decides
        ({"LANG": "C.UTF-8"}, None, "en"),  # C names no language; on Linux the OS says none either
        ({}, None, "en"),
    ],
)
def test_the_language_is_doetank_lang_then_the_setting_then_the_locale(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], taal: str | None, expected: str
) -> None:
    monkeypatch.setattr(system, "PLATFORM", "linux")
    for key in ("DOETANK_LANG", "LANG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    if taal:
        settings.write({"taal": taal})
    assert i18n._language() == expected


def test_without_lang_a_dutch_windows_speaks_dutch(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("DOETANK_LANG", "LANG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setattr(system, "PLATFORM", "win32")
    monkeypatch.setattr(system, "_windows_ui_langid", lambda: 0x0413)  # nl-NL
    assert system.ui_language() == "nl_NL" and i18n._language() == "nl"
    monkeypatch.setattr(system, "_windows_ui_langid", lambda: 0x0813)  # nl-BE
    assert i18n._language() == "nl"
    monkeypatch.setattr(system, "_windows_ui_langid", lambda: 0x0409)  # en-US
    assert i18n._language() == "en"
    monkeypatch.setattr(system, "_windows_ui_langid", lambda: 0x0413)
    monkeypatch.setenv("LANG", "C.UTF-8")  # names no language: the OS is still asked
    assert i18n._language() == "nl"
    monkeypatch.setenv("LANG", "nl_NL.UTF-8")  # Git Bash sets LANG: it decides before the OS is asked
    monkeypatch.setattr(system, "_windows_ui_langid", lambda: pytest.fail("the OS was asked"))
    assert i18n._language() == "nl"


def test_without_lang_a_dutch_mac_speaks_dutch(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("DOETANK_LANG", "LANG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setattr(system, "PLATFORM", "darwin")
    asked = []

    def defaults(argv: list[str]) -> str:
        asked.append(argv)
        return '(\n    "nl-NL",\n    "en-NL"\n)\n'

    monkeypatch.setattr(system, "_run_quietly", defaults)
    assert i18n._language() == "nl" and asked == [["defaults", "read", "-g", "AppleLanguages"]]
    monkeypatch.setattr(system, "_run_quietly", lambda argv: "")  # `defaults` said nothing
    assert i18n._language() == "en"


def test_config_lists_gets_sets_and_unsets_a_setting(tmp_path: Path, run) -> None:
    editor = '"C:\\Program Files\\Notepad++\\notepad++.exe" -multiInst -nosession'
    assert run("config", "set", "editor", editor).exit_code == 0
    assert run("config", "get", "editor").stdout == editor + "\n"
    assert settings.get("editor") == editor  # backslashes and quotes survive the file
    listed = run("config", "list").stdout
    assert f"editor = {editor}" in listed and "taal: not set" in listed and str(settings.path()) in listed
    assert run("config", "unset", "editor").exit_code == 0
    assert run("config", "get", "editor").stdout == "" and settings.get("editor") is None


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["set", "tal", "nl"], "the settings are: taal, editor, naam, email"),
        (["get", "kleur"], "the settings are: taal, editor, naam, email"),
        (["set", "taal", "fr"], "choose one of: nl, en"),
        (["set", "editor", '"C:\\Program Files\\x.exe'], "does not close"),
        (["set", "editor", "vim\nrm"], "control character (\\n"),  # every typed text is checked (framework)
        (["set", "naam", "   "], "The value of naam is empty; to forget the setting: doetank config unset naam"),
        (["set", "naam", "..."], "A name for the history is letters and spaces"),
        (["set", "email", "anna bij utrecht"], "is not an e-mail address"),
    ],
)
def test_config_refuses_an_unknown_setting_or_value_with_exit_2_naming_the_choices(
    run, args: list[str], said: str
) -> None:
    result = run("config", *args)
    assert result.exit_code == 2 and said in result.stderr
    assert not settings.path().exists()


def test_a_broken_settings_file_is_named_by_config_and_ignored_by_everything_else(run) -> None:
    settings.path().parent.mkdir(parents=True)
    settings.path().write_text("taal = nl\neditor = [unclosed\n")
    result = run("config", "list")
    assert result.exit_code == 3 and str(settings.path()) in result.stderr
    assert settings.get("taal") is None and i18n._language() == "en"


# --------------------------------------------------------------------------- the editor


@pytest.mark.parametrize(
    ("command", "argv"),
    [
        (
            '"C:\\Program Files\\Notepad++\\notepad++.exe" -multiInst -nosession',
            ["C:\\Program Files\\Notepad++\\notepad++.exe", "-multiInst", "-nosession"],
        ),
        ("C:\\Windows\\notepad.exe", ["C:\\Windows\\notepad.exe"]),
        (
            '"C:\\Users\\Jan de Vries\\AppData\\Local\\Programs\\Microsoft VS Code\\bin\\code" --wait',
            ["C:\\Users\\Jan de Vries\\AppData\\Local\\Programs\\Microsoft VS Code\\bin\\code", "--wait"],
        ),
        ("\\\\server\\share\\edit.exe /x", ["\\\\server\\share\\edit.exe", "/x"]),
        (
            "'C:/Program Files/Notepad++/notepad++.exe' -multiInst",
            ["C:/Program Files/Notepad++/notepad++.exe", "-multiInst"],
        ),
        ('code --wait --title "a \\"b\\""', ["code", "--wait", "--title", 'a "b"']),
    ],
)
def test_an_editor_path_with_spaces_and_backslashes_is_split_as_windows_does(
    on_windows: None, command: str, argv: list[str]
) -> None:
    assert system.split_command(command) == argv


def test_posix_splitting_would_have_mangled_that_path() -> None:
    """Why Windows gets its own rules: shlex eats the backslashes of an unquoted path."""
    import shlex

    assert shlex.split("C:\\Windows\\notepad.exe") == ["C:Windowsnotepad.exe"]


def test_gits_core_editor_is_split_as_the_shell_git_runs_it_with(on_windows: None) -> None:
    installer = "'C:/Program Files/Notepad++/notepad++.exe' -multiInst -notabbar -nosession -noPlugin"
    chosen = system.choose_editor(None, installer, env={})
    assert chosen.source == "git" and chosen.argv[:2] == ["C:/Program Files/Notepad++/notepad++.exe", "-multiInst"]


def test_the_editor_is_visual_then_editor_then_the_setting_then_git_then_the_platforms_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    full = {"VISUAL": "code --wait", "EDITOR": "nano"}
    assert system.choose_editor("kate", "emacs", full).argv == ["code", "--wait"]
    assert system.choose_editor("kate", "emacs", {"EDITOR": "nano"}).source == "EDITOR"
    assert system.choose_editor("kate", "emacs", {"VISUAL": "  "}).argv == ["kate"]
    assert system.choose_editor(None, "emacs -nw", {}).argv == ["emacs", "-nw"]
    monkeypatch.setattr(system, "PLATFORM", "win32")
    assert system.choose_editor(None, None, {}) == system.Editor(["notepad"], "notepad", "default")
    monkeypatch.setattr(system, "PLATFORM", "darwin")
    monkeypatch.setattr("shutil.which", lambda name: "/usr/bin/nano" if name == "nano" else None)
    assert system.choose_editor(None, None, {}).argv == ["nano"]
    monkeypatch.setattr("shutil.which", lambda name: None)
    assert system.choose_editor(None, None, {}).argv == ["vi"]


def test_gits_own_default_editor_is_not_taken_for_a_choice(ws: Workspace) -> None:
    """`git var GIT_EDITOR` always answers (vi); only a core.editor someone set counts."""
    assert repo.configured_editor(ws.root) is None
    git(ws.root, "config", "core.editor", "notepad++ -multiInst")
    assert repo.configured_editor(ws.root) == "notepad++ -multiInst"


def _ran(ran: list[object], cmd: list[str] | str) -> subprocess.CompletedProcess[bytes]:
    """subprocess.run, as far as run_editor uses it: what would have been started."""
    ran.append(cmd)
    return subprocess.CompletedProcess(cmd, 0)


def test_a_batch_file_editor_gets_every_argument_quoted(
    on_windows: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """cmd.exe runs a .cmd file and would read an & in an unquoted path as its own."""
    ran: list[object] = []
    monkeypatch.setattr("shutil.which", lambda name: "C:\\VS Code\\bin\\code.cmd" if name == "code" else None)
    monkeypatch.setattr("subprocess.run", lambda cmd, check: _ran(ran, cmd))
    note = PureWindowsPath("C:\\data\\jan&piet\\tanks\\x\\01-ontdekken.md")
    assert system.run_editor(system.Editor(["code", "--wait"], "code --wait", "setting"), note) == 0  # type: ignore[arg-type]
    assert ran == ['"C:\\VS Code\\bin\\code.cmd" "--wait" "C:\\data\\jan&piet\\tanks\\x\\01-ontdekken.md"']


def _editor_script(tmp_path: Path) -> Path:
    script = tmp_path / "Mijn Editor" / "schrijf.py"
    script.parent.mkdir()
    script.write_text("import sys\nopen(sys.argv[1], 'a', encoding='utf-8').write('\\nGeschreven.\\n')\n")
    return script


def test_edit_uses_gits_core_editor_when_nothing_else_is_chosen(ws: Workspace, tank: str, run, tmp_path: Path) -> None:
    script = _editor_script(tmp_path)
    git(ws.root, "config", "core.editor", f"'{sys.executable}' '{script}'")
    result = run("edit", "slimmer")
    assert result.exit_code == 0, result.output
    assert "Geschreven." in (ws.tanks / "slimmer" / "01-ontdekken.md").read_text()


def test_edit_says_once_how_to_choose_an_editor_when_it_falls_back(
    ws: Workspace, tank: str, run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    script = _editor_script(tmp_path)
    monkeypatch.setattr(
        system, "choose_editor", lambda *a: system.Editor([sys.executable, str(script)], "nano", "default")
    )
    first = run("edit", "slimmer")
    assert first.exit_code == 0 and "doetank config set editor" in first.stderr
    second = run("edit", "slimmer")
    assert second.exit_code == 0 and "config set editor" not in second.stderr


@pytest.mark.parametrize(
    ("source", "said"),
    [("EDITOR", "Correct or remove EDITOR"), ("setting", "doetank config set editor"), ("git", "core.editor")],
)
def test_an_editor_that_is_not_there_is_exit_2_saying_where_it_was_chosen(
    ws: Workspace, tank: str, run, monkeypatch: pytest.MonkeyPatch, source: str, said: str
) -> None:
    missing = "C:\\Program Files\\Geen\\editor.exe"
    if source == "EDITOR":
        monkeypatch.setenv("EDITOR", f'"{missing}"')
    elif source == "setting":
        settings.write({"editor": f'"{missing}"'})
    else:
        git(ws.root, "config", "core.editor", f"'{missing}'")
    result = run("edit", "slimmer")
    assert result.exit_code == 2 and "was not found" in result.stderr and said in result.stderr


def test_an_editor_setting_that_is_a_path_with_spaces_runs_unquoted(
    ws: Workspace, tank: str, run, tmp_path: Path
) -> None:
    program = tmp_path / "Program Files" / "schrijf"
    program.parent.mkdir()
    program.write_text(f"#!{sys.executable}\nimport sys\nopen(sys.argv[1], 'a').write('\\nGeschreven.\\n')\n")
    program.chmod(0o755)
    assert run("config", "set", "editor", str(program)).exit_code == 0
    result = run("edit", "slimmer")
    assert result.exit_code == 0, result.output
    assert "Geschreven." in (ws.tanks / "slimmer" / "01-ontdekken.md").read_text()


# --------------------------------------------------------------------------- paths and worker processes


def test_paths_in_messages_and_json_use_forward_slashes_on_windows_too() -> None:
    ws = Workspace(PureWindowsPath("C:\\Users\\jan\\doetanks"))  # type: ignore[arg-type]
    assert ws.rel(PureWindowsPath("C:\\Users\\jan\\doetanks\\tanks\\x\\doetank.yaml")) == "tanks/x/doetank.yaml"  # type: ignore[arg-type]


def test_status_over_450_changed_records_works_without_fork(ws: Workspace) -> None:
    """The first status after a big sync reads every record; under the simulation there is no os.fork to lean on."""
    build_tree(ws.root, {f"tanks/tank-{i:03d}/doetank.yaml": RECORD for i in range(450)})
    env = os.environ | {"PYTHONPATH": str(SIMULATION)}
    done = doetank(ws.root, "status", "--json", env=env)
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)) == 450


@pytest.mark.parametrize("main", ["a-launcher-without-guard", "python-m-doetank_cli"])
def test_spawned_workers_do_not_run_the_command_again(ws: Workspace, tmp_path: Path, main: str) -> None:
    """A spawned worker imports the main module again: a launcher (on Windows an .exe) or `python -m doetank_cli`
    (git's merge driver runs it so). Neither may run the command a second time in each worker."""
    build_tree(ws.root, {f"tanks/tank-{i}/doetank.yaml": RECORD for i in range(6)})
    launcher = tmp_path / "launcher.py"
    launcher.write_text(
        "import runpy, sys\n"
        "from doetank_cli import index, system\n"
        "system.start_method = lambda: 'spawn'\n"
        "index.PARALLEL_MIN = {'spawn': 2}\n"
        "used = []\n"
        "real = system.worker_pool\n"
        "system.worker_pool = lambda n: used.append(n) or real(n)\n"
        "sys.argv = ['doetank', 'status', '--json']\n"
        "try:\n"
        + (
            "    runpy.run_module('doetank_cli', run_name='__main__')\n"
            if main == "python-m-doetank_cli"
            else "    from doetank_cli.entry import main; main()\n"  # no `if __name__ == '__main__'`
        )
        + "finally:\n"
        "    print('POOLS', len(used), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, str(launcher)], cwd=ws.root, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("POOLS") == 1 and "POOLS 1" in done.stderr
    assert len(json.loads(done.stdout)) == 6  # one answer: no worker printed a second one


def test_an_editor_command_with_a_quote_that_does_not_close_is_exit_2_saying_where(
    ws: Workspace, tank: str, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VISUAL", '"C:\\Program Files\\Notepad++\\notepad++.exe -multiInst')
    result = run("edit", "slimmer")
    assert result.exit_code == 2 and "does not close" in result.stderr and "VISUAL" in result.stderr


def test_gits_utf8_is_read_as_utf8_whatever_the_locales_code_page(ws: Workspace, tank: str) -> None:
    """On Windows Python decodes a child's output with the ANSI code page; here the locale's is plain ASCII."""
    build_tree(ws.root, {"tanks/een-cafe/doetank.yaml": RECORD.replace("Slimmer vergaderen", "Één café")})
    git(ws.root, "add", "tanks")
    git(ws.root, "-c", "user.name=Łukasz Nowak", "commit", "-qm", "Één café")
    env = os.environ | {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""}
    done = doetank(ws.root, "log", "een-cafe", env=env)
    assert done.returncode == 0, done.stderr
    assert "Łukasz Nowak" in done.stdout.decode("utf-8")


def test_an_editor_path_whose_quotes_were_lost_on_the_way_is_still_found(
    on_windows: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows PowerShell 5.1 drops the quotes inside `'"C:\\Program Files\\...exe" -multiInst'`."""
    program = tmp_path / "Program Files" / "Notepad++" / "notepad++.exe"
    program.parent.mkdir(parents=True)
    program.write_text("")
    ran: list[object] = []
    monkeypatch.setattr("subprocess.run", lambda cmd, check: _ran(ran, cmd))
    editor = system.choose_editor(f"{program} -multiInst -nosession", None, env={})
    assert system.run_editor(editor, tmp_path / "note.md") == 0
    assert ran == [[str(program), "-multiInst", "-nosession", str(tmp_path / "note.md")]]


def test_an_editor_that_returns_at_once_gets_the_advice_to_wait(
    ws: Workspace, tank: str, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """VS Code without --wait returns before the person typed a word: nothing to commit, and why."""
    monkeypatch.setenv("EDITOR", f"{sys.executable} -c pass")
    result = run("edit", "slimmer")
    assert result.exit_code == 0 and "nothing changed" in result.stdout and "code --wait" in result.stderr


def test_output_that_cannot_be_written_is_exit_3_naming_the_file(
    ws: Workspace, tank: str, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(path: Path, text: str) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(system, "atomic_write", refused)
    result = run("report", "slimmer", "--output", "verslag.md")
    assert result.exit_code == 3 and "verslag.md cannot be written: Permission denied" in result.stderr


@pytest.mark.parametrize("command", [["status"], ["status", "slimmer"], ["check"]])
def test_output_started_on_a_terminal_holds_no_colour_codes(
    ws: Workspace, tank: str, run, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    from rich.console import Console

    from doetank_cli import render

    record(ws).write_text(RECORD.replace("rol: trekker", "rol: doetanker"))  # findings, in colour on a terminal
    monkeypatch.setattr(render, "console", Console(force_terminal=True, color_system="truecolor", width=100))
    run(*command, "--output", "uit.txt")
    written = (ws.root / "uit.txt").read_text("utf-8")
    assert "Slimmer vergaderen" in written or "DT012" in written
    assert "\x1b" not in written


def test_the_merge_driver_names_python_as_gits_shell_takes_it_on_windows(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(system, "PLATFORM", "win32")
    monkeypatch.setattr(sys, "executable", "C:\\Users\\Jan de Vries\\AppData\\Local\\Programs\\Python\\python.exe")
    repo.register_merge_driver(ws.root)
    driver = git(ws.root, "config", "merge.doetank.driver").strip()
    assert driver == (
        "'C:/Users/Jan de Vries/AppData/Local/Programs/Python/python.exe' -m doetank_cli merge-file %O %A %B %P"
    )
