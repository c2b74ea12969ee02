"""Load a data set into an Odoo database.

python3 -m datagen -c CONF -d DB --size demo|bench
"""

import argparse
import datetime
import sys
import time

from . import DEFAULT_SEED, REQUIRED_MODULES
from .plan import bench_plan, demo_plan

LOADED_KEY = "datagen.loaded"


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python3 -m datagen", description=__doc__)
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration")
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--size", choices=("demo", "bench"), required=True)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="multiplies the sizes (tests use small ones)",
    )
    parser.add_argument(
        "--today",
        type=datetime.date.fromisoformat,
        default=datetime.date.today(),
        help="last day of the generated history (default: today)",
    )
    parser.add_argument(
        "odoo_args", nargs="*", help="more Odoo options after --, e.g. --db_host"
    )
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    from .odoo_env import environment  # noqa: PLC0415 - Odoo only past --help

    started = time.monotonic()
    phases = []

    def say(phase, seconds):
        phases.append((phase, seconds))

    with environment(args.config, args.database, args.odoo_args) as env:
        missing = [
            name
            for name in REQUIRED_MODULES
            if not env["ir.module.module"].search_count(
                [("name", "=", name), ("state", "=", "installed")]
            )
        ]
        if missing:
            print(f"install these modules first: {', '.join(missing)}", file=sys.stderr)
            return 2
        loaded = env["ir.config_parameter"].get_param(LOADED_KEY)
        if loaded:
            print(
                f"{args.database} already holds generated data ({loaded})",
                file=sys.stderr,
            )
            return 2
        if args.size == "demo":
            from .orm_loader import load_demo  # noqa: PLC0415

            load_demo(env, demo_plan(args.seed, args.today, args.scale), args.seed, say)
        else:
            from .sql_loader import load_bench  # noqa: PLC0415

            load_bench(env, bench_plan(args.seed, args.today, args.scale), say)
    for phase, seconds in (*phases, ("total", time.monotonic() - started)):
        print(f"{phase:<12} {seconds:8.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
