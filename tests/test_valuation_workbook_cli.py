"""Workbook layout (read back with openpyxl) and the command line."""

import csv
import datetime
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from valuation_data import write_transactions_csv

from crm_engine.valuation import (
    Transactions,
    ValuationSettings,
    value_customers,
    workbook,
    workbook_content,
    write_workbook,
)
from crm_engine.valuation.cli import main, read_transactions
from crm_engine.valuation.pipeline import PROFIT_COLUMNS, TABLE_COLUMNS
from crm_engine.valuation.workbook import SHEETS, Currency

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def valuation(tmp_path_factory):
    source = tmp_path_factory.mktemp("book") / "tx.csv"
    write_transactions_csv(source)
    settings = ValuationSettings(holdout_weeks=13)
    return value_customers(read_transactions(source), "2024-06-30", settings)


def _text_of(sheet):
    return " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)


def test_workbook_sheets_formats_filter_freeze_and_chart(tmp_path, valuation):
    path = write_workbook(tmp_path / "v.xlsx", workbook_content(valuation))
    book = openpyxl.load_workbook(path)
    assert tuple(book.sheetnames) == SHEETS
    customers = book["Customers"]
    assert customers.freeze_panes == "A2"
    last_column = customers.cell(1, len(TABLE_COLUMNS)).column_letter
    assert customers.auto_filter.ref == f"A1:{last_column}{customers.max_row}"
    assert customers.max_row == len(valuation.table["customer"]) + 1
    header = [cell.value for cell in customers[1]]
    assert header[0] == "Customer" and "CLV" in header and "Margin" in header
    assert customers["B2"].number_format == "yyyy-mm-dd"
    assert isinstance(customers["B2"].value, datetime.datetime)
    clv = customers.cell(2, header.index("CLV") + 1)
    assert clv.number_format == "#,##0.00"
    assert clv.value == pytest.approx(valuation.table["clv"][0])
    charts = book["Pareto"]._charts
    assert len(charts) == 1 and charts[0].tagname == "scatterChart"
    pareto = book["Pareto"]
    assert [c.value for c in pareto[1]] == [
        "Share of customers",
        "Share of revenue",
        "Share of margin",
    ]
    assert pareto.max_row == 102 and pareto["B102"].value == pytest.approx(1.0)
    summary = _text_of(book["Summary"])
    assert valuation.model in ("MBG/NBD + Gamma-Gamma", "Pareto/NBD + Gamma-Gamma")
    for expected in (
        valuation.model,
        "Methodology",
        "Holdout grade",
        "Parameter alpha",
    ):
        assert expected in summary
    assert "Top 20% of customers bring" in summary
    segments = book["Segments"]
    assert sum(segments.cell(r, 2).value for r in range(2, 13)) == len(
        valuation.table["customer"]
    )
    abc = book["ABC"]
    assert [abc.cell(r, 1).value for r in (2, 3, 4)] == ["A", "B", "C"]


def _run(tmp_path, *options, rows=None, with_cost=True):
    source = tmp_path / "tx.csv"
    rows = write_transactions_csv(source, with_cost=with_cost) if rows is None else rows
    out = tmp_path / "out"
    return main([str(source), "--out-dir", str(out), *options]), out, rows


def test_cli_end_to_end(tmp_path, capsys):
    code, out, rows = _run(
        tmp_path,
        "--as-of",
        "2024-06-30",
        "--horizon-months",
        "6",
        "--holdout-weeks",
        "13",
        "--abc-cutoffs",
        "0.7,0.9",
        "--model",
        "paretonbd",
    )
    assert code == 0
    with open(out / "customers.csv", newline="") as handle:
        table = list(csv.DictReader(handle))
    assert list(table[0]) == list(TABLE_COLUMNS)
    assert {row["customer"] for row in table} == {
        c for c, day, *_ in rows if day <= "2024-06-30"
    }
    for row in table:
        assert row["segment"] and row["abc_class"] in "ABC"
        assert 0 <= float(row["p_alive"]) <= 1 and float(row["clv"]) >= 0
    book = openpyxl.load_workbook(out / "valuation.xlsx")
    assert tuple(book.sheetnames) == SHEETS
    assert "Pareto/NBD + Gamma-Gamma" in _text_of(book["Summary"])
    assert "customers valued as of 2024-06-30" in capsys.readouterr().out


