"""Phase notes and their templates: which sections a phase requires, and whether a note fills them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from string import Template

from doetank_cli.model import Fase
from doetank_cli.store import read_text
from doetank_cli.workspace import Workspace, note_name

OPTIONAL = "(optioneel)"
_COMMENT = re.compile(r"<!--.*?(-->|\Z)", re.DOTALL)
_HEADING = re.compile(r"^##[ \t]+(.+?)[ \t#]*$")


def packaged_templates() -> Path:
    """The templates shipped in the wheel, or the repository's own when running from a checkout."""
    here = Path(__file__).parent
    shipped = here / "templates"
    return shipped if shipped.is_dir() else here.parent / "templates"


def template_path(ws: Workspace, fase: Fase) -> Path:
    """The workspace's own template (checked: no link out of templates/, no pipe), else the packaged one."""
    own = ws.template_path(fase)
    return own if own.is_file() else packaged_templates() / note_name(fase)


def template_text(ws: Workspace, fase: Fase) -> str:
    path = template_path(ws, fase)
    return read_text(path, ws.rel(path))


def _norm(heading: str) -> str:
    return " ".join(heading.split()).casefold()


def sections(text: str) -> dict[str, str]:
    """'## ' headings mapped to what stands under them, guidance comments removed."""
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    in_fence = False
    for line in _COMMENT.sub("", text).splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        match = None if in_fence else _HEADING.match(line)
        if match:
            current = found.setdefault(match.group(1).strip(), [])
        elif line.startswith("# ") and not in_fence:
            current = None  # a new top-level title ends the section
        elif current is not None:
            current.append(line)
    return {heading: "\n".join(body).strip() for heading, body in found.items()}


def strip_guidance(text: str) -> str:
    """A note without its HTML comments: guidance from the template, not content."""
    return _COMMENT.sub("", text)


def required_sections(template: str) -> list[str]:
    return [h for h in sections(template) if not h.rstrip().endswith(OPTIONAL)]


@dataclass(frozen=True)
class NoteCheck:
    """What a phase's note lacks: `exists` False, or the required sections that are absent or empty."""

    path: Path
    exists: bool
    empty_sections: list[str]

    @property
    def complete(self) -> bool:
        return self.exists and not self.empty_sections


def empty_sections(required: list[str], text: str) -> list[str]:
    """The required sections that a note's text lacks or leaves empty."""
    have = {_norm(h): body for h, body in sections(text).items()}
    return [h for h in required if not have.get(_norm(h))]


def check(ws: Workspace, slug: str, fase: Fase, text: str | None = None) -> NoteCheck:
    """What the phase's note lacks; `text`: the note as the caller read it already (the site reads every note once)."""
    path = ws.note_path(slug, fase)
    required = _required(template_path(ws, fase), ws)
    if text is not None:
        return NoteCheck(path, True, empty_sections(required, text))
    if not path.exists():
        return NoteCheck(path, False, required)
    return NoteCheck(path, True, empty_sections(required, read_text(path, ws.rel(path))))


_REQUIRED: dict[tuple[str, int, int], list[str]] = {}


def _required(path: Path, ws: Workspace) -> list[str]:
    """A template's required sections, read once while the file stays the same (10,000 tanks share six templates)."""
    try:
        st = path.stat()
    except OSError:
        return required_sections(read_text(path, ws.rel(path)))  # read_text names what is wrong with it
    key = (str(path), st.st_mtime_ns, st.st_size)
    if key not in _REQUIRED:
        _REQUIRED[key] = required_sections(read_text(path, ws.rel(path)))
    return list(_REQUIRED[key])


def render(ws: Workspace, fase: Fase, naam: str, slug: str, day: date) -> str:
    """A new note from its template: $naam, $slug and $datum (the day, written out as people write dates in the
    language of the interface: '28 november 2026') are substituted as text, nothing is evaluated."""
    from doetank_cli.i18n import datum

    return Template(template_text(ws, fase)).safe_substitute({"naam": naam, "slug": slug, "datum": datum(day)})
