"""The three-way merge of doetank.yaml, field by field: git's merge driver, and the clashes `resolve` decides.

git calls the driver with the common ancestor (base), our version and their version. A change on one side is taken; the
same change on both sides is taken once; different changes to one field are a clash, and so are changes to a tank's
life that do not combine (one side stopped it while the other moved it on: `status` and the stop). Lists match their
items by what they are about (a member by name, a consult by expert and question, ...) *and* by occurrence, so two
alike items never collapse into one. A clash keeps our value in the file and writes one comment line at the top of
the record:

    # doetank-conflict: richtlijn.einddatum: yours 2027-04-30, server 2027-05-31, before 2027-06-30

Every value in such a line is written on that one line (text with line breaks as a quoted string), so the record stays a
valid record, and the merge ends as a conflict: git keeps the file unmerged until a person decides (`doetank resolve`).
A file that does not parse falls back to git's own text merge, whose markers doetank's loader refuses by file and line.
"""

from __future__ import annotations

import codecs
import copy
import json
import re
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from doetank_cli import store
from doetank_cli.errors import DataError
from doetank_cli.i18n import _
from doetank_cli.model import KEY_ORDER, name_key
from doetank_cli.store import CONFLICT_NOTE, CONFLICT_TAG

__all__ = [
    "CONFLICT_NOTE",
    "CONFLICT_TAG",
    "LIFECYCLE",
    "MISSING",
    "Clash",
    "Item",
    "Outcome",
    "merge_files",
    "merge_texts",
]


class _Missing:
    """A key or item that is absent on one side (removed, or never there)."""

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()
#: the label of the clash "both sides wrote comments": not a field of the record
COMMENTS = "#"


# --------------------------------------------------------------------------- what the items of a list are about


def _text(value: Any) -> str:
    return " ".join(str(value or "").split())


#: how the items of each list of the record are told apart; alike items are further told apart by occurrence
IDENTITY: dict[str, Callable[[Any], tuple[str, ...]]] = {
    "leden": lambda item: (name_key(_text(item.get("naam"))),),
    # a consult's date is written when it is requested and never changed: two requests of one question differ by it
    "consulten": lambda item: (
        name_key(_text(item.get("expert"))),
        _text(item.get("vraag")).casefold(),
        _text(item.get("datum")),
    ),
    "updates": lambda item: (_text(item.get("kanaal")), _text(item.get("url"))),
    "geschiedenis": lambda item: (_text(item.get("fase")),),
}
#: lists of things that exist once (a person in the team, a post, a phase entered): what both sides added about the
#: same thing is one item; in the other lists (consults) two alike additions are two items
UNIQUE = {"leden", "updates", "geschiedenis"}
#: how an item is named in a clash, as people know it
_LABEL: dict[str, Callable[[Any], str]] = {
    "leden": lambda item: _text(item.get("naam")),
    "consulten": lambda item: f"{_text(item.get('expert'))}: {_text(item.get('vraag'))}",
    "updates": lambda item: _text(item.get("url")),
    "geschiedenis": lambda item: _text(item.get("fase")),
}


def _ident(key: str, item: Any) -> tuple[str, ...]:
    return IDENTITY[key](item) if isinstance(item, dict) else ("\0", repr(store.plain(item)))


@dataclass(frozen=True)
class Item:
    """One step into a list of the record: the `nth` (from 0) of the items that are about `ident`."""

    ident: tuple[str, ...]
    nth: int  # -1: the item is not in the file (one side removed it)
    label: str


Step = str | Item


@dataclass
class Clash:
    """Both sides changed one value differently: where it is, and the three values (MISSING where absent)."""

    steps: tuple[Step, ...]
    label: str  # richtlijn.einddatum, leden[Bram Peters].rol, consulten[Eva: Hoe? (2)]
    base: Any
    ours: Any
    theirs: Any

    @property
    def top(self) -> str:
        return str(self.steps[0]) if self.steps else COMMENTS

    def note(self) -> str:
        """The comment line that marks this clash in the record: one line, whatever the values."""
        if self.label == COMMENTS:
            said = _("{label}: comments written on both sides; the server's side also wrote: {comments}").format(
                label=COMMENTS, comments=self.theirs
            )
            return f"{CONFLICT_NOTE} {_one_line(said)}"
        said = _("{label}: yours {ours}, server {theirs}").format(
            label=self.label, ours=show(self.ours), theirs=show(self.theirs)
        )
        if self.base is not MISSING:
            said += _(", before {base}").format(base=show(self.base))
        return f"{CONFLICT_NOTE} {_one_line(said)}"


