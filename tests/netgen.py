"""A generated network of tanks in every state, with what is true of each written down as it is made.

The tests of the coordinator's filters and overview compare doetank's answers with these facts, worked out here from
the choices the generator made, never from doetank's own code (only --failing takes the rules' word, from the rules
run over each record directly).
"""

from __future__ import annotations

import os
import random
import subprocess
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

FASES = ["ontdekken", "onderzoeken", "ontwikkelen", "uitproberen", "leren", "overdragen"]
ORGS = ["Gemeente Utrecht", "Rijkswaterstaat", "Provincie Gelderland", "UWV", "Gemeente Zwolle", "DUO", "Kadaster"]
FIRST = ["Anna", "Bram", "Cor", "Daan", "Eva", "Fatima", "Gert", "Hanna", "Ilse", "Jeroen", "Karin", "Noor"]
LAST = ["de Vries", "Peters", "Smit", "Jansen", "El Amrani", "Bakker", "Visser", "de Boer"]
TODAY = date(2026, 11, 28)


@dataclass
class Truth:
    slug: str
    naam: str
    status: str
    fase: str
    orgs: list[str]  # the vraagstuk's organisation and the opdrachtgever's
    leden: list[str]
    coach: bool
    opdrachtgever: bool
    einddatum: date | None
    doelen: dict[str, date]
    geschiedenis: list[tuple[str, date]]
    afgerond: date | None
    publiek: bool
    committed: date  # the day of the commit that last touched the tank
    fase_sinds: date = field(init=False)

    def __post_init__(self) -> None:
        self.fase_sinds = next(day for fase, day in reversed(self.geschiedenis) if fase == self.fase)

    @property
    def late(self) -> bool:
        if self.status != "actief":
            return False
        if self.einddatum is not None and self.einddatum < TODAY:
            return True
        current = FASES.index(self.fase)
        return any(FASES.index(f) >= current and d < TODAY for f, d in self.doelen.items())

    @property
    def dagen_in_fase(self) -> int | None:
        return (TODAY - self.fase_sinds).days if self.status == "actief" else None


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _record(i: int, rng: random.Random) -> tuple[str, Truth]:
    status = rng.choices(["actief", "afgerond", "gestopt"], [7, 2, 2])[0]
    fase_n = 5 if status == "afgerond" else rng.randrange(6)
    fase = FASES[fase_n]
    naam = f"{rng.choice(['Slimmer', 'Sneller', 'Samen', 'Anders'])} {rng.choice(['vergaderen', 'archiveren'])} {i}"
    slug = f"tank-{i:03d}"
    org = rng.choice(ORGS)
    start = TODAY - timedelta(days=rng.randrange(60, 900))
    steps, day = [], start
    for f in FASES[: fase_n + 1]:
        steps.append((f, day))
        day = min(TODAY, day + timedelta(days=rng.randrange(5, 60)))
    afgerond = min(TODAY, steps[-1][1] + timedelta(days=rng.randrange(5, 40))) if status == "afgerond" else None
    has_og = rng.random() < 0.75
    og_org = rng.choice(ORGS) if has_og else None
    members = sorted({_person(rng) for _ in range(rng.randrange(2, 7))})
    has_coach = rng.random() < 0.8
    coach_name = "Coach " + rng.choice(LAST) if has_coach else None
    einddatum = start + timedelta(days=rng.randrange(100, 900)) if rng.random() < 0.85 else None
    doelen = {}
    if rng.random() < 0.5:
        for f, entered in steps:
            if rng.random() < 0.7:
                doelen[f] = entered + timedelta(days=rng.randrange(10, 80))
    publiek = rng.random() < 0.8
    lines = [
        f"naam: {naam}",
        f"status: {status}",
        f"fase: {fase}",
        "vraagstuk:",
        f"  probleem: Werk rond {naam.lower()} kost te veel tijd",
        f"  organisatie: {org}",
        "  groter_vraagstuk: Hoe werken publieke organisaties slimmer samen?",
        f"herkomst: {'opdrachtgever' if has_og else 'netwerk'}",
    ]
    if has_og:
        lines += ["opdrachtgever:", f"  naam: {_person(rng)}", f"  organisatie: {og_org}", "  sector: publiek"]
    lines.append("leden:")
    for n, name in enumerate(members):
        lines.append(f"  - {{naam: {name}, rol: {'trekker' if n == 0 else 'doetanker'}, organisatie: {org}}}")
    if coach_name:
        lines.append(f"  - {{naam: {coach_name}, rol: coach, organisatie: Kennisland, sector: extern}}")
    if einddatum or doelen:
        lines.append("richtlijn:")
        if einddatum:
            lines.append(f"  einddatum: {einddatum.isoformat()}")
        if doelen:
            lines.append("  fases: {" + ", ".join(f"{f}: {d.isoformat()}" for f, d in doelen.items()) + "}")
    lines.append(f"kickoff: {{datum: {(start + timedelta(days=3)).isoformat()}, locatie: Kennisland}}")
    lines.append("geschiedenis:")
    lines += [f"  - {{fase: {f}, datum: {d.isoformat()}}}" for f, d in steps]
    if status == "gestopt":
        lines.append(f"gestopt: {{datum: {steps[-1][1].isoformat()}, reden: Het probleem bleek elders opgelost}}")
    if afgerond:
        lines.append(f"afgerond: {afgerond.isoformat()}")
    lines.append(f"publiek: {'true' if publiek else 'false'}")
    truth = Truth(
        slug,
        naam,
        status,
        fase,
        [org] + ([og_org] if og_org else []),
        members + ([coach_name] if coach_name else []),
        has_coach,
        has_og,
        einddatum,
        doelen,
        steps,
        afgerond,
        publiek,
        TODAY,
    )
    return "\n".join(lines) + "\n", truth


#: the days before TODAY on which the generated tanks were last committed, group by group
COMMIT_AGES = [400, 90, 45, 30, 29, 10, 0]


def generate(root: Path, n: int, seed: int = 20) -> dict[str, Truth]:
    """n tanks under root/tanks, committed in groups at the days of COMMIT_AGES; returns the truth of each."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    _git(root, {}, "init", "-q")
    truths = {}
    for i in range(n):
        text, truth = _record(i, rng)
        folder = root / "tanks" / truth.slug
        folder.mkdir(parents=True)
        (folder / "doetank.yaml").write_text(text, encoding="utf-8")
        truths[truth.slug] = truth
    slugs = sorted(truths)
    groups = [slugs[k :: len(COMMIT_AGES)] for k in range(len(COMMIT_AGES))]
    for age, group in zip(COMMIT_AGES, groups, strict=True):
        when = f"{(TODAY - timedelta(days=age)).isoformat()}T12:00:00"
        env = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
        _git(root, env, "add", "--", *(f"tanks/{slug}" for slug in group))
        _git(root, env, "commit", "-qm", f"tanks committed {age} days ago")
        for slug in group:
            truths[slug].committed = TODAY - timedelta(days=age)
    return truths


#: git run by the generator: no user's configuration, a fixed author (the generator may run before the tests' fixtures)
GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Netwerk Coördinator",
    "GIT_AUTHOR_EMAIL": "coordinator@example.nl",
    "GIT_COMMITTER_NAME": "Netwerk Coördinator",
    "GIT_COMMITTER_EMAIL": "coordinator@example.nl",
}


def _git(root: Path, env: dict[str, str], *args: str) -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env={**clean, **GIT_ENV, **env})
