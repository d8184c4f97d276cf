"""Measure `doetank serve` as ratios against baselines taken in the same run (issue 16's targets).

    python benchmarks/serve.py            # 10 and 1,000 tanks: medians of 45 page requests and of 15 changes
    python benchmarks/serve.py --quick    # 15 and 5

- the board and a tank's page over 1,000 tanks, against the same pages over 10 tanks (target <= 5x: a column shows
  its first 100 cards, the rest on request). The board is made of the index's snapshot and kept while every record
  is still that snapshot's row (checked on every request); for information, the first board after a record changed;
- a change through the browser (POST, the change and its commit, answered with 303), against the CLI making the
  same change in a subprocess, as a person at a terminal does (target <= 1.2x).

Every request goes over HTTP to `doetank serve` running as a person starts it.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate

BIN = Path(sys.executable).parent
DOETANK = shutil.which("doetank", path=str(BIN)) or shutil.which("doetank") or "doetank"


class Served:
    def __init__(self, root: Path, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [DOETANK, "--root", str(root), "serve", "--port", "0", "--no-open"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        url = self.proc.stdout.readline().strip() if self.proc.stdout else ""
        if not url.startswith("http://"):
            raise SystemExit(f"doetank serve did not start: {url!r}")
        self.port = int(url.rsplit(":", 1)[1].strip("/"))
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def request(self, method: str, path: str, fields: dict[str, str] | None = None) -> tuple[int, float]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode({**fields, "csrf": self.csrf})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        start = time.perf_counter()
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8")
        elapsed = time.perf_counter() - start
        conn.close()
        for cookie in response.headers.get_all("set-cookie") or []:
            name, _sep, rest = cookie.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        found = re.search(r'name="csrf" value="([^"]+)"', text)
        if found:
            self.csrf = found.group(1)
        if response.status not in (200, 303):
            raise SystemExit(f"{method} {path} answered {response.status}")
        return response.status, elapsed

    def times(self, path: str, runs: int) -> list[float]:
        return [self.request("GET", path)[1] for _ in range(runs)]

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


def workspace(tmp: Path, n: int, env: dict[str, str]) -> Path:
    root = tmp / f"ws-{n}"
    generate(root, n)
    for args in (["init", "-q"], ["add", "-A"], ["-c", "commit.gpgsign=false", "commit", "-qm", "tanks"]):
        subprocess.run(["git", "-C", str(root), *args], check=True, env=env)
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a third of the requests")
    args = parser.parse_args()
    if not shutil.which(DOETANK):
        raise SystemExit("doetank is not installed in this environment: pip install .")
    runs = 5 if args.quick else 15
    pages = runs * 3
    rows: list[tuple[str, str, float, float | None]] = []
    with tempfile.TemporaryDirectory(prefix="doetank-bench-serve-") as tmp:
        config = Path(tmp) / "gitconfig"
        config.write_text("[user]\n\tname = Bench\n\temail = bench@example.nl\n[init]\n\tdefaultBranch = main\n")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "DOETANK_"))} | {
            "DOETANK_TODAY": "2026-11-28",
            "GIT_CONFIG_GLOBAL": str(config),
            "GIT_CONFIG_NOSYSTEM": "1",
            "LC_ALL": "C",
        }
        board: dict[int, list[float]] = {}
        tank: dict[int, list[float]] = {}
        post = cli = 0.0
        changed: list[float] = []
        for n in (10, 1000):
            root = workspace(Path(tmp), n, env)
            served = Served(root, env)
            try:
                served.request("GET", "/")  # builds the index, as the first look at any workspace does
                # files written within two seconds of being read are compared by content until they are older (the
                # index's guard against a clock that did not tick): the generated files are, so wait that out once
                time.sleep(2.5)
                served.request("GET", "/")
                # a page takes milliseconds, so a few more of them: the ratio of two such medians is otherwise
                # as much the machine's scheduling as the page
                board[n] = served.times("/", pages)
                tank[n] = served.times("/tanks/tank-00005", pages)
                if n == 1000:
                    # the board's first request after a record changed beside it (an editor, a terminal, a sync):
                    # that record is read again, the index written anew, and the board made and rendered again
                    record = root / "tanks" / "tank-00007" / "doetank.yaml"
                    original = record.read_text(encoding="utf-8")
                    for i in range(runs):
                        record.write_text(original + f"# bewerkt {i}\n", encoding="utf-8")
                        changed.append(served.request("GET", "/")[1])
                        served.request("GET", "/")  # settles: the next change starts from a kept board again
                    posts, clis = [], []
                    for i in range(runs):
                        fields = {"kanaal": "blog", "url": f"https://example.nl/web/{i}"}
                        posts.append(served.request("POST", "/tanks/tank-00005/update", fields)[1])
                        start = time.perf_counter()
                        subprocess.run(
                            [DOETANK, "--root", str(root), "update", "tank-00005", "--kanaal", "blog",
                             "--url", f"https://example.nl/cli/{i}"],
                            check=True, env=env, stdout=subprocess.DEVNULL,
                        )  # fmt: skip
                        clis.append(time.perf_counter() - start)
                    post, cli = statistics.median(posts), statistics.median(clis)
            finally:
                served.close()
        for name, figures in (("the board", board), ("a tank's page", tank)):
            big, small = statistics.median(figures[1000]), statistics.median(figures[10])
            rows.append(
                (
                    f"{name}, 1,000 tanks",
                    f"{big * 1000:.0f} ms vs 10 tanks {small * 1000:.0f} ms "
                    f"(fastest of each: {min(figures[1000]) / min(figures[10]):.1f}x, "
                    f"{min(figures[1000]) * 1000:.0f} vs {min(figures[10]) * 1000:.0f} ms)",
                    big / small,
                    5,
                )
            )
        rows.append(
            (
                "the board after a record changed, 1,000 tanks",
                f"{statistics.median(changed) * 1000:.0f} ms (fastest {min(changed) * 1000:.0f} ms): for information, "
                f"the first request after a change reads that record and makes the board again",
                statistics.median(changed) / statistics.median(board[10]),
                None,
            )
        )
        rows.append(
            (
                "a change through the browser (POST + commit)",
                f"{post * 1000:.0f} ms vs the CLI {cli * 1000:.0f} ms",
                post / cli,
                1.2,
            )
        )
    width = max(len(r[0]) for r in rows)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"doetank serve benchmark on {os.cpu_count()} CPUs (load {load:.1f}), Python {sys.version.split()[0]}, "
        f"medians of {pages} page requests and {runs} changes\n"
    )
    print(f"{'figure':<{width}}  {'ratio':>7}  {'target':>7}        measured")
    for name, detail, value, target in rows:
        if target is None:
            print(f"{name:<{width}}  {value:>6.2f}x  {'-':>7}  {'info':<6} {detail}")
            continue
        mark = "ok" if value <= target else "MISSED"
        print(f"{name:<{width}}  {value:>6.2f}x  {'<= ' + str(target) + 'x':>7}  {mark:<6} {detail}")


if __name__ == "__main__":
    main()
