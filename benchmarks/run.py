"""Measure doetank's speed and memory as ratios against baselines taken in the same run (issues 6, 18 and 20).

    python benchmarks/run.py            # everything: 10, 1,000, 10,000 and 50,000 tanks (15 to 30 minutes)
    python benchmarks/run.py --quick    # 10 and 1,000 tanks, fewer runs: the rows that need more are left out

Every figure is a ratio of two medians measured in this run, alternately (one run of the command, one of its
baseline, and again), so a machine busy with other work slows both alike. Every command runs as a user runs it: the
installed `doetank` in a subprocess, with a clean environment (no PYTHON* variables: Python writes and reads its
bytecode as on any machine). Every answer is checked before it is timed: the command's output must be the plain
path's (the same command with the index removed, every record read from its file), and a peer's answer must hold
what it should. A wrong answer stops the benchmark.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).parent))
import peer
from generate import generate

BIN = Path(sys.executable).parent
DOETANK = shutil.which("doetank", path=str(BIN)) or shutil.which("doetank") or ""
TODAY = "2026-11-28"
ENV = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "DOETANK_", "PYTHON", "TASK"))} | {
    "DOETANK_TODAY": TODAY,
    "LC_ALL": "C.UTF-8",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Bench Mark",
    "GIT_AUTHOR_EMAIL": "bench@example.nl",
    "GIT_COMMITTER_NAME": "Bench Mark",
    "GIT_COMMITTER_EMAIL": "bench@example.nl",
}
SAFE_LOAD = """
import sys
from pathlib import Path
from ruamel.yaml import YAML
yaml = YAML(typ="safe")
for path in sorted(Path(sys.argv[1], "tanks").glob("*/doetank.yaml")):
    yaml.load(path.read_text(encoding="utf-8"))
