"""Databases loaded by the data generator, for tests that read them back.

The test command passes the template database (Odoo and OCA modules installed)
in ``CRM_TEMPLATE_DB``; run alone, pytest builds or reuses it. Every database
made here is dropped at the end of the session.
"""

import datetime
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from datagen.plan import bench_plan, demo_plan
from tools.odoo_runtime import (
    DEFAULT_CONFIG,
    ROOT,
    Postgres,
    ensure_template,
    odoo_environ,
    suite_modules,
)

CONFIG = os.environ.get("CRM_ODOO_CONFIG", str(DEFAULT_CONFIG))
# A fixed "today" keeps every loaded history the same from day to day.
TODAY = datetime.date(2026, 11, 20)
SEED = 42
# Names of the databases made here start with this (a shared server's rule).
DB_PREFIX = os.environ.get("CRM_TEST_DB_PREFIX", "crm_pytest")


@pytest.fixture(scope="session")
def pg():
    return Postgres(CONFIG)


@pytest.fixture(scope="session")
def template(pg):
    name = os.environ.get("CRM_TEMPLATE_DB")
    if name:
        return name
    log_path = Path(tempfile.mkdtemp(prefix="crm-pytest-")) / "template.log"
    return ensure_template(pg, CONFIG, suite_modules(), log_path)


@pytest.fixture(scope="session")
def load(pg, template):
    """load(size, scale) -> (environment, plan): a fresh database holding the set
    drawn from that plan."""
    import odoo  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415

    odoo.tools.config.parse_config(["-c", CONFIG, "--log-level=warn"])
    made = []

    def loaded(size, scale):
        database = f"{DB_PREFIX}_{size}_{os.getpid()}_{len(made)}"
        pg.copy(template, database)
        made.append(database)
        command = [
            sys.executable,
            "-m",
            "datagen",
            "-c",
            CONFIG,
            "-d",
            database,
            "--size",
            size,
            "--scale",
            str(scale),
            "--seed",
            str(SEED),
            "--today",
            TODAY.isoformat(),
        ]
        result = subprocess.run(
            command,
            cwd=ROOT,
            env=odoo_environ(),
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        cursor = Registry(database).cursor()
        cursors.append(cursor)
        plan = (demo_plan if size == "demo" else bench_plan)(SEED, TODAY, scale)
        return odoo.api.Environment(cursor, odoo.SUPERUSER_ID, {}), plan

    cursors = []
    yield loaded
    for cursor in cursors:
        cursor.rollback()
        cursor.close()
    for database in made:
        odoo.sql_db.close_db(database)
        Registry.delete(database)
        pg.drop(database)


@pytest.fixture(scope="module")
def loaded(load, request):
    """The set of the test module's SIZE and SCALE, loaded once per module."""
    return load(request.module.SIZE, request.module.SCALE)


@pytest.fixture(scope="module")
def env(loaded):
    return loaded[0]


@pytest.fixture(scope="module")
def plan(loaded):
    return loaded[1]
