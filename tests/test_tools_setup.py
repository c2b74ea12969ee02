"""What the README commands do before Odoo runs: find what is missing, say how
they would install it, show progress, read Odoo's logs. No Odoo needed."""

import io
import tarfile

import pytest

from tools import install, pg_cluster
from tools.odoo_runtime import DEFAULT_CONFIG, log_problems, read_config
from tools.progress import phase


def test_requirement_lines_skip_comments_and_options(tmp_path):
    path = tmp_path / "requirements.txt"
    path.write_text(
        "# a comment\n-r other.txt\n\npytest>=7  # the runner\n"
        "--prefer-binary\nnumpy>=1.24\n"
    )
    assert install.requirement_lines(path) == ["pytest>=7", "numpy>=1.24"]


def test_unmet_names_missing_and_too_old_packages_only():
    lines = ["pytest>=1", "pytest>=999", "surely-not-installed-h7-package"]
    assert install.unmet(lines) == lines[1:]
    assert install.unmet(['pytest>=999; python_version < "3"']) == []


def test_odoo_from_a_local_archive_with_given_requirements(tmp_path, monkeypatch):
    archive = tmp_path / "odoo-18.0.tar.xz"
    archive.write_bytes(b"")
    requirements = tmp_path / "odoo-requirements.txt"
    requirements.write_text("babel\n")
    monkeypatch.setenv("ODOO_SOURCE", str(archive))
    monkeypatch.setenv("ODOO_REQUIREMENTS", str(requirements))
    commands = [step.shown() for step in install.odoo_steps()]
    assert not any("download" in command for command in commands)
    assert any(f"-r {requirements}" in command for command in commands)
    # Odoo itself last, without pulling its dependencies a second time.
    assert commands[-1].endswith(f"--no-build-isolation --no-deps {archive}")


def test_odoo_from_a_url_is_downloaded_into_the_cache(tmp_path, monkeypatch):
    monkeypatch.setattr(install, "CACHE", tmp_path)
    monkeypatch.setenv("ODOO_SOURCE", "https://example.com/src/odoo_18.0.tar.gz")
    monkeypatch.delenv("ODOO_REQUIREMENTS", raising=False)
    steps = install.odoo_steps()
    assert steps[0].what == (
        f"download https://example.com/src/odoo_18.0.tar.gz to "
        f"{tmp_path / 'odoo_18.0.tar.gz'}"
    )
    # Without ODOO_REQUIREMENTS, the archive's own requirements.txt.
    assert any("read Odoo's requirements.txt" in step.what for step in steps)


def test_a_missing_local_archive_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("ODOO_SOURCE", str(tmp_path / "nothing.tar.gz"))
    with pytest.raises(RuntimeError, match="ODOO_SOURCE: no such file"):
        install.odoo_steps()


def test_requirements_read_from_inside_the_archive(tmp_path, monkeypatch):
    monkeypatch.setattr(install, "CACHE", tmp_path / "cache")
    source = tmp_path / "requirements.txt"
    source.write_text("Babel==2.10.3\n")
    archive = tmp_path / "odoo-18.0.tar.xz"
    with tarfile.open(archive, "w:xz") as tar:
        tar.add(source, arcname="odoo-18.0/requirements.txt")
        tar.add(source, arcname="odoo-18.0/doc/requirements.txt")
    extracted = install.archive_requirements(archive)
    assert extracted.read_text() == "Babel==2.10.3\n"


def test_ensure_without_install_prints_the_commands(capsys, monkeypatch):
    monkeypatch.setattr(
        install,
        "plan",
        lambda with_tests: [install.Step("crm_engine", ["pip", "install", "-e", "."])],
    )
    assert install.ensure(allowed=False) is False
    out = capsys.readouterr().out
    assert "  - crm_engine" in out
    assert "pip install -e ." in out


def test_progress_off_a_terminal_is_one_line_per_phase():
    stream = io.StringIO()
    with phase("demo data: sales", 5, "orders", stream=stream) as progress:
        progress.advance(2)
        progress.reach(5)
    assert stream.getvalue().startswith("demo data: sales: 5/5 orders, ")
    assert stream.getvalue().count("\n") == 1


def test_a_restarted_count_follows_the_new_total():
    stream = io.StringIO()
    with phase("modules", stream=stream) as progress:
        progress.total = 1
        progress.reach(1)
        progress.total = 40
        progress.reach(12)
    assert stream.getvalue().startswith("modules: 12/40, ")


def test_log_problems_catch_missing_attachment_files(tmp_path):
    log = tmp_path / "odoo.log"
    log.write_text(
        "2026-12-03 19:00:00,000 42 INFO h7 odoo.addons.base.models.ir_attachment: "
        "_read_file reading /root/.local/share/Odoo/filestore/h7/ab/abcd\n"
        "Traceback (most recent call last):\n"
        "FileNotFoundError: [Errno 2] No such file or directory: "
        "'/root/.local/share/Odoo/filestore/h7/ab/abcd'\n"
        "2026-12-03 19:00:01,000 42 INFO h7 odoo.modules.loading: "
        "Loading module crm (3/9)\n"
        "2026-12-03 19:00:02,000 42 WARNING h7 odoo.models: something odd\n"
    )
    problems = log_problems(log)
    assert len(problems) == 2
    assert problems[0].startswith("FileNotFoundError")
    assert "WARNING" in problems[1]


def test_a_server_that_answers_is_used_as_configured():
    # The suite's own configuration: PostgreSQL runs at 127.0.0.1:5432 here.
    config = str(DEFAULT_CONFIG)
    if not pg_cluster.answers("127.0.0.1", 5432):
        pytest.skip("no PostgreSQL at 127.0.0.1:5432")
    assert pg_cluster.ensure_server(config) == config


def test_the_private_cluster_configuration_keeps_the_rest(tmp_path, monkeypatch):
    monkeypatch.setattr(pg_cluster, "base_dir", lambda: tmp_path)
    config = tmp_path / "site.conf"
    config.write_text(
        "[options]\ndb_host = db.example\ndb_port = 6543\ndb_user = odoo\n"
        "limit_time_cpu = 600\n"
    )
    private = pg_cluster._write_private_config(config)
    options = read_config(private)
    assert options["db_port"] == str(pg_cluster.PORT)
    assert options["db_host"] == "127.0.0.1"
    assert "db_user" not in options
    assert options["limit_time_cpu"] == "600"
    # Its databases' files apart from another server's of the same names.
    assert options["data_dir"] == str(tmp_path / "odoo")
