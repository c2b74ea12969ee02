"""Finding Odoo, running it, and managing the databases the demo and tests use.

Both README commands go through here so that the demo and the tests install the
same modules the same way. Databases are created from cached templates, keyed on
what was installed into them, because installing Odoo's accounting and sales
stack takes minutes while copying a database takes seconds.
"""

import ast
import configparser
import contextlib
import hashlib
import importlib.metadata
import importlib.util
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ADDONS_DIR = ROOT / "addons"
DEFAULT_CONFIG = ROOT / "odoo.conf"
TEMPLATE_PREFIX = "crm_tpl_"
# The demo data set is generated from this seed, so every demo looks the same.
DEMO_SEED = 42
# A template of an older key is retired only after this long: another checkout
# (a branch, a worktree) may still be copying it.
TEMPLATE_GRACE = timedelta(days=1)
# Part of every template's key: templates built before their filestore travelled
# with them (version 1) lack the files their attachments point to.
TEMPLATE_LAYOUT = "2"


LOG_PROBLEM = re.compile(r"^\S+ \S+ \d+ (WARNING|ERROR|CRITICAL) ")
# Odoo logs an attachment whose file is gone at INFO level, with its traceback:
# a database copied without its filestore.
MISSING_FILE = re.compile(r"^FileNotFoundError: .*filestore")
LOADING_MODULE = re.compile(r"modules\.loading: Loading module \S+ \((\d+)/(\d+)\)")
# Warnings Odoo itself prints in a clean run, unrelated to our code.
EXPECTED_WARNINGS = (
    re.compile(r"odoo\.modules\.loading: invalid module names, ignored"),
)


def log_problems(log_path):
    """Unexpected WARNING/ERROR lines and missing attachment files of a server log
    (none if nothing was logged)."""
    log_path = Path(log_path)
    if not log_path.exists():  # a reused template writes no setup log
        return []
    problems = []
    for line in log_path.read_text(errors="replace").splitlines():
        if MISSING_FILE.match(line) or (
            LOG_PROBLEM.match(line)
            and not any(pattern.search(line) for pattern in EXPECTED_WARNINGS)
        ):
            problems.append(line)
    return problems


def odoo_importable():
    return importlib.util.find_spec("odoo") is not None


def odoo_version():
    return importlib.metadata.version("odoo") if odoo_importable() else None


def our_addons():
    """Addon folders of this repository, with their manifest, in name order."""
    addons = {}
    if ADDONS_DIR.is_dir():
        for manifest in sorted(ADDONS_DIR.glob("*/__manifest__.py")):
            addons[manifest.parent.name] = ast.literal_eval(manifest.read_text())
    return addons


def dependency_modules(extra=()):
    """Odoo and OCA modules our addons stand on (not our addons themselves)."""
    addons = our_addons()
    modules = set(extra)
    for manifest in addons.values():
        modules.update(manifest.get("depends", []))
    return sorted(modules - set(addons))


def suite_modules():
    """Everything the demo and the tests install before our addons."""
    import datagen  # noqa: PLC0415 - the generator's needs are part of the suite's

    return dependency_modules(datagen.REQUIRED_MODULES)


def read_config(path):
    parser = configparser.ConfigParser()
    parser.read(path)
    return dict(parser["options"]) if parser.has_section("options") else {}


