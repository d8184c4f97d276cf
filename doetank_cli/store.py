"""Reading and writing tank files: YAML round trip, validation with file and line, atomic writes, the lock.

The only module that writes under tanks/.
"""

from __future__ import annotations

import codecs
import difflib
import io
import os
import re
import stat
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, ScalarString

from doetank_cli import system
from doetank_cli.errors import DataError, WorkspaceError, os_error
from doetank_cli.i18n import N_, _, getal
from doetank_cli.model import KEY_ORDER, Doetank
from doetank_cli.workspace import MODELINE, Workspace, refuse_special
from doetank_cli.workspace import ensure_state as ensure_state  # it moved to workspace.py; kept here for its callers

WIDTH = 4096  # never fold a long vraagstuk over several lines
_CONFLICT = re.compile(r"^(<{7}|>{7}|={7})(\s|$)", re.MULTILINE)
#: the tag of the comment lines a merge writes at the top of a record for each undecided clash (merge.py)
CONFLICT_TAG = "doetank-conflict:"
CONFLICT_NOTE = f"# {CONFLICT_TAG}"
_FLOW_RISK = re.compile(r"[?:,\[\]{}#&*!|>'\"%@`]|^[-?\s]|\s$")
_DATE_LIKE = re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b")
#: mappings written inline, as a person would: `kickoff: {datum: ..., locatie: ...}`
FLOW_KEYS = {"kickoff", "fases"}


def _roundtrip_yaml(mapping: int = 2, sequence: int = 4, offset: int = 2) -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = WIDTH
    # records hold no anchors (they are refused on reading): one value used twice, such as today's date for afgerond
    # and for the last step of geschiedenis, is written out twice, never as &id001 / *id001
    yaml.representer.ignore_aliases = lambda *args: True
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    # one value used twice in a change (today's date as `afgerond` and in geschiedenis) is written out twice, never
    # as an anchor and alias, which the reader refuses
    yaml.representer.ignore_aliases = lambda data: True
    return yaml


_safe_yaml = YAML(typ="safe")  # the C loader when ruamel.yaml.clib is installed


class _Yaml12Resolver(VersionedResolver):
    """ruamel's resolver with YAML 1.2's rules chosen once. The usual one asks the scanner which YAML version the
    document declares at every scalar, a third of a record's load. (The C parser never tells it another version;
    a record that declares one is refused before it is read: `_refuse_other_versions`.)"""

    _table: Any = None

    @property
    def processing_version(self) -> Any:
        return (1, 2)

    @property
    def versioned_resolver(self) -> Any:
        if self._table is None:
            self._table = VersionedResolver.versioned_resolver.fget(self)  # type: ignore[attr-defined]
        return self._table


_fast_yaml = YAML(typ="safe")
_fast_yaml.Resolver = _Yaml12Resolver

#: a %YAML directive: only before the document, at the start of a line
_VERSION_DIRECTIVE = re.compile(r"^%YAML[ \t]+(\S*)", re.MULTILINE)

# --------------------------------------------------------------------------- reading


#: a record is a few kilobytes; anything this large is not one (and is refused before it is read)
MAX_RECORD = 1024 * 1024


#: a note (or template) is prose of a few pages; a file this large is not one. It is refused before it is read: a
#: gigabyte of repeated text travels through git as a few kilobytes, and would stall every colleague's site and status
MAX_TEXT = 8 * 1024 * 1024


def read_bytes(path: Path, label: str, limit: int | None = None, *, kind: str = "record") -> bytes:
    """A file's bytes, the one way doetank reads a file of the workspace: a named pipe, device or socket is refused
    before it is opened (opening one can hang or have effects), a file over `limit` before it is read (`kind`
    "record" or "text" says which in the message), and every OS error is a sentence naming `label`."""
    try:
        st = os.stat(path)
        refuse_special(st.st_mode, label)
        if stat.S_ISDIR(st.st_mode):
            raise DataError(_("{file} is a folder, not a file.").format(file=label))
        if limit is not None and st.st_size > limit:
            size, most = getal(st.st_size / 1024 / 1024), getal(limit / 1024 / 1024)
            if kind == "text":
                raise DataError(
                    _("{file} is {size} MB, too large for a note (at most {limit} MB); is it the right file?").format(
                        file=label, size=size, limit=most
                    ),
                    hint=_("A note is text: put pictures and documents beside it as files of their own."),
                )
            raise DataError(
                _(
                    "{file} is {size} MB, too large for a tank record (at most {limit} MB); is it the right file?"
                ).format(file=label, size=size, limit=most)
            )
        # O_NONBLOCK: should the file have been swapped for a pipe since the stat, opening it still cannot hang
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
        with os.fdopen(os.open(path, flags), "rb") as handle:
            mode = os.fstat(handle.fileno()).st_mode
            refuse_special(mode, label)
            if stat.S_ISDIR(mode):
                raise DataError(_("{file} is a folder, not a file.").format(file=label))
            return handle.read()
    except OSError as exc:
        raise os_error(exc, label) from None


