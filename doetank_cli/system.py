"""What differs between Windows, macOS and Linux, in one place: no other module asks which platform it runs on.

The lock, atomic replacement of a file, the console's encoding, the editor, the OS's own language and worker
processes. This module holds mechanisms and facts, no words: the callers say what went wrong, in the user's
language. It imports nothing heavy at module level (i18n reads the OS language through it at start-up).
"""

from __future__ import annotations

import _thread
import os
import sys
import time
from contextlib import contextmanager, suppress
from pathlib import Path

TYPE_CHECKING = False  # typing itself is not imported: `doetank --version` reads the language through this module
if TYPE_CHECKING:
    from collections.abc import Iterator
    from multiprocessing.pool import Pool

#: the platform as sys.platform names it; tests set it to reach the code of another platform
PLATFORM = sys.platform


def windows() -> bool:
    return PLATFORM == "win32"


def macos() -> bool:
    return PLATFORM == "darwin"


# --------------------------------------------------------------------------- paths


def shell_path(path: str) -> str:
    """A program's path as a POSIX shell takes it: git runs merge drivers and editors through sh, also in Git for
    Windows, where C:/Users/... is safe and C:\\Users\\... depends on quoting."""
    if windows():
        from pathlib import PureWindowsPath

        return PureWindowsPath(path).as_posix()
    return path


# --------------------------------------------------------------------------- the lock


class Busy(Exception):
    """Another process held the lock for longer than the caller would wait."""


@contextmanager
def lock(path: Path, timeout: float) -> Iterator[None]:
    """One holder at a time across processes, by the OS's own file lock (released by the OS when a process dies).

    filelock takes flock on Linux and macOS and msvcrt's locking on Windows. Where neither exists it falls back to a
    lock file and says so in a warning meant for developers; users are spared it. Busy when another holder keeps the
    lock longer than `timeout` seconds.
    """
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "only soft file lock is available"
        import filelock  # costs ~40 ms, so only on the write path

    held = filelock.FileLock(str(path), timeout=timeout)
    try:
        held.acquire()
    except filelock.Timeout:
        raise Busy(str(path)) from None
    try:
        yield
    finally:
        held.release()


# --------------------------------------------------------------------------- writing a file whole

#: how often, and how long in all (about 3 s), a refused rename is tried again on Windows
REPLACE_ATTEMPTS = 10
_sleep = time.sleep  # tests replace it, so that retries cost no time


def replace(source: str | Path, target: str | Path) -> None:
    """os.replace, tried again for a moment on Windows, where a file that another program holds open (a virus
    scanner, OneDrive, an editor's preview) cannot be replaced. On macOS and Linux a refusal is final at once."""
    delay = 0.05
    for attempt in range(1, REPLACE_ATTEMPTS + 1):
        try:
            os.replace(source, target)
            return
        except PermissionError:
            if not windows() or attempt == REPLACE_ATTEMPTS:
                raise
            _sleep(delay)
            delay = min(delay * 2, 0.5)


