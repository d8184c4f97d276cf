"""Mutation testing: make small bugs in one module at a time and see whether the tests catch each (docs/mutation.md).

    .venv/bin/python tools/mutation.py site           # the site's escaping (a few minutes)
    .venv/bin/python tools/mutation.py merge rules    # one module after the other
    .venv/bin/python tools/mutation.py rules _teamgrootte valid_window   # only these functions of rules.py
    .venv/bin/python tools/mutation.py --list         # the targets, their modules and their tests

mutmut (pip install -e '.[mutation]') copies the repository into .mutation/<target>/ (ignored by git), mutates the
target's module there, and runs the target's tests against each mutant; the results stay there, so a second run
re-checks only the functions that changed. Too slow for every CI run: it runs under `nice`, one test process at a
time (the machine is shared). At the end it prints the score and every surviving mutant that docs/mutation.md does
not list as equivalent: each is a test to write, or an equivalent to add to that list with the reason.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / ".mutation"
DOC = REPO / "docs" / "mutation.md"


@dataclass(frozen=True)
class Target:
    module: str  # the file to mutate
    tests: tuple[str, ...]  # the tests that judge it (mutmut runs, per mutant, those of them that reach the function)
    functions: tuple[str, ...] = ()  # only these functions; () is every function of the module


TARGETS = {
    # rules are pure: their own tests judge them (the property tests would add a minute to every survivor)
    "rules": Target("doetank_cli/rules.py", ("tests/test_rules.py",)),
    "merge": Target("doetank_cli/merge.py", ("tests/test_merge.py",)),
    "sync": Target("doetank_cli/sync.py", ("tests/test_sync.py",)),
    "index": Target("doetank_cli/index.py", ("tests/test_index.py",)),
    # the site's escaping: the functions that put text into HTML, judged by the hostile tank's pages
    "site": Target(
        "doetank_cli/publish/site.py",
        ("tests/test_site.py",),
        ("e", "safe_url", "_markdown", "note_html", "page", "_card", "tank_page"),
    ),
}

#: lines not mutated: the text of messages (a mutant 'XX...XX' there changes wording, which the catalogue's tests and
#: the translators own, not behaviour); a statement that starts on such a line is left whole
NOT_MUTATED = [r"\b_\(", r"\bN_\(", r"\bngettext\("]

STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests", 34: "skipped"}
STATUS |= dict.fromkeys((36, 24, -24, 152, 255), "timeout")  # mutmut's codes for a test run that hung


def mutmut() -> str:
    found = shutil.which("mutmut", path=str(Path(sys.executable).parent)) or shutil.which("mutmut")
    if not found:
        raise SystemExit("mutmut is not installed: .venv/bin/pip install -e '.[mutation]'")
    return found


def prepare(name: str, target: Target) -> Path:
    """.mutation/<name>/: the repository's files as they are now (committed or not), with mutmut set up for target."""
    work = WORK / name
    listed = subprocess.run(
        ["git", "-C", str(REPO), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for rel in filter(None, listed.split("\0")):
        source = REPO / rel
        if source.is_file() and not rel.startswith((".mutation/", "mutants/")):
            dest = work / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            if not dest.exists() or dest.read_bytes() != source.read_bytes():
                shutil.copy2(source, dest)
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    pyproject = re.sub(r"(?ms)^\[tool\.mutmut\].*?(?=^\[|\Z)", "", pyproject)
    also = [
        p for p in ("tanks", "templates", "docs", "README.md", "doetank.schema.json", "tools") if (work / p).exists()
    ]
    pyproject += (
        "\n[tool.mutmut]\n"
        'source_paths = ["doetank_cli"]\n'
        f"only_mutate = {json.dumps([target.module])}\n"
        f"also_copy = {json.dumps(also)}\n"
        f"pytest_add_cli_args_test_selection = {json.dumps(list(target.tests))}\n"
        'pytest_add_cli_args = ["-p", "no:cacheprovider", "-q", "-x"]\n'
        f"do_not_mutate_patterns = {json.dumps(NOT_MUTATED)}\n"
    )
    (work / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    return work


def mangled(target: Target) -> list[str]:
    """mutmut's names for the target's mutants: doetank_cli.rules.x__teamgrootte__mutmut_3, methods with ǁ."""
    module = target.module.removesuffix(".py").replace("/", ".")
    return [f"{module}.x{'_' if not f.startswith('ǁ') else ''}{f}__mutmut_*" for f in target.functions]


def results(work: Path, target: Target) -> dict[str, str]:
    meta = work / "mutants" / f"{target.module}.meta"
    codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    wanted = [re.compile(p.replace(".", r"\.").replace("*", ".*") + "$") for p in mangled(target)]
    found = {}
    for key, code in codes.items():
        if wanted and not any(w.match(key) for w in wanted):
            continue
        found[key] = "not checked" if code is None else STATUS.get(code, "suspicious")
    return found


def equivalents() -> set[str]:
    """The survivors docs/mutation.md lists as equivalent (a mutant name in backticks at the start of a table row)."""
    if not DOC.exists():
        return set()
    return set(re.findall(r"^\| `([\w.ǁ]+__mutmut_\d+)` \|", DOC.read_text(encoding="utf-8"), re.MULTILINE))


def run(name: str, functions: list[str], children: int) -> bool:
    target = TARGETS[name]
    if functions:
        target = Target(target.module, target.tests, tuple(functions))
    work = prepare(name, target)
    env = {**os.environ, "DOETANK_NO_BROWSER": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("DOETANK_REQUIRE_CHROMIUM", None)
    command = ["nice", "-n", "10", mutmut(), "run", "--max-children", str(children), *mangled(target)]
    if sys.platform == "win32":
        command = command[3:]
    print(f"mutation {name}: {target.module}, judged by {', '.join(target.tests)}", flush=True)
    subprocess.run(command, cwd=work, env=env, check=False, stdout=subprocess.DEVNULL)
    found = results(work, target)
    counted = {k: v for k, v in found.items() if v in ("killed", "survived", "timeout")}
    killed = sum(1 for v in counted.values() if v in ("killed", "timeout"))
    known = equivalents()
    survivors = sorted(k for k, v in found.items() if v == "survived")
    equivalent = [k for k in survivors if k in known]
    open_ = [k for k in survivors if k not in known]
    score = killed / len(counted) if counted else 0.0
    scored = len(counted) - len(equivalent)
    print(
        f"{name}: {len(found)} mutants, {killed} killed, {len(survivors)} survived "
        f"({len(equivalent)} of them equivalent), {len(found) - len(counted)} not run or without tests; "
        f"score {score:.0%}, {killed / scored if scored else 0:.0%} of the mutants that change behaviour"
    )
    for key in open_:
        print(f"  survived: {key}   (see it: cd {work.relative_to(REPO)} && mutmut show {key})")
    return not open_


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", help=f"one or more of: {', '.join(TARGETS)}; then function names")
    parser.add_argument("--list", action="store_true", help="the targets, their modules and tests")
    parser.add_argument("--max-children", type=int, default=1, help="test processes at once (default 1)")
    args = parser.parse_args()
    if args.list or not args.targets:
        for name, target in TARGETS.items():
            only = f" (functions: {', '.join(target.functions)})" if target.functions else ""
            print(f"{name:6} {target.module}{only}: {', '.join(target.tests)}")
        return 0
    names = [t for t in args.targets if t in TARGETS]
    functions = [t for t in args.targets if t not in TARGETS]
    if not names:
        parser.error(f"name a target: {', '.join(TARGETS)}")
    if functions and len(names) > 1:
        parser.error("functions can be named for one target at a time")
    clean = True
    for name in names:
        clean = run(name, functions, args.max_children) and clean
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