@dataclass
class Outcome:
    """What merging three versions of a record gave."""

    text: str  # the merged record, with a note line per clash; valid YAML and a valid record
    clashes: list[Clash] = field(default_factory=list)
    their_comments: list[str] = field(default_factory=list)  # comments only the server's side wrote, not in `text`


# --------------------------------------------------------------------------- values on one line


_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
_PLAIN_OK = re.compile(r"^[^\s#'\"{}\[\],&*!|>%@`(~](?:.*[^\s])?$")


def _escape(text: str) -> str:
    """A quoted string on one line: every line break and control character escaped, other letters as they are."""
    quoted = json.dumps(text, ensure_ascii=False)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def _one_line(text: str) -> str:
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def show(value: Any) -> str:
    """A value as it would be written in the record, always on one line."""
    if value is MISSING:
        return _("(removed)")
    value = store.plain(value)
    if value is None:
        return "~"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return "{" + ", ".join(f"{show(k)}: {show(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(show(v) for v in value) + "]"
    if isinstance(value, str):
        return value if _PLAIN_OK.match(value) and not _UNSAFE.search(value) and ": " not in value else _escape(value)
    return str(value)


def _same(a: Any, b: Any) -> bool:
    """Equal as values: quoting, comments and a date written as text do not make a difference."""
    return bool(_norm(a) == _norm(b))


