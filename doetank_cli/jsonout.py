"""Stable JSON for scripts (the keys of DESIGN.md §6), written without Rich: the warm path prints it too."""

from __future__ import annotations

import json
import json.encoder
import re
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import date

    from doetank_cli.findings import Finding
    from doetank_cli.index import Overview, Summary
    from doetank_cli.network import Figures


#: characters that act on a terminal instead of showing: C0 and C1 controls and DEL (ESC starts the sequences that
#: retitle windows, recolour text or move the cursor), lone surrogates (left by bytes that were not UTF-8), and the
#: bidi overrides and isolates that reorder the rest of a line so it reads as something else (CVE-2021-42574).
#: (Here, light, for the JSON; render.safe() shows them as escapes on the terminal.)
UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]|\r(?!\n)")


def _json_safe(text: str) -> str:
    # json escapes C0 controls itself; the rest of what a terminal acts on becomes a \u escape, the same value in JSON
    return UNSAFE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def _line_encoder() -> Callable[[Any], str]:
    """json.dumps(item, ensure_ascii=False), without making a new encoder for every item (10,000 tanks: ~30 ms)."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # a Python without the C accelerator
        return lambda item: json.dumps(item, ensure_ascii=False)

    def default(value: Any) -> Any:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")

    encode = make({}, default, json.encoder.encode_basestring, None, ": ", ", ", False, False, True)
    return lambda item: "".join(encode(item, 0))


def emit_json(data: Any) -> None:
    """JSON on stdout: a list with one item per line (the C encoder, fast for thousands of tanks), else indented."""
    sys.stdout.write(json_text(data))


def json_text(data: Any) -> str:
    """JSON as doetank writes it: non-ASCII as it is, but whatever a terminal would act on as a \\u escape."""
    if isinstance(data, list):
        line = _line_encoder()
        lines = ",\n".join(["  " + line(item) for item in data])
        return _json_safe(f"[\n{lines}\n]\n" if data else "[]\n")
    return _json_safe(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def summary_json(s: Summary, today: date) -> dict[str, Any]:
    return {
        "slug": s.slug,
        "naam": s.naam,
        "status": s.status.value,
        "fase": s.fase.value,
        "fase_nummer": s.fase.nummer,
        "teamgrootte": s.teamgrootte,
        "trekker": s.trekker,
        "coach": s.coach,
        "opdrachtgever": s.opdrachtgever,
        "dagen_in_fase": s.dagen_in_fase(today),
        "fouten": s.fouten,
        "waarschuwingen": s.waarschuwingen,
    }


def finding_json(slug: str, f: Finding) -> dict[str, Any]:
    out: dict[str, Any] = {
        "tank": slug,
        "regel": f.regel,
        "naam": f.naam,
        "ernst": f.ernst.value,
        "bericht": f.bericht,
        "oplossing": f.oplossing,
    }
    if f.uitzondering is not None:
        out["uitzondering"] = f.uitzondering
    return out


def _q(text: str) -> str:
    """A JSON string as json.dumps writes it without ensure_ascii, with json_text's escapes."""
    encoded = json.encoder.encode_basestring(text)
    # json has escaped C0 and CR already: in ASCII only DEL is left to escape
    return encoded if encoded.isascii() and "\x7f" not in encoded else _json_safe(encoded)


def summary_line(s: Summary, today: date) -> str:
    """One line of json_text([summary_json(s, today)]), written out: three times faster, which is a tenth of
    `status --json` over 10,000 tanks. tests/test_jsonout.py holds the two to the same bytes."""

    q = _q
    dagen = s.dagen_in_fase(today)
    return (
        f'{{"slug": {q(s.slug)}, "naam": {q(s.naam)}, "status": {q(s.status.value)}, "fase": {q(s.fase.value)}, '
        f'"fase_nummer": {s.fase.nummer}, "teamgrootte": {s.teamgrootte}, '
        f'"trekker": {"null" if s.trekker is None else q(s.trekker)}, '
        f'"coach": {"null" if s.coach is None else q(s.coach)}, '
        f'"opdrachtgever": {"null" if s.opdrachtgever is None else q(s.opdrachtgever)}, '
        f'"dagen_in_fase": {"null" if dagen is None else dagen}, "fouten": {s.fouten}, '
        f'"waarschuwingen": {s.waarschuwingen}}}'
    )


def overview_json(ov: Overview) -> None:
    """`status --json`: the list of summary_json, one tank per line, as emit_json writes lists."""
    if not ov.tanks:
        sys.stdout.write("[]\n")
        return
    write, day, tanks = sys.stdout.write, ov.today, ov.tanks
    for start in range(0, len(tanks), 1000):  # in parts: the whole text of 50,000 tanks at once is 40 MB more
        lines = ",\n  ".join([summary_line(s, day) for s in tanks[start : start + 1000]])
        write(f"[\n  {lines}" if start == 0 else f",\n  {lines}")
    write("\n]\n")


def check_json(ov: Overview) -> None:
    """`check --json`: emit_json's list of finding_json, written out line by line from the findings' plain values
    (10,000 tanks have some 10,000 findings: making a Finding and a dict of each was most of the command's time).
    tests/test_jsonout.py holds this to emit_json's bytes."""
    lines = []
    for s in ov.tanks:
        values = s.finding_values()
        if not values:
            continue
        tank = _q(s.slug)
        for regel, naam, ernst, bericht, oplossing, uitzondering in values:
            waived = "" if uitzondering is None else f', "uitzondering": {_q(uitzondering)}'
            lines.append(
                f'  {{"tank": {tank}, "regel": {_q(regel)}, "naam": {_q(naam)}, "ernst": {_q(ernst)}, '
                f'"bericht": {_q(bericht)}, "oplossing": {_q(oplossing)}{waived}}}'
            )
    sys.stdout.write("[\n" + ",\n".join(lines) + "\n]\n" if lines else "[]\n")


def figures_json(fig: Figures) -> None:
    """`overview --json`: per_fase, per_status, aandacht, dagen_per_fase, per_kwartaal; one key a line, the items of a
    list one a line (as `status --json` writes its list: a network of 10,000 tanks has thousands to say)."""
    line = _line_encoder()

    def listed(items: list[str]) -> str:
        return "[\n    " + ",\n    ".join(items) + "\n  ]" if items else "[]"

    dagen = {
        fase.value: {"mediaan": _number(spent), "richtlijn_mediaan": _number(allowed)}
        for fase, (spent, allowed) in fig.dagen_per_fase.items()
    }
    # thousands of these: written out as line() would write each
    aandacht = ['{"tank": ' + _q(s.slug) + ', "reden": ' + _q(reden.code) + "}" for s, reden in fig.aandacht]
    out = [
        f'  "per_fase": {line({fase.value: n for fase, n in fig.per_fase.items()})}',
        f'  "per_status": {line({status.value: n for status, n in fig.per_status.items()})}',
        f'  "aandacht": {listed(aandacht)}',
        f'  "dagen_per_fase": {line(dagen)}',
        '  "per_kwartaal": '
        + listed([line({"kwartaal": q, "gestart": g, "afgerond": a}) for q, g, a in fig.per_kwartaal]),
    ]
    sys.stdout.write(_json_safe("{\n" + ",\n".join(out) + "\n}\n"))


def _number(value: float | None) -> float | int | None:
    """A median: a whole number of days as an int, half a day as a float."""
    return int(value) if value is not None and value == int(value) else value
