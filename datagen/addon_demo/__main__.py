"""Bring the installed addons to life on a demo database.

Run by the demo command after it installs the addons: each addon's demo module
(see ``datagen.addon_demo``) configures it and computes what its screens show,
so that the demo does not open on empty lists.

python3 -m datagen.addon_demo -c CONF -d DB
"""

import argparse
import sys
from pathlib import Path

from tools.progress import phase

from ..odoo_env import environment
from . import ADDONS, preparers

ADDONS_DIR = Path(__file__).resolve().parents[2] / "addons"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m datagen.addon_demo")
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    args = parser.parse_args(argv)
    with environment(
        args.config, args.database, [f"--addons-path={ADDONS_DIR}"]
    ) as env:
        installed = set(
            env["ir.module.module"]
            .search([("state", "=", "installed"), ("name", "in", list(ADDONS))])
            .mapped("name")
        )
        for name, prepare in preparers(installed):
            # Its first valuation, for crm_valuation: the longest step.
            with phase(f"demo of {name}"):
                done = prepare(env)
            print(done, flush=True)
        env.cr.commit()  # sends, after the commit, what the setup notified by email
        cancel_unsendable_emails(env)
    return 0


def cancel_unsendable_emails(env):
    """The demo has no mail server: the emails its setup tried to send show as
    cancelled, not as failures in every chatter and in the messaging menu."""
    env["mail.mail"].search([("state", "=", "exception")]).write({"state": "cancel"})
    env["mail.notification"].search(
        [("notification_status", "in", ("exception", "bounce"))]
    ).write({"notification_status": "canceled", "failure_type": False})


if __name__ == "__main__":
    sys.exit(main())
