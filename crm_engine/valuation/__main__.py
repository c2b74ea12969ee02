"""``python3 -m crm_engine.valuation``: see cli.py."""

import sys

from .cli import main

sys.exit(main())
