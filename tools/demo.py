"""Set up and serve the demo: a database with every addon and the demo data set.

Reuses the same cached template databases as the test command, so a second run
starts in seconds. ``--reset`` throws the demo database away and makes it anew.
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

from . import install, pg_cluster
from .odoo_runtime import (
    DEFAULT_CONFIG,
    DEMO_SEED,
    MISSING_FILE,
    ROOT,
    Postgres,
    ensure_demo_template,
    ensure_template,
    log_problems,
    odoo_command,
    odoo_environ,
    our_addons,
    run_odoo,
    run_python,
    suite_modules,
)


def prepare(pg, config, database, log_path):
    base = ensure_template(pg, config, suite_modules(), log_path)
    demo = ensure_demo_template(pg, config, base, DEMO_SEED, log_path)
    pg.copy(demo, database)
    addons = sorted(our_addons())
    if addons:
        print(f"Installing {', '.join(addons)}")
        rc = run_odoo(
            config,
            [
                "-d",
                database,
                "-i",
                ",".join(addons),
                # Bahasa Indonesia ready for users to pick in their preferences
                "--load-language=id_ID",
                "--stop-after-init",
                "--no-http",
            ],
            log_path,
            progress="Installing the addons",
        )
        if rc or run_python(
            config, "datagen.addon_demo", database, log_path, show_output=True
        ):
            pg.drop(database)
            raise RuntimeError(f"Installing the addons failed: see {log_path}")
    missing = [line for line in log_problems(log_path) if MISSING_FILE.match(line)]
    if missing:
        pg.drop(database)
        raise RuntimeError(
            f"Attachment files are missing ({missing[0]}): see {log_path}"
        )


def print_logins(url):
    import datagen  # noqa: PLC0415

    print(f"\nOdoo is starting on {url}  (Ctrl+C stops it)\n")
    print(f"  {'who':<18} {'login':<34} password")
    logins = (
        ("administrator", "admin", "admin"),
        *datagen.DEMO_LOGINS,
        *(
            (role, datagen.staff_login(names[0]), datagen.STAFF_PASSWORD)
            for role, names in datagen.STAFF.items()
        ),
    )
    for role, login, password in logins:
        print(f"  {role:<18} {login:<34} {password}")
    print()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", default=str(DEFAULT_CONFIG))
    parser.add_argument("-d", "--database", default="crm_demo")
    parser.add_argument("-p", "--port", type=int, default=8069)
    parser.add_argument("--reset", action="store_true", help="rebuild the database")
    parser.add_argument(
        "--no-serve", action="store_true", help="prepare the database and stop"
    )
    parser.add_argument(
        "--no-install",
        action="store_true",
        help="install nothing: print the commands that would install what is missing",
    )
    parser.add_argument(
        "--stop",
        action="store_true",
        help="stop the private PostgreSQL cluster the commands started, if any",
    )
    args = parser.parse_args(argv)
    if args.stop:
        return pg_cluster.stop()
    if not install.ensure(allowed=not args.no_install):
        return 2
    config = pg_cluster.ensure_server(args.config)
    if config is None:
        return 2
    sys.path.insert(0, str(ROOT))
    pg = Postgres(config)
    log_path = Path(tempfile.mkdtemp(prefix="crm-demo-")) / "setup.log"
    if args.reset and pg.exists(args.database):
        pg.drop(args.database)
    if pg.exists(args.database):
        print(f"Database {args.database} exists: serving it (--reset rebuilds it)")
    else:
        try:
            prepare(pg, config, args.database, log_path)
        except RuntimeError as error:
            print(error)
            return 1
    if args.no_serve:
        print(f"Database {args.database} is ready.")
        return 0
    url = f"http://localhost:{args.port}"
    print_logins(url)
    command = odoo_command(
        config,
        "-d",
        args.database,
        f"--db-filter=^{args.database}$",
        f"--http-port={args.port}",
        # queue_job's runner, which runs the valuation jobs (crm_valuation_queue)
        "--load=base,web,queue_job",
    )
    os.chdir(ROOT)
    os.execve(command[0], command, odoo_environ())


if __name__ == "__main__":
    sys.exit(main())
