"""The linters the test command runs, the same ones pre-commit runs.

Each check is a command line; a check whose tool is missing is reported as not run
(and fails in CI, where test-requirements.txt is installed).
"""

import os
import shutil
import subprocess
import sys

from lxml import etree

from .addon_readme import stale_readmes
from .i18n import untranslated
from .odoo_runtime import ADDONS_DIR, ROOT

PYTHON_PATHS = ("addons", "benchmarks", "crm_engine", "datagen", "tests", "tools")


def _present(paths):
    return [path for path in paths if (ROOT / path).exists()]


def checks():
    addons = sorted(str(path.parent) for path in ADDONS_DIR.glob("*/__manifest__.py"))
    python_paths = _present(PYTHON_PATHS)
    yield "ruff check", ["ruff", "check", *python_paths]
    yield "ruff format", ["ruff", "format", "--check", *python_paths]
    if addons:
        yield "pylint-odoo", ["pylint", "--rcfile=.pylintrc-mandatory", *addons]


def xml_errors():
    """Malformed XML in addons, which Odoo would only report at install time."""
    errors = []
    for path in sorted(ADDONS_DIR.rglob("*.xml")):
        try:
            etree.parse(str(path))
        except etree.XMLSyntaxError as error:
            errors.append(f"{path.relative_to(ROOT)}: {error}")
    return errors


def translation_problems():
    """Addons without a template, and catalogues missing translations."""
    problems = [
        f"{path.parent.relative_to(ROOT)}: no i18n/{path.parent.name}.pot"
        for path in sorted(ADDONS_DIR.glob("*/__manifest__.py"))
        if not (path.parent / "i18n" / f"{path.parent.name}.pot").exists()
    ]
    problems += [
        f"{po_path.relative_to(ROOT)}: {count} terms not translated"
        for po_path, count in untranslated()
    ]
    return problems


def run(say=print):
    """Run every check; return (passed, failed, not_run) check names."""
    passed, failed, not_run = [], [], []
    for name, command in checks():
        if not shutil.which(command[0]):
            say(f"lint: {name} did not run: {command[0]} is not installed")
            not_run.append(name)
            continue
        result = subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, check=False
        )
        if result.returncode:
            say(f"lint: {name} found problems:\n{result.stdout}{result.stderr}")
            failed.append(name)
        else:
            passed.append(name)
    stale = stale_readmes()
    if stale:
        names = ", ".join(str(path.relative_to(ROOT)) for path in stale)
        say(f"lint: out of date (python3 -m tools.addon_readme): {names}")
        failed.append("readme")
    else:
        passed.append("readme")
    catalogues = translation_problems()
    if catalogues:
        say("lint: translations incomplete (python3 -m tools.i18n, then translate):")
        say("\n".join(catalogues))
        failed.append("i18n")
    else:
        passed.append("i18n")
    errors = xml_errors()
    if errors:
        say("lint: malformed XML:\n" + "\n".join(errors))
        failed.append("xml")
    else:
        passed.append("xml")
    return passed, failed, not_run


def main():
    passed, failed, not_run = run()
    print(f"lint: {len(passed)} passed, {len(failed)} failed, {len(not_run)} not run")
    strict = os.environ.get("CI") == "true"
    sys.exit(1 if failed or (strict and not_run) else 0)


if __name__ == "__main__":
    main()