def read_text(path: Path, label: str) -> str:
    """A file's text (a note, a template): UTF-8 (a BOM is allowed), at most MAX_TEXT, with a clear error for anything
    else."""
    return decode(read_bytes(path, label, MAX_TEXT, kind="text"), label)


def decode(raw: bytes, label: str) -> str:
    """UTF-8 text with \n line ends, whatever the file had (a Windows editor's \r\n, an old Mac's \r)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            _("{file}:{line}: the file is not UTF-8 text (byte {byte} at position {pos}).").format(
                file=label, line=line, byte=hex(raw[exc.start]), pos=exc.start
            ),
            hint=_("Save it as UTF-8 in your editor."),
        ) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    conflict = _CONFLICT.search(text)
    if conflict:
        line = text[: conflict.start()].count("\n") + 1
        raise DataError(
            _("{file}:{line}: the file holds an unresolved git merge conflict ('{marker}').").format(
                file=label, line=line, marker=conflict.group(1)
            ),
            hint=_("Decide between the versions with 'doetank resolve', then run the command again."),
        )
    return text


_MARKERS = re.compile(r"^<{7}(?: |$).*?^>{7}(?: |$)", re.MULTILINE | re.DOTALL)


def marker_line(text: str) -> int | None:
    """The line where git's conflict markers begin in a text (a note may underline a heading with =======)."""
    found = _MARKERS.search(text)
    return text[: found.start()].count("\n") + 1 if found else None


def conflict_notes(text: str) -> list[str]:
    """The clash notes a merge left in a record's text: comment lines that start with CONFLICT_NOTE."""
    return [text.splitlines()[n - 1] for n in conflict_lines(text)]


def conflict_lines(text: str) -> list[int]:
    """The numbers of the lines that are clash notes. A merge writes them at the start of a line; such a line is a
    comment unless it continues a quoted value, which removing it would change (checked only when one is found)."""
    if CONFLICT_NOTE not in text:
        return []
    lines = text.splitlines()
    found = [n for n, line in enumerate(lines, start=1) if line.startswith(CONFLICT_NOTE)]
    if not found:
        return []
    try:
        without = "\n".join(line for n, line in enumerate(lines, start=1) if n not in set(found))
        if _safe_yaml.load(without) != _safe_yaml.load(text):
            return []
    except (YAMLError, ValueError):
        return found  # no longer a record without them either way: they are what keeps it from being decided
    return found


