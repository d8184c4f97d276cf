"""Generate a workspace of N realistic tanks (records and phase notes), deterministically.

python benchmarks/generate.py OUT N
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path

FASES = ["ontdekken", "onderzoeken", "ontwikkelen", "uitproberen", "leren", "overdragen"]
ONDERWERPEN = [
    "vergaderen",
    "archiveren",
    "inwerken",
    "aanbesteden",
    "vergunningen",
    "roosteren",
    "declareren",
    "samenwerken",
    "rapporteren",
    "informatie delen",
]
WOORDEN = ["Slimmer", "Sneller", "Samen", "Eenvoudiger", "Minder", "Beter", "Anders", "Digitaal"]
ORGANISATIES = [
    "Gemeente Utrecht",
    "Rijkswaterstaat",
    "Provincie Gelderland",
    "UWV",
    "Belastingdienst",
    "Waterschap Rivierenland",
    "Gemeente Zwolle",
    "DUO",
]
VOORNAMEN = [
    "Anna",
    "Bram",
    "Cor",
    "Daan",
    "Eva",
    "Fatima",
    "Gert",
    "Hanna",
    "Ilse",
    "Jeroen",
    "Karin",
    "Lotte",
    "Mohamed",
    "Noor",
]
ACHTERNAMEN = ["de Vries", "Peters", "Smit", "Jansen", "El Amrani", "Bakker", "Visser", "de Boer", "Mulder", "Bos"]
NOTE = "# {naam} — {n}. {fase}\n\n## Eerste sectie\n\n{tekst}\n\n## Tweede sectie\n\n{tekst}\n"


def person(rng: random.Random) -> str:
    return f"{rng.choice(VOORNAMEN)} {rng.choice(ACHTERNAMEN)}"


def record(i: int, rng: random.Random, today: date) -> tuple[str, str, int, dict[str, object]]:
    naam = f"{rng.choice(WOORDEN)} {rng.choice(ONDERWERPEN)} {i}"
    fase_index = rng.randrange(len(FASES))
    start = today - timedelta(days=rng.randrange(30, 700))
    org = rng.choice(ORGANISATIES)
    lines = [
        "# yaml-language-server: $schema=../../doetank.schema.json",
        f"naam: {naam}",
        "status: actief                    # actief | afgerond | gestopt",
        f"fase: {FASES[fase_index]}",
        "vraagstuk:",
        f"  probleem: Werk rond {naam.lower()} kost teams bij {org} te veel tijd   # klein en concreet",
        f"  organisatie: {org}",
        "  groter_vraagstuk: Hoe werken publieke organisaties slimmer samen?",
        f"herkomst: {rng.choice(['opdrachtgever', 'netwerk'])}",
        "kanaal: linkedin",
    ]
    opdrachtgever = person(rng) if rng.random() < 0.8 else None
    if opdrachtgever:
        lines += ["opdrachtgever:", f"  naam: {opdrachtgever}", f"  organisatie: {org}", "  sector: publiek"]
    lines.append("leden:")
    names = {person(rng) for _ in range(rng.randrange(3, 10))}
    for n, name in enumerate(sorted(names)):
        rol = "trekker" if n == 0 else "doetanker"
        sector = "extern" if rng.random() < 0.15 else "publiek"
        lines.append(f"  - {{naam: {name}, rol: {rol}, organisatie: {rng.choice(ORGANISATIES)}, sector: {sector}}}")
    coach = "Coach Kennisland" if rng.random() < 0.85 else None
    if coach:
        lines.append("  - {naam: Coach Kennisland, rol: coach, organisatie: Kennisland, sector: extern}")
    einddatum = start + timedelta(days=rng.randrange(200, 500))
    lines += ["richtlijn:", f"  einddatum: {einddatum.isoformat()}"]
    kickoff = start + timedelta(days=10)
    lines.append(f"kickoff: {{datum: {kickoff.isoformat()}, locatie: Kennisland}}")
    lines += [
        "updates:",
        f'  - {{datum: {(kickoff + timedelta(days=2)).isoformat()}, kanaal: linkedin, url: "https://www.linkedin.com/posts/doetank-{i}"}}',
    ]
    if rng.random() < 0.7:
        lines.append(
            f'  - {{datum: {(kickoff + timedelta(days=9)).isoformat()}, kanaal: blog, url: "https://slimmernetwerk.nl/doetanks/{i}"}}'
        )
    lines.append("geschiedenis:")
    day = entered = start
    for fase in FASES[: fase_index + 1]:
        lines.append(f"  - {{fase: {fase}, datum: {day.isoformat()}}}")
        entered = day
        day += timedelta(days=rng.randrange(10, 60))
        day = min(day, today)
    facts: dict[str, object] = {
        "naam": naam,
        "fase": FASES[fase_index],
        "organisatie": org,
        "trekker": sorted(names)[0],
        "coach": coach,
        "opdrachtgever": opdrachtgever,
        "teamgrootte": len(names),
        "start": start,
        "fase_sinds": entered,
        "einddatum": einddatum,
    }
    return naam, "\n".join(lines) + "\n", fase_index, facts


def generate(root: Path, n: int, seed: int = 2026) -> list[dict[str, object]]:
    """n tanks under root/tanks; returns the facts of each (for the peer's copy of the same network)."""
    rng = random.Random(seed)
    today = date(2026, 11, 28)
    (root / "tanks").mkdir(parents=True, exist_ok=True)
    every = []
    for i in range(n):
        naam, text, fase_index, facts = record(i, rng, today)
        every.append(facts)
        folder = root / "tanks" / f"tank-{i:05d}"
        folder.mkdir(exist_ok=True)
        (folder / "doetank.yaml").write_text(text, encoding="utf-8")
        for n_fase, fase in enumerate(FASES[: fase_index + 1], start=1):
            tekst = "Wat het team vond en deed, in een paar zinnen. " * rng.randrange(1, 6)
            (folder / f"{n_fase:02d}-{fase}.md").write_text(
                NOTE.format(naam=naam, n=n_fase, fase=fase, tekst=tekst), encoding="utf-8"
            )
    return every


if __name__ == "__main__":
    generate(Path(sys.argv[1]), int(sys.argv[2]))
