"""Bring the installed addons to life on a demo database.

Run by the demo command after it installs the addons: sets each addon's demo
configuration on the company and computes what the screens show (a first
customer valuation), so that the demo does not open on empty lists.

python3 -m datagen.addon_demo -c CONF -d DB
"""

import argparse
import sys
from pathlib import Path

from .odoo_env import environment

ADDONS = Path(__file__).resolve().parents[1] / "addons"

# Demo rates of the Indonesian trading company (IDR).
VALUATION_SETTINGS = {
    "valuation_hourly_cost": 85_000.0,
    "valuation_order_cost": 35_000.0,
    "valuation_delay_rate": 12.0,
}


def prepare_valuation(env):
    env.company.write(VALUATION_SETTINGS)
    run = (
        env["crm.valuation.run"]
        .with_context(queue_job__no_delay=True)
        .create({"company_id": env.company.id})
    )
    run.action_run()
    return f"customer valuation: {run.customer_count} customers valued"


PREPARERS = {"crm_valuation": prepare_valuation}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m datagen.addon_demo")
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    args = parser.parse_args(argv)
    with environment(args.config, args.database, [f"--addons-path={ADDONS}"]) as env:
        installed = set(
            env["ir.module.module"]
            .search([("state", "=", "installed"), ("name", "in", list(PREPARERS))])
            .mapped("name")
        )
        for name, prepare in PREPARERS.items():
            if name in installed:
                print(prepare(env))
    return 0


if __name__ == "__main__":
    sys.exit(main())
