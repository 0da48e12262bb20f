"""``python -m fidelity``: run every scenario against Nova 34 and fakenova, compare, report.

Exit status 1 when an answer differs in a way ``known_differences.yaml`` does not list, when a
listed difference no longer occurs, or when the committed report was stale (it is rewritten:
commit it). ``--nova-answers FILE`` reuses a saved Nova run, for working on the fake quickly;
``--only NAME ...`` runs just those scenarios (by file name or ``name``), for working on one
route: it reports new differences only, and leaves the committed report alone.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from fidelity import fake_run, known, report, steps
from fidelity.compare import Bijection, Comparison


def run_nova(python: str, paths: list[Path], work: Path, jobs: int) -> dict[str, Any]:
    """Nova in processes of its own (it monkey-patches the interpreter with eventlet on
    import), one per scenario, ``jobs`` at a time: each builds its own deployment. More at
    once than the machine's cores can carry makes Nova's own waits for a build time out."""
    runs: list[tuple[subprocess.Popen[bytes], Path, Path]] = []
    for path in paths:
        while sum(process.poll() is None for process, _, _ in runs) >= jobs:
            time.sleep(0.2)
        out, log = work / f"nova-{path.stem}.json", work / f"nova-{path.stem}.log"
        command = [python, "-W", "ignore", "-m", "fidelity.nova_run", str(out), str(path)]
        with log.open("w") as stream:
            process = subprocess.Popen(
                command, cwd=report.ROOT, stdout=stream, stderr=subprocess.STDOUT
            )
        runs.append((process, out, log))
    failed = [(out, log) for process, out, log in runs if process.wait() or not out.exists()]
    for _, log in failed:
        print("\n".join(log.read_text().splitlines()[-40:]), file=sys.stderr)
    if failed:
        sys.exit(f"fidelity: the Nova run failed (logs: {', '.join(str(f[1]) for f in failed)})")
    answers = [json.loads(out.read_text()) for _, out, _ in runs]
    return {"version": answers[0]["version"], "scenarios": [a["scenario"] for a in answers]}


def compare_scenario(
    nova: dict[str, Any], fake: dict[str, Any], accepted: list[known.Known], verbose: bool
) -> dict[str, Any]:
    """Counts for one scenario; prints each new difference (and, verbose, the known ones)."""
    mapping = Bijection()
    mapping.seed(nova["saved"], fake["saved"])
    comparison = Comparison(mapping)
    counts = {"name": nova["name"], "page": fake["page"], "about": fake["about"]}
    counts |= {"answers": 0, "exact": 0}
    counts |= {"explained": 0, "new": 0}
    differing = []
    for n_answer, f_answer in zip(nova["answers"], fake["answers"], strict=True):
        label = n_answer["label"]
        differences = comparison.answers(n_answer, f_answer)
        _explained, new = known.split(accepted, nova["name"], label, differences)
        counts["answers"] += 1
        if not differences:
            counts["exact"] += 1
            continue
        differing.append(label)
        counts["new" if new else "explained"] += 1
        for difference in new if not verbose else differences:
            mark = "NEW" if difference in new else "known"
            print(f"[{nova['name']}] {label}: {mark}: {difference}")
    counts["differing"] = differing
    counts["not_replayable"] = fake.get("not_replayable", [])
    counts["replayed"] = fake.get("replayed", [])
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fidelity", description=__doc__)
    parser.add_argument("--nova-python", default=sys.executable, help="interpreter with Nova")
    parser.add_argument("--nova-answers", type=Path, help="reuse this saved Nova run")
    parser.add_argument("--keep", type=Path, help="save both runs' answers in this directory")
    parser.add_argument("-v", "--verbose", action="store_true", help="show known ones too")
    parser.add_argument(
        "--jobs",
        type=int,
        default=2 * (os.cpu_count() or 1),
        help="Nova processes at once (default: twice the cores)",
    )
    parser.add_argument(
        "--only", nargs="+", metavar="NAME", help="run only these scenarios (no report written)"
    )
    args = parser.parse_args(argv)

    paths = steps.scenario_paths()
    if args.only:
        paths = [p for p in paths if {p.stem, steps.load(p)["name"]} & set(args.only)]
        if not paths:
            parser.error(f"no scenario named {', '.join(args.only)}")
    work = args.keep or Path(tempfile.mkdtemp(prefix="fidelity-"))
    work.mkdir(parents=True, exist_ok=True)
    if args.nova_answers:
        nova = json.loads(args.nova_answers.read_text())
        names = {steps.load(p)["name"] for p in paths}
        nova["scenarios"] = [s for s in nova["scenarios"] if s["name"] in names]
    else:
        nova = run_nova(args.nova_python, paths, work, args.jobs)
        (work / "nova.json").write_text(json.dumps(nova, indent=1))
    fake = [fake_run.replay(path) for path in paths]
    (work / "fake.json").write_text(json.dumps(fake, indent=1))

    accepted = known.load()
    if args.only:
        chosen = [f["name"] for f in fake]
        accepted = [k for k in accepted if any(k.applies_to(name) for name in chosen)]
    results = [
        compare_scenario(n, f, accepted, args.verbose)
        for n, f in zip(nova["scenarios"], fake, strict=True)
    ]
    measured = report.build(nova["version"], results, accepted)
    print(report.text(measured))
    failures = []
    if measured["summary"]["new"]:
        failures.append(f"{measured['summary']['new']} answers differ in new ways (above)")
    if args.only:
        for failure in failures:
            print(f"fidelity: {failure}", file=sys.stderr)
        return 1 if failures else 0
    unused = [k for k in accepted if not k.seen]
    failures += [f"known difference no longer seen: {k.as_dict()}" for k in unused]
    if report.write(measured):
        failures.append(
            f"the committed report was stale; commit {report.REPORT.relative_to(report.ROOT)} "
            f"and {report.INCLUDE.relative_to(report.ROOT)}"
        )
    for failure in failures:
        print(f"fidelity: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
