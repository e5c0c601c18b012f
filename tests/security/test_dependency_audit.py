"""`make audit` (tests/tools/audit.py): the pins it reads, the pins it reports behind the newest release, and
its verdict on pip-audit's run — a vulnerability database it could not reach is "NOT CHECKED", never a
clean result."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture(scope="module")
def audit() -> ModuleType:
    spec = importlib.util.spec_from_file_location("audit", ROOT / "tests" / "tools" / "audit.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["audit"] = module
    spec.loader.exec_module(module)
    return module


def test_the_pins_are_read_from_the_dependencies_and_the_extras(audit: ModuleType, tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[project]\nname = "x"\ndependencies = ["Django==5.2.19", "psycopg[binary]==3.3.9", "loose>=1"]\n'
        '[project.optional-dependencies]\ndev = ["pytest_django==4.14.0"]\n'
    )

    assert audit.pinned_versions(pyproject) == {
        "django": "5.2.19",
        "psycopg": "3.3.9",
        "pytest-django": "4.14.0",
    }


def test_every_dependency_of_the_project_is_pinned(audit: ModuleType) -> None:
    pins = audit.pinned_versions(ROOT / "pyproject.toml")

    assert {"django", "djangorestframework", "pip-audit", "pytest"} <= set(pins)


def test_pins_behind_the_newest_release_are_reported(audit: ModuleType) -> None:
    pip_list = json.dumps(
        [
            {"name": "Django", "version": "5.2.19", "latest_version": "5.2.21", "latest_filetype": "wheel"},
            {
                "name": "typing_extensions",
                "version": "4.1",
                "latest_version": "4.2",
                "latest_filetype": "wheel",
            },
        ]
    )

    behind = audit.outdated_pins({"django": "5.2.19", "nh3": "0.3.8"}, pip_list)

    assert behind == [audit.Outdated("django", "5.2.19", "5.2.21")]


def test_an_unreachable_vulnerability_database_is_not_checked_never_clean(audit: ModuleType) -> None:
    result = audit.read_pip_audit(
        1,
        "",
        "ERROR:pip_audit._cli:Connection error: HTTPSConnectionPool(host='pypi.org'): Max retries exceeded",
    )

    assert result.status == audit.NOT_CHECKED
    assert "NOT CHECKED" in result.report
    assert "Max retries exceeded" in result.report
    assert "none" not in result.report.lower().split("(")[0]


def test_vulnerabilities_found_are_listed_and_fail(audit: ModuleType) -> None:
    report = {
        "dependencies": [
            {"name": "django", "version": "5.2.19", "vulns": [{"id": "PYSEC-1", "fix_versions": ["5.2.20"]}]},
            {"name": "nh3", "version": "0.3.8", "vulns": []},
        ]
    }

    result = audit.read_pip_audit(1, json.dumps(report), "")

    assert result.status == audit.FOUND_VULNERABILITIES
    assert "django 5.2.19: PYSEC-1 (fixed in 5.2.20)" in result.report


def test_a_clean_audit_says_how_many_packages_it_checked(audit: ModuleType) -> None:
    report = {"dependencies": [{"name": "nh3", "version": "0.3.8", "vulns": []}]}

    result = audit.read_pip_audit(0, json.dumps(report), "")

    assert (result.status, result.report) == (
        audit.FOUND_NOTHING,
        "Known vulnerabilities: none in 1 installed packages.",
    )
