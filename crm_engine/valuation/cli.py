"""Command line: value the customers of a CSV export without Odoo.

    crm-valuation transactions.csv --out-dir DIR [options]
    python3 -m crm_engine.valuation transactions.csv --out-dir DIR [options]

The CSV has a header with the columns customer, date (YYYY-MM-DD), amount and
optionally cost; customer ids may be any text. Writes DIR/customers.csv and
DIR/valuation.xlsx. Bad input is reported on stderr with exit code 2 before
anything is written, so a failed run never leaves half a result behind.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import math
import os
import sys
from pathlib import Path

import numpy as np

from .export import customer_columns, workbook_content
from .forecast import AUTO, PURCHASE_MODELS
from .pareto_abc import DEFAULT_ABC_CUTOFFS
from .pipeline import Transactions, ValuationSettings, value_customers
from .summary import DAYS_PER_UNIT
from .texts import join_notes
from .workbook import write_workbook

REQUIRED = ("customer", "date", "amount")
CSV_NAME = "customers.csv"
XLSX_NAME = "valuation.xlsx"


class InputError(ValueError):
    """A problem with the user's input, reported without a traceback."""


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"bad date {text!r} (use YYYY-MM-DD)") from None


def _amount(text: str, column: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"{column} {text!r} is not a number") from None
    if not math.isfinite(value) or value < 0:
        raise InputError(f"{column} {text!r} must be a number >= 0")
    return value


def read_transactions(path: Path) -> Transactions:
    """Parse and check the CSV; every problem names its line."""
    try:
        handle = open(path, newline="", encoding="utf-8-sig")
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror}") from None
    with handle:
        reader = csv.reader(handle)
        header = [name.strip().lower() for name in next(reader, [])]
        missing = [name for name in REQUIRED if name not in header]
        if missing:
            raise InputError(f"{path}: missing column(s): {', '.join(missing)}")
        index = {
            name: header.index(name) for name in (*REQUIRED, "cost") if name in header
        }
        rows = {name: [] for name in index}
        for line, fields in enumerate(reader, start=2):
            if not any(field.strip() for field in fields):
                continue
            try:
                if len(fields) < len(header):
                    raise InputError(f"expected {len(header)} fields")
                customer = fields[index["customer"]].strip()
                if not customer:
                    raise InputError("empty customer")
                rows["customer"].append(customer)
                rows["date"].append(_date(fields[index["date"]]))
                for name in ("amount", "cost"):
                    if name in index:
                        rows[name].append(_amount(fields[index[name]], name))
            except InputError as error:
                raise InputError(f"{path}, line {line}: {error}") from None
    if not rows["customer"]:
        raise InputError(f"{path}: no transactions")
    return Transactions(
        customer=np.array(rows["customer"]),
        date=np.array(rows["date"], dtype="datetime64[D]"),
        amount=np.array(rows["amount"]),
        cost=np.array(rows["cost"]) if "cost" in rows else None,
    )


def _cutoffs(text: str):
    try:
        low, high = (float(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError("expected two numbers like 0.8,0.95") from None
    if not 0 < low < high <= 1:
        raise argparse.ArgumentTypeError("cut-offs must satisfy 0 < A < B <= 1")
    return (low, high)


def _iso_date(text: str) -> datetime.date:
    try:
        return _date(text)
    except InputError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def build_parser() -> argparse.ArgumentParser:
    defaults = ValuationSettings()
    parser = argparse.ArgumentParser(
        prog="crm-valuation",
        description="RFM, profitability, P(alive), CLV and ABC class per customer.",
    )
    parser.add_argument(
        "transactions", type=Path, help="CSV: customer,date,amount[,cost]"
    )
    parser.add_argument(
        "--out-dir",
        type=Path,
        required=True,
        help=f"where to write {CSV_NAME} and {XLSX_NAME}",
    )
    parser.add_argument(
        "--as-of",
        type=_iso_date,
        help="valuation date (default: the last date in the file)",
    )
    holdout = parser.add_mutually_exclusive_group()
    holdout.add_argument(
        "--holdout-weeks",
        type=float,
        default=defaults.holdout_weeks,
        help="weeks before --as-of kept back to check the model "
        "(0: no check; default %(default)s)",
    )
    holdout.add_argument(
        "--calibration-end",
        type=_iso_date,
        help="check the model on the purchases after this date",
    )
    parser.add_argument("--horizon-months", type=int, default=defaults.horizon_months)
    parser.add_argument(
        "--discount-rate",
        type=float,
        default=defaults.discount_rate,
        help="yearly, e.g. 0.1 for 10%% (default %(default)s)",
    )
    parser.add_argument(
        "--abc-cutoffs",
        type=_cutoffs,
        default=DEFAULT_ABC_CUTOFFS,
        help="cumulative revenue shares ending A and B (default 0.8,0.95)",
    )
    parser.add_argument(
        "--model",
        choices=(AUTO, *PURCHASE_MODELS),
        default=defaults.model,
        help="purchase model; auto (default): MBG/NBD or Pareto/NBD, whichever "
        "forecast the holdout period better",
    )
    parser.add_argument(
        "--unit",
        choices=tuple(DAYS_PER_UNIT),
        default=defaults.unit,
        help="time unit of the purchase models",
    )
    return parser


def _text(value) -> str:
    """Four decimals are plenty for money and probabilities; nan is blank."""
    if not isinstance(value, float):
        return str(value)
    if not math.isfinite(value):
        return ""
    return f"{value:.6g}" if abs(value) < 0.01 else f"{value:.4f}"


def write_customers_csv(path: Path, valuation) -> None:
    keys = customer_columns(valuation)
    columns = [np.asarray(valuation.table[key]).tolist() for key in keys]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(keys)
        for row in zip(*columns, strict=True):
            writer.writerow([_text(value) for value in row])


def _value(args):
    transactions = read_transactions(args.transactions)
    try:
        settings = ValuationSettings(
            model=args.model,
            unit=args.unit,
            horizon_months=args.horizon_months,
            discount_rate=args.discount_rate,
            holdout_weeks=args.holdout_weeks,
            abc_cutoffs=args.abc_cutoffs,
        )
        if args.calibration_end and args.as_of and args.calibration_end >= args.as_of:
            raise ValueError("--calibration-end must be before --as-of")
        return value_customers(
            transactions, args.as_of, settings, calibration_end=args.calibration_end
        )
    except ValueError as error:
        raise InputError(str(error)) from None


def main(argv=None) -> int:
    """Entry point; returns the exit code (0 done, 2 bad input)."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as stop:
        return int(stop.code or 0)
    try:
        valuation = _value(args)
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    args.out_dir.mkdir(parents=True, exist_ok=True)
    targets = (args.out_dir / CSV_NAME, args.out_dir / XLSX_NAME)
    partial = [path.with_name(path.name + ".part") for path in targets]
    write_customers_csv(partial[0], valuation)
    write_workbook(partial[1], workbook_content(valuation))
    for source, target in zip(partial, targets, strict=True):
        os.replace(source, target)
    print(
        f"{len(valuation.table['customer']):,} customers valued as of "
        f"{valuation.as_of} with {valuation.model}; wrote {targets[0]} and {targets[1]}"
    )
    if valuation.note:
        print(join_notes(valuation.note))
    return 0
