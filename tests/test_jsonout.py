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
AWKWARD = ['"quoted"', "back\\slash", "tab\there", "line\nbreak", "\u2028\u2029", "é ß 🦆", "\x00\x1f\x7f", "</script>"]


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
def test_a_fast_line_is_what_json_dumps_makes_of_the_summary(s: Summary) -> None:
    assert jsonout.summary_line(s, DAY) == json.dumps(jsonout.summary_json(s, DAY), ensure_ascii=False)


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
