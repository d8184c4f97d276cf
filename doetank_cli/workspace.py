"""Finding the workspace, making slugs, and the paths of a tank's files: the only module that knows the layout."""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from doetank_cli.errors import UsageError, WorkspaceError
from doetank_cli.i18n import _
from doetank_cli.vocab import Fase

RECORD = "doetank.yaml"
SCHEMA_FILE = "doetank.schema.json"
#: The first line of a record: editors with the YAML language server validate against the schema at the workspace root.
MODELINE = f"# yaml-language-server: $schema=../../{SCHEMA_FILE}"
STATE_DIR = ".doetank"
MAX_SLUG = 60
_SLUG_OK = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# letters that Unicode does not decompose into ASCII
_FOLD = str.maketrans(
    {
        "’": "'",
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "ø": "o",
        "Ø": "o",
        "œ": "oe",
        "Œ": "oe",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "þ": "th",
    }
)


def note_name(fase: Fase) -> str:
    return f"{fase.nummer:02d}-{fase.value}.md"


def slugify(name: str) -> str:
    """'Slimmer Vergaderen bij de Gemeente!' -> 'slimmer-vergaderen-bij-de-gemeente'. Empty when nothing is left."""
    folded = unicodedata.normalize("NFKD", name.translate(_FOLD))
    ascii_only = folded.encode("ascii", "ignore").decode("ascii").lower()
    # an apostrophe joins a word ("collega's" -> "collegas"); everything else that is not a letter or digit separates
    slug = re.sub(r"[^a-z0-9]+", "-", re.sub(r"(?<=[a-z0-9])'(?=[a-z0-9])", "", ascii_only)).strip("-")
    if len(slug) > MAX_SLUG:
        cut = slug[:MAX_SLUG]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return slug


def is_slug(text: str) -> bool:
    return bool(_SLUG_OK.match(text)) and len(text) <= MAX_SLUG


def is_path(name: str) -> bool:
    """A TANK argument that is a path (tanks/x/doetank.yaml) rather than a slug."""
    return "/" in name or os.sep in name


@dataclass(frozen=True)
class Workspace:
    root: Path

    @property
    def tanks(self) -> Path:
        return self.root / "tanks"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def state(self) -> Path:
        """Tool state kept out of git (the lock, later the index)."""
        return self.root / STATE_DIR

    def tank_dir(self, slug: str) -> Path:
        if not is_slug(slug):
            raise UsageError(
                _("'{slug}' is not a valid tank slug (lowercase letters, digits and hyphens).").format(slug=slug)
            )
        path = self.tanks / slug
        # a symlinked tank must still live inside tanks/
        if path.is_symlink() and not path.resolve().is_relative_to(self.tanks.resolve()):
            raise WorkspaceError(
                _("{path} points outside the workspace; doetank will not follow it.").format(path=self.rel(path))
            )
        return path

    @property
    def schema_path(self) -> Path:
        return self.root / SCHEMA_FILE

    def record_path(self, slug: str) -> Path:
        return self.tank_dir(slug) / RECORD

    def note_path(self, slug: str, fase: Fase) -> Path:
        return self.tank_dir(slug) / note_name(fase)

    def rel(self, path: Path) -> str:
        """A path as messages and JSON show it: relative to the workspace with / on every platform
        (tanks/x/doetank.yaml); a path outside the workspace in the platform's own form, to paste where it is used."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def slugs(self) -> list[str]:
        """Every tank folder, sorted; hidden entries and loose files are not tanks."""
        return self.scan()[0]

    def scan(self) -> tuple[list[str], list[str]]:
        """The tank folders, and the other entries of tanks/ (loose files, folders not named as a slug), both sorted."""
        if not self.tanks.is_dir():
            return [], []
        slugs: list[str] = []
        strays: list[str] = []
        for entry in os.scandir(self.tanks):
            if entry.name.startswith("."):
                continue
            (slugs if entry.is_dir() and is_slug(entry.name) else strays).append(entry.name)
        return sorted(slugs), sorted(strays)

    def slug_of(self, name: str) -> str:
        """A slug or prefix as `resolve` takes it, or the path of a tank's file or folder (as git hooks pass them)."""
        if not is_path(name):
            return self.resolve(name)
        path = Path(name).absolute()
        try:
            parts = path.relative_to(self.tanks.absolute()).parts
        except ValueError:
            parts = ()
        if not parts:
            raise UsageError(
                _("{path} is not inside {tanks}, so it belongs to no tank.").format(
                    path=name, tanks=self.rel(self.tanks)
                )
            )
        return self.resolve(parts[0])

    def resolve(self, name: str) -> str:
        """The slug a user means: the exact slug, else the one slug that starts with what they typed."""
        slugs = self.slugs()
        if name in slugs:
            return name
        wanted = slugify(name) or name
        if wanted in slugs:
            return wanted
        matches = [s for s in slugs if s.startswith(wanted)]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise UsageError(
                _("There is no tank '{name}' in {tanks}.").format(name=name, tanks=self.rel(self.tanks)),
                hint=_("'doetank status' lists the tanks."),
            )
        raise UsageError(
            _("'{name}' fits more than one tank: {matches}. Type more of the slug.").format(
                name=name, matches=", ".join(matches)
            )
        )


def find(root: str | os.PathLike[str] | None = None, start: Path | None = None) -> Workspace:
    """--root, else DOETANK_ROOT, else the nearest folder at or above `start` (default: here) that has tanks/."""
    given = root or os.environ.get("DOETANK_ROOT")
    if given:
        path = Path(given).expanduser().absolute()
        if not (path / "tanks").is_dir():
            raise WorkspaceError(
                _("{path} is not a doetank workspace: it has no tanks/ folder.").format(path=path),
                hint=_("Create one with 'doetank init {path}'.").format(path=path),
            )
        return Workspace(path)
    here = (start or Path.cwd()).absolute()
    for folder in (here, *here.parents):
        if (folder / "tanks").is_dir():
            return Workspace(folder)
    raise WorkspaceError(
        _("No doetank workspace here: no tanks/ folder in {path} or above it.").format(path=here),
        hint=_("Create one with 'doetank init', or point to one with --root or DOETANK_ROOT."),
    )
