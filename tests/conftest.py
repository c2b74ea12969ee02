"""pytest setup: tests/odoo needs an importable Odoo; without it the test command
reports those tests as not run."""

import importlib.util

collect_ignore = [] if importlib.util.find_spec("odoo") else ["odoo"]
