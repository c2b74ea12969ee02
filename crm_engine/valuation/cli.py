"""Command line: value the customers of a CSV export without Odoo.

    crm-valuation transactions.csv --out-dir DIR [options]
    python3 -m crm_engine.valuation transactions.csv --out-dir DIR [options]

The CSV has a header with the columns customer, date (YYYY-MM-DD), amount and
optionally cost; customer ids may be any text (``--encoding`` and
``--delimiter`` read other exports). Writes DIR/customers.csv and
DIR/valuation.xlsx. Bad input is reported on stderr, with the file, line and
column, and exit code 2 before anything is written; an interrupted or failed
write removes what it started, so a run never leaves half a result behind.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import io
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


def _decode(path: Path, encoding: str) -> str:
    """The file's text; an undecodable byte is named by line and column."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror}") from None
    if not data.strip():
        raise InputError(f"{path} is empty")
    try:
        return data.decode(encoding)
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}") from None
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise InputError(
            f"{path}, line {line}, column {column}: byte "
            f"0x{data[error.start]:02x} is not {encoding} text; give the file's "
            "encoding, e.g. --encoding cp1252"
        ) from None


def _header(path: Path, header: list[str], delimiter: str) -> dict[str, int]:
    missing = [name for name in REQUIRED if name not in header]
    if not missing:
        return {
            name: header.index(name) for name in (*REQUIRED, "cost") if name in header
        }
    message = f"{path}, line 1: missing column(s): {', '.join(missing)}"
    for other in (";", "\t", "|"):
        if other != delimiter and len(header) == 1 and other in header[0]:
            shown = "\\t" if other == "\t" else other
            message += f"; the columns look separated by {shown!r}: give --delimiter"
            message += f" '{shown}'"
            break
    raise InputError(message)


def read_transactions(
    path: Path,
    encoding: str = "utf-8-sig",
    delimiter: str = ",",
    today: datetime.date | None = None,
) -> Transactions:
    """Parse and check the CSV; every problem names its line (and column).

    Dates after ``today`` can only be typing mistakes: they are refused and
    named, never allowed to move the default valuation date.
    """
    today = today or datetime.date.today()
    reader = csv.reader(io.StringIO(_decode(path, encoding)), delimiter=delimiter)
    header = [name.strip().lower() for name in next(reader, [])]
    index = _header(path, header, delimiter)
    rows = {name: [] for name in index}
    future = []
    for line, fields in enumerate(reader, start=2):
        if not any(field.strip() for field in fields):
            continue
        column = None
        try:
            if len(fields) < len(header):
                raise InputError(f"expected {len(header)} fields, found {len(fields)}")
            column = "customer"
            customer = fields[index["customer"]].strip()
            if not customer:
                raise InputError("empty customer")
            column = "date"
            day = _date(fields[index["date"]])
            for name in ("amount", "cost"):
                if name in index:
                    column = name
                    rows[name].append(_amount(fields[index[name]], name))
        except InputError as error:
            where = f"line {line}"
            if column:
                where += f", column {index[column] + 1} ({column})"
            raise InputError(f"{path}, {where}: {error}") from None
        rows["customer"].append(customer)
        rows["date"].append(day)
        if day > today:
            future.append(f"line {line} ({day.isoformat()})")
    if not rows["customer"]:
        raise InputError(f"{path}: no transactions")
    if future:
        shown = ", ".join(future[:5]) + (", ..." if len(future) > 5 else "")
        raise InputError(
            f"{path}: {len(future)} row(s) dated after today ({today.isoformat()}), "
            f"mistyped dates?: {shown}"
        )
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


def _finite(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


def _delimiter(text: str) -> str:
    text = "\t" if text in ("\\t", "tab") else text
    if len(text) != 1:
        raise argparse.ArgumentTypeError("one character, e.g. ';' or tab")
    return text


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
        "--encoding",
        default="utf-8-sig",
        help="the file's text encoding (default UTF-8), e.g. cp1252 or latin-1",
    )
    parser.add_argument(
        "--delimiter",
        type=_delimiter,
        default=",",
        help="the column separator (default ','), e.g. ';' or tab",
    )
    parser.add_argument(
        "--as-of",
        type=_iso_date,
        help="valuation date (default: the last date in the file)",
    )
    holdout = parser.add_mutually_exclusive_group()
    holdout.add_argument(
        "--holdout-weeks",
        type=_finite,
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
        type=_finite,
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
    if args.out_dir.exists() and not args.out_dir.is_dir():
        raise InputError(f"--out-dir {args.out_dir} is a file, not a folder")
    transactions = read_transactions(args.transactions, args.encoding, args.delimiter)
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
    targets = (args.out_dir / CSV_NAME, args.out_dir / XLSX_NAME)
    partial = [path.with_name(path.name + ".part") for path in targets]
    try:
        args.out_dir.mkdir(parents=True, exist_ok=True)
        write_customers_csv(partial[0], valuation)
        write_workbook(partial[1], workbook_content(valuation))
        for source, target in zip(partial, targets, strict=True):
            os.replace(source, target)
    except KeyboardInterrupt:
        _remove(partial)
        print("interrupted: nothing written", file=sys.stderr)
        return 130
    except OSError as error:
        _remove(partial)
        print(f"error: cannot write to {args.out_dir}: {error}", file=sys.stderr)
        return 2
    print(
        f"{len(valuation.table['customer']):,} customers valued as of "
        f"{valuation.as_of} with {valuation.model}; wrote {targets[0]} and {targets[1]}"
    )
    if valuation.note:
        print(join_notes(valuation.note))
    return 0


def _remove(paths):
    for path in paths:
        path.unlink(missing_ok=True)