def _yaml_error(exc: Exception, text: str, label: str) -> DataError:
    if isinstance(exc, ReaderError) and isinstance(exc.position, int) and isinstance(exc.character, int):
        # a control character (ESC, NUL ...), also in a comment, that YAML refuses: say which line, as for the rest
        return DataError(
            _("{file}:{line}: the file holds the control character {char}, which YAML does not allow.").format(
                file=label, line=text[: exc.position].count("\n") + 1, char=f"U+{exc.character:04X}"
            ),
            hint=_("Remove it in your editor; it is invisible in most of them, so retype the line."),
        )
    if isinstance(exc, MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or _("invalid YAML")
        line = mark.line + 1 if mark is not None else 1
        lines = text.splitlines()
        hint = None
        if 0 < line <= len(lines) and "\t" in lines[line - 1]:
            hint = _(
                "Line {line} holds a tab: YAML indents with spaces only, and text with a tab in it needs quotes."
            ).format(line=line)
        return DataError(
            _("{file}:{line}: {problem}.").format(file=label, line=line, problem=problem.rstrip(".")), hint=hint
        )
    if isinstance(exc, ValueError):
        # ruamel raises a bare ValueError for a date such as 2026-13-45: find the line ourselves
        for number, line_text in enumerate(text.splitlines(), start=1):
            for token in _DATE_LIKE.findall(line_text):
                try:
                    date.fromisoformat(token)
                except ValueError:
                    return DataError(
                        _("{file}:{line}: '{value}' is not a date; write it as YYYY-MM-DD.").format(
                            file=label, line=number, value=token
                        )
                    )
        return DataError(_("{file}: {problem}.").format(file=label, problem=exc))
    return DataError(_("{file}: the file is not valid YAML: {problem}.").format(file=label, problem=exc))


def _parse(yaml: YAML, text: str, label: str) -> Any:
    _refuse_aliases(text, label)
    _refuse_other_versions(text, label)
    try:
        return yaml.load(text)
    except (YAMLError, ValueError) as exc:
        raise _yaml_error(exc, text, label) from None
    except RecursionError:
        raise DataError(
            _("{file}: lists or mappings are nested too deeply to be a tank record.").format(file=label)
        ) from None


def _refuse_other_versions(text: str, label: str) -> None:
    """A record is YAML 1.2. One that declares another version (`%YAML 1.1`, where `yes` is true and `010` is eight)
    would mean one thing to the round trip that changes it, which follows the directive, and another to every bulk
    read, which does not: it is refused, by its line."""
    if "%" not in text:  # the usual case costs one scan of the text
        return
    for found in _VERSION_DIRECTIVE.finditer(text):
        if found.group(1) != "1.2":
            raise DataError(
                _(
                    "{file}:{line}: the record says it is YAML {version}; tank records are YAML 1.2. Remove this line."
                ).format(file=label, line=text.count("\n", 0, found.start()) + 1, version=found.group(1))
            )


def _refuse_aliases(text: str, label: str) -> None:
    """Records use no anchors or aliases: refusing them keeps a few lines from expanding into millions of values."""
    if "&" not in text and "*" not in text:  # the usual case costs one scan of the text
        return
    try:
        for event in _safe_yaml.parse(text):
            if isinstance(event, AliasEvent) or getattr(event, "anchor", None):
                raise DataError(
                    _(
                        "{file}:{line}: the record uses YAML anchors and aliases (&{name} / "
                        "*{name}); tank records do not. Write the values out."
                    ).format(file=label, line=event.start_mark.line + 1, name=event.anchor)
                )
    except YAMLError:
        return  # not valid YAML at all: the load that follows says where


def load_plain(text: str, label: str) -> Any:
    """A record's text as plain data (the safe loader; anchors refused), not validated: a version from git's history."""
    return _parse(_fast_yaml, text, label)


def _require_mapping(data: Any, label: str) -> None:
    if data is None:
        raise DataError(_("{file} is empty; a tank record needs at least naam and fase.").format(file=label))
    if not isinstance(data, dict):
        kind = _("a list") if isinstance(data, list) else _("a single value")
        raise DataError(
            _("{file}:1: the file holds {kind}, not a mapping of keys such as naam and fase.").format(
                file=label, kind=kind
            )
        )


def plain(value: Any) -> Any:
    """ruamel's comment-carrying containers as plain Python, for validation."""
    if isinstance(value, dict):
        return {str(k) if isinstance(k, ScalarString) else k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, ScalarString):
        return str(value)
    return value


def _key_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part != "[key]":
            out += ("." if out else "") + str(part)
    return out


def _line_of(data: Any, loc: tuple[Any, ...]) -> int:
    """The line of the deepest part of loc that exists in the round-trip document."""
    line = 1
    node = data
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            line = node.lc.key(part)[0] + 1
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
            line = node.lc.item(part)[0] + 1
            node = node[part]
        else:
            break
    return line


def _allowed_keys(loc: tuple[Any, ...]) -> list[str]:
    model: Any = Doetank
    for part in loc[:-1]:
        field = model.model_fields.get(part) if isinstance(part, str) else None
        if field is None:
            continue
        for candidate in _models_in(field.annotation):
            model = candidate
            break
    return list(model.model_fields)


def _models_in(annotation: Any) -> Iterator[Any]:
    from typing import get_args

    if isinstance(annotation, type) and hasattr(annotation, "model_fields"):
        yield annotation
    for arg in get_args(annotation):
        yield from _models_in(arg)


def _shown(value: Any) -> str:
    """A wrong value as the person wrote it: dates and times in ISO form, text quoted."""
    if isinstance(value, date):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    return repr(plain(value))


_PYDANTIC_WORDS = {
    "list_type": N_("should be a list"),
    "dict_type": N_("should be a mapping of keys and values"),
    "model_type": N_("should be a mapping of keys and values"),
    "model_attributes_type": N_("should be a mapping of keys and values"),
    "string_type": N_("should be text"),
    "string_too_short": N_("may not be empty"),
    "bool_type": N_("should be true or false"),
    "bool_parsing": N_("should be true or false"),
    "int_type": N_("should be a whole number"),
    "int_parsing": N_("should be a whole number"),
}


def _pydantic_words(err: Any) -> str:
    """pydantic's complaint in the interface language; our own validators' messages are translated already."""
    if err["type"] == "enum":
        expected = err.get("ctx", {}).get("expected", "")
        return _("should be {choices}").format(choices=expected.replace(" or ", _(" or ")))
    if err["type"] in _PYDANTIC_WORDS:
        return _(_PYDANTIC_WORDS[err["type"]])
    return str(err["msg"]).removeprefix("Value error, ")


def _schema_error(exc: ValidationError, label: str, lines_from: Any) -> DataError:
    sentences = []
    for err in exc.errors():
        loc = err["loc"]
        line = _line_of(lines_from, loc) if lines_from is not None else None
        where = f"{label}:{line}" if line else label
        key = _key_path(loc)
        if err["type"] == "extra_forbidden":
            name = str(loc[-1])
            close = difflib.get_close_matches(name, _allowed_keys(loc), n=1)
            hint = _(" (did you mean '{key}'?)").format(key=close[0]) if close else ""
            sentences.append(_("{where}: unknown key '{key}'{hint}.").format(where=where, key=key, hint=hint))
        elif err["type"] == "missing":
            sentences.append(_("{where}: the required key '{key}' is missing.").format(where=where, key=key))
        else:
            message = _pydantic_words(err)
            sentences.append(
                _("{where}: {key}: {message} (found {value}).").format(
                    where=where, key=key or _("the record"), message=message, value=_shown(err["input"])
                )
            )
    return DataError("\n".join(sentences))


def validate(data: Any, label: str, lines_from: Any = None) -> Doetank:
    """The record as a model, or a DataError naming file, line and key for each problem."""
    _require_mapping(data, label)
    try:
        return Doetank.model_validate(plain(data))
    except ValidationError as exc:
        raise _schema_error(exc, label, lines_from if lines_from is not None else data) from None


def load_record(path: Path, label: str, raw: bytes | None = None) -> Doetank:
    """Fast read-only load (safe C loader); lines for errors come from a round-trip load, only when needed."""
    text = decode(read_bytes(path, label, MAX_RECORD) if raw is None else raw, label)
    if "\t" in text:
        # the C loader takes a tab inside plain text, ruamel's round trip does not: say so now, not at the first change
        _parse(_roundtrip_yaml(), text, label)
    data = _parse(_fast_yaml, text, label)
    _require_mapping(data, label)
    try:
        return Doetank.model_validate(data)
    except ValidationError as exc:
        rt = _parse(_roundtrip_yaml(), text, label)
        raise _schema_error(exc, label, rt) from None


@dataclass
class Document:
    """A record loaded for change: edits go onto `data` in place so comments, order and quoting survive."""

    path: Path
    label: str
    text: str
    data: CommentedMap
    yaml: YAML
    bom: bool = False  # the file started with a UTF-8 byte order mark, and keeps it

    @property
    def model(self) -> Doetank:
        return validate(self.data, self.label)

    def dump(self) -> str:
        """The record's text, always with \n line ends: git's `text eol=lf` keeps it so in every checkout."""
        out = io.StringIO()
        self.yaml.dump(self.data, out)
        return out.getvalue()


def load_document(path: Path, label: str) -> Document:
    """Round-trip load of the one record being changed; refuses a file that does not parse or fit the schema."""
    raw = read_bytes(path, label, MAX_RECORD)
    return parse_document(decode(raw, label), label, path, raw.startswith(codecs.BOM_UTF8))


def parse_document(text: str, label: str, path: Path | None = None, bom: bool = False) -> Document:
    """A record's text loaded for change (a version from git, or a file's text); validated before any change."""
    yaml = _roundtrip_yaml(*guess_indent(text))
    data = _parse(yaml, text, label)
    _require_mapping(data, label)
    doc = Document(path if path is not None else Path(label), label, text, data, yaml, bom)
    doc.model  # noqa: B018  (validate before any change: a bad file is never rewritten)
    return doc


def guess_indent(text: str) -> tuple[int, int, int]:
    """(mapping, sequence, offset) as the file's author wrote them, so that a change re-indents nothing.

    ruamel's own guess assumes mappings and sequences share one indent; people (and DESIGN.md)
    write `leden:` items as `  - {...}` under two-space mappings.
    """
    mapping = offset = sequence = None
    previous_opens_block = False
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(stripped)
        is_item = stripped == "-" or stripped.startswith("- ")
        if previous_opens_block and is_item and offset is None:
            offset = indent
            # an item's content starts where the text after the dash does: `  - {` is 4, `-   naam` is 4
            sequence = indent + 1 + (len(stripped) - 1 - len(stripped[1:].lstrip(" ")))
        elif previous_opens_block and indent > 0 and not is_item and mapping is None:
            mapping = indent
        if mapping is not None and offset is not None:
            break
        previous_opens_block = indent == 0 and stripped.rstrip().endswith(":") and not is_item
    if offset is None or sequence is None:
        offset, sequence = 2, 4
    return mapping or 2, max(sequence, offset + 2), offset


# --------------------------------------------------------------------------- editing in place


def _flow_safe(value: Any) -> Any:
    # ruamel writes `url: https://x` unquoted inside {...}, which it cannot read back: quote such text
    if isinstance(value, str) and not isinstance(value, ScalarString) and _FLOW_RISK.search(value):
        return DoubleQuotedScalarString(value)
    return value


def flow_map(values: dict[str, Any]) -> CommentedMap:
    item = CommentedMap((k, _flow_safe(v)) for k, v in values.items() if v is not None)
    item.fa.set_flow_style()
    return item


def _commented(key: str, value: Any) -> Any:
    if isinstance(value, dict):
        if key in FLOW_KEYS:
            return flow_map({k: _commented(k, v) for k, v in value.items()})
        return CommentedMap((k, _commented(k, v)) for k, v in value.items() if v is not None)
    if isinstance(value, list):
        seq = CommentedSeq()
        seq.extend(flow_map(v) if isinstance(v, dict) else v for v in value)
        return seq
    return value


def set_key(mapping: CommentedMap, key: str, value: Any, order: list[str] | None = None) -> None:
    """Set one key in place: an existing key keeps its place, comment and quoting; a new one goes where `order` says."""
    value = _commented(key, value)
    if mapping.fa.flow_style():
        value = _flow_safe(value)
    if key in mapping:
        old = mapping[key]
        if isinstance(old, ScalarString) and isinstance(value, str) and not isinstance(value, ScalarString):
            value = type(old)(value)
        mapping[key] = value
        return
    position = len(mapping)
    if order and key in order:
        rank = order.index(key)
        for index, existing in enumerate(mapping):
            if existing in order and order.index(existing) > rank:
                position = index
                break
    mapping.insert(position, key, value)


def child_map(parent: CommentedMap, key: str, order: list[str] | None = None) -> CommentedMap:
    """The mapping under `key`, created in its canonical place when absent (inline for FLOW_KEYS)."""
    current = parent.get(key)
    if not isinstance(current, CommentedMap):
        set_key(parent, key, {}, order)
        current = parent[key]
        assert isinstance(current, CommentedMap)  # set_key turns {} into a CommentedMap
        if key in FLOW_KEYS:
            current.fa.set_flow_style()
    return current


def append_item(doc: Document, key: str, values: dict[str, Any]) -> None:
    """Append an item to a top-level list, in the style of the items already there."""
    seq = doc.data.get(key)
    if not isinstance(seq, CommentedSeq):
        set_key(doc.data, key, [], KEY_ORDER)
        seq = doc.data[key]
    if seq.fa.flow_style():
        seq.fa.set_block_style()
    block_items = bool(seq) and all(isinstance(i, CommentedMap) and not i.fa.flow_style() for i in seq)
    item = flow_map(values)
    if block_items:
        item.fa.set_block_style()
    seq.append(item)


def new_record_text(values: dict[str, Any]) -> str:
    """A new doetank.yaml in the house layout, with a hint after the keys that take a fixed set of values."""
    data = CommentedMap()
    for key in KEY_ORDER:
        if values.get(key) is not None:
            data[key] = _commented(key, values[key])
    hints = {
        "status": "actief | afgerond | gestopt",
        "fase": "ontdekken | onderzoeken | ontwikkelen | uitproberen | leren | overdragen",
        "herkomst": "opdrachtgever | netwerk",
    }
    for key, hint in hints.items():
        if key in data:
            data.yaml_add_eol_comment(hint, key, column=30)
    out = io.StringIO()
    _roundtrip_yaml().dump(data, out)
    return f"{MODELINE}\n{out.getvalue()}"


# --------------------------------------------------------------------------- writing


def atomic_write(path: Path, text: str) -> None:
    """Write via a temp file in the same folder, fsync, rename: a crash leaves the old file or the new one."""
    try:
        system.atomic_write(path, text)
    except OSError as exc:
        if exc.filename is None:
            exc.filename = str(path)  # fsync and write say no name: the boundary names the file being written
        raise


def save(doc: Document) -> bool:
    """Write the changed document; False (and no write) when the text would not change."""
    text = doc.dump()
    if text == doc.text:
        return False
    _readable(text, doc.label)
    atomic_write(doc.path, "\ufeff" + text if doc.bom else text)
    doc.text = text
    return True


def _readable(text: str, label: str) -> None:
    """Never write a record we could not read back: ruamel can emit text it then fails to parse."""
    validate(_parse(_roundtrip_yaml(), text, label), label)


def create_record(path: Path, label: str, values: dict[str, Any]) -> bool:
    """Write a new doetank.yaml (never over an existing one), checked like every other record write."""
    text = new_record_text(values)
    _readable(text, label)
    return write_new(path, text)


def write_new(path: Path, text: str) -> bool:
    """Create a file that must not exist yet; an existing file is never overwritten (False)."""
    if path.exists():
        return False
    atomic_write(path, text)
    return True


def move_tank(ws: Workspace, slug: str, new_slug: str) -> None:
    """A tank's folder under a new slug (the caller holds the lock and has checked that the new slug is free)."""
    target = ws.tank_dir(new_slug)
    if target.exists():
        raise DataError(_("{path} already exists; nothing was moved.").format(path=ws.rel(target)))
    system.replace(ws.tank_dir(slug), target)


def retitle_notes(folder: Path, old: str, new: str) -> list[Path]:
    """The notes whose first line is the title a template gave them ('# Old name — 1. Ontdekken') carry the new
    name; the rest of every note, and any title a person wrote, is left as it is. Returns the notes changed."""
    changed = []
    for note in sorted(folder.glob("0[1-6]-*.md")):
        text = read_text(note, note.name)
        first, newline, rest = text.partition("\n")
        if first.startswith(f"# {old} — "):
            atomic_write(note, f"# {new} — {first[len(old) + 5 :]}{newline}{rest}")
            changed.append(note)
    return changed


#: how long a change waits for another doetank process that is changing the same workspace
LOCK_WAIT = 120.0


@contextmanager
def lock(ws: Workspace) -> Iterator[None]:
    """One writer at a time per workspace. The OS releases the lock when a process dies, so no stale locks."""
    ensure_state(ws)
    path = ws.state / "lock"
    with ExitStack() as held:
        try:
            held.enter_context(system.lock(path, LOCK_WAIT))
        except system.Busy:
            raise WorkspaceError(
                _("Another doetank process has been changing this workspace for {seconds} seconds ({lock}).").format(
                    seconds=int(LOCK_WAIT), lock=ws.rel(path)
                ),
                hint=_("Wait until it is done and run the command again."),
            ) from None
        yield


def mark_once(ws: Workspace, name: str) -> bool:
    """True the first time `name` is marked in this workspace's state folder (for notices said once)."""
    ensure_state(ws)
    try:
        (ws.state / name).touch(exist_ok=False)
    except FileExistsError:
        return False
    return True
