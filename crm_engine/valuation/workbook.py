"""The valuation workbook layout, written with xlsxwriter from plain data.

Nothing here knows about the models: the sheets are filled from a
``WorkbookContent`` of labels, lists and arrays, so the Odoo report (which
streams into an xlsxwriter workbook it owns) and the command line share one
layout. ``export.workbook_content`` builds the content from a valuation.
The layout's own words (sheet names, chart titles) come translated in the
content's ``labels`` too, so this module never needs to know the language.

Data stay data: every text is written as a string cell, never as a formula
or a link, whatever it starts with (a customer named ``=HYPERLINK(...)`` or
``+1+1`` shows that name), and the workbook is created with xlsxwriter's
conversions off (``WORKBOOK_OPTIONS``). Rows are written in order, so the
workbook streams in ``constant_memory`` mode; customers beyond what one sheet
holds continue on further sheets ("Customers (2)", ...), never dropped.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np
import xlsxwriter

from .texts import N_, Translator, english

# Rows of one worksheet in Excel (header row included).
MAX_ROWS = 1_048_576
# How any workbook of the valuation is opened: rows streamed to disk, and no
# text ever turned into a formula, a link or a number.
WORKBOOK_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
NUMBER_FORMATS = {
    "text": None,
    "integer": "0",
    "number": "#,##0.00",
    "money": "#,##0.00",
    "percent": "0.0%",
    "probability": "0.000",
    "decimal": "#,##0.0000",
    "date": "yyyy-mm-dd",
    "flag": None,  # True or False, shown by the spreadsheet in its language
}
SUMMARY_WIDTH = 80  # column B of the summary, in widths of a digit
SUMMARY_LINE = 80  # characters of text taken to fit on one of its lines
SHEETS = (N_("Summary"), N_("Customers"), N_("Segments"), N_("Pareto"), N_("ABC"))
# Excel's rules for sheet names: at most 31 characters, none of []:*?/\, no
# apostrophe at either end, unique regardless of case.
SHEET_NAME_LENGTH = 31
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Column:
    """A column's header, kind (a key of NUMBER_FORMATS) and width."""

    header: str
    kind: str = "text"
    width: float = 14.0


@dataclass(frozen=True)
class Table:
    """Column-wise data: ``values[i]`` holds the cells of ``columns[i]``."""

    columns: Sequence[Column]
    values: Sequence[Sequence]


@dataclass(frozen=True)
class Currency:
    """How amounts are shown: the currency's symbol, its decimals and on which
    side of the number the symbol goes (as the currency is set up)."""

    symbol: str
    decimals: int = 2
    before: bool = True

    def number_format(self) -> str:
        digits = "#,##0" + ("." + "0" * self.decimals if self.decimals > 0 else "")
        symbol = '"' + self.symbol.replace('"', "") + '"'
        if self.before:
            return f"{symbol} {digits};-{symbol} {digits}"
        return f"{digits} {symbol};-{digits} {symbol}"


@dataclass(frozen=True)
class Labels:
    """The layout's own words, in the reader's language: see ``workbook_labels``."""

    sheets: Sequence[str]  # in the order of SHEETS
    methodology: str
    chart_title: str
    chart_x_axis: str
    chart_y_axis: str


def sheet_names(names: Sequence[str]) -> tuple[str, ...]:
    """``names`` made valid for Excel, whatever a translation made of them.

    A name that comes out empty or taken gets its position as suffix.
    """
    valid, taken = [], set()
    for position, name in enumerate(names, start=1):
        name = SHEET_NAME_FORBIDDEN.sub(" ", name)[:SHEET_NAME_LENGTH].strip(" '")
        if not name or name.casefold() in taken:
            suffix = f"({position})"
            stem = name[: SHEET_NAME_LENGTH - len(suffix) - 1].strip(" '")
            name = f"{stem} {suffix}" if stem else suffix
        valid.append(name)
        taken.add(name.casefold())
    return tuple(valid)


def workbook_labels(tr: Translator = english) -> Labels:
    """The layout's words through ``tr``; sheet names valid whatever it gives."""
    return Labels(
        sheets=sheet_names([tr(name) for name in SHEETS]),
        methodology=tr("Methodology"),
        chart_title=tr("Pareto curve: share of the top customers"),
        chart_x_axis=tr("Share of customers, best first"),
        chart_y_axis=tr("Cumulative share"),
    )


@dataclass(frozen=True)
class WorkbookContent:
    title: str
    # (label, value) or (label, value, kind) rows; kind: a key of NUMBER_FORMATS
    summary: Sequence[tuple]
    methodology: Sequence[str]  # plain-words paragraphs
    customers: Table
    segments: Table
    pareto: Table  # first column: share of customers; others: curves to chart
    abc: Table
    labels: Labels
    currency: Currency | None = None  # None: amounts as plain numbers
    pareto_note: str | None = None  # a sentence beside the chart, if any


