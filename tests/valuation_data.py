"""Shared helpers of the valuation tests: the CDNOW reference data and
synthetic customers drawn from the BG/NBD model."""

import contextlib
import csv
import datetime
import io
import os
import re
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from crm_engine.valuation import Transactions
from crm_engine.valuation.cli import main as cli_main

CDNOW_FILES = ("CDNOW_sample.txt", "cdnow_customers_summary.csv")


def cdnow_dir() -> Path:
    """shared/data/cdnow beside the repository, or under $CRM_SHARED_DATA.

    CRM_SHARED_DATA may name the shared folder, its data folder or the cdnow
    folder itself.
    """
    override = os.environ.get("CRM_SHARED_DATA")
    base = (
        Path(override)
        if override
        else Path(__file__).resolve().parents[1].parent / "shared"
    )
    for candidate in (base / "data" / "cdnow", base / "cdnow", base):
        if all((candidate / name).exists() for name in CDNOW_FILES):
            return candidate
    message = (
        f"CDNOW reference data not found under {base} (set CRM_SHARED_DATA to the "
        "folder holding data/cdnow)"
    )
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message)  # in CI a missing reference is a failure, not a skip
    pytest.skip(message)


def read_csv(name) -> np.ndarray:
    """A CDNOW summary CSV as a structured array with named columns."""
    return np.genfromtxt(cdnow_dir() / name, delimiter=",", names=True)


def cdnow_sample() -> Transactions:
    """The 6,919 transactions of the CDNOW 1/10 sample (id, date, dollars)."""
    raw = np.loadtxt(cdnow_dir() / "CDNOW_sample.txt", dtype=str)
    day = np.array([f"{d[:4]}-{d[4:6]}-{d[6:]}" for d in raw[:, 2]], "datetime64[D]")
    return Transactions(raw[:, 1].astype(np.int64), day, raw[:, 4].astype(float))


def simulate_bgnbd(
    n, seed=1, r=0.25, alpha=4.0, a=0.8, b=2.5, weeks=52, modified=False
):
    """(x, t_x, T) of n BG/NBD customers; t_x rounded to whole days, as real
    data are, so many histories repeat. ``modified``: customers may also leave
    right after their first purchase (MBG/NBD)."""
    rng = np.random.default_rng(seed)
    T = rng.integers(1, weeks + 1, n).astype(float)
    rate = rng.gamma(r, 1.0 / alpha, n)
    drop = rng.beta(a, b, n)
    x, t_x, clock = np.zeros(n), np.zeros(n), np.zeros(n)
    alive = rng.random(n) >= drop if modified else np.ones(n, dtype=bool)
    while alive.any():
        clock[alive] += rng.exponential(1.0 / np.maximum(rate[alive], 1e-12))
        bought = alive & (clock <= T)
        x[bought] += 1
        t_x[bought] = clock[bought]
        alive = bought & (rng.random(n) >= drop)
    return x, np.round(t_x * 7) / 7, T


def write_transactions_csv(path, customers=150, seed=3, with_cost=True):
    """BG/NBD-like buyers with text ids over 2023-2024: each buys at their own
    rate and spends around their own mean until they drop out, so the purchase
    and spend models can be fitted."""
    rng = np.random.default_rng(seed)
    end = datetime.date(2024, 12, 31)
    rows = []
    for index in range(customers):
        day = datetime.date(2023, 1, 1) + datetime.timedelta(int(rng.integers(180)))
        mean_gap, dropout = rng.gamma(2.0, 20.0), rng.beta(1.0, 4.0)
        mean_spend = rng.gamma(3.0, 25.0)
        while day <= end:
            amount = round(float(rng.gamma(4.0, mean_spend / 4.0)), 2)
            rows.append([f"cust-{index:03d}", day.isoformat(), amount, amount * 0.6])
            if rng.random() < dropout:
                break
            day += datetime.timedelta(int(1 + rng.exponential(mean_gap)))
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        header = ["customer", "date", "amount", "cost"]
        width = 4 if with_cost else 3
        writer.writerow(header[:width])
        writer.writerows(row[:width] for row in rows)
    return rows


# Few repeat buyers and no purchase before the holdout period: the baseline,
# its notes and the skipped holdout check.
THIN_CSV = """customer,date,amount
1,2024-01-05,100
1,2024-01-05,50
1,2024-03-01,200
2,2024-02-01,80
2,2024-05-01,120
3,2024-04-01,40
4,2024-06-01,10
5,2024-07-01,999
"""


def sheet_texts(sheet, header_only=False) -> list[str]:
    """The text cells of a worksheet read with openpyxl, row by row."""
    rows = sheet.iter_rows(max_row=1) if header_only else sheet.iter_rows()
    return [cell.value for row in rows for cell in row if isinstance(cell.value, str)]


def chart_texts(path) -> list[str]:
    """Title and axis names of the workbook's chart (openpyxl does not read them)."""
    with zipfile.ZipFile(path) as archive:
        chart = archive.read("xl/charts/chart1.xml").decode()
    return re.findall(r"<a:t>(.*?)</a:t>", chart)


def cli_texts(work_dir: Path) -> dict:
    """Every word the command line writes, for a fitted and a thin data set:
    what it prints, the CSV header, the workbook's sheet names, chart texts
    and text cells (of the Customers sheet only the header: the rest is data).
    Paths are replaced by OUT so runs in different folders compare equal."""
    fitted = work_dir / "fitted.csv"
    write_transactions_csv(fitted)
    thin = work_dir / "thin.csv"
    thin.write_text(THIN_CSV)
    runs = {
        "fitted": [str(fitted), "--as-of", "2024-06-30", "--holdout-weeks", "13"],
        "thin": [str(thin), "--as-of", "2024-06-30"],
    }
    return {name: _cli_run_texts(args, work_dir / name) for name, args in runs.items()}


def _cli_run_texts(args, out: Path) -> dict:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert cli_main([*args, "--out-dir", str(out)]) == 0
    book = openpyxl.load_workbook(out / "valuation.xlsx")
    with open(out / "customers.csv", encoding="utf-8") as handle:
        header = handle.readline()
    return {
        "stdout": printed.getvalue().replace(str(out), "OUT"),
        "csv_header": header,
        "sheets": {
            sheet.title: sheet_texts(sheet, header_only=sheet.title == "Customers")
            for sheet in book.worksheets
        },
        "chart": chart_texts(out / "valuation.xlsx"),
    }
