"""DoetankError and its subclasses, each carrying the exit code the user gets."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    RULES = 1  # the spelregels are not met (check, advance)
    USAGE = 2  # a wrong option, name or argument
    DATA = 3  # a file that does not parse or does not fit the schema
    WORKSPACE = 4  # not a workspace, git missing or failing, a conflict


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
