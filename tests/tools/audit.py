"""`make audit`: the pinned dependencies (pyproject.toml) against the newest release on the package index,
then pip-audit's known vulnerabilities of the installed environment — or a plain statement that its
vulnerability database could not be reached, never a "no known vulnerabilities" nobody checked.

Not part of `make test`: it asks the network. Exit status: 0 nothing found, 1 vulnerabilities found,
2 the vulnerability check could not run.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*==\s*([^\s;]+)")
INDEX_TIMEOUT = 120  # seconds
FOUND_NOTHING, FOUND_VULNERABILITIES, NOT_CHECKED = 0, 1, 2


def normalise(name: str) -> str:
    """Package names compare case-insensitively, with runs of -, _ and . alike (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned_versions(pyproject: Path) -> dict[str, str]:
    """Every `name==version` of the project's dependencies and optional dependencies, by normalised name."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    requirements = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        requirements.extend(extra)
    pins = {}
    for requirement in requirements:
        match = PIN.match(requirement)
        if match:
            pins[normalise(match.group(1))] = match.group(2)
    return pins


@dataclass(frozen=True)
class Outdated:
    name: str
    pinned: str
    newest: str


def outdated_pins(pins: dict[str, str], pip_list_json: str) -> list[Outdated]:
    """The pins older than the newest release, from `pip list --outdated --format=json`."""
    newest = {normalise(entry["name"]): entry["latest_version"] for entry in json.loads(pip_list_json)}
    return [
        Outdated(name, version, newest[name])
        for name, version in sorted(pins.items())
        if name in newest and newest[name] != version
    ]


@dataclass(frozen=True)
class AuditResult:
    status: int
    report: str


def read_pip_audit(returncode: int, stdout: str, stderr: str) -> AuditResult:
    """What pip-audit's run says. It exits 1 both for vulnerabilities found and for a failure (no network,
    no database), so only its JSON report with its dependencies listed counts as an answer."""
    try:
        report = json.loads(stdout)
        dependencies = report["dependencies"]
    except (ValueError, KeyError, TypeError):
        reason = (stderr.strip().splitlines() or [f"exit status {returncode}"])[-1]
        return AuditResult(
            NOT_CHECKED,
            "Vulnerabilities: NOT CHECKED — pip-audit could not reach its vulnerability database "
            f"({reason}). This is not a clean result.",
        )
    found = [
        f"  {dependency['name']} {dependency['version']}: {vulnerability['id']}"
        + (
            f" (fixed in {', '.join(vulnerability['fix_versions'])})"
            if vulnerability.get("fix_versions")
            else ""
        )
        for dependency in dependencies
        for vulnerability in dependency.get("vulns", [])
    ]
    if found:
        return AuditResult(FOUND_VULNERABILITIES, "Known vulnerabilities:\n" + "\n".join(found))
    return AuditResult(
        FOUND_NOTHING, f"Known vulnerabilities: none in {len(dependencies)} installed packages."
    )


def run(command: list[str]) -> subprocess.CompletedProcess[str] | None:
    try:
        # The commands are this script's own: pip and pip-audit of the running interpreter.
        return subprocess.run(command, capture_output=True, text=True, timeout=INDEX_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None


def main() -> int:
    pins = pinned_versions(ROOT / "pyproject.toml")
    listed = run(
        [sys.executable, "-m", "pip", "list", "--outdated", "--format=json", "--disable-pip-version-check"]
    )
    if listed is None or listed.returncode != 0:
        print("Versions: NOT CHECKED — the package index could not be reached.")
    else:
        behind = outdated_pins(pins, listed.stdout)
        print(f"Versions: {len(pins)} pinned, {len(behind)} behind the newest release.")
        for entry in behind:
            print(f"  {entry.name} {entry.pinned} → {entry.newest}")

    pip_audit = shutil.which("pip-audit", path=str(Path(sys.executable).parent))
    if pip_audit is None:
        print("Vulnerabilities: NOT CHECKED — pip-audit is not installed (make install puts it in .venv).")
        return NOT_CHECKED
    audited = run([pip_audit, "--format=json", "--progress-spinner=off"])
    if audited is None:
        result = AuditResult(NOT_CHECKED, "Vulnerabilities: NOT CHECKED — pip-audit did not answer in time.")
    else:
        result = read_pip_audit(audited.returncode, audited.stdout, audited.stderr)
    print(result.report)
    return result.status


if __name__ == "__main__":
    sys.exit(main())