"""


class Row(NamedTuple):
    name: str
    value: float
    target: float
    measured: str
    unit: str = "x"  # "x": a ratio; "MB": megabytes

    def line(self, width: int) -> str:
        shown = f"{self.value:.0f} MB" if self.unit == "MB" else f"{self.value:.2f}x"
        limit = f"{self.target:g} MB" if self.unit == "MB" else f"<= {self.target:g}x"
        mark = "ok" if self.value <= self.target else "MISSED"
        return f"{self.name:<{width}}  {shown:>8}  {limit:>8}  {mark:<6} {self.measured}"


class Run(NamedTuple):
    seconds: float
    rss_mb: int


def once(
    args: Sequence[str], env: dict[str, str] | None = None, cwd: Path | None = None, ok: Sequence[int] = (0, 1)
) -> Run:
    """One run: wall time, and the peak resident size of the command or any process it waited for."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, env=env or ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    err = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) not in ok:
        raise SystemExit(f"{' '.join(map(str, args))} failed ({os.waitstatus_to_exitcode(status)}): {err}")
    return Run(elapsed, usage.ru_maxrss // 1024)


def timed(args: Sequence[str]) -> tuple[float, int]:
    """One run: seconds and peak MB (for benchmarks/knowledge.py)."""
    run = once(args)
    return run.seconds, run.rss_mb


def median(args: Sequence[str], runs: int) -> tuple[float, int]:
    """The median seconds of `runs` runs, and the peak MB of any (for benchmarks/knowledge.py)."""
    done = [once(args) for _ in range(runs)]
    return statistics.median(r.seconds for r in done), max(r.rss_mb for r in done)


def pair(
    a: Sequence[str],
    b: Sequence[str],
    runs: int,
    env_a: dict[str, str] | None = None,
    env_b: dict[str, str] | None = None,
    before: Callable[[], None] | None = None,
) -> tuple[float, float, int]:
    """Medians of `a` and `b`, run alternately; and a's peak memory."""
    once(a, env_a)  # the first run fills the caches (the OS's, Python's bytecode) and, for doetank, the index
    once(b, env_b)
    ta, tb, peak = [], [], 0
    for _ in range(runs):
        if before:
            before()
        run = once(a, env_a)
        ta.append(run.seconds)
        peak = max(peak, run.rss_mb)
        if before:
            before()
        tb.append(once(b, env_b).seconds)
    return statistics.median(ta), statistics.median(tb), peak


def output(args: Sequence[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> str:
    done = subprocess.run(args, env=env or ENV, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(map(str, args))} failed ({done.returncode}): {done.stderr}")
    return done.stdout


def same_as_plain(root: Path, *command: str) -> None:
    """The command answers what the plain path answers: the same output once the index is removed."""
    args = [DOETANK, "--root", str(root), *command]
    fast = output(args)
    shutil.rmtree(root / ".doetank", ignore_errors=True)
    plain = output(args)
    if fast != plain or not plain.strip():
        raise SystemExit(
            f"doetank {' '.join(command)} over {root.name} answers differently with the index than without"
        )
    output(args)  # and the index is back


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], env=ENV, capture_output=True, text=True, check=True).stdout


# --------------------------------------------------------------------------- the rows


def startup(runs: int) -> list[Row]:
    python = [sys.executable, "-c", "pass"]
    rows = []
    for flag in ("--help", "--version"):
        t, base, _ = pair([DOETANK, flag], python, runs * 3)
        rows.append(Row(f"doetank {flag}", t / base, 8, f"{ms(t)} vs python -c pass {ms(base)}"))
    if output([DOETANK, "--version"]) != output([sys.executable, "-m", "doetank_cli", "--version"]):
        raise SystemExit("doetank --version answers differently from the full command line")
    return rows


def warm_small(root: Path, runs: int) -> list[Row]:
    python = [sys.executable, "-c", "pass"]
    rows = []
    for command in ("status", "check"):
        same_as_plain(root, command, "--json")
        t, base, _ = pair([DOETANK, "--root", str(root), command, "--json"], python, runs * 3)
        rows.append(Row(f"{command} --json, 10 tanks, warm", t / base, 6, f"{ms(t)} vs python -c pass {ms(base)}"))
    return rows


def scaling(roots: dict[int, Path], runs: int) -> list[Row]:
    small, mid = roots[10], roots[1000]
    same_as_plain(mid, "status", "--json")
    t, base, _ = pair(
        [DOETANK, "--root", str(mid), "status", "--json"], [DOETANK, "--root", str(small), "status", "--json"], runs
    )
    return [Row("status --json, 1,000 tanks vs 10", t / base, 1.5, f"{ms(t)} vs {ms(base)}")]


def against_taskwarrior(root: Path, facts: list[dict[str, object]], tmp: Path, runs: int) -> list[Row]:
    n = len(facts)
    if not peer.TASK:
        print("(Taskwarrior is not installed, so the side-by-side rows are left out: apt-get install taskwarrior)")
        return []
    env = ENV | peer.write(tmp / f"taskwarrior-{n}", facts)
    exported = json.loads(output([peer.TASK, "export"], env=env))
    if len(exported) != n or {t["description"] for t in exported} != {f["naam"] for f in facts}:
        raise SystemExit("task export did not give back the network's tasks")
    same_as_plain(root, "status", "--json")
    t, base, _ = pair([DOETANK, "--root", str(root), "status", "--json"], [peer.TASK, "export"], runs, env_b=env)
    return [Row(f"status --json, {n:,} tanks, warm vs task export", t / base, 1.0, f"{ms(t)} vs {ms(base)}")]


COORDINATOR = [
    ("status", "--json", "--status", "actief", "--sought", "coach", "--late", "--sort", "dagen_in_fase"),
    ("status", "--json", "--organisatie", "gemeente", "--fase", "leren", "--fase", "uitproberen", "--member", "de"),
    ("overview", "--json"),
]


def coordinator(root: Path, runs: int) -> list[Row]:
    rows = []
    plain = [DOETANK, "--root", str(root), "status", "--json"]
    for command in COORDINATOR:
        same_as_plain(root, *command)
        t, base, _ = pair([DOETANK, "--root", str(root), *command], plain, runs)
        name = " ".join(command[:1] + command[2:5]) + (" ..." if len(command) > 5 else "")
        rows.append(Row(f"{name}, {count(root):,} tanks vs status --json", t / base, 1.2, f"{ms(t)} vs {ms(base)}"))
    return rows


def count(root: Path) -> int:
    return sum(1 for _ in (root / "tanks").iterdir())


def check_unchanged(roots: dict[int, Path], runs: int) -> list[Row]:
    """check reads what status reads (the index's rows, their findings kept): over the same tanks it costs about the
    same. (Against check over 10 tanks, as this row once was, the ratio says how fast start-up has become, not how
    check scales: status's own scaling row says that.)"""
    big = max(roots)
    same_as_plain(roots[big], "check", "--json")
    t, base, _ = pair(
        [DOETANK, "--root", str(roots[big]), "check", "--json"],
        [DOETANK, "--root", str(roots[big]), "status", "--json"],
        runs,
    )
    return [Row(f"check --json, {big:,} tanks, unchanged, vs status --json", t / base, 1.2, f"{ms(t)} vs {ms(base)}")]


def touch_all(root: Path) -> Callable[[], None]:
    """A change to every record (a comment line), so the next run must read every file again."""
    counter = [0]

    def change() -> None:
        counter[0] += 1
        for path in (root / "tanks").glob("*/doetank.yaml"):
            with open(path, "a", encoding="utf-8") as handle:
                handle.write(f"# bench {counter[0]}\n")

    return change


def cold(root: Path, runs: int) -> list[Row]:
    n = count(root)
    command = [DOETANK, "--root", str(root), "status", "--json"]
    t, base, cold_rss = pair(command, [sys.executable, "-c", SAFE_LOAD, str(root)], runs, before=touch_all(root))
    touch_all(root)()
    same_as_plain(root, "status", "--json")
    warm_rss = once(command).rss_mb
    return [
        Row(
            f"status --json, {n:,} tanks, every file changed, vs safe-loading", t / base, 1.5, f"{ms(t)} vs {ms(base)}"
        ),
        Row(
            f"peak memory, status --json over {n:,} tanks",
            max(cold_rss, warm_rss),
            200,
            f"unchanged {warm_rss} MB, every file changed {cold_rss} MB",
            "MB",
        ),
    ]


def table(roots: dict[int, Path], facts: list[dict[str, object]], tmp: Path, runs: int) -> list[Row]:
    """The dashboard as a table (lines past 200 tanks) over 50,000 tanks: linear, and within 200 MB."""
    small, big = roots[10000], roots[50000]
    ratio = count(big) / count(small)
    for root in (small, big):
        same_as_plain(root, "status")
    t_big, t_small, peak = pair(
        [DOETANK, "--root", str(big), "status"], [DOETANK, "--root", str(small), "status"], runs
    )
    rows = [
        Row(
            f"status (table), {count(big):,} tanks, per tank vs {count(small):,}",
            t_big / (t_small * ratio),
            1.2,
            f"{ms(t_big)} vs {ms(t_small)} x {ratio:g}",
        ),
        Row(f"peak memory, status (table) over {count(big):,} tanks", peak, 200, f"{peak} MB", "MB"),
    ]
    if peer.TASK:
        env = ENV | peer.write(tmp / "taskwarrior-list", facts)
        listed = once([peer.TASK, "list"], env=env)
        print(f"(side by side: task list over {len(facts):,} tasks took {ms(listed.seconds)}, {listed.rss_mb} MB)")
    return rows


def new_in_big(roots: dict[int, Path], tmp: Path, runs: int) -> list[Row]:
    """`doetank new` in a repository of 10,000 tanks against the same among 10: what the commit costs at scale."""
    repos = {}
    for n in (10, 10000):
        repo = tmp / f"repo-{n}"
        shutil.copytree(roots[n] / "tanks", repo / "tanks")
        git(repo, "init", "-q")
        git(repo, "add", "-A")
        git(repo, "-c", "maintenance.auto=false", "commit", "-qm", "the network")  # no gc of its own in between
        git(repo, "gc", "-q")  # packed, as a clone from the team's server is
        repos[n] = repo
    made: dict[int, str] = {}

    def new(n: int) -> list[str]:
        made[n] = f"bench-{len(made) + sum(len(t) for t in times.values())}"
        return [DOETANK, "--root", str(repos[n]), "new", made[n], "--vraagstuk", "Te veel overleg",
                "--organisatie", "Gemeente Utrecht"]  # fmt: skip

    times: dict[int, list[float]] = {10: [], 10000: []}
    for _ in range(runs + 1):
        for n in repos:
            times[n].append(once(new(n), ok=(0,)).seconds)
            shown = git(repos[n], "show", "--name-only", "--format=", "HEAD").split()
            if shown != [f"tanks/{made[n]}/01-ontdekken.md", f"tanks/{made[n]}/doetank.yaml"]:
                raise SystemExit(f"doetank new committed other files than the tank's: {shown}")
            if git(repos[n], "status", "--porcelain").strip():
                raise SystemExit("doetank new left something uncommitted")
    t_big, t_small = statistics.median(times[10000][1:]), statistics.median(times[10][1:])
    return [Row("new, 10,000 tanks in the repository vs 10", t_big / t_small, 1.5, f"{ms(t_big)} vs {ms(t_small)}")]


def site(roots: dict[int, Path], tmp: Path) -> list[Row]:
    """`doetank site` over 10,000 tanks against 1,000: linear, and a few milliseconds a tank."""
    times = {}
    for n in (1000, 10000):
        out = tmp / f"site-{n}"
        run = once([DOETANK, "--root", str(roots[n]), "site", str(out)], ok=(0,))
        times[n] = run.seconds
        pages = list(out.rglob("*.html"))
        if len(pages) < n:
            raise SystemExit(f"doetank site wrote {len(pages)} pages for {n} tanks")
    ratio = times[10000] / times[1000]
    per_tank = times[10000] / count(roots[10000]) * 1000
    return [
        Row("site, 10,000 tanks vs 1,000", ratio, 12, f"{ms(times[10000])} vs {ms(times[1000])}"),
        Row("site, milliseconds a tank (10,000 tanks) vs 3", per_tank / 3, 1.0, f"{per_tank:.1f} ms a tank"),
    ]


def sync_many(tmp: Path, runs: int) -> list[Row]:
    """`doetank sync` when the server has 1,000 changed tanks, against git's own fetch, merge and push of them."""
    server = tmp / "server.git"
    subprocess.run(["git", "init", "-q", "--bare", str(server)], env=ENV, check=True)
    seed = tmp / "seed"
    generate(seed, 1000, seed=7)
    git(seed, "init", "-q")
    git(seed, "add", "-A")
    git(seed, "-c", "maintenance.auto=false", "commit", "-qm", "the network")
    git(seed, "push", "-q", str(server), "HEAD:refs/heads/main")
    ts, tg = [], []
    for attempt in range(runs + 1):
        clones = {}
        for who in ("doetank", "colleague", "git"):
            clone = tmp / f"{who}-{attempt}"
            subprocess.run(["git", "clone", "-q", "-b", "main", str(server), str(clone)], env=ENV, check=True)
            clones[who] = clone
            if who == "doetank":  # a user's first sync registers the merge driver and shares .gitattributes
                output([DOETANK, "--root", str(clone), "sync"])
        for who in ("doetank", "git"):  # a change of one's own, so the sync has to merge
            (clones[who] / "notities.txt").write_text(f"{who} {attempt}\n", encoding="utf-8")
            git(clones[who], "add", "notities.txt")
            git(clones[who], "commit", "-qm", "eigen werk")
        colleague = clones["colleague"]
        for path in sorted((colleague / "tanks").glob("*/doetank.yaml")):
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace("locatie: Kennisland", f"locatie: Kennisland {attempt}"), encoding="utf-8")
        git(colleague, "commit", "-qam", "every kickoff's place, network-wide")
        git(colleague, "push", "-q", "origin", "HEAD:main")
        served = git(colleague, "rev-parse", "HEAD").strip()
        t = once([DOETANK, "--root", str(clones["doetank"]), "sync"], ok=(0,)).seconds
        # the server as the colleague left it, for git itself: both meet the same 1,000 changes
        subprocess.run(["git", "-C", str(server), "update-ref", "refs/heads/main", served], env=ENV, check=True)
        plain = "git fetch -q origin && git merge -q --no-edit origin/main && git push -q origin HEAD:main"
        g = once(["sh", "-c", plain], cwd=clones["git"], ok=(0,)).seconds
        for who in ("doetank", "git"):
            tree = git(clones[who], "ls-tree", "-r", "HEAD", "--", "tanks").split("\n")
            theirs = git(colleague, "ls-tree", "-r", "HEAD", "--", "tanks").split("\n")
            if tree != theirs:
                raise SystemExit(f"after the sync, {who}'s tanks are not the server's")
        if attempt:
            ts.append(t)
            tg.append(g)
        start = git(seed, "rev-parse", "HEAD").strip()
        subprocess.run(["git", "-C", str(server), "update-ref", "refs/heads/main", start], env=ENV, check=True)
    t, g = statistics.median(ts), statistics.median(tg)
    return [Row("sync, 1,000 tanks changed on the server vs git itself", t / g, 10, f"{ms(t)} vs {ms(g)}")]