class Postgres:
    """Server-level operations (create, copy, drop) with the settings Odoo uses."""

    def __init__(self, config_path):
        options = read_config(config_path)
        data_dir = options.get("data_dir")
        self.data_dir = (
            Path(data_dir).expanduser()
            if data_dir and data_dir != "False"
            else Path.home() / ".local/share/Odoo"
        )
        self.params = {"dbname": "postgres"}
        for key, option in (
            ("host", "db_host"),
            ("port", "db_port"),
            ("user", "db_user"),
            ("password", "db_password"),
        ):
            value = options.get(option)
            if value and value != "False":
                self.params[key] = value

    @contextlib.contextmanager
    def _cursor(self):
        import psycopg2  # noqa: PLC0415 - only needed where Odoo is installed

        connection = psycopg2.connect(**self.params)
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                yield cursor
        finally:
            connection.close()

    def exists(self, name):
        with self._cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return bool(cursor.fetchone())

    def list(self, prefix):
        with self._cursor() as cursor:
            cursor.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s ORDER BY 1",
                [prefix.replace("_", r"\_") + "%"],
            )
            return [row[0] for row in cursor.fetchall()]

    def filestore(self, name):
        """Where Odoo keeps the attachment files of database ``name``."""
        return self.data_dir / "filestore" / name

    def copy(self, template, name):
        """A copy of database ``template`` with its filestore, as Odoo's own
        database duplication makes it."""
        self._copy_database(template, name)
        source = self.filestore(template)
        if source.is_dir():
            # Odoo never rewrites a stored file (a new content gets a new name),
            # so the copy may share the files' data: hard links where possible.
            shutil.copytree(source, self.filestore(name), copy_function=_link_or_copy)

    def _copy_database(self, template, name):
        from psycopg2 import sql  # noqa: PLC0415

        query = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            sql.Identifier(name), sql.Identifier(template)
        )
        # A template still held by a closing connection refuses to be copied
        # for a moment; wait for it rather than fail the run.
        for attempt in range(20):
            try:
                with self._cursor() as cursor:
                    cursor.execute(query)
                return
            except Exception as error:
                if "being accessed by other users" not in str(error) or attempt == 19:
                    raise
                time.sleep(1)

    def mark_built(self, name):
        """Record in the database's comment when this template was built."""
        from psycopg2 import sql  # noqa: PLC0415

        with self._cursor() as cursor:
            cursor.execute(
                sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                    sql.Identifier(name),
                    sql.Literal(datetime.now(timezone.utc).isoformat()),
                )
            )

    def built_at(self, name):
        """When ``mark_built`` marked it; None for a database never marked."""
        with self._cursor() as cursor:
            cursor.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                "WHERE datname = %s",
                [name],
            )
            row = cursor.fetchone()
        try:
            return datetime.fromisoformat(row[0]) if row and row[0] else None
        except ValueError:
            return None

    def rename(self, old, new):
        from psycopg2 import sql  # noqa: PLC0415

        with self._cursor() as cursor:
            cursor.execute(
                sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                    sql.Identifier(old), sql.Identifier(new)
                )
            )
        if self.filestore(old).is_dir():
            self.filestore(old).rename(self.filestore(new))

    def drop(self, name):
        from psycopg2 import sql  # noqa: PLC0415

        with self._cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name))
            )
        shutil.rmtree(self.filestore(name), ignore_errors=True)


def _link_or_copy(source, target):
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def odoo_command(config_path, *args):
    """The Odoo command line, run by this Python, whatever the install layout."""
    launcher = "import sys, odoo; sys.argv[0] = 'odoo'; odoo.cli.main()"
    command = [sys.executable, "-c", launcher, "-c", str(config_path)]
    if our_addons():
        command.append(f"--addons-path={ADDONS_DIR}")
    return [*command, *args]


def odoo_environ():
    # Odoo's own launcher sets TZ before anything reads the clock.
    return {**os.environ, "TZ": "UTC", "PYTHONPATH": str(ROOT)}


def run_odoo(config_path, args, log_path, progress=None):
    """Run Odoo, its output appended to ``log_path``; its exit code.

    With ``progress`` (a phase description), the modules it loads are shown as
    that phase's progress.
    """
    if progress is None:
        with open(log_path, "ab") as log:
            return subprocess.run(
                odoo_command(config_path, *args),
                stdout=log,
                stderr=subprocess.STDOUT,
                env=odoo_environ(),
                cwd=ROOT,
                check=False,
            ).returncode
    from .progress import phase  # noqa: PLC0415 - tqdm comes with the requirements

    # Odoo logs each module it installs or updates as "Loading module X (i/N)".
    command = odoo_command(
        config_path, *args, "--log-handler=odoo.modules.loading:INFO"
    )
    with (
        open(log_path, "a", encoding="utf-8", errors="replace") as log,
        phase(progress, unit="modules") as shown,
        subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=odoo_environ(),
            cwd=ROOT,
            text=True,
            errors="replace",
        ) as odoo,
    ):
        for line in odoo.stdout:
            log.write(line)
            loading = LOADING_MODULE.search(line)
            if loading:
                done, total = (int(number) for number in loading.groups())
                if total != shown.total:
                    shown.total = total
                shown.reach(done)
        # Modules loaded without change are not logged: done is all of them.
        if odoo.wait() == 0 and shown.total:
            shown.reach(shown.total)
    return odoo.returncode


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _key(*parts):
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]