def _norm(value: Any) -> Any:
    if value is MISSING:
        return value
    value = store.plain(value)
    if isinstance(value, dict):
        return {str(k): _norm(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_norm(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


# --------------------------------------------------------------------------- the merge


class _Merge:
    """Brings the changes of `other` into `into`, in place; `swapped` when `into` is their version, not ours."""

    def __init__(self, swapped: bool) -> None:
        self.swapped = swapped
        self.clashes: list[
            tuple[list[Any], str, Any, Any, Any]
        ] = []  # raw steps (with nodes), label, base, into, other

    def clash(self, steps: list[Any], label: str, base: Any, into: Any, other: Any) -> None:
        self.clashes.append((list(steps), label, base, into, other))

    def mapping(self, base: Any, into: CommentedMap, other: Any, steps: list[Any], label: str) -> None:
        base = base if isinstance(base, dict) else {}
        other = other if isinstance(other, dict) else {}
        together = _lifecycle_clash(base, into, other) if not steps else False
        keys = list(into) + [k for k in other if k not in into] + [k for k in base if k not in into and k not in other]
        for key in keys:
            here = f"{label}.{key}" if label else str(key)
            b, o, t = base.get(key, MISSING), into.get(key, MISSING), other.get(key, MISSING)
            if together and key in LIFECYCLE and not _same(o, t):
                self.clash([*steps, str(key)], here, b, o, t)  # not taken from one side: a person decides
                continue
            self.value(into, key, b, o, t, [*steps, str(key)], here)

    def value(self, parent: CommentedMap, key: Any, b: Any, o: Any, t: Any, steps: list[Any], label: str) -> None:
        if _same(t, b) or _same(o, t):
            return  # nothing new from them, or the same change on both sides
        if isinstance(o, CommentedMap) and isinstance(t, dict):  # field by field, so our comments stay
            self.mapping(b, o, t, steps, label)
            return
        if len(steps) == 1 and str(key) in IDENTITY and isinstance(o, CommentedSeq) and isinstance(t, list):
            self.items(str(key), b if isinstance(b, list) else [], o, t, steps, label)
            return
        if _same(o, b):  # only they changed it: take theirs
            if t is MISSING:
                del parent[key]
            else:
                store.set_key(parent, key, copy.deepcopy(t), KEY_ORDER if len(steps) == 1 else None)
            return
        self.clash(steps, label, b, o, t)

    def items(
        self, key: str, base: list[Any], into: CommentedSeq, other: list[Any], steps: list[Any], label: str
    ) -> None:
        # the items as objects, before any is removed from `into`
        pairs, fresh = _match(key, base, into)
        into_of, into_new = {b: into[i] for b, i in pairs.items()}, [into[i] for i in fresh]
        pairs, fresh = _match(key, base, other)
        other_of, other_new = {b: other[i] for b, i in pairs.items()}, [other[i] for i in fresh]
        counts: dict[tuple[str, ...], int] = {}
        for position, b in enumerate(base):
            ident = _ident(key, b)
            nth = counts.get(ident, 0)
            counts[ident] = nth + 1
            o = into_of.get(position, MISSING)
            t = other_of.get(position, MISSING)
            self._item(key, into, b, o, t, steps, label, ident, nth)
        # items added since the base: the same addition on both sides is taken once; in a list of things that exist
        # once (a person, a post, a phase entered) alike additions are one thing, merged field by field
        added: dict[tuple[str, ...], int] = {}
        mine_left = list(into_new)
        for t in other_new:
            ident = _ident(key, t)
            equal = next((o for o in mine_left if _same(o, t)), MISSING)
            if equal is not MISSING:
                mine_left = [o for o in mine_left if o is not equal]
                continue
            if key not in UNIQUE:
                into.append(copy.deepcopy(t))
                continue
            nth = added.get(ident, 0)
            added[ident] = nth + 1
            mine = [o for o in into_new if _ident(key, o) == ident]
            o = mine[nth] if nth < len(mine) else MISSING
            if o is MISSING:
                into.append(copy.deepcopy(t))
            else:
                self._item(key, into, MISSING, o, t, steps, label, ident, counts.get(ident, 0) + nth)

    def _item(
        self,
        key: str,
        into: CommentedSeq,
        b: Any,
        o: Any,
        t: Any,
        steps: list[Any],
        label: str,
        ident: tuple[str, ...],
        nth: int,
    ) -> None:
        shown = next((_LABEL[key](x) for x in (o, t, b) if isinstance(x, dict)), "?")
        here = f"{label}[{shown}{f' ({nth + 1})' if nth else ''}]"
        step = (ident, o if o is not MISSING else None, shown)
        if o is not MISSING and t is not MISSING:
            if isinstance(o, CommentedMap) and isinstance(t, dict):
                self.mapping(b, o, t, [*steps, step], here)
            elif not _same(o, t) and not _same(t, b):
                self.clash([*steps, step], here, b, o, t)
        elif o is not MISSING:  # they removed it
            if _same(o, b):
                del into[next(i for i, x in enumerate(into) if x is o)]
            else:
                self.clash([*steps, step], here, b, o, t)  # we changed what they removed: it stays
        elif t is not MISSING and not _same(t, b):
            self.clash([*steps, step], here, b, o, t)  # we removed what they changed: it stays removed

    def finish(self, root: CommentedMap) -> list[Clash]:
        """The clashes, with each list step pointing at its item as the merged record holds it."""
        found = []
        for raw, label, base, into, other in self.clashes:
            steps: list[Step] = []
            container: Any = root
            for part in raw:
                if isinstance(part, tuple):
                    ident, node, shown = part
                    nth = _nth(str(steps[0]), container, node) if node is not None else -1
                    steps.append(Item(ident, nth, shown))
                    container = node
                else:
                    steps.append(part)
                    container = container.get(part) if isinstance(container, dict) else None
            ours, theirs = (other, into) if self.swapped else (into, other)
            found.append(Clash(tuple(steps), label, _copy(base), _copy(ours), _copy(theirs)))
        return found


#: the keys that say where a tank's life stands: its status, and the record of how it ended
LIFECYCLE = ("status", "gestopt", "afgerond")


def _lifecycle_clash(base: dict[str, Any], a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Both sides changed the tank's life in ways that do not combine: one side changed its status (stopped it,
    finished it) while the other moved it to another phase, or each gave it another status. Taken field by field,
    the merge would make a tank neither side made (stopped, in a phase it was never stopped in; stopped and finished
    at once): the status, and the stop or finish recorded with it, become clashes a person decides."""

    def changed(side: dict[str, Any], key: str) -> bool:
        return not _same(side.get(key, MISSING), base.get(key, MISSING))

    status_a, status_b = changed(a, "status"), changed(b, "status")
    if status_a and status_b:
        return not _same(a.get("status", MISSING), b.get("status", MISSING))
    return (status_a and changed(b, "fase")) or (status_b and changed(a, "fase"))


def _copy(value: Any) -> Any:
    return value if value is MISSING else copy.deepcopy(store.plain(value))


def _nth(key: str, seq: Any, node: Any) -> int:
    """Which of the items about the same thing `node` is, counted in `seq`; -1 when it is not there."""
    if not isinstance(seq, list):
        return -1
    ident = _ident(key, node)
    n = 0
    for item in seq:
        if item is node:
            return n
        if _ident(key, item) == ident:
            n += 1
    return -1


def _match(key: str, base: list[Any], side: list[Any]) -> tuple[dict[int, int], list[int]]:
    """Which item of `side` each item of `base` became (equal ones first, then alike ones in order), and the rest."""
    taken: set[int] = set()
    pairs: dict[int, int] = {}
    for b_index, b in enumerate(base):
        for s_index, s in enumerate(side):
            if s_index not in taken and _same(s, b) and _ident(key, s) == _ident(key, b):
                pairs[b_index] = s_index
                taken.add(s_index)
                break
    for b_index, b in enumerate(base):
        if b_index in pairs:
            continue
        for s_index, s in enumerate(side):
            if s_index not in taken and _ident(key, s) == _ident(key, b):
                pairs[b_index] = s_index
                taken.add(s_index)
                break
    return pairs, [i for i in range(len(side)) if i not in taken]


# --------------------------------------------------------------------------- finding and changing a value by its steps


def locate(data: Any, steps: tuple[Step, ...]) -> tuple[Any, Any] | None:
    """The container and key (or index) where `steps` lead in a record; None when an item on the way is absent."""
    container = data
    for position, step in enumerate(steps):
        if isinstance(step, Item):
            key = str(steps[0])
            if not isinstance(container, list) or step.nth < 0:
                return None
            alike = [i for i, x in enumerate(container) if _ident(key, x) == step.ident]
            if step.nth >= len(alike):
                return None
            index = alike[step.nth]
            if position == len(steps) - 1:
                return container, index
            container = container[index]
        else:
            if not isinstance(container, dict):
                return None
            if position == len(steps) - 1:
                return container, step
            if step not in container:
                return None
            container = container[step]
    return None


def get(data: Any, steps: tuple[Step, ...]) -> Any:
    """The value `steps` lead to in a record, or MISSING."""
    found = locate(data, steps)
    if found is None:
        return MISSING
    container, key = found
    if isinstance(container, dict):
        return container.get(key, MISSING)
    return container[key]


def put(data: CommentedMap, steps: tuple[Step, ...], value: Any) -> None:
    """Set (or with MISSING, remove) the value `steps` lead to, in place, keeping comments and order around it."""
    found = locate(data, steps)
    if found is None:
        if value is MISSING:
            return
        # an item that is not in the file: it comes back at the end of its list; a key: created on the way
        if isinstance(steps[-1], Item) and len(steps) == 2:
            seq = data.get(str(steps[0]))
            if not isinstance(seq, CommentedSeq):
                store.set_key(data, str(steps[0]), [], KEY_ORDER)
                seq = data[str(steps[0])]
            seq.append(store.flow_map(value) if isinstance(value, dict) else value)
            return
        container: Any = data
        for step in steps[:-1]:
            if isinstance(step, Item) or not isinstance(container, CommentedMap):
                raise KeyError(steps)
            if not isinstance(container.get(step), dict):
                store.set_key(container, step, {}, KEY_ORDER if container is data else None)
            container = container[step]
        found = (container, steps[-1])
    container, key = found
    if value is MISSING:
        if isinstance(container, dict):
            container.pop(key, None)  # a key this side never had (the other side added it): absent already
        else:
            del container[key]
    elif isinstance(container, CommentedMap):
        store.set_key(container, str(key), copy.deepcopy(value), KEY_ORDER if container is data else None)
    else:
        old = container[key]
        new = store.flow_map(value) if isinstance(value, dict) else value
        if isinstance(old, CommentedMap) and isinstance(new, CommentedMap) and not old.fa.flow_style():
            new.fa.set_block_style()
        container[key] = new


# --------------------------------------------------------------------------- comments


def comments(text: str) -> set[str]:
    """The comments of a record (never a '#' inside a value), each line stripped; the clash notes left out."""
    found: set[str] = set()
    try:
        tokens = list(YAML().scan(text))
    except YAMLError:
        return found
    for token in tokens:
        for comment in _comment_tokens(getattr(token, "comment", None)):
            for line in str(comment.value).splitlines():
                line = line.strip()
                if line.startswith("#") and not line.startswith(CONFLICT_NOTE):
                    found.add(line)
    return found


def _comment_tokens(value: Any) -> Iterator[Any]:
    if value is None:
        return
    if isinstance(value, list):
        for item in value:
            yield from _comment_tokens(item)
    elif hasattr(value, "value"):
        yield value


# --------------------------------------------------------------------------- merging three texts


def _doc(text: str, label: str) -> store.Document | None:
    if not text.strip():
        return None
    return store.parse_document(text, label)


def merge_texts(base: str, ours: str, theirs: str, label: str) -> Outcome | None:
    """Merge three versions of a record field by field; None when one of them is not a record (then: text merge)."""
    try:
        b, o, t = _doc(base, f"{label} (base)"), _doc(ours, f"{label} (ours)"), _doc(theirs, f"{label} (theirs)")
    except DataError:
        return None
    if o is None or t is None:
        return None
    # comments are not values: the merge is written into the side whose comments changed, so none are lost
    before = comments(b.text) if b is not None else set()
    ours_new, theirs_new = comments(o.text) - before, comments(t.text) - before
    swapped = bool(theirs_new - ours_new) and not (ours_new - theirs_new)
    into, other = (t, o) if swapped else (o, t)
    merge = _Merge(swapped)
    merge.mapping(b.data if b is not None else CommentedMap(), into.data, other.data, [], "")
    clashes = merge.finish(into.data)
    if swapped:  # the file keeps our value at every clash, whichever side it was written into
        for clash in clashes:
            put(into.data, clash.steps, clash.ours)
        clashes = [_relocate(clash, into.data) for clash in clashes]
    lost = sorted(theirs_new - ours_new) if not swapped else []
    if lost:
        clashes.append(Clash((), COMMENTS, MISSING, MISSING, " / ".join(lost)))
    try:
        into.model  # noqa: B018  (the merged record must still be a record)
    except DataError:
        return None
    return Outcome(with_notes(into.dump(), clashes), clashes, lost)


def _relocate(clash: Clash, data: Any) -> Clash:
    """After our value was put back at an item-level clash: the item is gone (we removed it), or at the end of its
    list (it was put back there), or where it was."""
    last = clash.steps[-1] if clash.steps else None
    if not isinstance(last, Item):
        return clash
    key = str(clash.steps[0])
    if clash.ours is MISSING:
        nth = -1
    elif last.nth < 0:
        nth = sum(1 for x in data.get(key) or [] if _ident(key, x) == last.ident) - 1
    else:
        nth = last.nth
    return Clash(
        (*clash.steps[:-1], Item(last.ident, nth, last.label)), clash.label, clash.base, clash.ours, clash.theirs
    )


def with_notes(text: str, clashes: list[Clash]) -> str:
    """The record with one note line per clash at its top (after the editor's schema line), and no other notes."""
    lines = [line for line in text.splitlines(keepends=True) if not line.startswith(CONFLICT_NOTE)]
    newline = "\r\n" if "\r\n" in text else "\n"
    at = 1 if lines and lines[0].startswith("# yaml-language-server:") else 0
    notes = "".join(clash.note() + newline for clash in clashes)
    return "".join(lines[:at]) + notes + "".join(lines[at:])


def merge_files(base: Path, ours: Path, theirs: Path, label: str, rebase: bool | None = None) -> int:
    """git's merge driver: write the merge into `ours`; 0 when clean, 1 when a person must decide. In a `rebase`
    git's `ours` is the server's side and `theirs` your commit being replayed: the notes still call yours yours.
    Unless told, a rebase is recognised in the work tree git runs its drivers in (the current folder)."""
    if rebase is None:
        from doetank_cli import repo

        rebase = repo.unfinished(Path.cwd()) == "rebase"
    try:
        raws = [p.read_bytes() if p.exists() else b"" for p in (base, ours, theirs)]
        texts = [store.decode(raw, label) for raw in raws]
    except (DataError, OSError):
        return _text_merge(base, ours, theirs, label, rebase)
    yours, servers = (texts[2], texts[1]) if rebase else (texts[1], texts[2])
    outcome = merge_texts(texts[0], yours, servers, label)
    if outcome is None:
        return _text_merge(base, ours, theirs, label, rebase)
    bom = raws[1].startswith(codecs.BOM_UTF8)
    store.atomic_write(ours, "\ufeff" + outcome.text if bom else outcome.text)
    return 1 if outcome.clashes else 0


def _text_merge(base: Path, ours: Path, theirs: Path, label: str, rebase: bool = False) -> int:
    """The last resort: git's own line merge, with conflict markers that doetank's loader refuses by name."""
    first, second = ("theirs", "ours") if rebase else ("ours", "theirs")
    done = subprocess.run(
        ["git", "merge-file", "-L", f"{label} ({first})", "-L", "base", "-L", f"{label} ({second})",
         "--", str(ours), str(base), str(theirs)],
        check=False,
    )  # fmt: skip
    if done.returncode != 0:
        return 1
    try:
        store.load_document(ours, label)
    except DataError:
        return 1  # merged line by line, but not a record: a person must look
    return 0


def conflicts_in(text: str) -> list[str]:
    """The clash notes in a record, as a person should read them (without the tag)."""
    return [line[len(CONFLICT_NOTE) :].strip() for line in store.conflict_notes(text)]


# --------------------------------------------------------------------------- what changed between two versions


@dataclass(frozen=True)
class FieldChange:
    """One value that differs between two versions of a record."""

    steps: tuple[Step, ...]
    label: str
    old: Any
    new: Any


def changes(old: Any, new: Any) -> list[FieldChange]:
    """The values that differ between two versions of a record (plain data), field by field, items matched as the
    merge matches them."""
    found: list[FieldChange] = []
    _diff(old if isinstance(old, dict) else {}, new if isinstance(new, dict) else {}, [], "", found)
    return found


def _diff(old: dict[str, Any], new: dict[str, Any], steps: list[Step], label: str, found: list[FieldChange]) -> None:
    for key in list(old) + [k for k in new if k not in old]:
        a, b = old.get(key, MISSING), new.get(key, MISSING)
        here = f"{label}.{key}" if label else str(key)
        if _same(a, b):
            continue
        if isinstance(a, dict) and isinstance(b, dict):
            _diff(a, b, [*steps, str(key)], here, found)
        elif (a is MISSING and isinstance(b, dict)) or (b is MISSING and isinstance(a, dict)):
            _diff(a or {}, b or {}, [*steps, str(key)], here, found)  # a mapping that came or went: field by field
        elif (
            not steps
            and key in IDENTITY
            and isinstance(a, list | _Missing | None)
            and isinstance(b, list | _Missing | None)
            and (isinstance(a, list) or isinstance(b, list))
        ):  # a list that came or went (the first update, the last consult) is told item by item too
            _diff_items(str(key), a if isinstance(a, list) else [], b if isinstance(b, list) else [], here, found)
        else:
            found.append(FieldChange((*steps, str(key)), here, a, b))


def _diff_items(key: str, old: list[Any], new: list[Any], label: str, found: list[FieldChange]) -> None:
    pairs, added = _match(key, old, new)
    counts: dict[tuple[str, ...], int] = {}
    for position, a in enumerate(old):
        ident = _ident(key, a)
        nth = counts.get(ident, 0)
        counts[ident] = nth + 1
        b = new[pairs[position]] if position in pairs else MISSING
        if _same(a, b):
            continue
        shown = _LABEL[key](a) if isinstance(a, dict) else show(a)
        here = f"{label}[{shown}{f' ({nth + 1})' if nth else ''}]"
        step = Item(ident, nth, shown)
        if isinstance(a, dict) and isinstance(b, dict):
            _diff(a, b, [key, step], here, found)
        else:
            found.append(FieldChange((key, step), here, a, b))
    for index in added:
        b = new[index]
        shown = _LABEL[key](b) if isinstance(b, dict) else show(b)
        ident = _ident(key, b)
        nth = sum(1 for item in new[:index] if _ident(key, item) == ident)  # where it stands in the new version
        found.append(FieldChange((key, Item(ident, nth, shown)), f"{label}[{shown}]", MISSING, b))