# --------------------------------------------------------------------------- the run


class Rows(list[Row]):
    """The figures so far, each also said as soon as it is measured (a long run that stops keeps what it had)."""

    def add(self, more: list[Row]) -> None:
        for row in more:
            print(row.line(len(row.name)), flush=True)
        self.extend(more)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 and 1,000 tanks, fewer runs")
    args = parser.parse_args()
    if not DOETANK:
        raise SystemExit("doetank is not installed in this environment: pip install .")
    runs = 3 if args.quick else 7
    sizes = [10, 1000] if args.quick else [10, 1000, 10000, 50000]
    rows = Rows()
    started = time.perf_counter()
    rows.add(startup(runs))
    with tempfile.TemporaryDirectory(prefix="doetank-bench-") as name:
        tmp = Path(name)
        roots, facts = {}, {}
        for n in sizes:
            roots[n] = tmp / f"ws-{n}"
            facts[n] = generate(roots[n], n)
            once([DOETANK, "--root", str(roots[n]), "status", "--json"])  # the first run builds the index
        rows.add(warm_small(roots[10], runs))
        rows.add(scaling(roots, runs))
        big = 1000 if args.quick else 10000
        rows.add(coordinator(roots[big], max(3, runs - 2)))
        rows.add(check_unchanged({10: roots[10], big: roots[big]}, max(3, runs - 2)))
        if not args.quick:
            rows.add(against_taskwarrior(roots[big], facts[big], tmp, max(3, runs - 2)))
            rows.add(table(roots, facts[50000], tmp, 3))
            rows.add(new_in_big(roots, tmp, 5))
            rows.add(site(roots, tmp))
            rows.add(sync_many(tmp, 3))
            rows.add(cold(roots[10000], 3))
    width = max(len(r.name) for r in rows)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"\ndoetank benchmark on {os.cpu_count()} CPUs (load {load:.1f}), Python {sys.version.split()[0]}, "
        f"{'Taskwarrior ' + str(peer.version()) if peer.version() else 'no Taskwarrior'}; "
        f"medians of {runs} runs, taken alternately with their baseline; {time.perf_counter() - started:.0f} s\n"
    )
    print(f"{'figure':<{width}}  {'value':>8}  {'target':>8}         measured")
    for row in rows:
        print(row.line(width))
    missed = [row.name for row in rows if row.value > row.target]
    if missed:
        print(f"\n{len(missed)} of {len(rows)} figures missed their target.")


if __name__ == "__main__":
    main()
