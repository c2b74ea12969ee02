"""Demo configuration and data of each addon, applied after the demo command
installs the addons on a copy of the demo data set.

One module per addon, named after it, with a ``prepare(env)`` that returns one
line saying what it did. The demo data set itself (``datagen.plan`` and the
loaders) does not depend on these modules, so changing them does not renew the
cached demo data template.
"""

import importlib

# Addons in the order their demo is prepared (an addon after those it builds on).
ADDONS = ("crm_valuation", "crm_supplier_rm")


def preparers(installed):
    """``(addon, prepare)`` for each installed addon that has a demo module."""
    for name in ADDONS:
        if name in installed:
            module = importlib.import_module(f"{__name__}.{name}")
            yield name, module.prepare
