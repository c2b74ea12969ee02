"""Write each addon's README.rst from its readme/ fragments, as OCA addons do.

The fragments are short Markdown that is also valid reStructuredText (paragraphs,
``-`` lists, ``*emphasis*``, ``**strong**``), so they are copied under headings.
``--check`` fails when a README.rst is out of date (the test command runs it).
"""

import argparse
import ast
import sys

from .odoo_runtime import ADDONS_DIR

SECTIONS = (
    ("DESCRIPTION.md", None),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
    ("PERFORMANCE.md", "Performance"),
)


def _heading(text, mark):
    return f"{text}\n{mark * len(text)}\n"


def render(addon_dir):
    manifest = ast.literal_eval((addon_dir / "__manifest__.py").read_text())
    parts = [
        "=" * len(manifest["name"]),
        _heading(manifest["name"], "="),
        f"{manifest['summary']}\n",
    ]
    for filename, title in SECTIONS:
        fragment = addon_dir / "readme" / filename
        if fragment.exists():
            if title:
                parts.append(_heading(title, "="))
            parts.append(fragment.read_text().strip() + "\n")
    parts.append(_heading("Credits", "="))
    parts.append(f"Authors: {manifest['author']}. Licence: {manifest['license']}.\n")
    return "\n".join(parts)


def stale_readmes():
    stale = []
    for manifest in sorted(ADDONS_DIR.glob("*/__manifest__.py")):
        readme = manifest.parent / "README.rst"
        if not readme.exists() or readme.read_text() != render(manifest.parent):
            stale.append(readme)
    return stale


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    stale = stale_readmes()
    if args.check:
        for readme in stale:
            print(f"{readme} is out of date: run python3 -m tools.addon_readme")
        return 1 if stale else 0
    for readme in stale:
        readme.write_text(render(readme.parent))
        print(f"wrote {readme}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
