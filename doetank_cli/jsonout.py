"""Stable JSON for scripts (the keys of DESIGN.md §6), written without Rich: the warm path prints it too."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import date

    from doetank_cli.findings import Finding
    from doetank_cli.index import Overview, Summary
    from doetank_cli.network import Figures


def emit_json(data: Any) -> None:
    """JSON on stdout: a list with one item per line (the C encoder, fast for thousands of tanks), else indented."""
    if isinstance(data, list):
        lines = ",\n".join("  " + json.dumps(item, ensure_ascii=False) for item in data)
        sys.stdout.write(f"[\n{lines}\n]\n" if data else "[]\n")
    else:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


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


def overview_json(ov: Overview) -> None:
    emit_json([summary_json(s, ov.today) for s in ov.tanks])


def check_json(ov: Overview) -> None:
    emit_json([finding_json(s.slug, f) for s in ov.tanks for f in s.findings])


def figures_json(fig: Figures) -> None:
    """`overview --json`: per_fase, per_status, aandacht, dagen_per_fase, per_kwartaal."""
    emit_json(
        {
            "per_fase": {fase.value: n for fase, n in fig.per_fase.items()},
            "per_status": {status.value: n for status, n in fig.per_status.items()},
            "aandacht": [{"tank": s.slug, "reden": reden.code} for s, reden in fig.aandacht],
            "dagen_per_fase": {
                fase.value: {"mediaan": _number(spent), "richtlijn_mediaan": _number(allowed)}
                for fase, (spent, allowed) in fig.dagen_per_fase.items()
            },
            "per_kwartaal": [
                {"kwartaal": kwartaal, "gestart": gestart, "afgerond": afgerond}
                for kwartaal, gestart, afgerond in fig.per_kwartaal
            ],
        }
    )


def _number(value: float | None) -> float | int | None:
    """A median: a whole number of days as an int, half a day as a float."""
    return int(value) if value is not None and value == int(value) else value
