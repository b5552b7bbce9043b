"""Reproducible installs: every install comes from the hashed lock, which fits pyproject.toml.

And `make audit` never reports a pass it could not check.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
LOCKS = {"requirements.txt": [], "requirements-test.txt": ["test"]}
PINNED = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)")


def locked_versions(lock: str) -> dict[str, str]:
    return {canonicalize_name(m.group(1)): m.group(2)
            for m in map(PINNED.match, (ROOT / lock).read_text().splitlines()) if m}


def declared(extras: list[str]) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lines = list(project["dependencies"])
    for extra in extras:
        lines += project["optional-dependencies"][extra]
    return [Requirement(line) for line in lines]


@pytest.mark.parametrize("lock", LOCKS)
def test_the_lock_pins_every_declared_dependency_within_its_range(lock: str) -> None:
    versions = locked_versions(lock)
    for requirement in declared(LOCKS[lock]):
        name = canonicalize_name(requirement.name)
        assert name in versions, f"{lock} lacks {name}: run `make lock`"
        assert requirement.specifier.contains(versions[name], prereleases=True), (
            f"{lock} has {name}=={versions[name]}, outside {requirement.specifier}")


@pytest.mark.parametrize("lock", LOCKS)
def test_every_locked_package_has_a_hash(lock: str) -> None:
    entries = re.split(r"\n(?=[A-Za-z0-9])", (ROOT / lock).read_text())
    packages = [entry for entry in entries if PINNED.match(entry)]
    assert packages
    assert all("--hash=sha256:" in entry for entry in packages)


def test_app_and_test_locks_agree() -> None:
    app, test = locked_versions("requirements.txt"), locked_versions("requirements-test.txt")
    assert {name: test.get(name) for name in app} == app


def test_every_install_goes_through_the_lock_with_hashes() -> None:
    makefile = (ROOT / "Makefile").read_text()
    installs = [line for line in makefile.splitlines() if "pip install" in line]
    assert installs
    assert all("--require-hashes" in line for line in installs)
    recipes = re.findall(r"\$\(PIP_INSTALL\) (.+)", makefile)
    assert sorted(recipes) == ["-r $(LOCK)", "-r $(TEST_LOCK)"]
    assert (ROOT / ".ci" / "run").read_text().strip().endswith("make test")
    readme = (ROOT / "README.md").read_text()
    assert "--require-hashes --no-deps -r requirements.txt" in readme


def load_audit_script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("audit", ROOT / ".ci" / "audit.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_audit_names_the_package_and_advisory() -> None:
    audit = load_audit_script()
    report = {"dependencies": [
        {"name": "flask", "version": "0.1", "vulns": [
            {"id": "PYSEC-2099-1", "fix_versions": ["3.1.3"], "aliases": []}]},
        {"name": "babel", "version": "2.19.0", "vulns": []},
    ]}
    status, lines = audit.summarise("requirements.txt", report)
    assert status == 1
    assert lines == ["requirements.txt: flask 0.1: PYSEC-2099-1 (fixed in 3.1.3)"]


def test_audit_never_calls_an_unchecked_set_a_pass() -> None:
    audit = load_audit_script()
    report = {"dependencies": [
        {"name": "flask", "skip_reason": "Dependency not found on PyPI and could not be audited"},
        {"name": "babel", "version": "2.19.0", "vulns": []},
    ]}
    status, lines = audit.summarise("requirements.txt", report)
    assert status == 2
    assert "could NOT audit 1 of 2" in lines[0] and "not a pass" in lines[0]


def test_make_audit_here_says_plainly_what_it_could_check() -> None:
    """On a machine without the vulnerability data the real run must not pass silently."""
    result = subprocess.run(
        [sys.executable, ".ci/audit.py", "requirements.txt"], cwd=ROOT,
        capture_output=True, text=True, timeout=300, check=False,
    )
    if result.returncode == 2:
        assert "This is not a pass" in result.stderr
    else:
        assert result.returncode in (0, 1), result.stderr
        assert "could NOT" not in result.stdout + result.stderr
