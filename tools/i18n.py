"""The translation catalogs: extract the messages from the code, and compile .po into .mo. Standard library only.

    python tools/i18n.py extract    # doetank_cli/locale/doetank.pot, and new messages into every .po (untranslated)
    python tools/i18n.py compile    # every .po into its .mo (the wheel's build does this too)
    python tools/i18n.py check      # exit 1 when a message lacks a translation or a translation breaks a placeholder

A message is the first string argument of _() or N_(), or the first two of ngettext(), in doetank_cli/**/*.py and in
the web pages' Jinja templates (doetank_cli/**/templates/*.html, where they are written as string literals too).
Catalogs are sorted by message and name files without line numbers, so that parallel changes merge cleanly.
The .mo files are written deterministically (sorted, no dates), so the same .po always gives the same bytes.
"""

from __future__ import annotations

import ast
import re
import string
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "doetank_cli"
LOCALE = PACKAGE / "locale"
DOMAIN = "doetank"
HEADER = {
    "nl": "Project-Id-Version: doetank\nPO-Revision-Date: "
    "2026-11-28\nLast-Translator: doetank <doetank@slimmernetwerk.nl>\n"
    "Language-Team: Nederlands\nLanguage: nl\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n"
    "Content-Transfer-Encoding: 8bit\nPlural-Forms: nplurals=2; plural=(n != 1);\n",
}


@dataclass
class Entry:
    msgid: str
    plural: str | None = None
    msgstr: list[str] = field(default_factory=lambda: [""])
    places: list[str] = field(default_factory=list)

    @property
    def translated(self) -> bool:
        return all(s for s in self.msgstr) and len(self.msgstr) == (2 if self.plural else 1)


# --------------------------------------------------------------------------- extract


def messages() -> dict[str, Entry]:
    """Every message in the code, in the order first seen, with where it is used."""
    found: dict[str, Entry] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "N_", "ngettext")
            ):
                continue
            args = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in node.args]
            if not args or args[0] is None:
                continue
            plural = args[1] if node.func.id == "ngettext" and len(args) > 1 else None
            entry = found.setdefault(args[0], Entry(args[0], plural, ["", ""] if plural else [""]))
            place = path.relative_to(ROOT).as_posix()
            if place not in entry.places:
                entry.places.append(place)
    for path in sorted(PACKAGE.rglob("templates/*.html")):
        for call in _TEMPLATE_CALL.finditer(path.read_text(encoding="utf-8")):
            msgid = ast.literal_eval(call.group("q") + call.group("s") + call.group("q"))
            plural = (
                ast.literal_eval(call.group("q2") + call.group("p") + call.group("q2")) if call.group("p") else None
            )
            if call.group("f") == "ngettext" and plural is None:
                continue
            entry = found.setdefault(msgid, Entry(msgid, plural, ["", ""] if plural else [""]))
            place = path.relative_to(ROOT).as_posix()
            if place not in entry.places:
                entry.places.append(place)
    # sorted, and placed by file only (no line numbers): two branches that add messages merge without conflicts
    return dict(sorted(found.items()))


# _("...") and ngettext("...", "...", n) in a Jinja template: the same calls, with Python's string literal syntax
_TEMPLATE_CALL = re.compile(
    r"""(?<![\w.])(?P<f>_|ngettext)\(\s*(?P<q>["'])(?P<s>(?:\\.|(?!(?P=q)).)*)(?P=q)"""
    r"""(?:\s*,\s*(?P<q2>["'])(?P<p>(?:\\.|(?!(?P=q2)).)*)(?P=q2))?"""
)


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\n", "\\n")
    return f'"{escaped}"'


def _field(name: str, text: str) -> str:
    if "\n" in text[:-1]:
        return f'{name} ""\n' + "\n".join(_quote(part) for part in text.splitlines(keepends=True))
    return f"{name} {_quote(text)}"