def oca_versions():
    return sorted(
        f"{dist.metadata['Name']}=={dist.version}"
        for dist in importlib.metadata.distributions()
        if (dist.metadata["Name"] or "").lower().startswith("odoo-addon")
    )


def ensure_template(pg, config_path, modules, log_path, say=print):
    """A database with ``modules`` installed, built once and reused by key."""
    key = _key(TEMPLATE_LAYOUT, odoo_version() or "", *modules, *oca_versions())
    name = f"{TEMPLATE_PREFIX}base_{key}"
    if pg.exists(name):
        say(f"Reusing template database {name}")
        return name
    building = f"{name}_{os.getpid()}"
    say(f"Building template database {name} ({len(modules)} modules, a few minutes)")
    started = time.monotonic()
    rc = run_odoo(
        config_path,
        [
            "-d",
            building,
            "-i",
            ",".join(modules),
            "--without-demo=all",
            "--stop-after-init",
            "--no-http",
            "--log-level=warn",
        ],
        log_path,
        progress="Installing Odoo's modules",
    )
    if rc:
        pg.drop(building)
        raise RuntimeError(f"Installing {', '.join(modules)} failed: see {log_path}")
    _replace_template(pg, building, name, f"{TEMPLATE_PREFIX}base_")
    say(f"Template ready in {time.monotonic() - started:.0f} s")
    return name


def ensure_demo_template(pg, config_path, base, seed, log_path, say=print):
    """The base template with the ``demo`` data set loaded, reused by key."""
    # The addons' demo modules run later, on the copy: not part of the data set.
    sources = sorted(
        path
        for path in (ROOT / "datagen").rglob("*.py")
        if "addon_demo" not in path.relative_to(ROOT).parts
    )
    # The data set ends on the day it is loaded: renew it monthly so the demo's
    # "recent" and "overdue" stay true.
    month = time.strftime("%Y-%m")
    digest = _key(base, str(seed), month, *(path.read_text() for path in sources))
    name = f"{TEMPLATE_PREFIX}demo_{digest}"
    if pg.exists(name):
        say(f"Reusing demo data database {name}")
        return name
    building = f"{name}_{os.getpid()}"
    say("Loading the demo data set into a copy of the template, phase by phase")
    pg.copy(base, building)
    if load_demo_data(config_path, building, seed, log_path):
        pg.drop(building)
        raise RuntimeError(f"Loading the demo data set failed: see {log_path}")
    _replace_template(pg, building, name, f"{TEMPLATE_PREFIX}demo_")
    return name


def load_demo_data(config_path, database, seed, log_path):
    return run_python(
        config_path,
        "datagen",
        database,
        log_path,
        "--size",
        "demo",
        "--seed",
        str(seed),
        show_output=True,
    )


def run_python(config_path, module, database, log_path, *args, show_output=False):
    """``python3 -m module -c CONFIG -d DATABASE ...``, logged; its exit code.

    With ``show_output``, what it prints (its progress) goes to this command's
    output and only Odoo's log (on stderr) to ``log_path``.
    """
    command = [
        sys.executable,
        "-m",
        module,
        "-c",
        str(config_path),
        "-d",
        database,
        *args,
    ]
    with open(log_path, "ab") as log:
        return subprocess.run(
            command,
            stdout=None if show_output else log,
            stderr=log,
            env=odoo_environ(),
            cwd=ROOT,
            check=False,
        ).returncode


def _replace_template(pg, building, name, family):
    """Publish a freshly built template and retire older ones of its family."""
    if pg.exists(name):  # another run built the same one meanwhile
        pg.drop(building)
        return
    pg.rename(building, name)
    pg.mark_built(name)
    retire_before = datetime.now(timezone.utc) - TEMPLATE_GRACE
    for stale in pg.list(family):
        # Only finished templates (no build suffix): a build under way is not ours.
        if stale == name or len(stale) != len(name):
            continue
        built = pg.built_at(stale)
        if built is None or built < retire_before:
            pg.drop(stale)
