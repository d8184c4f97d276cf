"""The side-by-side peer: Taskwarrior, a task list in C++, holding the same network as doetank's benchmark.

Each tank becomes one pending task with the facts `status` shows: the name as description, the organisation as
project, the phase, trekker, coach and opdrachtgever as user-defined attributes, the team's size, the day the tank
started, the day its phase began and its einddatum. Written straight into Taskwarrior's data file (what 10,000
`task add` would make, in a second instead of minutes).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

TASK = shutil.which("task") or ""
RC = """data.location={data}
confirmation=off
verbose=nothing
uda.fase.type=string
uda.fase.values=ontdekken,onderzoeken,ontwikkelen,uitproberen,leren,overdragen
uda.trekker.type=string
uda.coach.type=string
uda.opdrachtgever.type=string
uda.team.type=numeric
"""


def _epoch(day: object) -> str:
    assert isinstance(day, date)
    return str(int(datetime(day.year, day.month, day.day, 9, tzinfo=UTC).timestamp()))


def _value(text: object) -> str:
    return str(text).replace('"', "&dquot;")


def write(folder: Path, facts: list[dict[str, object]]) -> dict[str, str]:
    """Taskwarrior's data and rc for the tanks of `facts`; returns the environment that makes `task` use them."""
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    lines = []
    for n, tank in enumerate(facts):
        attributes = {
            "description": tank["naam"],
            "project": str(tank["organisatie"]).replace(" ", "-"),
            "status": "pending",
            "uuid": str(uuid.UUID(int=n + 1, version=4)),
            "entry": _epoch(tank["start"]),
            "modified": _epoch(tank["fase_sinds"]),
            "start": _epoch(tank["fase_sinds"]),
            "due": _epoch(tank["einddatum"]),
            "fase": tank["fase"],
            "trekker": tank["trekker"],
            "team": str(tank["teamgrootte"]),
        }
        for key in ("coach", "opdrachtgever"):
            if tank[key]:
                attributes[key] = tank[key]
        lines.append("[" + " ".join(f'{key}:"{_value(value)}"' for key, value in sorted(attributes.items())) + "]\n")
    (data / "pending.data").write_text("".join(lines), encoding="utf-8")
    (data / "completed.data").write_text("", encoding="utf-8")
    rc = folder / "taskrc"
    rc.write_text(RC.format(data=data), encoding="utf-8")
    return {"TASKRC": str(rc), "TASKDATA": str(data), "HOME": str(folder)}


def version() -> str | None:
    if not TASK:
        return None
    env = {k: v for k, v in os.environ.items() if k not in ("TASKRC", "TASKDATA")} | {"TASKRC": os.devnull}
    done = subprocess.run([TASK, "--version"], capture_output=True, text=True, env=env, check=False)
    return done.stdout.strip() or None
