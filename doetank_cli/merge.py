"""The git merge driver for doetank.yaml: a three-way merge field by field, lists of people matched by name.

git calls it with the common ancestor, our version and their version. Changes on one side are taken; the same change
on both sides is taken once; different changes to one field are a clash. A clash keeps our value in the file, writes
theirs (and the ancestor's) in a `# doetank-conflict:` comment on that key's line, and ends the merge as a conflict,
so git keeps the file unmerged until a person decides. A file that does not parse falls back to git's own text merge.
"""

from __future__ import annotations

import copy
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from doetank_cli import store
from doetank_cli.errors import DataError
from doetank_cli.model import KEY_ORDER, name_key

CONFLICT_TAG = "doetank-conflict:"
_MISSING = object()


def _text(value: Any) -> str:
    return "" if value is _MISSING else str(store.plain(value))


def _identity(key: str) -> Callable[[Any], Any] | None:
    """How the items of a list in the record are told apart: people by name, the rest by what they are about."""
    plain = store.plain
    return {
        "leden": lambda item: name_key(str(item.get("naam", ""))),
        "consulten": lambda item: (name_key(str(item.get("expert", ""))), str(item.get("vraag", ""))),
        "updates": lambda item: (str(item.get("kanaal", "")), str(item.get("url", ""))),
        "geschiedenis": lambda item: (str(item.get("fase", "")), str(plain(item.get("reden", "")))),
    }.get(key)


class Merge:
    def __init__(self, kept: str = "ours", other: str = "theirs") -> None:
        self.kept, self.other = kept, other  # whose document the merge is written into, and whose changes come in
        self.clashes: dict[str, list[str]] = {}  # top-level key -> what clashed under it

    def clash(self, top: str, path: str, ours: Any, theirs: Any, base: Any) -> None:
        said = f"{path}: {self.kept} {_text(ours) or '(removed)'}, {self.other} {_text(theirs) or '(removed)'}"
        if base is not _MISSING:
            said += f", base {_text(base) or '-'}"
        self.clashes.setdefault(top, []).append(said)

    def mapping(self, base: Any, ours: CommentedMap, theirs: Any, top: str | None, path: str) -> None:
        """Bring their changes into `ours`, in place."""
        base = base if isinstance(base, dict) else {}
        theirs = theirs if isinstance(theirs, dict) else {}
        keys = (
            list(ours) + [k for k in theirs if k not in ours] + [k for k in base if k not in ours and k not in theirs]
        )
        for key in keys:
            b, o, t = base.get(key, _MISSING), ours.get(key, _MISSING), theirs.get(key, _MISSING)
            here = f"{path}.{key}" if path else str(key)
            self.value(ours, key, b, o, t, top or str(key), here)

    def value(self, parent: CommentedMap, key: Any, b: Any, o: Any, t: Any, top: str, path: str) -> None:
        pb, po, pt = (store.plain(v) if v is not _MISSING else _MISSING for v in (b, o, t))
        if pt == pb or po == pt:
            return  # nothing new from them, or the same change on both sides
        if isinstance(o, CommentedMap) and isinstance(t, dict):  # field by field, so our comments stay
            self.mapping(b, o, t, top, path)
            return
        identity = _identity(str(key)) if parent is self.root else None
        if identity and isinstance(o, CommentedSeq) and isinstance(t, list):  # item by item
            self.items(b if isinstance(b, list) else [], o, t, identity, top, path)
            return
        if po == pb:  # only they changed it: take theirs
            if t is _MISSING:
                del parent[key]
            else:
                store.set_key(parent, key, copy.deepcopy(t), KEY_ORDER if parent is self.root else None)
            return
        self.clash(top, path, o, t, b)

    def items(
        self,
        base: list[Any],
        ours: CommentedSeq,
        theirs: list[Any],
        identity: Callable[[Any], Any],
        top: str,
        path: str,
    ) -> None:
        def keyed(seq: list[Any]) -> dict[Any, Any]:
            return {identity(item): item for item in seq if isinstance(item, dict)}

        kb, ko, kt = keyed(base), keyed(ours), keyed(theirs)
        for ident, item in kt.items():
            label = f"{path}[{ident if isinstance(ident, str) else ident[0]}]"
            if ident in ko:
                if isinstance(ko[ident], CommentedMap):
                    self.mapping(kb.get(ident), ko[ident], item, top, label)
            elif ident not in kb:
                ours.append(copy.deepcopy(item))  # added by them
            elif store.plain(kb[ident]) != store.plain(item):
                self.clash(top, label, _MISSING, item, kb[ident])  # we removed what they changed: stays removed
        for ident, item in list(ko.items()):
            if ident in kb and ident not in kt:  # removed by them
                if store.plain(item) == store.plain(kb[ident]):
                    ours.remove(item)
                else:
                    self.clash(
                        top, f"{path}[{ident if isinstance(ident, str) else ident[0]}]", item, _MISSING, kb[ident]
                    )

    def run(self, base: CommentedMap, ours: CommentedMap, theirs: CommentedMap) -> None:
        self.root = ours
        self.mapping(base, ours, theirs, None, "")

    def notes(self) -> str:
        """The clashes as comment lines for the top of the record: visible, and still valid YAML."""
        return "".join(f"# {CONFLICT_TAG} {said}\n" for clashes in self.clashes.values() for said in clashes)


