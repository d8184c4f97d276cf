"""Measure doetank's speed and memory as ratios against baselines taken in the same run (issue 6's targets).

    python benchmarks/run.py            # the full run: 10, 1,000 and 10,000 tanks (a few minutes)
    python benchmarks/run.py --quick    # 10 and 1,000 tanks, fewer repetitions (a smoke test)

Every figure is the median of several runs of the installed `doetank` in a subprocess, as a user runs it, and every
command measured is checked to answer what the plain path answers (the same output with the index removed).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate

BIN = Path(sys.executable).parent
DOETANK = shutil.which("doetank", path=str(BIN)) or shutil.which("doetank")
ENV = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "DOETANK_"))} | {
    "DOETANK_TODAY": "2026-11-28",
    "LC_ALL": "C",
}
SAFE_LOAD = """
import sys
from pathlib import Path
from ruamel.yaml import YAML
yaml = YAML(typ="safe")
for path in sorted(Path(sys.argv[1], "tanks").glob("*/doetank.yaml")):
    yaml.load(path.read_text(encoding="utf-8"))
"""


def timed(args: list[str], cwd: Path | None = None) -> tuple[float, int]:
    """Wall time in seconds and peak RSS in MB of one run (the largest process: the command or a worker of it)."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode not in (0, 1):  # 1: the generated tanks break some rules, as real ones do
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}): {err}")
    return elapsed, usage.ru_maxrss // 1024


def answer(args: list[str]) -> str:
    """What a command prints (a benchmark that measures a wrong answer measures nothing)."""
    done = subprocess.run(args, env=ENV, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}): {done.stderr}")
    return done.stdout


def check_answer(root: Path, args: list[str]) -> None:
    """The command gives the same answer as the plain path: every record read from its file, no index."""
    fast = answer(args)
    shutil.rmtree(root / ".doetank", ignore_errors=True)  # the index goes; the next run reads every file
    plain = answer(args)
    if fast != plain or not plain.strip():
        raise SystemExit(f"{' '.join(args[3:])} over {root.name} answers differently with the index than without")


def median(args: list[str], runs: int, cwd: Path | None = None, before: object = None) -> tuple[float, int]:
    times, peak = [], 0
    for _ in range(runs):
        if callable(before):
            before()
        elapsed, rss = timed(args, cwd)
        times.append(elapsed)
        peak = max(peak, rss)
    return statistics.median(times), peak


def touch_all(root: Path) -> Callable[[], None]:
    """A change to every record (a comment line), so the next run must read every file again."""
    counter = [0]

    def change() -> None:
        counter[0] += 1
        for path in (root / "tanks").glob("*/doetank.yaml"):
            with open(path, "a", encoding="utf-8") as handle:
                handle.write(f"# bench {counter[0]}\n")

    return change


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 and 1,000 tanks, fewer runs")
    args = parser.parse_args()
    if not DOETANK:
        raise SystemExit("doetank is not installed in this environment: pip install .")
    sizes = [10, 1000] if args.quick else [10, 1000, 10000]
    runs = 3 if args.quick else 7
    big = sizes[-1]
    rows: list[tuple[str, str, float, float]] = []

    python, _ = median([sys.executable, "-c", "pass"], runs * 3)
    help_time, _ = median([DOETANK, "--help"], runs * 3)
    version_time, _ = median([DOETANK, "--version"], runs * 3)
    if answer([DOETANK, "--version"]) != answer([sys.executable, "-m", "doetank_cli", "--version"]):
        raise SystemExit("doetank --version answers differently from the full command line")
    rows.append(
        ("doetank --help", f"{help_time * 1000:.0f} ms vs python -c pass {python * 1000:.0f} ms", help_time / python, 8)
    )
    rows.append(
        (
            "doetank --version",
            f"{version_time * 1000:.0f} ms vs python -c pass {python * 1000:.0f} ms",
            version_time / python,
            8,
        )
    )

    with tempfile.TemporaryDirectory(prefix="doetank-bench-") as tmp:
        status: dict[int, float] = {}
        check: dict[int, float] = {}
        rss: dict[int, int] = {}
        for n in sizes:
            root = Path(tmp) / f"ws-{n}"
            generate(root, n)
            timed([DOETANK, "--root", str(root), "status", "--json"])  # builds the index
            status[n], rss[n] = median([DOETANK, "--root", str(root), "status", "--json"], runs)
            check[n], _ = median([DOETANK, "--root", str(root), "check", "--json"], runs)
            for command in ("status", "check"):
                check_answer(root, [DOETANK, "--root", str(root), command, "--json"])
        for n in sizes[1:]:
            target = 1.5 if n == 1000 else 3
            rows.append(
                (
                    f"status --json, {n:,} tanks",
                    f"{status[n] * 1000:.0f} ms vs 10 tanks {status[10] * 1000:.0f} ms",
                    status[n] / status[10],
                    target,
                )
            )
        rows.append(
            (
                f"check --json, {big:,} tanks, unchanged",
                f"{check[big] * 1000:.0f} ms vs 10 tanks {check[10] * 1000:.0f} ms",
                check[big] / check[10],
                4,
            )
        )

        root = Path(tmp) / f"ws-{big}"
        cold_runs = max(3, runs // 2)
        safe, _ = median([sys.executable, "-c", SAFE_LOAD, str(root)], cold_runs)
        cold, cold_rss = median([DOETANK, "--root", str(root), "status", "--json"], cold_runs, before=touch_all(root))
        touch_all(root)()
        check_answer(root, [DOETANK, "--root", str(root), "status", "--json"])  # the changed files, read anew
        rows.append(
            (
                f"status --json, {big:,} tanks, every file changed",
                f"{cold:.2f} s vs safe-loading them {safe:.2f} s",
                cold / safe,
                1.5,
            )
        )
        rows.append(
            (
                f"peak memory, status over {big:,} tanks",
                f"{max(rss[big], cold_rss)} MB (unchanged {rss[big]}, changed {cold_rss})",
                max(rss[big], cold_rss),
                200,
            )
        )

    width = max(len(r[0]) for r in rows)
    print(
        f"doetank benchmark on {os.cpu_count()} CPUs, Python "
        f"{sys.version.split()[0]}, medians of {runs} runs ({cold_runs} when "
        f"cold)\n"
    )
    print(f"{'figure':<{width}}  {'ratio':>7}  {'target':>7}        measured")
    for name, detail, value, target in rows:
        shown = f"{value:.0f} MB" if target == 200 else f"{value:.2f}x"
        limit = f"{target} MB" if target == 200 else f"<= {target}x"
        mark = "ok" if value <= target else "MISSED"
        print(f"{name:<{width}}  {shown:>7}  {limit:>7}  {mark:<6} {detail}")


if __name__ == "__main__":
    main()
