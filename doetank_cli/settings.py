"""The user's own settings (taal, editor, naam, email): one small TOML file in the platform's folder for them.

Linux ~/.config/doetank/config.toml (or $XDG_CONFIG_HOME), macOS ~/Library/Application Support/doetank/config.toml,
Windows %APPDATA%\\doetank\\config.toml (the roaming profile, so the settings follow a person to another laptop).
Read at start-up for the language, so this module stays light: no Typer, no pydantic, tomllib only when the file is
there.
"""

from __future__ import annotations

import re
from pathlib import Path

FILE = "config.toml"


class Key:
    """A setting's name and the values it takes (none named: any text on one line)."""

    __slots__ = ("choices", "name")

    def __init__(self, name: str, choices: tuple[str, ...] = ()) -> None:
        self.name, self.choices = name, choices


KEYS = {key.name: key for key in (Key("taal", ("nl", "en")), Key("editor"), Key("naam"), Key("email"))}


class SettingsError(ValueError):
    """The settings file cannot be read: its path, and the line when there is one."""

    def __init__(self, path: Path, line: int | None, problem: str) -> None:
        super().__init__(problem)
        self.path, self.line, self.problem = path, line, problem


def folder() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir("doetank", appauthor=False, roaming=True))


def path() -> Path:
    return folder() / FILE


def read() -> dict[str, str]:
    """Every setting in the file (none when there is no file); SettingsError when the file is not valid TOML."""
    where = path()
    try:
        raw = where.read_bytes()
    except FileNotFoundError:
        return {}
    import tomllib

    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise SettingsError(where, raw[: exc.start].count(b"\n") + 1, "not UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)  # Python 3.14 names it; before, it is only in the message
        raise SettingsError(where, line, str(exc)) from None
    return {str(key): value for key, value in data.items() if isinstance(value, str)}


def get(name: str) -> str | None:
    """One setting as it may be used, or None; never an error (the language is read before anything can be said)."""
    try:
        value = read().get(name)
    except (OSError, SettingsError):
        return None
    key = KEYS.get(name)
    if value is None or key is None or (key.choices and value not in key.choices) or not usable(name, value):
        return None
    return value.strip() if name in ("naam", "email") else value


#: an e-mail address as git takes it for an author: something@somewhere, no spaces, no angle brackets
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+$")


def usable(name: str, value: str) -> bool:
    """Whether a value can be used for its setting, as `doetank config set` checks it and the file may hold it after an
    edit by hand: a name for the history has a letter or digit and no < or > (git refuses a name of only spaces or
    dots), an e-mail address is name@place; every value is printable text on one line."""
    value = value.strip() if name in ("naam", "email") else value
    if not value or not value.isprintable():
        return False
    if name == "naam":
        return "<" not in value and ">" not in value and any(c.isalnum() for c in value)
    if name == "email":
        return _EMAIL.match(value) is not None
    return True


def write(values: dict[str, str]) -> Path:
    """Replace the file with these settings (atomically); its path."""
    from doetank_cli import system

    lines = ["# doetank's settings for this user. Change them with: doetank config set NAME VALUE"]
    lines += [f"{name} = {_toml_string(value)}" for name, value in values.items()]
    target = path()
    system.atomic_write(target, "\n".join(lines) + "\n")
    return target


def _toml_string(value: str) -> str:
    """A TOML string: a literal one when it can be ('C:\\Program Files\\...' reads as written), else escaped."""
    if "'" not in value and not any(ord(c) < 0x20 or c == "\x7f" for c in value):
        return f"'{value}'"
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(f"\\u{ord(c):04x}" if ord(c) < 0x20 or c == "\x7f" else c for c in escaped)
    return f'"{escaped}"'


def mark_once(name: str) -> bool:
    """True the first time `name` is marked for this user (for a hint said once); True too when it cannot be kept."""
    try:
        place = folder()
        place.mkdir(parents=True, exist_ok=True)
        (place / name).touch(exist_ok=False)
    except FileExistsError:
        return False
    except OSError:
        return True
    return True
