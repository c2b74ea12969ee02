"""Installing what the README commands need into the Python that runs them.

Odoo 18.0 first when ``import odoo`` fails (from ``ODOO_SOURCE``, a path or URL
of an Odoo 18.0 source archive, with ``ODOO_REQUIREMENTS`` or the archive's own
requirements), then the suite's requirements (the OCA ``odoo-addon-*`` wheels
require ``odoo``) and ``crm_engine``. Everything goes into ``sys.executable``'s
environment: the active virtual environment if there is one.

This module needs nothing but the standard library and pip: it runs first.
"""

import importlib
import importlib.metadata
import importlib.util
import os
import shlex
import subprocess
import sys
import tarfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from .odoo_runtime import ROOT

ODOO_NIGHTLY = "https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz"
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "crm-suite"
# Building Odoo's sdist needs an older setuptools than the newest.
ODOO_BUILD_TOOLS = ("setuptools<70", "wheel")
PROGRESS_LIBRARY = "tqdm"


def _requirement_class():
    try:
        from packaging.requirements import Requirement  # noqa: PLC0415
    except ImportError:  # a new virtual environment has only pip's own copy
        from pip._vendor.packaging.requirements import Requirement  # noqa: PLC0415
    return Requirement


def requirement_lines(path):
    """The requirement specifiers of a requirements file (no options, no comments)."""
    lines = []
    for line in Path(path).read_text().splitlines():
        line = line.split(" #")[0].strip()
        if line and not line.startswith(("#", "-")):
            lines.append(line)
    return lines


def unmet(lines):
    """The requirements of ``lines`` this Python does not satisfy."""
    requirement = _requirement_class()
    missing = []
    for line in lines:
        wanted = requirement(line)
        if wanted.marker and not wanted.marker.evaluate():
            continue
        try:
            version = importlib.metadata.version(wanted.name)
        except importlib.metadata.PackageNotFoundError:
            missing.append(line)
            continue
        if not wanted.specifier.contains(version, prereleases=True):
            missing.append(line)
    return missing


def odoo_missing():
    importlib.invalidate_caches()
    return importlib.util.find_spec("odoo") is None


def crm_engine_missing():
    try:
        importlib.metadata.version("crm-engine")
    except importlib.metadata.PackageNotFoundError:
        return True
    return False


def _pip(*args):
    quiet = () if sys.stdout.isatty() else ("-q",)
    return [sys.executable, "-m", "pip", "install", *quiet, *args]


class Step:
    """One pip run (or download), described before it happens."""

    def __init__(self, what, command=None, action=None):
        self.what = what
        self.command = command
        self.action = action

    def shown(self):
        return shlex.join(self.command) if self.command else self.what

    def run(self):
        if self.action:
            self.action()
            return 0
        return subprocess.run(self.command, check=False).returncode


def odoo_archive(source):
    """A local path of the Odoo archive ``source`` names; a URL is downloaded once
    into the cache."""
    if "://" not in source:
        return Path(source).expanduser().resolve()
    name = Path(urllib.parse.urlparse(source).path).name or "odoo.tar.gz"
    return CACHE / name


def download(url, target):
    from tqdm import tqdm  # noqa: PLC0415 - installed by the step before

    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(target.suffix + ".part")
    with urllib.request.urlopen(url, timeout=60) as response:
        total = int(response.headers.get("Content-Length") or 0) or None
        with (
            open(partial, "wb") as out,
            tqdm(
                total=total,
                unit="B",
                unit_scale=True,
                desc=f"Downloading {target.name}",
                disable=not sys.stdout.isatty(),
                file=sys.stdout,
            ) as bar,
        ):
            while chunk := response.read(1 << 20):
                out.write(chunk)
                bar.update(len(chunk))
    partial.rename(target)


def archive_requirements(archive):
    """Odoo's requirements.txt from inside its source archive, into the cache."""
    target = CACHE / f"{archive.name}.requirements.txt"
    if not target.exists():
        with tarfile.open(archive) as tar:
            member = next(
                (
                    m
                    for m in tar.getmembers()
                    if m.isfile() and m.name.split("/", 1)[-1] == "requirements.txt"
                ),
                None,
            )
            if member is None:
                raise RuntimeError(f"{archive} holds no requirements.txt")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(tar.extractfile(member).read())
    return target


def odoo_steps():
    source = os.environ.get("ODOO_SOURCE") or ODOO_NIGHTLY
    archive = odoo_archive(source)
    steps = []
    if not archive.exists():
        if "://" not in source:
            raise RuntimeError(f"ODOO_SOURCE: no such file {archive}")
        steps.append(
            Step(
                f"download {source} to {archive}",
                action=lambda: download(source, archive),
            )
        )
    requirements = os.environ.get("ODOO_REQUIREMENTS")
    steps.append(Step("build tools for Odoo", _pip(*ODOO_BUILD_TOOLS)))
    if requirements:
        reqs = [str(Path(requirements).expanduser().resolve())]
    else:
        reqs = [str(CACHE / f"{archive.name}.requirements.txt")]
        steps.append(
            Step(
                f"read Odoo's requirements.txt from {archive.name}",
                action=lambda: archive_requirements(archive),
            )
        )
    no_isolation = ("--no-build-isolation", "--prefer-binary")
    steps.append(Step("Odoo's requirements", _pip(*no_isolation, "-r", reqs[0])))
    steps.append(
        Step(
            f"Odoo 18.0 from {archive.name}",
            _pip("--no-build-isolation", "--no-deps", str(archive)),
        )
    )
    return steps


def plan(with_tests):
    """The steps that would make this Python ready for the command."""
    files = [ROOT / "requirements.txt"]
    if with_tests:
        files.append(ROOT / "test-requirements.txt")
    lines = [line for path in files for line in requirement_lines(path)]
    requirement = _requirement_class()
    progress = [line for line in lines if requirement(line).name == PROGRESS_LIBRARY]
    steps = []
    if odoo_missing():
        # Its download shows a progress bar: the library comes first.
        if unmet(progress):
            steps.append(Step("the progress bars", _pip(*progress)))
        steps += odoo_steps()
    if unmet(lines):
        args = [arg for path in files for arg in ("-r", str(path))]
        steps.append(Step("the suite's requirements", _pip(*args)))
    if crm_engine_missing():
        steps.append(Step("crm_engine", _pip("--no-deps", "-e", str(ROOT))))
    return steps


def ensure(with_tests=False, allowed=True):
    """Install what is missing, saying what and where first; False when something
    is missing and installing is not allowed or failed."""
    try:
        steps = plan(with_tests)
    except RuntimeError as error:
        print(error)
        return False
    if not steps:
        return True
    where = os.environ.get("VIRTUAL_ENV") or sys.prefix
    print(f"Missing in {where} (Python {sys.executable}):")
    for step in steps:
        print(f"  - {step.what}")
    if not allowed:
        print("--no-install: nothing installed. The commands that would install it:")
        for step in steps:
            print(f"  {step.shown()}")
        return False
    for number, step in enumerate(steps, 1):
        print(f"[{number}/{len(steps)}] Installing {step.what}", flush=True)
        started = time.monotonic()
        if step.run():
            print(f"Installing {step.what} failed: {step.shown()}")
            return False
        print(
            f"[{number}/{len(steps)}] {step.what}: {time.monotonic() - started:.0f} s"
        )
    importlib.invalidate_caches()
    return True
