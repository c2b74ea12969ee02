"""What the benchmark scripts share: timing, the printed report, and the
database they run on, made from the test template when it is missing."""

import tempfile
import time
from pathlib import Path


def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


def report(lines):
    width = max(len(label) for label, _value in lines)
    for label, value in lines:
        print(f"{label:<{width}}  {value}")


def verdict(met):
    return "met" if met else "MISSED"


def prepare_database(config, database, addon, bench_data=True):
    """``database`` made when missing: a copy of the dependency template, the
    ``bench`` data set loaded (unless ``bench_data`` is false) and ``addon``
    installed. Whether it was made now."""
    from tools import odoo_runtime as runtime  # noqa: PLC0415

    pg = runtime.Postgres(config)
    if pg.exists(database):
        return False
    log_path = Path(tempfile.mkdtemp(prefix="crm-bench-")) / "prepare.log"
    print(f"Preparing {database} (log: {log_path})", flush=True)
    base = runtime.ensure_template(pg, config, runtime.suite_modules(), log_path)
    pg.copy(base, database)
    if (
        bench_data
        and runtime.run_python(config, "datagen", database, log_path, "--size", "bench")
    ) or runtime.run_odoo(
        config,
        ["-d", database, "-i", addon, "--stop-after-init", "--no-http"],
        log_path,
    ):
        pg.drop(database)
        raise SystemExit(f"preparing {database} failed: see {log_path}")
    return True