def _cell(value):
    """Plain Python values xlsxwriter accepts; nan and inf become blanks."""
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            return None
        return value.astype("datetime64[D]").astype(datetime.date)
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def continued_names(name: str, count: int) -> list[str]:
    """``name``, then "name (2)", "name (3)", ... within Excel's 31 characters."""
    names = [name]
    for number in range(2, count + 1):
        suffix = f" ({number})"
        names.append(name[: SHEET_NAME_LENGTH - len(suffix)].rstrip(" '") + suffix)
    return names


class _Writer:
    def __init__(self, workbook, content: WorkbookContent):
        self.workbook = workbook
        self.labels = content.labels
        self.header = workbook.add_format(
            {
                "bold": True,
                "bg_color": "#DDEBF7",
                "border": 1,
                "text_wrap": True,
                "valign": "top",
            }
        )
        self.bold = workbook.add_format({"bold": True, "valign": "top"})
        self.title = workbook.add_format({"bold": True, "font_size": 14})
        self.wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        number_formats = dict(NUMBER_FORMATS)
        if content.currency:
            number_formats["money"] = content.currency.number_format()
        self.formats = {
            kind: workbook.add_format({"num_format": fmt}) if fmt else None
            for kind, fmt in number_formats.items()
        }
        # Summary values: left-aligned like the text around them.
        self.number_formats = {
            kind: workbook.add_format({"num_format": fmt or "@", "align": "left"})
            for kind, fmt in number_formats.items()
        }

    @staticmethod
    def print_setup(sheet, pages_wide=1, landscape=True):
        """A4, as many pages wide as given and as tall as needed, sheet name
        and page number in the footer: what comes out of a printer or a PDF."""
        sheet.set_paper(9)
        if landscape:
            sheet.set_landscape()
        sheet.fit_to_pages(pages_wide, 0)
        sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
        sheet.set_footer("&L&A&R&P / &N")

    @staticmethod
    def write(sheet, row, col, value, cell_format=None):
        """One cell as data: text as a string (never a formula or a link),
        numbers, dates and flags as such; blanks stay empty."""
        value = _cell(value)
        if value is None:
            return
        if isinstance(value, bool):
            sheet.write_boolean(row, col, value, cell_format)
        elif isinstance(value, int | float):
            sheet.write_number(row, col, value, cell_format)
        elif isinstance(value, datetime.date):
            sheet.write_datetime(row, col, value, cell_format)
        else:
            sheet.write_string(row, col, str(value), cell_format)

    def table(self, sheet, table: Table, start=0, stop=None, header_height=30):
        """Header row and the rows ``start:stop`` of the columns, row after
        row (as constant_memory needs); returns the number of data rows.

        A numpy column is turned into cells once, with blanks as None, and
        written with the sheet's method for its type: no per-cell dispatch."""
        size = len(table.values[0]) if table.values else 0
        stop = size if stop is None else min(stop, size)
        sheet.set_row(0, header_height)
        columns = []
        for col, column in enumerate(table.columns):
            cell_format = self.formats[column.kind]
            sheet.set_column(col, col, column.width, cell_format)
            self.write(sheet, 0, col, column.header, self.header)
            write, cells = self._column_cells(sheet, table.values[col], start, stop)
            columns.append((col, write, cells, cell_format))
        for offset in range(stop - start):
            for col, write, cells, cell_format in columns:
                value = cells[offset]
                if value is not None:
                    write(offset + 1, col, value, cell_format)
        sheet.freeze_panes(1, 0)
        return stop - start

    def _column_cells(self, sheet, values, start, stop):
        """The sheet's writing method for cells ``start:stop`` of a column, and
        the cells as plain Python values (None: left blank)."""
        if not isinstance(values, np.ndarray):
            return partial(self.write, sheet), list(values[start:stop])
        values = values[start:stop]
        kind = values.dtype.kind
        if kind == "f":
            cells = values.astype(object)
            cells[~np.isfinite(values)] = None
            return sheet.write_number, cells.tolist()
        if kind in "iu":
            return sheet.write_number, values.tolist()
        if kind == "b":
            return sheet.write_boolean, values.tolist()
        if kind == "M":
            return sheet.write_datetime, values.astype("datetime64[D]").astype(
                object
            ).tolist()
        return partial(self.write, sheet), values.tolist()

    def summary(self, content: WorkbookContent):
        sheet = self.workbook.add_worksheet(self.labels.sheets[0])
        self.print_setup(sheet, landscape=False)
        sheet.set_column(0, 0, 42)
        sheet.set_column(1, 1, SUMMARY_WIDTH)
        self.write(sheet, 0, 0, content.title, self.title)
        row = 2
        for label, value, *kind in content.summary:
            self.write(sheet, row, 0, label, self.bold)
            if kind:
                self.write(sheet, row, 1, value, self.number_formats[kind[0]])
            else:
                self.paragraph(sheet, row, value)
            row += 1
        row += 1
        self.write(sheet, row, 0, self.labels.methodology, self.bold)
        for paragraph in content.methodology:
            self.paragraph(sheet, row, paragraph)
            row += 1

    def paragraph(self, sheet, row, text):
        """Wrapped text in column B, its row made tall enough for it: Excel
        grows rows on opening, but a PDF export (LibreOffice) keeps them at
        one line and lets the lines overlap."""
        if isinstance(text, str):
            lines = sum(
                max(1, math.ceil(len(part) / SUMMARY_LINE)) for part in text.split("\n")
            )
            if lines > 1:
                sheet.set_row(row, 15 * lines)
        self.write(sheet, row, 1, text, self.wrap)

    def customers(self, table: Table):
        """One sheet per MAX_ROWS - 1 customers, each with its header, filter
        and print setup."""
        size = len(table.values[0]) if table.values else 0
        per_sheet = MAX_ROWS - 1
        count = max(1, math.ceil(size / per_sheet))
        for index, name in enumerate(continued_names(self.labels.sheets[1], count)):
            sheet = self.workbook.add_worksheet(name)
            start = index * per_sheet
            # Taller header than the other sheets' 30: long headers.
            rows = self.table(sheet, table, start, start + per_sheet, header_height=45)
            sheet.autofilter(0, 0, max(rows, 1), len(table.columns) - 1)
            # Two pages wide on paper, each with the header row and the customer.
            self.print_setup(sheet, pages_wide=2)
            sheet.print_across()
            sheet.repeat_rows(0)
            sheet.repeat_columns(0)

    def plain(self, name: str, table: Table):
        sheet = self.workbook.add_worksheet(name)
        self.print_setup(sheet)
        self.table(sheet, table)

    def pareto(self, table: Table, note: str | None):
        """The curves and their chart; the value axis reaches above 100 % when
        a curve does (margin: the "whale curve"), with ``note`` saying why."""
        labels = self.labels
        name = labels.sheets[3]
        sheet = self.workbook.add_worksheet(name)
        self.print_setup(sheet)
        chart_col = len(table.columns) + 1
        if note:
            # In the header row, which is still being written.
            self.write(sheet, 0, chart_col, note, self.bold)
        rows = self.table(sheet, table)
        chart = self.workbook.add_chart({"type": "scatter", "subtype": "straight"})
        for col in range(1, len(table.columns)):
            chart.add_series(
                {
                    "name": [name, 0, col],
                    "categories": [name, 1, 0, rows, 0],
                    "values": [name, 1, col, rows, col],
                }
            )
        chart.set_title({"name": labels.chart_title})
        chart.set_x_axis(
            {
                "name": labels.chart_x_axis,
                "num_format": "0%",
                "min": 0,
                "max": 1,
                "major_unit": 0.1,
            }
        )
        top = axis_top(table.values[1:])
        chart.set_y_axis(
            {
                "name": labels.chart_y_axis,
                "num_format": "0%",
                "min": 0,
                "max": top,
                "major_unit": 0.1 if top <= 1.5 else 0.2,
            }
        )
        chart.set_legend({"position": "bottom"})
        sheet.insert_chart(1, chart_col, chart, {"x_scale": 1.5, "y_scale": 1.5})


def axis_top(curves) -> float:
    """Top of a share axis: 100 %, or the highest point rounded up to 10 %."""
    highest = max(
        (float(np.nanmax(curve)) for curve in curves if np.size(curve)), default=1.0
    )
    if not math.isfinite(highest) or highest <= 1.0:
        return 1.0
    return math.ceil(highest * 10 - 1e-9) / 10


def fill_workbook(workbook, content: WorkbookContent):
    """Add the sheets to an open xlsxwriter workbook (the caller closes it;
    open it with ``WORKBOOK_OPTIONS``)."""
    sheets = content.labels.sheets
    writer = _Writer(workbook, content)
    writer.summary(content)
    writer.customers(content.customers)
    writer.plain(sheets[2], content.segments)
    writer.pareto(content.pareto, content.pareto_note)
    writer.plain(sheets[4], content.abc)
    return workbook


def write_workbook(path, content: WorkbookContent):
    """Write the workbook to ``path``."""
    workbook = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
    try:
        fill_workbook(workbook, content)
    finally:
        workbook.close()
    return path
