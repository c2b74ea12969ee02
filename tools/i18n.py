"""Export each addon's translation template and keep its Indonesian catalogue in step.

``python3 -m tools.i18n`` installs the addons in a copy of the template database,
exports ``i18n/<addon>.pot``, and merges new terms into ``i18n/id.po`` (new
terms arrive untranslated; translate them before committing). The test command
checks that every term of every template has an Indonesian translation.

Odoo's export only sees the addon's own ``_()`` calls, not the texts of the
plain-Python engine the addon shows (``crm_engine/valuation``, see its
texts.py). So for every addon that lists ``crm_engine`` among its external
Python dependencies, ``append_engine_terms`` adds the engine's msgids to the
exported template as Python code terms, which Odoo then translates like its own.
"""

import argparse
import ast
import os
import sys
import tempfile
import time
from pathlib import Path

import polib

from crm_engine.valuation.texts import MARKERS

from .odoo_runtime import (
    ADDONS_DIR,
    DEFAULT_CONFIG,
    ROOT,
    Postgres,
    ensure_template,
    our_addons,
    run_odoo,
    suite_modules,
)

LANGUAGES = ("id",)
ENGINE_TEXTS = ROOT / "crm_engine" / "valuation"
ENGINE_DEPENDENCY = "crm_engine"
# How Odoo 18 marks a term of Python code (odoo.tools.translate's
# PYTHON_TRANSLATION_COMMENT): only such terms are loaded for ``_()``.
PYTHON_TRANSLATION_COMMENT = "odoo-python"


def uses_engine_texts(manifest):
    """Whether an addon shows the engine's texts: it depends on the engine."""
    python = manifest.get("external_dependencies", {}).get("python", [])
    return ENGINE_DEPENDENCY in python


def marked_calls(path):
    """The calls of a text marker (``texts.MARKERS``) in a Python file."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name in MARKERS:
            yield node


def engine_terms(source_dir=ENGINE_TEXTS):
    """Each msgid of the engine -> the files marking it, in file order."""
    terms = {}
    for path in sorted(source_dir.glob("*.py")):
        for call in marked_calls(path):
            first = call.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                files = terms.setdefault(first.value, [])
                if path.name not in files:
                    files.append(path.name)
    return terms


def _mark_python_term(entry, occurrences):
    """Give ``entry`` what Odoo's loader needs to use it for Python code: the
    odoo-python comment and a code occurrence. Returns whether it changed."""
    comments = entry.comment.split("\n")
    missing = [item for item in occurrences if item not in entry.occurrences]
    if PYTHON_TRANSLATION_COMMENT in comments and not missing:
        return False
    if PYTHON_TRANSLATION_COMMENT not in comments:
        # Odoo writes the "module:" line first and the other comments sorted.
        comments = [comments[0], *sorted([*comments[1:], PYTHON_TRANSLATION_COMMENT])]
        entry.comment = "\n".join(comments)
    entry.occurrences += missing
    return True


def append_engine_terms(pot_path, source_dir=ENGINE_TEXTS):
    """Add the engine's msgids to an addon's exported template; returns how
    many entries were added or completed (0 on a second run).

    A msgid Odoo already exported (a field label, say) is completed rather
    than repeated: a catalogue holds each msgid once.
    """
    pot_path = Path(pot_path)
    template = polib.pofile(str(pot_path))
    module = pot_path.stem
    prefix = source_dir.relative_to(ROOT).as_posix()
    changed = 0
    for msgid, files in engine_terms(source_dir).items():
        entry = template.find(msgid)
        if entry is None:
            entry = polib.POEntry(msgid=msgid, msgstr="", comment=f"module: {module}")
            template.append(entry)
        occurrences = [(f"code:{prefix}/{name}", "0") for name in files]
        changed += _mark_python_term(entry, occurrences)
    if changed:
        template.sort(key=lambda entry: entry.msgid)  # Odoo's order
        template.save(str(pot_path))
    return changed


def untranslated():
    """(catalogue, count) for each catalogue missing terms of its template."""
    missing = []
    for pot_path in sorted(ADDONS_DIR.glob("*/i18n/*.pot")):
        template = polib.pofile(str(pot_path))
        for language in LANGUAGES:
            po_path = pot_path.with_name(f"{language}.po")
            translated = (
                {
                    entry.msgid
                    for entry in polib.pofile(str(po_path))
                    if entry.msgstr
                    and not entry.obsolete
                    and "fuzzy" not in entry.flags
                }
                if po_path.exists()
                else set()
            )
            count = sum(1 for entry in template if entry.msgid not in translated)
            if count:
                missing.append((po_path, count))
    return missing


def merge(pot_path, po_path):
    template = polib.pofile(str(pot_path))
    if po_path.exists():
        catalogue = polib.pofile(str(po_path))
        catalogue.merge(template)
        # Terms the code no longer has: git keeps their history, not the file.
        for entry in catalogue.obsolete_entries():
            catalogue.remove(entry)
    else:
        catalogue = polib.POFile()
        catalogue.metadata = dict(template.metadata)
        for entry in template:
            catalogue.append(entry)
    catalogue.metadata["Language"] = po_path.stem
    catalogue.save(str(po_path))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", default=str(DEFAULT_CONFIG))
    args = parser.parse_args(argv)
    manifests = our_addons()
    addons = sorted(manifests)
    pg = Postgres(args.config)
    log_path = Path(tempfile.mkdtemp(prefix="crm-i18n-")) / "odoo.log"
    base = ensure_template(pg, args.config, suite_modules(), log_path)
    database = f"crm_i18n_{time.strftime('%Y%m%d%H%M%S')}_{os.getpid()}"
    pg.copy(base, database)
    try:
        if run_odoo(
            args.config,
            ["-d", database, "-i", ",".join(addons), "--stop-after-init", "--no-http"],
            log_path,
        ):
            print(f"installing the addons failed: see {log_path}")
            return 1
        for addon in addons:
            pot_path = ADDONS_DIR / addon / "i18n" / f"{addon}.pot"
            pot_path.parent.mkdir(exist_ok=True)
            run_odoo(
                args.config,
                [
                    "-d",
                    database,
                    f"--i18n-export={pot_path}",
                    f"--modules={addon}",
                    "--stop-after-init",
                    "--no-http",
                ],
                log_path,
            )
            if uses_engine_texts(manifests[addon]):
                append_engine_terms(pot_path)
            for language in LANGUAGES:
                merge(pot_path, pot_path.with_name(f"{language}.po"))
            print(f"exported {pot_path.relative_to(ADDONS_DIR.parent)}")
    finally:
        pg.drop(database)
    for po_path, count in untranslated():
        print(f"{po_path.relative_to(ADDONS_DIR.parent)}: {count} terms to translate")
    return 0


if __name__ == "__main__":
    sys.exit(main())