def fsync_dir(folder: Path) -> None:
    """Make a rename durable where the OS allows it. Windows cannot open a folder (and NTFS journals the rename);
    some file systems (network shares, FUSE) refuse to sync one. There the rename stands as it is."""
    if windows():
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write(path: Path, text: str | bytes) -> None:
    """Write via a temp file in the same folder, fsync, rename: a crash leaves the old file or the new one. Text as
    UTF-8 with its line endings exactly as given (no translation on Windows); bytes as they are."""
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    _remove_stale_temps(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8") if isinstance(text, str) else text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def _remove_stale_temps(path: Path) -> None:
    """Temp files a killed process left beside `path`; a minute old means no live writer still owns them."""
    import glob

    cutoff = time.time() - 60
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        with suppress(OSError):
            if stale.stat().st_mtime < cutoff:
                stale.unlink()


# --------------------------------------------------------------------------- the console


def configure_output() -> None:
    """UTF-8 whenever output goes to a file or a pipe, whatever the code page (a redirect on Windows would otherwise
    crash on the first 'Ł' or '✗'); on a terminal, the terminal's own encoding, with what it cannot show replaced.

    Each way in (entry.main, cli.main, warm.run) calls it: a second call finds the streams as the first left them
    and changes nothing (no flag: a test may put another stream in place between two calls)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        try:
            terminal = stream.isatty()
        except (OSError, ValueError):
            continue
        if terminal:
            reconfigure(errors="replace")
        elif (stream.encoding or "").lower().replace("-", "").replace("_", "") != "utf8":
            reconfigure(encoding="utf-8", errors="replace")


# --------------------------------------------------------------------------- the OS's own language


def ui_language() -> str | None:
    """The language of the OS's own interface ('nl_NL', 'nl-NL', 'en-US'), where the OS says so apart from the
    locale variables: Windows and macOS. None elsewhere, or when the OS does not answer."""
    try:
        if windows():
            import locale

            return locale.windows_locale.get(_windows_ui_langid())
        if macos():
            return _apple_language(_run_quietly(["defaults", "read", "-g", "AppleLanguages"]))
    except Exception:  # the language is looked up at start-up: nothing the OS does may stop the program there
        return None
    return None


def _windows_ui_langid() -> int:
    import ctypes

    return int(ctypes.windll.kernel32.GetUserDefaultUILanguage())  # type: ignore[attr-defined]


def _run_quietly(argv: list[str]) -> str:
    import subprocess

    done = subprocess.run(
        argv, capture_output=True, encoding="utf-8", errors="replace", timeout=3, stdin=subprocess.DEVNULL, check=False
    )
    return done.stdout if done.returncode == 0 else ""


def _apple_language(listed: str) -> str | None:
    """The first entry of `defaults read -g AppleLanguages`: a list such as ( "nl-NL", "en-NL" )."""
    for line in listed.splitlines():
        entry = line.strip().strip(",").strip('"').strip()
        if entry and entry not in "()":
            return entry
    return None


# --------------------------------------------------------------------------- the editor


class Editor:
    """The editor to open a note in: the command as split into arguments, as the user wrote it, and where it came
    from: VISUAL, EDITOR, setting (doetank config), git (core.editor) or default (nobody chose one)."""

    __slots__ = ("argv", "shown", "source")

    def __init__(self, argv: list[str], shown: str, source: str) -> None:
        self.argv, self.shown, self.source = argv, shown, source

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Editor) and (self.argv, self.shown, self.source) == (
            other.argv,
            other.shown,
            other.source,
        )

    def __repr__(self) -> str:
        return f"Editor({self.argv!r}, {self.shown!r}, {self.source!r})"

    @property
    def fallback(self) -> bool:
        return self.source == "default"


class BadCommand(ValueError):
    """An editor command that cannot be split (a quote that does not close): the command and where it came from."""

    def __init__(self, shown: str, source: str) -> None:
        super().__init__(shown)
        self.shown, self.source = shown, source


def choose_editor(setting: str | None, git_editor: str | None, env: dict[str, str] | None = None) -> Editor:
    """$VISUAL, $EDITOR, the user's setting, git's core.editor when someone set it, else the platform's plain editor.

    git's value is a command for a POSIX shell (git runs it through sh, on Windows too), so it is split as sh would;
    the others on Windows by the rules of the Windows command line, where a backslash is a path separator.
    """
    env = dict(os.environ) if env is None else env
    chosen = [("VISUAL", env.get("VISUAL")), ("EDITOR", env.get("EDITOR")), ("setting", setting), ("git", git_editor)]
    for source, value in chosen:
        if value and value.strip():
            try:
                return Editor(split_command(value, sh=source == "git"), value, source)
            except ValueError:
                raise BadCommand(value, source) from None
    import shutil

    default = "notepad" if windows() else "nano" if shutil.which("nano") else "vi"
    return Editor([default], default, "default")


def split_command(command: str, *, sh: bool = False) -> list[str]:
    """A command line as a list of arguments. A value that is itself the path of a program (spaces and all) is kept
    whole. `sh`: written for sh (git's core.editor). Otherwise Windows' rules on Windows, POSIX shell rules
    elsewhere. ValueError for quotes that do not close."""
    command = command.strip()
    if Path(command).is_file():
        return [command]
    if sh or not windows() or command.startswith("'"):
        import shlex

        return shlex.split(command)
    return split_windows(command)


def split_windows(command: str) -> list[str]:
    """Split as the Windows C runtime (CommandLineToArgvW) does: white space separates, double quotes group, and a
    backslash is literal unless it stands before a double quote (2n backslashes and a quote: n backslashes and the
    quote groups; 2n+1: n backslashes and a literal quote)."""
    args: list[str] = []
    current: list[str] = []
    quoted = started = False
    i = 0
    while i < len(command):
        char = command[i]
        if char == "\\":
            end = i
            while end < len(command) and command[end] == "\\":
                end += 1
            count = end - i
            if end < len(command) and command[end] == '"':
                current.append("\\" * (count // 2))
                if count % 2:
                    current.append('"')
                    end += 1
            else:
                current.append("\\" * count)
            i, started = end, True
            continue
        if char == '"':
            if quoted and command[i + 1 : i + 2] == '"':  # "" inside quotes: one literal quote
                current.append('"')
                i += 1
            else:
                quoted = not quoted
            started = True
        elif char in " \t" and not quoted:
            if started:
                args.append("".join(current))
                current, started = [], False
        else:
            current.append(char)
            started = True
        i += 1
    if quoted:
        raise ValueError("No closing quotation")
    if started:
        args.append("".join(current))
    return args


def run_editor(editor: Editor, path: Path) -> int:
    """Open `path` in the editor and wait for it; its exit code. FileNotFoundError when the program is not there.

    The program is looked up on PATH as the OS does (on Windows with PATHEXT, so `code` finds code.cmd). A batch file
    runs through cmd.exe, which would read & | < > in an unquoted argument as its own: every argument is quoted."""
    import shutil
    import subprocess

    if not editor.argv:
        raise FileNotFoundError(editor.shown)
    program, rest = None, editor.argv[1:]
    for end in range(1, len(editor.argv) + 1):
        # a path with spaces that lost its quotes (Windows PowerShell 5.1 drops quotes inside an argument): the
        # first run of words that names a program, as Windows' CreateProcess itself tries them
        candidate = " ".join(editor.argv[:end])
        found = shutil.which(candidate) or (candidate if Path(candidate).is_file() else None)
        if found:
            program, rest = found, editor.argv[end:]
            break
    if program is None:
        raise FileNotFoundError(editor.argv[0])
    argv = [program, *rest, str(path)]
    command: list[str] | str = argv
    if windows() and program.lower().endswith((".cmd", ".bat")):
        command = " ".join(f'"{arg}"' for arg in argv)
    return subprocess.run(command, check=False).returncode


# --------------------------------------------------------------------------- worker processes


def start_method() -> str:
    """How worker processes start: fork on Linux (at once, with everything imported), spawn on macOS (where fork is
    unsafe) and Windows (where there is none), and wherever os.fork is missing. A process that runs other threads
    (doetank serve answers each request in one) spawns too: a fork copies only the calling thread, and a lock that
    another thread held at that moment stays held in the child for good (a worker that hangs, and the page with it)."""
    import threading

    if threading.active_count() > 1:
        return "spawn"
    return "fork" if PLATFORM.startswith("linux") and hasattr(os, "fork") else "spawn"


#: one pool of workers at a time in a process: serve answers requests in threads, and each request that reads many
#: changed records would otherwise start a pool of its own (forty at once: hundreds of processes), and two threads
#: swapping __main__ at once could leave the empty one in place for good. (_thread: the lock without importing
#: threading on the warm path.)
_POOL_LOCK = _thread.allocate_lock()


@contextmanager
def worker_pool(workers: int) -> Iterator[Pool]:
    """A pool of worker processes that works under either start method; one at a time in a process.

    A spawned worker would import the main module again: the doetank launcher (on Windows an .exe that no worker can
    import) or `python -m doetank_cli`, which would run the command a second time. The workers need nothing from it
    (their function lives in a doetank module), so while they start, __main__ is an empty module.
    """
    import multiprocessing
    import types

    with _POOL_LOCK:
        context = multiprocessing.get_context(start_method())
        main = sys.modules["__main__"]
        if context.get_start_method() != "fork":
            sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            pool = context.Pool(workers)
        finally:
            sys.modules["__main__"] = main
        with pool:
            yield pool
