"""A PostgreSQL for the suite when none answers at the configured address.

Where PostgreSQL's server programs are installed (Debian's ``postgresql``
package: as root the commands install it), the suite starts a private cluster
of its own: a data folder under a cache directory, its own port, a role for the
current user, trust authentication on 127.0.0.1 only. An existing cluster is
never touched. ``python3 -m tools.demo --stop`` stops the private one.
"""

import configparser
import getpass
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

from .odoo_runtime import read_config

PORT = 54329
# initdb and the server refuse to run as root: root runs them as this user.
SERVER_USER = "postgres"


def base_dir():
    if os.geteuid() == 0:  # root's home is closed to the server's user
        return Path("/var/cache/crm-suite")
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache) / "crm-suite"


def data_dir():
    return base_dir() / "postgresql" / "data"


def private_config(config_path):
    """The Odoo configuration ``config_path`` pointed at the private cluster."""
    return base_dir() / f"{Path(config_path).stem}-private-postgresql.conf"


def answers(host, port):
    try:
        with socket.create_connection((host, int(port)), timeout=2):
            return True
    except OSError:
        return False


def server_programs():
    """The folder of pg_ctl and initdb, newest major version first; None if absent."""
    for folder in sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
        reverse=True,
    ):
        if (folder / "pg_ctl").exists() and (folder / "initdb").exists():
            return folder
    found = shutil.which("pg_ctl")
    return Path(found).parent if found and shutil.which("initdb") else None


def _as_server_user(command):
    if os.geteuid() == 0:
        return ["runuser", "-u", SERVER_USER, "--", *command]
    return command


def _run(command):
    return subprocess.run(
        _as_server_user(command), capture_output=True, text=True, check=False
    )


def install_server():
    """Debian's postgresql package, when this is root on a Debian system."""
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return False
    print("Installing PostgreSQL's server programs (Debian package postgresql)")
    for command in (
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "postgresql"],
    ):
        if subprocess.run(command, check=False).returncode:
            return False
    return server_programs() is not None


def start(programs):
    data = data_dir()
    log = data.parent / "server.log"
    if not (data / "PG_VERSION").exists():
        print(f"Creating a private PostgreSQL cluster in {data} (port {PORT})")
        data.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(data.parent, SERVER_USER)
            shutil.chown(data, SERVER_USER)
        result = _run(
            [
                str(programs / "initdb"),
                "-D",
                str(data),
                "-U",
                SERVER_USER if os.geteuid() == 0 else getpass.getuser(),
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            ]
        )
        if result.returncode:
            raise RuntimeError(f"initdb failed:\n{result.stdout}{result.stderr}")
    print(f"Starting the private PostgreSQL cluster on 127.0.0.1:{PORT}")
    options = f"-p {PORT} -c listen_addresses=127.0.0.1 -k {data.parent}"
    pg_ctl = [str(programs / "pg_ctl"), "-D", str(data), "-l", str(log), "-w"]
    result = _run([*pg_ctl, "-o", options, "start"])
    if result.returncode:
        raise RuntimeError(f"pg_ctl start failed: see {log}\n{result.stderr}")
    _ensure_role(programs)


def _ensure_role(programs):
    """A superuser role named after the current user (Odoo refuses postgres)."""
    if os.geteuid() != 0:  # initdb made the current user the superuser
        return
    role = getpass.getuser()
    psql = [str(programs / "psql"), "-h", "127.0.0.1", "-p", str(PORT)]
    psql += ["-U", SERVER_USER, "-d", "postgres", "-tAc"]
    exists = _run([*psql, f"SELECT 1 FROM pg_roles WHERE rolname = '{role}'"])
    if exists.stdout.strip() != "1":
        created = _run([*psql, f'CREATE ROLE "{role}" LOGIN SUPERUSER'])
        if created.returncode:
            raise RuntimeError(f"creating role {role} failed: {created.stderr}")


def stop():
    programs = server_programs()
    data = data_dir()
    if not programs or not (data / "postmaster.pid").exists():
        print("The private PostgreSQL cluster is not running.")
        return 0
    result = _run([str(programs / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"])
    print(result.stdout.strip() or result.stderr.strip())
    return result.returncode


def _write_private_config(config_path):
    parser = configparser.ConfigParser()
    parser.read(config_path)
    if not parser.has_section("options"):
        parser.add_section("options")
    # Its databases may bear the names of another server's: their files apart.
    parser["options"].update(
        db_host="127.0.0.1", db_port=str(PORT), data_dir=str(base_dir() / "odoo")
    )
    parser["options"].pop("db_user", None)
    parser["options"].pop("db_password", None)
    target = private_config(config_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "w") as out:
        parser.write(out)
    return target


def ensure_server(config_path):
    """The configuration to use: ``config_path`` when its server answers, else
    one pointing at the private cluster (started if needed); None when there is
    no way to get a server here."""
    options = read_config(config_path)
    host = options.get("db_host") or "127.0.0.1"
    host = "127.0.0.1" if host in ("False", "localhost") else host
    port = options.get("db_port") or "5432"
    port = "5432" if port == "False" else port
    if answers(host, port):
        return config_path
    print(f"No PostgreSQL answers at {host}:{port} (set in {config_path}).")
    if not answers("127.0.0.1", PORT):
        programs = server_programs() or (install_server() and server_programs())
        if not programs:
            print(
                "Get a PostgreSQL 14 or newer: your distribution's package "
                "(Debian: apt-get install postgresql), then run this again; or "
                "run the whole suite in containers: docker compose up -d "
                "(README, Docker).",
                file=sys.stderr,
            )
            return None
        try:
            start(programs)
        except RuntimeError as error:
            print(error, file=sys.stderr)
            return None
    print(f"Using the private PostgreSQL cluster on 127.0.0.1:{PORT}")
    return str(_write_private_config(config_path))
