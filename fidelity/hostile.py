"""``python -m fidelity.hostile [--check | --write]``: Nova's answers to the hostile rows.

``tests/hostile/test_bad_requests.py`` expects the fake to refuse each bad request of
``tests/hostile/hostile_rows.py`` as Nova 34 does, with the status and body recorded in
``tests/hostile/nova_answers.json``. This asks the real Nova again, in-process
(:mod:`fidelity.hostile_nova`, on :mod:`fidelity.nova_run`'s deployment), so the file can be
regenerated and re-checked: ``--check`` (the default, run by ``tox -e fidelity``) exits 1
and shows each answer that differs from the committed one, which happens when Nova changed
or rows were added without re-recording; ``--write`` rewrites the file (review its diff).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

from fidelity.report import ROOT

ROWS = ROOT / "tests" / "hostile" / "hostile_rows.py"
ANSWERS = ROWS.with_name("nova_answers.json")


def load_rows() -> ModuleType:
    """``hostile_rows`` by path: tests/ is not a package."""
    spec = importlib.util.spec_from_file_location("hostile_rows", ROWS)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ask_nova(python: str, rows: ModuleType, work: Path) -> dict[str, Any]:
    """Nova's answers, from a process of its own (Nova patches the interpreter on import)."""
    script, out, log = work / "script.json", work / "answers.json", work / "nova.log"
    script.write_text(json.dumps({"image": rows.IMAGE, "setup": rows.SETUP, "rows": rows.R}))
    command = [python, "-W", "ignore", "-m", "fidelity.hostile_nova", str(script), str(out)]
    with log.open("w") as stream:
        failed = subprocess.run(command, cwd=ROOT, stdout=stream, stderr=subprocess.STDOUT)
    if failed.returncode or not out.exists():
        print("\n".join(log.read_text().splitlines()[-40:]), file=sys.stderr)
        sys.exit(f"fidelity.hostile: the Nova run failed (log: {log})")
    return json.loads(out.read_text())


def render(version: str, answers: dict[str, Any]) -> str:
    """The file as committed: sorted keys, one-space indents, no final newline."""
    source = f"python -m fidelity.hostile (Nova {version}, response_validation=warn), "
    recorded = {"answers": answers, "source": source + str(ROWS.relative_to(ROOT))}
    return json.dumps(recorded, indent=1, sort_keys=True)


def differences(committed: dict[str, Any], measured: dict[str, Any]) -> list[str]:
    """One line per row whose answer changed, appeared or disappeared, and for the source."""
    lines = []
    if committed.get("source") != measured["source"]:
        lines.append(f"source: {committed.get('source')!r} -> {measured['source']!r}")
    old, new = committed.get("answers", {}), measured["answers"]
    for label in sorted(old.keys() | new.keys()):
        if label not in new:
            lines.append(f"{label}: recorded, but no longer a row")
        elif label not in old:
            lines.append(f"{label}: not recorded; Nova answers {json.dumps(new[label])}")
        elif old[label] != new[label]:
            lines.append(f"{label}:")
            for key in ("status", "body"):
                if old[label].get(key) != new[label].get(key):
                    lines.append(f"  {key} recorded {json.dumps(old[label].get(key))}")
                    lines.append(f"  {key} Nova now {json.dumps(new[label].get(key))}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fidelity.hostile", description=__doc__)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="compare (the default)")
    mode.add_argument("--write", action="store_true", help=f"rewrite {ANSWERS.name}")
    parser.add_argument("--nova-python", default=sys.executable, help="interpreter with Nova")
    args = parser.parse_args(argv)

    rows = load_rows()
    work = Path(tempfile.mkdtemp(prefix="fidelity-hostile-"))
    nova = ask_nova(args.nova_python, rows, work)  # exits, keeping the log, if Nova failed
    shutil.rmtree(work)
    text = render(nova["version"], nova["answers"])
    where = ANSWERS.relative_to(ROOT)
    if args.write:
        ANSWERS.write_text(text)
        print(f"fidelity.hostile: wrote Nova's {len(rows.R)} answers to {where}")
        return 0
    committed = ANSWERS.read_text()
    if committed == text:
        print(f"fidelity.hostile: Nova gives the {len(rows.R)} recorded answers of {where}")
        return 0
    found = differences(json.loads(committed), json.loads(text))
    print("\n".join(found or ["formatting only"]))
    print(f"fidelity.hostile: {where} is not what Nova answers; review, then --write")
    return 1


if __name__ == "__main__":
    sys.exit(main())
