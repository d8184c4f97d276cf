"""Finding the workspace, making slugs, and the paths of a tank's files: the only module that knows the layout."""

from __future__ import annotations

import hashlib
import os
import re
import stat
import time
import unicodedata
from pathlib import Path
from typing import NamedTuple

from doetank_cli.errors import DataError, UsageError, WorkspaceError, os_error
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


#: names Windows keeps for devices, in any case and with any extension: a folder called `con` breaks a checkout there
WINDOWS_RESERVED = frozenset({"con", "prn", "aux", "nul"} | {f"{d}{n}" for d in ("com", "lpt") for n in range(1, 10)})


def _folded(name: str) -> str:
    """The name as lowercase ASCII words joined by hyphens, however long (diacritics and ligatures folded)."""
    folded = unicodedata.normalize("NFKD", name.translate(_FOLD))
    ascii_only = folded.encode("ascii", "ignore").decode("ascii").lower()
    # an apostrophe joins a word ("collega's" -> "collegas"); everything else that is not a letter or digit separates
    return re.sub(r"[^a-z0-9]+", "-", re.sub(r"(?<=[a-z0-9])'(?=[a-z0-9])", "", ascii_only)).strip("-")


def slugify(name: str) -> str:
    """'Slimmer Vergaderen bij de Gemeente!' -> 'slimmer-vergaderen-bij-de-gemeente'. Empty when the name has no letters
    or digits at all.

    A name in a script that does not fold to ASCII (Arabic, Hebrew, Chinese, ...) gets `tank-` and a short hash of the
    name: the same name gives the same slug every time, so it can be typed as TANK and a second tank of that name is
    refused as for any other. A name Windows reserves (con, nul, com1, ...) gets `-tank` after it.
    """
    slug = _folded(name)
    if not slug:
        key = unicodedata.normalize("NFC", " ".join(name.split())).casefold()
        if not any(unicodedata.category(c)[0] in "LN" for c in key):
            return ""
        return "tank-" + hashlib.blake2s(key.encode("utf-8", "surrogatepass"), digest_size=4).hexdigest()
    if len(slug) > MAX_SLUG:
        cut = slug[:MAX_SLUG]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    if slug in WINDOWS_RESERVED:
        slug += "-tank"
    return slug


def _scan(tanks: Path) -> tuple[list[str], list[str], bool]:
    """The tank folders and the other entries, and whether any entry is a link (its target decides which it is)."""
    slugs: list[str] = []
    strays: list[str] = []
    linked = False
    for entry in os.scandir(tanks):
        if entry.name.startswith("."):
            continue
        # a junction (Windows) is a link too; its lstat comes with the listing there, so it costs no call
        linked = linked or entry.is_symlink() or (os.name == "nt" and _is_link(entry.stat(follow_symlinks=False)))
        (slugs if entry.is_dir() and is_slug(entry.name) else strays).append(entry.name)
    return sorted(slugs), sorted(strays), linked


#: the last scan of each tanks/ folder, kept by a long-running process (serve) once remember_scans() is called, and
#: used while the folder's own stat is the same: adding, removing or renaming an entry changes a folder's modification
#: time on every file system. A folder changed within two seconds of its scan is scanned every time (a clock that did
#: not tick in between would hide a change, as the index says of records). Nor is a scan with a link in it kept: a
#: link is a tank or a loose entry as its target is a folder or not, and the target changes without tanks/ changing.
_scans: dict[str, tuple[tuple[int, int, int, int], tuple[str, ...], tuple[str, ...]]] | None = None
_RACY_NS = 2_000_000_000


def remember_scans() -> None:
    """Keep the last scan of tanks/ between calls, for a process that asks again and again (serve's board)."""
    global _scans  # one switch for the whole process
    if _scans is None:
        _scans = {}


def is_slug(text: str) -> bool:
    return bool(_SLUG_OK.match(text)) and len(text) <= MAX_SLUG


