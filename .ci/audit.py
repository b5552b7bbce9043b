"""Known vulnerabilities in the locked dependency set (`make audit`).

Runs pip-audit over each lock file and reads its JSON report. pip-audit itself
says "No known vulnerabilities found" even when it could not look a single
package up (no internet, or an index without vulnerability data); this script
says so plainly and fails instead of reporting a pass.

Exit status: 0 no known vulnerabilities, 1 vulnerabilities found, 2 could not audit.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

FOUND, UNAUDITED = 1, 2


def run_pip_audit(lock: Path) -> dict:
    completed = subprocess.run(  # noqa: S603  (our own lock file, a fixed command)
        [sys.executable, "-m", "pip_audit", "--requirement", str(lock), "--require-hashes",
         "--disable-pip", "--format", "json", "--progress-spinner", "off"],
        capture_output=True, text=True, check=False,
    )
    try:
        return json.loads(completed.stdout)
    except json.JSONDecodeError:
        last_line = (completed.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": last_line}


def summarise(lock: str, report: dict) -> tuple[int, list[str]]:
    """(exit status, lines to print) for one lock file's pip-audit report."""
    if "error" in report:
        return UNAUDITED, [f"{lock}: pip-audit could not run: {report['error']}"]
    dependencies = report.get("dependencies", [])
    skipped = [d for d in dependencies if d.get("skip_reason")]
    found = [
        f"{lock}: {d['name']} {d.get('version', '')}: {v['id']}"
        + (f" (fixed in {', '.join(v['fix_versions'])})" if v.get("fix_versions") else "")
        for d in dependencies for v in d.get("vulns", [])
    ]
    if found:
        return FOUND, found
    if skipped:
        return UNAUDITED, [
            f"{lock}: could NOT audit {len(skipped)} of {len(dependencies)} packages: the "
            "vulnerability data was not reachable. This is not a pass. First reason: "
            f"{skipped[0]['skip_reason']}"
        ]
    return 0, [f"{lock}: no known vulnerabilities in {len(dependencies)} packages."]


def main(locks: list[str]) -> int:
    worst = 0
    for lock in locks:
        status, lines = summarise(lock, run_pip_audit(Path(lock)))
        for line in lines:
            print(line, file=sys.stderr if status else sys.stdout)
        worst = max(worst, status)
    return worst


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["requirements.txt"]))
