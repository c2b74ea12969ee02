"""Run every test of the suite and end with one line: ``N passed, N failed``.

Order: linters, then the addons' Odoo tests in a fresh database, then pytest (the
plain package, and the data generator against a database holding the demo set).
Every database this run creates is dropped at the end; the cached templates stay.
What is missing (Odoo, the requirements) is installed first: see ``tools.install``.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from . import install, pg_cluster
from .odoo_runtime import (
    DEFAULT_CONFIG,
    ROOT,
    Postgres,
    ensure_template,
    free_port,
    log_problems,
    our_addons,
    run_odoo,
    suite_modules,
)

ODOO_RESULT = re.compile(
    r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database"
)


class Tally:
    def __init__(self):
        self.passed = self.failed = self.skipped = 0

    def add(self, passed=0, failed=0, skipped=0):
        self.passed += passed
        self.failed += failed
        self.skipped += skipped

    def line(self):
        line = f"{self.passed} passed, {self.failed} failed"
        return f"{line}, {self.skipped} skipped" if self.skipped else line


def run_addon_tests(pg, config, base, run_id, workdir, tally):
    addons = sorted(our_addons())
    if not addons:
        print("odoo: no addons in addons/ yet, no addon tests to run")
        return
    database = f"{run_id}_addons"
    log_path = workdir / "odoo-addons.log"
    pg.copy(base, database)
    print(f"odoo: installing {', '.join(addons)} with tests in {database}")
    started = time.monotonic()
    rc = run_odoo(
        config,
        [
            "-d",
            database,
            "-i",
            ",".join(addons),
            "--test-enable",
            "--stop-after-init",
            f"--http-port={free_port()}",
            "--log-level=info",
        ],
        log_path,
        progress="odoo: installing and testing",
    )
    log = log_path.read_text(errors="replace")
    results = ODOO_RESULT.findall(log)
    failed = sum(int(f) + int(e) for f, e, _ in results)
    ran = sum(int(n) for _, _, n in results)
    problems = log_problems(log_path)
    print(
        f"odoo: {ran} tests, {failed} failed or in error, "
        f"{len(problems)} warnings/errors in the log, "
        f"{time.monotonic() - started:.0f} s"
    )
    for problem in problems[:50]:
        print(f"  {problem}")
    if rc or problems:
        print(f"odoo: server exit code {rc}; full log kept at {log_path}")
    tally.add(passed=ran - failed, failed=failed + (1 if (rc or problems) else 0))


def run_pytest(env, workdir, tally):
    report = workdir / "pytest.xml"
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        f"--junitxml={report}",
        "tests",
    ]
    rc = subprocess.run(command, cwd=ROOT, env=env, check=False).returncode
    if not report.exists():
        print(f"pytest: exited {rc} without a report")
        tally.add(failed=1)
        return
    suite = ElementTree.parse(report).getroot()
    suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
    total, failures, errors, skipped = (
        int(suite.get(key, 0)) for key in ("tests", "failures", "errors", "skipped")
    )
    tally.add(
        passed=total - failures - errors - skipped,
        failed=failures + errors,
        skipped=skipped,
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", default=str(DEFAULT_CONFIG))
    parser.add_argument(
        "--keep", action="store_true", help="keep this run's databases and logs"
    )
    parser.add_argument(
        "--no-install",
        action="store_true",
        help="install nothing: print the commands that would install what is missing",
    )
    args = parser.parse_args(argv)
    if not install.ensure(with_tests=True, allowed=not args.no_install):
        return 2
    config = pg_cluster.ensure_server(args.config)
    if config is None:
        return 2
    from . import lint  # noqa: PLC0415 - its tools are installed just above

    ci = os.environ.get("CI") == "true"
    tally = Tally()
    workdir = Path(tempfile.mkdtemp(prefix="crm-test-"))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TZ": "UTC"}

    passed, failed, not_run = lint.run()
    tally.add(passed=len(passed), failed=len(failed) + (len(not_run) if ci else 0))
    tally.add(skipped=0 if ci else len(not_run))

    created = []
    pg = Postgres(config)
    try:
        run_id = f"crm_test_{time.strftime('%Y%m%d%H%M%S')}_{os.getpid()}"
        setup_log = workdir / "setup.log"
        base = ensure_template(pg, config, suite_modules(), setup_log)
        problems = log_problems(setup_log)
        if problems:
            print("setup: warnings/errors while building the template:")
            print("\n".join(f"  {line}" for line in problems[:50]))
            tally.add(failed=1)
        created.append(f"{run_id}_addons")
        env.update(
            CRM_ODOO_CONFIG=str(Path(config).resolve()),
            CRM_TEMPLATE_DB=base,
        )
        run_addon_tests(pg, config, base, run_id, workdir, tally)
        run_pytest(env, workdir, tally)
    finally:
        if not args.keep:
            for database in created:
                pg.drop(database)
        if args.keep:
            print(f"kept: databases {', '.join(created)}; logs in {workdir}")
    print(tally.line())
    return 1 if tally.failed else 0


if __name__ == "__main__":
    sys.exit(main())
