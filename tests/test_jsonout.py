"""The JSON for scripts: `status --json`'s fast lines are exactly what json.dumps makes of the same summary."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from datetime import date

import pytest

from doetank_cli import jsonout
from doetank_cli.index import Overview, Summary
from doetank_cli.vocab import Fase, Status

DAY = date(2026, 11, 28)
AWKWARD = [
    '"quoted"', "back\\slash", "tab\there", "line\nbreak", "\u2028\u2029", "é ß 🦆", "\x00\x1f\x7f", "</script>",
    "\x1b]0;titel\x07", "\x9b31m", "Anna \u202egnalsnioR", "CR\ralone",
]  # fmt: skip


def summaries() -> list[Summary]:
    out = []
    for n, text in enumerate(AWKWARD):
        for status in Status:
            out.append(
                Summary(
                    f"tank-{n}",
                    text,
                    status,
                    list(Fase)[n % 6],
                    n,
                    text if n % 2 else None,
                    None if n % 3 else text,
                    text if n % 4 else None,
                    date(2026, 1, n + 1) if n % 5 else None,
                    None,
                )
            )
    return out


@pytest.mark.parametrize("s", summaries(), ids=lambda s: f"{s.slug}-{s.status.value}")
def test_a_fast_line_is_what_json_text_makes_of_the_summary(s: Summary) -> None:
    line = jsonout.summary_line(s, DAY)
    assert f"[\n  {line}\n]\n" == jsonout.json_text([jsonout.summary_json(s, DAY)])
    assert json.loads(line) == jsonout.summary_json(s, DAY)  # the same values, whatever was escaped
    assert not jsonout.UNSAFE.search(line)  # nothing that acts on a terminal


def test_status_json_is_the_list_emit_json_writes() -> None:
    ov = Overview(DAY, summaries(), [])
    for tanks in (ov.tanks, ov.tanks[:1], [], ov.tanks * 100):  # 2,400: written in parts of 1,000
        fast, plain = io.StringIO(), io.StringIO()
        with redirect_stdout(fast):
            jsonout.overview_json(Overview(DAY, tanks, []))
        with redirect_stdout(plain):
            jsonout.emit_json([jsonout.summary_json(s, DAY) for s in tanks])
        assert fast.getvalue() == plain.getvalue()
        assert json.loads(fast.getvalue()) == [jsonout.summary_json(s, DAY) for s in tanks]


def test_check_json_is_the_list_emit_json_writes() -> None:
    from doetank_cli.findings import Ernst, Finding

    findings = [
        Finding(f"DT0{n:02d}", text, ernst, f"{text} bericht", text, None if n % 2 else text)
        for n, text in enumerate(AWKWARD)
        for ernst in Ernst
    ]
    tanks = summaries()
    for n, s in enumerate(tanks):
        chosen_findings = findings[(7 * n) % len(findings) :][: n % 4]  # some with none, many sharing the same
        # half as the index keeps them (a JSON text, read without making a Finding), half as Findings
        s._findings = (
            json.dumps([[*f[:2], f.ernst.value, *f[3:]] for f in chosen_findings], ensure_ascii=False)
            if n % 2
            else chosen_findings
        )
    # the first round reads half of them from their JSON text; s.findings (the plain side) keeps Findings after
    for chosen in (tanks, tanks[:1], tanks[1:2], [], tanks * 50):
        fast, plain = io.StringIO(), io.StringIO()
        with redirect_stdout(fast):
            jsonout.check_json(Overview(DAY, chosen, []))
        with redirect_stdout(plain):
            jsonout.emit_json([jsonout.finding_json(s.slug, f) for s in chosen for f in s.findings])
        assert fast.getvalue() == plain.getvalue()
        assert not jsonout.UNSAFE.search(fast.getvalue())