def special_kind(mode: int) -> str | None:
    """What a file is when it is not a file or a folder (a named pipe, a device, a socket): such things hang or have
    effects when opened, so doetank names them and never opens them."""
    if stat.S_ISFIFO(mode):
        return _("a named pipe (FIFO)")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("a device")
    if stat.S_ISSOCK(mode):
        return _("a socket")
    return None


def refuse_special(mode: int, label: str) -> None:
    kind = special_kind(mode)
    if kind is not None:
        raise DataError(
            _("{file} is {kind}, not a file; doetank does not open it.").format(file=label, kind=kind),
            hint=_("Remove it, or put a real file in its place."),
        )


def _is_link(st: os.stat_result) -> bool:
    """A symbolic link, or on Windows a junction (a link to a folder that lstat does not call a link)."""
    junction = getattr(stat, "IO_REPARSE_TAG_MOUNT_POINT", 0xA0000003)
    return stat.S_ISLNK(st.st_mode) or (junction != 0 and getattr(st, "st_reparse_tag", 0) == junction)


def _within(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)


def brief(text: str, limit: int = 80) -> str:
    """Text a person typed, short enough to quote in a message."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _check_slug(slug: str) -> None:
    if not is_slug(slug):
        raise UsageError(
            _("'{slug}' is not a valid tank slug (lowercase letters, digits and hyphens).").format(slug=brief(slug))
        )


def is_path(name: str) -> bool:
    """A TANK argument that is a path (tanks/x/doetank.yaml) rather than a slug."""
    return "/" in name or os.sep in name


class Workspace(NamedTuple):  # immutable and comparable, as a frozen dataclass, without its cost at start-up
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

    # ----------------------------------------------------------------------- the boundary

    def area(self, folder: Path) -> Path:
        """tanks/ or templates/ (or the root itself) as it really is on disk; a link that takes it outside the
        workspace is refused (exit 4: the workspace itself is wrong), before anything is read or written there."""
        try:
            linked = folder != self.root and _is_link(os.lstat(folder))
        except FileNotFoundError:
            return folder
        except OSError as exc:
            raise os_error(exc, self.rel(folder), self.root) from None
        if not linked:
            return folder
        real, root = Path(os.path.realpath(folder)), Path(os.path.realpath(self.root))
        if real == root or not _within(real, root):
            raise WorkspaceError(
                _("{path} is a link to {target}, outside the workspace; doetank will not follow it.").format(
                    path=self.rel(folder), target=real
                ),
                hint=_("Make {path} a real folder inside the workspace.").format(path=self.rel(folder)),
            )
        return real

    def inside(self, path: Path, folder: Path) -> Path:
        """`path` (a file or folder under `folder`: tanks/, templates/ or the root) checked before it is used.

        Every link along it must lead to a place inside `folder`; a named pipe, device or socket is refused without
        being opened; a link loop is named (all exit 3). Returns `path` as it was given: paths in messages and in git
        stay the workspace's own. What does not exist yet is fine (it will be made inside a checked folder).
        """
        real_folder: Path | None = None
        current = folder
        self.area(folder)
        for part in path.relative_to(folder).parts:
            current = current / part
            try:
                st = os.lstat(current)
            except FileNotFoundError:
                return path
            except OSError as exc:
                raise os_error(exc, self.rel(current), self.root) from None
            mode = st.st_mode
            if _is_link(st):
                real_folder = real_folder or Path(os.path.realpath(self.area(folder)))
                target = Path(os.path.realpath(current))
                if not _within(target, real_folder):
                    raise DataError(
                        _("{path} is a link to {target}, outside {folder}; doetank will not follow it.").format(
                            path=self.rel(current), target=target, folder=self.rel(folder) or "."
                        ),
                        hint=_("Remove the link, or put the real file in its place."),
                    )
                try:
                    mode = os.stat(current).st_mode
                except FileNotFoundError:
                    return path  # a link to nothing (inside): as good as missing; a write replaces the link
                except OSError as exc:
                    raise os_error(exc, self.rel(current), self.root) from None
            refuse_special(mode, self.rel(current))
        return path

    def tank_dir(self, slug: str) -> Path:
        _check_slug(slug)
        return self.inside(self.tanks / slug, self.tanks)

    @property
    def schema_path(self) -> Path:
        return self.root / SCHEMA_FILE

    def record_path(self, slug: str) -> Path:
        return self._tank_file(slug, RECORD)

    def note_path(self, slug: str, fase: Fase) -> Path:
        return self._tank_file(slug, note_name(fase))

    def _tank_file(self, slug: str, name: str) -> Path:
        _check_slug(slug)
        return self.inside(self.tanks / slug / name, self.tanks)

    def template_path(self, fase: Fase) -> Path:
        """The workspace's own template for a phase (checked like a tank's files); it may not exist."""
        return self.inside(self.templates / note_name(fase), self.templates)

    def root_file(self, name: str) -> Path:
        """A file at the workspace root that doetank reads and writes (.gitattributes, the schema), checked."""
        return self.inside(self.root / name, self.root)

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
        tanks = self.area(self.tanks)
        if _scans is None:
            return _scan(tanks)[:2] if tanks.is_dir() else ([], [])
        try:
            st = os.stat(tanks)
        except OSError:
            return [], []
        if not stat.S_ISDIR(st.st_mode):
            return [], []
        key, place = (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino), str(tanks)
        kept = _scans.get(place)
        if kept is not None and kept[0] == key:
            return list(kept[1]), list(kept[2])
        started = time.time_ns()
        slugs, strays, linked = _scan(tanks)
        if not linked and started - max(st.st_mtime_ns, st.st_ctime_ns) > _RACY_NS:
            _scans[place] = (key, tuple(slugs), tuple(strays))
        return slugs, strays

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
        if not name.strip():
            raise UsageError(
                _("TANK is empty; name a tank by its slug (a unique prefix will do)."),
                hint=_("'doetank status' lists the tanks."),
            )
        slugs = self.slugs()
        if name in slugs:
            return name
        wanted = slugify(name) or name
        if len(_folded(name)) > MAX_SLUG:
            # a long name is cut to make a slug: the cut may name another tank, so only a slug itself is taken
            slugs = []
        if wanted in slugs:
            return wanted
        matches = [s for s in slugs if s.startswith(wanted)]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise UsageError(
                _("There is no tank '{name}' in {tanks}.").format(name=brief(name), tanks=self.rel(self.tanks)),
                hint=_("'doetank status' lists the tanks."),
            )
        raise UsageError(
            _("'{name}' fits more than one tank: {matches}. Type more of the slug.").format(
                name=brief(name), matches=", ".join(matches)
            )
        )


def ensure_state(ws: Workspace) -> Path:
    """The tool's own folder in the workspace (lock, index, crash reports), which ignores itself in git.

    It must be a real folder: a file in its way, or a link (which a colleague could commit, to send the index and the
    lock somewhere else on your disk), is refused with exit 4.
    """
    try:
        st = os.lstat(ws.state)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise os_error(exc, ws.rel(ws.state), ws.root) from None
    if st is not None and not stat.S_ISDIR(st.st_mode):
        raise WorkspaceError(
            _("{path} is not a folder; doetank keeps its lock and index in a folder of that name.").format(
                path=ws.rel(ws.state)
            ),
            hint=_("Move {path} away (it is not part of any tank), then run the command again.").format(
                path=ws.rel(ws.state)
            ),
        )
    try:
        ws.state.mkdir(exist_ok=True)
        ignore = ws.state / ".gitignore"
        if not ignore.exists():
            ignore.write_text("*\n", encoding="utf-8")
    except OSError as exc:
        raise os_error(exc, root=ws.root) from None
    return ws.state


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
