"""DoetankError and its subclasses, each carrying the exit code the user gets; what an OSError means to the user."""

from __future__ import annotations

import errno
import os
from enum import IntEnum
from pathlib import Path

from doetank_cli.i18n import _


class ExitCode(IntEnum):
    OK = 0
    RULES = 1  # the spelregels are not met (check, advance)
    USAGE = 2  # a wrong option, name or argument
    DATA = 3  # a file that does not parse or does not fit the schema
    WORKSPACE = 4  # not a workspace, git missing or failing, a conflict
    BUG = 70  # an unexpected error: a bug in doetank (EX_SOFTWARE), never 1
    INTERRUPTED = 130  # Ctrl-C, or Ctrl-D at a question (128 + SIGINT, as shells report it)
    PIPE = 141  # the reader of the output went away (`doetank log | head`): 128 + SIGPIPE, as shells report it


class DoetankError(Exception):
    """An error the user can act on: printed as one sentence, never as a traceback."""

    exit_code: ExitCode = ExitCode.WORKSPACE

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(DoetankError):
    exit_code = ExitCode.USAGE


class DataError(DoetankError):
    exit_code = ExitCode.DATA


class WorkspaceError(DoetankError):
    exit_code = ExitCode.WORKSPACE


class GitError(WorkspaceError):
    pass


class RulesError(DoetankError):
    exit_code = ExitCode.RULES


def error_of(message: str, hint: str | None, exit_code: int) -> DoetankError:
    """An error rebuilt from its parts (as a worker process sends them back)."""
    kind = next(
        (cls for cls in (DataError, UsageError, RulesError, WorkspaceError) if cls.exit_code == exit_code), DoetankError
    )
    return kind(message, hint)


#: errors of the disk or the system, not of one file: the workspace cannot be written at all
_DISK = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EROFS, errno.EIO}


def os_error(exc: OSError, label: str | None = None, root: Path | None = None) -> DoetankError:
    """An OSError as one sentence that names the path and says what to do.

    Exit 3 for a file (it is missing, a folder, unreadable, a link that loops); exit 4 for the workspace itself (a
    full or read-only disk, the tool's own .doetank/ or git's .git/, the workspace folder, or no path at all).
    `label` is how the path is shown (relative to the workspace); `root` the workspace, when known.
    """
    raw = exc.filename if exc.filename is not None else exc.filename2
    path = label or (_shown(raw, root) if raw is not None else None)
    code = exc.errno
    if code in _DISK:
        message = (
            _("There is no space left on the disk to write {path}.")
            if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))
            else _("The disk refused to write {path} ({reason}).")
        ).format(path=path or _("the workspace"), reason=exc.strerror or code)
        return WorkspaceError(
            message, hint=_("Make room or fix the disk, then run the command again; no file was half-written.")
        )
    if path is None:
        return WorkspaceError(
            _("The system refused: {reason}.").format(reason=exc.strerror or exc),
            hint=_("Run the command again; if it keeps failing, check the disk and the workspace folder."),
        )
    kind = WorkspaceError if _of_the_workspace(raw, root) else DataError
    if isinstance(exc, PermissionError):
        return kind(
            _("{path}: permission denied.").format(path=path),
            hint=_("Give yourself read and write access to it (or ask who manages it), then run the command again."),
        )
    if isinstance(exc, FileNotFoundError):
        return kind(_("{path} is missing.").format(path=path))
    if isinstance(exc, IsADirectoryError):
        return kind(_("{path} is a folder, not a file.").format(path=path))
    if isinstance(exc, NotADirectoryError):
        return kind(
            _("{path}: a part of this path is a file where a folder should be.").format(path=path),
            hint=_("Move that file away, then run the command again."),
        )
    if isinstance(exc, FileExistsError):
        return kind(
            _("{path} is in the way: something of that name already exists.").format(path=path),
            hint=_("Move it away, then run the command again."),
        )
    if code == errno.ELOOP:
        return kind(
            _("{path} is a link that leads back to itself (a loop).").format(path=path),
            hint=_("Remove the link, or point it at a real file."),
        )
    if code == errno.ENAMETOOLONG:
        return kind(_("{path}: the name is too long for this disk.").format(path=path))
    return kind(
        _("{path}: {reason}.").format(path=path, reason=exc.strerror or exc),
        hint=_("Check the file and the disk, then run the command again."),
    )


def _shown(raw: object, root: Path | None) -> str:
    text = os.fsdecode(raw) if isinstance(raw, (str, bytes, os.PathLike)) else str(raw)
    if root is not None:
        try:
            return Path(text).absolute().relative_to(root).as_posix()
        except ValueError:
            pass
    return text


def _of_the_workspace(raw: object, root: Path | None) -> bool:
    """A path of the workspace as a whole (its folder, the tool's state, git's), not one of its files."""
    if root is None or not isinstance(raw, (str, bytes, os.PathLike)):
        return False
    path = Path(os.fsdecode(raw)).absolute()
    if path == root or path in root.parents:
        return True
    try:
        first = path.relative_to(root).parts[0]
    except (ValueError, IndexError):
        return False
    return first in (".git", ".doetank")