def _load(path: Path, label: str) -> store.Document | None:
    if not path.exists() or path.stat().st_size == 0:
        return None
    return store.load_document(path, label)


def merge_files(base: Path, ours: Path, theirs: Path, label: str) -> int:
    """git's merge driver: write the merge into `ours`; 0 when clean, 1 when a person must decide."""
    try:
        b, o, t = _load(base, f"{label} (base)"), _load(ours, f"{label} (ours)"), _load(theirs, f"{label} (theirs)")
    except DataError:
        return _text_merge(base, ours, theirs, label)
    if o is None or t is None:
        return _text_merge(base, ours, theirs, label)
    # comments are not values: the merge is written into the side whose comments changed, so none are lost
    before = _comments(b.text) if b is not None else set()
    ours_new, theirs_new = _comments(o.text) - before, _comments(t.text) - before
    into, other, merge = o, t, Merge()
    if theirs_new - ours_new and not ours_new - theirs_new:
        into, other, merge = t, o, Merge("theirs", "ours")
    merge.run(b.data if b is not None else CommentedMap(), into.data, other.data)
    if ours_new - theirs_new and theirs_new - ours_new:
        lost = sorted(theirs_new - ours_new if into is o else ours_new - theirs_new)
        merge.clashes.setdefault("", []).append(
            f"comments written on both sides; {merge.other} also wrote: {' / '.join(lost)}"
        )
    try:
        into.model  # noqa: B018  (the merged record must still be a record)
    except DataError:
        return _text_merge(base, ours, theirs, label)
    text = into.dump()
    if merge.clashes:
        lines = text.splitlines(keepends=True)
        at = 1 if lines and lines[0].startswith("# yaml-language-server:") else 0
        text = "".join(lines[:at]) + merge.notes() + "".join(lines[at:])
    store.atomic_write(ours, "\ufeff" + text if into.bom else text)
    return 1 if merge.clashes else 0


def _comments(text: str) -> set[str]:
    """The comments of a record, as text (a '#' after a space or at the start of a line)."""
    found = set()
    for line in text.splitlines():
        stripped = line.lstrip()
        if stripped.startswith("#"):
            found.add(stripped)
        elif " #" in line:
            found.add(line[line.index(" #") + 1 :].strip())
    return found


def _text_merge(base: Path, ours: Path, theirs: Path, label: str) -> int:
    """The last resort: git's own line merge, with conflict markers that doetank's loader refuses by name."""
    done = subprocess.run(
        [
            "git",
            "merge-file",
            "-L",
            f"{label} (ours)",
            "-L",
            "base",
            "-L",
            f"{label} (theirs)",
            "--",
            str(ours),
            str(base),
            str(theirs),
        ],
        check=False,
    )
    if done.returncode != 0:
        return 1
    try:
        store.load_document(ours, label)
    except DataError:
        return 1  # merged line by line, but not a record: a person must look
    return 0


def conflicts_in(text: str) -> list[str]:
    """The clashes a merge wrote into a record, one per line, as a person should read them."""
    found = []
    for line in text.splitlines():
        if f"# {CONFLICT_TAG}" in line:
            found += [part.strip() for part in line.split(f"# {CONFLICT_TAG}", 1)[1].split(";")]
    return found
