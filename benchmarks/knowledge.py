"""Measure search and lessons over a large network, as ratios to `status --json` over the same workspace in one run.

    python benchmarks/knowledge.py            # 10,000 tanks with notes (a few minutes, most of it the first index)
    python benchmarks/knowledge.py --quick    # 1,000 tanks

Warm: the index is built by a first run, as it is after a person's first search. Every later run still stats every
record and note (a note changed a second ago must be found), as `status` stats every record.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate
from run import DOETANK, median, timed

LEREN = """# {naam} — 5. Leren

## Wat werkt

Een vaste besluitenlijst per overleg werkt: de vergaderingen werden korter. {tekst}

## Wat werkt niet

Staand vergaderen hield niemand vol. {tekst}
"""


def with_lessons(root: Path) -> int:
    """Lessons in every leren note, and every twentieth tank stopped with its reason; returns the number of notes."""
    notes = 0
    for folder in sorted((root / "tanks").iterdir()):
        leren = folder / "05-leren.md"
        if leren.exists():
            naam = leren.read_text(encoding="utf-8").splitlines()[0][2:].split(" — ")[0]
            leren.write_text(LEREN.format(naam=naam, tekst="Zo ging het. " * 5), encoding="utf-8")
        if int(folder.name.split("-")[1]) % 20 == 0:
            record = folder / "doetank.yaml"
            text = re.sub(r"(?m)^status: actief", "status: gestopt", record.read_text(encoding="utf-8"))
            record.write_text(text + "gestopt: {datum: 2026-11-01, reden: Geen opdrachtgever gevonden}\n", "utf-8")
        notes += sum(1 for p in folder.iterdir() if p.suffix == ".md")
    return notes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 tanks, fewer runs")
    args = parser.parse_args()
    if not DOETANK:
        raise SystemExit("doetank is not installed in this environment: pip install .")
    n = 1000 if args.quick else 10000
    runs = 3 if args.quick else 5
    with tempfile.TemporaryDirectory(prefix="doetank-bench-") as tmp:
        root = Path(tmp) / "ws"
        generate(root, n)
        notes = with_lessons(root)
        base = [DOETANK, "--root", str(root)]
        start = time.perf_counter()
        timed([*base, "search", "vergaderingen"])  # builds the search index (and the summaries' index below)
        first = time.perf_counter() - start
        timed([*base, "status", "--json"])
        status, _ = median([*base, "status", "--json"], runs)
        search, search_rss = median([*base, "search", "vergaderingen", "--json"], runs)
        rare, _ = median([*base, "search", "opdrachtgever", "gevonden", "--json"], runs)
        lessons, lessons_rss = median([*base, "lessons", "--json"], runs)
    rows = [
        (f"search --json, {n:,} tanks, {notes:,} notes, warm", search, status, 2.0, search_rss),
        (f"search of two words, {n:,} tanks, warm", rare, status, 2.0, None),
        (f"lessons --json, {n:,} tanks, warm", lessons, status, 2.0, lessons_rss),
    ]
    print(f"doetank knowledge benchmark on {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, medians of {runs}")
    print(f"the first search (building the index) took {first:.1f} s; status --json takes {status * 1000:.0f} ms\n")
    width = max(len(r[0]) for r in rows)
    print(f"{'figure':<{width}}  {'ratio':>7}  {'target':>7}        measured")
    for name, value, baseline, target, rss in rows:
        ratio = value / baseline
        mark = "ok" if ratio <= target else "MISSED"
        memory = f", peak {rss} MB" if rss else ""
        print(
            f"{name:<{width}}  {ratio:>6.2f}x  {'<= ' + str(target) + 'x':>7}  {mark:<6} "
            f"{value * 1000:.0f} ms vs status --json {baseline * 1000:.0f} ms{memory}"
        )


if __name__ == "__main__":
    main()