def test_cli_without_cost_leaves_out_margin(tmp_path):
    code, out, _ = _run(tmp_path, "--calibration-end", "2024-01-31", with_cost=False)
    assert code == 0
    with open(out / "customers.csv", newline="") as handle:
        header = next(csv.reader(handle))
    assert not set(PROFIT_COLUMNS) & set(header)
    summary = _text_of(openpyxl.load_workbook(out / "valuation.xlsx")["Summary"])
    assert "2024-01-31" in summary


@pytest.mark.parametrize(
    ("content", "options", "message"),
    [
        ("customer,day,amount\na,2024-01-01,3\n", [], "missing column(s): date"),
        ("customer,date,amount\na,2024-13-01,3\n", [], "line 2, column 2 (date): bad"),
        ("customer,date,amount\na,2024-01-01,abc\n", [], "not a number"),
        ("customer,date,amount\na,2024-01-01,-3\n", [], "must be a number >= 0"),
        ("customer,date,amount,cost\na,2024-01-01,3,-1\n", [], "cost '-1'"),
        ("customer,date,amount\n,2024-01-01,3\n", [], "empty customer"),
        ("customer,date,amount\n", [], "no transactions"),
        (
            "customer,date,amount\na,2024-01-01,3\n",
            ["--as-of", "2023-01-01"],
            "no purchases",
        ),
        (
            "customer,date,amount\na,2024-01-01,3\n",
            ["--discount-rate", "-1"],
            "negative",
        ),
        ("customer,date,amount\na,2024-01-01,3\n", ["--model", "x"], "invalid choice"),
        ("customer,date,amount\na,2024-01-01,3\n", ["--as-of", "1.1.24"], "bad date"),
    ],
)
def test_cli_bad_input_exits_2_and_writes_nothing(
    tmp_path, capsys, content, options, message
):
    source = tmp_path / "tx.csv"
    source.write_text(content)
    out = tmp_path / "out"
    assert main([str(source), "--out-dir", str(out), *options]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_cli_missing_file_exits_2(tmp_path, capsys):
    assert main([str(tmp_path / "nope.csv"), "--out-dir", str(tmp_path / "o")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_module_entry_point(tmp_path):
    source = tmp_path / "tx.csv"
    write_transactions_csv(source, customers=25, with_cost=False)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "crm_engine.valuation",
            str(source),
            "--out-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "customers.csv").exists()
    assert (tmp_path / "valuation.xlsx").exists()
    assert not list(tmp_path.glob("*.part"))


# Data stay data, nothing dropped, and what a manager hands on ----------------

TRICKY_NAMES = (
    '=HYPERLINK("http://x","y")',
    "+1+1",
    "-2+3",
    "@SUM(1)",
    "http://x",
    "mailto:a@b.c",
    "0042",
)


def test_cli_writes_formula_and_link_lookalikes_as_text(tmp_path):
    rows = []
    for index, name in enumerate(TRICKY_NAMES):
        for month in (1, 3, 5):
            rows.append([name, f"2024-0{month}-1{index}", 10.0 + index])
    source = tmp_path / "tx.csv"
    with open(source, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["customer", "date", "amount"])
        writer.writerows(rows)
    assert main([str(source), "--out-dir", str(tmp_path / "out")]) == 0
    book = openpyxl.load_workbook(tmp_path / "out" / "valuation.xlsx")
    customers = book["Customers"]
    cells = [row[0] for row in customers.iter_rows(min_row=2)]
    assert {cell.value for cell in cells} == set(TRICKY_NAMES)
    assert {cell.data_type for cell in cells} == {"s"}
    assert not customers._hyperlinks
    formulas = [
        cell.coordinate
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    assert formulas == []


def test_customers_beyond_one_sheet_continue_on_the_next(
    tmp_path, valuation, monkeypatch
):
    monkeypatch.setattr(workbook, "MAX_ROWS", 41)  # 40 customers per sheet
    path = write_workbook(tmp_path / "v.xlsx", workbook_content(valuation))
    book = openpyxl.load_workbook(path)
    count = len(valuation.table["customer"])
    parts = ["Customers", "Customers (2)", "Customers (3)", "Customers (4)"]
    assert count > 120 and book.sheetnames[1:5] == parts
    names = []
    for part in parts:
        sheet = book[part]
        assert sheet["A1"].value == "Customer" and sheet.freeze_panes == "A2"
        assert sheet.max_row <= 41
        names += [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert names == [str(name) for name in valuation.table["customer"]]
    assert workbook.WORKBOOK_OPTIONS["constant_memory"] is True


def test_workbook_shows_currency_ids_percentages_and_the_grade_word(
    tmp_path, valuation
):
    names = np.array([f"Name {i % 7}" for i in range(len(valuation.table["customer"]))])
    content = workbook_content(
        valuation,
        currency=Currency("Rp", decimals=0, before=True),
        customer_names=names,
    )
    book = openpyxl.load_workbook(write_workbook(tmp_path / "v.xlsx", content))
    customers = book["Customers"]
    header = [cell.value for cell in customers[1]]
    assert header[:2] == ["Customer ID", "Customer"]
    assert customers["A2"].value == str(valuation.table["customer"][0])
    assert customers["B2"].value == "Name 0"

    def cell(name):
        return customers.cell(2, header.index(name) + 1)

    for money in ("Revenue", "Margin", "CLV", "Expected future margin"):
        assert cell(money).number_format == '"Rp" #,##0;-"Rp" #,##0'
    for share in ("P(alive)", "Margin %", "Revenue rank %"):
        assert cell(share).number_format == "0.0%"
    assert cell("Margin %").value == pytest.approx(
        valuation.table["margin_percent"][0] / 100
    )
    assert cell("P(alive)").value == pytest.approx(valuation.table["p_alive"][0])
    summary = {
        row[0].value: row[1].value
        for row in book["Summary"].iter_rows()
        if row[0].value
    }
    assert summary["Holdout grade"] == valuation.holdout.grade.capitalize()
    assert book["Segments"]["D1"].value == "Revenue"
    assert book["Segments"]["D2"].number_format == '"Rp" #,##0;-"Rp" #,##0'


def test_pareto_axis_holds_a_margin_curve_above_100_percent(tmp_path):
    """Loss-makers make the margin curve rise above 100 % (the whale curve):
    the axis goes that high and a sentence says what it means."""
    customers = np.array(["a", "b", "c", "d"])
    transactions = Transactions(
        customer=np.repeat(customers, 2),
        date=np.array(["2024-01-05", "2024-03-05"] * 4, dtype="datetime64[D]"),
        amount=np.full(8, 100.0),
        cost=np.array([10.0, 10.0, 20.0, 20.0, 150.0, 150.0, 190.0, 190.0]),
    )
    valuation = value_customers(
        transactions, "2024-06-30", ValuationSettings(holdout_weeks=0)
    )
    content = workbook_content(valuation)
    assert content.pareto_note == (
        "The margin curve rises to 567%: the most profitable customers earn more "
        "than the whole margin, and the loss-making customers at the end give back "
        "the difference."
    )
    assert workbook.axis_top(content.pareto.values[1:]) == pytest.approx(5.7)
    path = write_workbook(tmp_path / "v.xlsx", content)
    book = openpyxl.load_workbook(path)
    assert book["Pareto"]["E1"].value == content.pareto_note
    chart = zipfile.ZipFile(path).read("xl/charts/chart1.xml").decode()
    assert '<c:max val="5.7"/>' in chart
    loss_makers = valuation.table["margin"] < 0
    assert np.all(valuation.table["clv"][loss_makers] == 0)
    assert np.all(valuation.table["future_margin"][loss_makers] < 0)
    assert np.all(valuation.table["future_margin"][~loss_makers] > 0)