def write_po(path: Path, entries: list[Entry], header: str) -> None:
    out = [_field("msgid", "") + "\n" + _field("msgstr", header) + "\n"]
    for e in entries:
        block = [f"#: {' '.join(e.places[:3])}"] if e.places else []
        block.append(_field("msgid", e.msgid))
        if e.plural is not None:
            block.append(_field("msgid_plural", e.plural))
            block += [_field(f"msgstr[{i}]", s) for i, s in enumerate(e.msgstr)]
        else:
            block.append(_field("msgstr", e.msgstr[0]))
        out.append("\n".join(block) + "\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out), encoding="utf-8")


# --------------------------------------------------------------------------- read


def _unquote(text: str) -> str:
    body = text.strip()[1:-1]
    out, i = [], 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            out.append({"n": "\n", "t": "\t", '"': '"', "\\": "\\"}.get(nxt, "\\" + nxt))
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def read_po(path: Path) -> tuple[str, list[Entry]]:
    """The header and the entries of a .po file as this tool writes it (and as GNU gettext does)."""
    entries: list[Entry] = []
    header = ""
    current: dict[str, str] = {}
    key = ""

    def flush() -> None:
        nonlocal header
        if "msgid" not in current:
            return
        if current["msgid"] == "":
            header = current.get("msgstr", "")
        else:
            plural = current.get("msgid_plural")
            strs = (
                [current.get(f"msgstr[{i}]", "") for i in range(2)]
                if plural is not None
                else [current.get("msgstr", "")]
            )
            entries.append(Entry(current["msgid"], plural, strs))
        current.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            if not line:
                flush()
            continue
        if line.startswith('"'):
            current[key] += _unquote(line)
            continue
        key, _sep, rest = line.partition(" ")
        if key == "msgid" and "msgid" in current:
            flush()
        current[key] = _unquote(rest)
    flush()
    return header, entries


# --------------------------------------------------------------------------- compile


def compile_mo(po: Path) -> bytes:
    """A GNU .mo file from a .po: translated entries only, sorted by msgid, so the bytes depend on the text alone."""
    header, entries = read_po(po)
    table = {"": header}
    for e in entries:
        if not e.translated:
            continue
        if e.plural is not None:
            table[f"{e.msgid}\0{e.plural}"] = "\0".join(e.msgstr)
        else:
            table[e.msgid] = e.msgstr[0]
    keys = sorted(table, key=lambda k: k.encode("utf-8"))
    ids = [k.encode("utf-8") for k in keys]
    strs = [table[k].encode("utf-8") for k in keys]
    count = len(keys)
    key_start = 7 * 4
    value_start = key_start + count * 8
    data_start = value_start + count * 8
    offsets, data = [], b""
    for blob in ids + strs:
        offsets.append((len(blob), data_start + len(data)))
        data += blob + b"\0"
    head = struct.pack("<7I", 0x950412DE, 0, count, key_start, value_start, 0, 0)
    return head + b"".join(struct.pack("<2I", *o) for o in offsets) + data


def catalogs() -> list[Path]:
    return sorted(LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def compile_all() -> list[Path]:
    written = []
    for po in catalogs():
        mo = po.with_suffix(".mo")
        blob = compile_mo(po)
        if not mo.exists() or mo.read_bytes() != blob:
            mo.write_bytes(blob)
        written.append(mo)
    return written


# --------------------------------------------------------------------------- check


def fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def problems(po: Path) -> list[str]:
    """What is wrong with one catalog: missing or empty translations, broken placeholders, leftovers."""
    wanted = messages()
    _header, entries = read_po(po)
    have = {e.msgid: e for e in entries}
    found = []
    for msgid, entry in wanted.items():
        got = have.get(msgid)
        where = entry.places[0]
        if got is None or not got.translated:
            found.append(f"{_shown(po)}: no translation of {msgid!r} ({where})")
            continue
        for source, translated in zip([msgid, entry.plural or msgid], got.msgstr, strict=False):
            if fields(translated) != fields(source):
                found.append(
                    f"{_shown(po)}: the translation of {msgid!r} has placeholders "
                    f"{sorted(fields(translated))}, not {sorted(fields(source))}"
                )
    found += [f"{_shown(po)}: {e.msgid!r} is no longer used" for e in entries if e.msgid not in wanted]
    return found


def extract() -> None:
    wanted = messages()
    write_po(LOCALE / f"{DOMAIN}.pot", list(wanted.values()), HEADER["nl"].replace("Language: nl\n", ""))
    for po in catalogs():
        header, entries = read_po(po)
        have = {e.msgid: e for e in entries}
        merged = []
        for msgid, entry in wanted.items():
            old = have.get(msgid)
            merged.append(
                Entry(
                    msgid,
                    entry.plural,
                    old.msgstr if old and len(old.msgstr) == len(entry.msgstr) else entry.msgstr,
                    entry.places,
                )
            )
        write_po(po, merged, header)
        missing = sum(1 for e in merged if not e.translated)
        print(f"{po.relative_to(ROOT)}: {len(merged)} messages, {missing} to translate")


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else ""
    if command == "extract":
        extract()
        return 0
    if command == "compile":
        for mo in compile_all():
            print(mo.relative_to(ROOT))
        return 0
    if command == "check":
        found = [p for po in catalogs() for p in problems(po)]
        print("\n".join(found) or "every message is translated")
        return 1 if found else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
