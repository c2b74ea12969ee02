"""The command line explains bad input: exit code 2, no traceback, the file,
line and column where it applies, and nothing written."""

import pytest

from crm_engine.valuation import cli
from crm_engine.valuation.cli import main

GOOD = "customer,date,amount\na,2024-01-01,3\nb,2024-02-01,5\na,2024-03-01,4\n"


def _run(tmp_path, capsys, data, *options, name="tx.csv"):
    source = tmp_path / name
    source.write_bytes(data if isinstance(data, bytes) else data.encode())
    out = tmp_path / "out"
    code = main([str(source), "--out-dir", str(out), *options])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.err, out


def test_not_utf8_names_line_and_column_and_encoding_option_reads_it(tmp_path, capsys):
    data = "customer,date,amount\na,2024-01-01,3\nCaf\xe9 Bali,2024-02-01,5\n"
    code, err, out = _run(tmp_path, capsys, data.encode("cp1252"))
    assert code == 2
    assert "tx.csv, line 3, column 4: byte 0xe9 is not utf-8-sig text" in err
    assert "--encoding" in err
    assert not out.exists()
    code, err, out = _run(
        tmp_path, capsys, data.encode("cp1252"), "--encoding", "cp1252"
    )
    assert code == 0, err
    assert "Café Bali" in (out / "customers.csv").read_text(encoding="utf-8")


def test_empty_file(tmp_path, capsys):
    code, err, out = _run(tmp_path, capsys, b"")
    assert code == 2
    assert "tx.csv is empty" in err
    assert not out.exists()


def test_semicolons_suggest_the_delimiter_option(tmp_path, capsys):
    data = GOOD.replace(",", ";")
    code, err, _out = _run(tmp_path, capsys, data)
    assert code == 2
    assert "give --delimiter ';'" in err
    code, err, _out = _run(tmp_path, capsys, data, "--delimiter", ";")
    assert code == 0, err


def test_future_dates_are_named_and_never_move_the_valuation_date(tmp_path, capsys):
    data = GOOD + "b,2204-02-01,5\n"
    code, err, out = _run(tmp_path, capsys, data)
    assert code == 2
    assert "1 row(s) dated after today" in err
    assert "line 5 (2204-02-01)" in err
    assert not out.exists()


def test_a_bad_field_names_its_column(tmp_path, capsys):
    code, err, _out = _run(tmp_path, capsys, GOOD + "c,2024-03-01,x\n")
    assert code == 2
    assert "tx.csv, line 5, column 3 (amount): amount 'x' is not a number" in err


@pytest.mark.parametrize(
    "options",
    [
        ["--discount-rate", "nan"],
        ["--discount-rate", "inf"],
        ["--holdout-weeks=-inf"],
        ["--holdout-weeks", "NaN"],
    ],
)
def test_nan_or_infinite_options(tmp_path, capsys, options):
    code, err, out = _run(tmp_path, capsys, GOOD, *options)
    assert code == 2
    assert "not a finite number" in err
    assert not out.exists()


def test_out_dir_that_is_a_file(tmp_path, capsys):
    (tmp_path / "out").write_text("not a folder")
    code, err, _out = _run(tmp_path, capsys, GOOD)
    assert code == 2
    assert "is a file, not a folder" in err


def test_interrupted_leaves_no_partial_files(tmp_path, capsys, monkeypatch):
    def interrupt(path, content):
        path.write_bytes(b"half a workbook")
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "write_workbook", interrupt)
    code, err, out = _run(tmp_path, capsys, GOOD)
    assert code == 130
    assert "interrupted" in err
    assert list(out.iterdir()) == []
