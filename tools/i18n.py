"""Export each addon's translation template and keep its Indonesian catalogue in step.

``python3 -m tools.i18n`` installs the addons in a copy of the template database,
exports ``i18n/<addon>.pot``, and merges new terms into ``i18n/id.po`` (new
terms arrive untranslated; translate them before committing). The test command
checks that every term of every template has an Indonesian translation.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import polib

from .odoo_runtime import (
    ADDONS_DIR,
    DEFAULT_CONFIG,
    Postgres,
    ensure_template,
    our_addons,
    run_odoo,
    suite_modules,
)

LANGUAGES = ("id",)


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
    addons = sorted(our_addons())
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
