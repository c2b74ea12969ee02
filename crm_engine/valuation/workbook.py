"""The valuation workbook layout, written with xlsxwriter from plain data.

Nothing here knows about the models: the sheets are filled from a
``WorkbookContent`` of labels, lists and arrays, so the Odoo report (which
streams into an xlsxwriter workbook it owns) and the command line share one
layout. ``export.workbook_content`` builds the content from a valuation.
The layout's own words (sheet names, chart titles) come translated in the
content's ``labels`` too, so this module never needs to know the language.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import xlsxwriter

from .texts import N_, Translator, english

NUMBER_FORMATS = {
    "text": None,
    "integer": "0",
    "number": "#,##0.00",
    "money": "#,##0.00",
    "percent": "0.0%",
    "probability": "0.000",
    "decimal": "#,##0.0000",
    "date": "yyyy-mm-dd",
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


def _cell(value):
    """Plain Python values xlsxwriter accepts; nan and inf become blanks."""
    if isinstance(value, np.datetime64):
        return value.astype("datetime64[D]").astype(datetime.date)
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


class _Writer:
    def __init__(self, workbook, labels: Labels):
        self.workbook = workbook
        self.labels = labels
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
        self.formats = {
            kind: workbook.add_format({"num_format": fmt}) if fmt else None
            for kind, fmt in NUMBER_FORMATS.items()
        }
        # Summary values: left-aligned like the text around them.
        self.number_formats = {
            kind: workbook.add_format({"num_format": fmt or "@", "align": "left"})
            for kind, fmt in NUMBER_FORMATS.items()
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

    def table(self, sheet, table: Table, first_row: int = 0):
        """Header row, then the columns; returns the number of data rows."""
        for col, column in enumerate(table.columns):
            sheet.write(first_row, col, column.header, self.header)
            sheet.set_column(col, col, column.width, self.formats[column.kind])
            cells = [_cell(v) for v in np.asarray(table.values[col]).tolist()]
            sheet.write_column(first_row + 1, col, cells, self.formats[column.kind])
        rows = len(table.values[0]) if table.values else 0
        sheet.set_row(first_row, 30)
        sheet.freeze_panes(first_row + 1, 0)
        return rows

    def summary(self, content: WorkbookContent):
        sheet = self.workbook.add_worksheet(self.labels.sheets[0])
        self.print_setup(sheet, landscape=False)
        sheet.set_column(0, 0, 42)
        sheet.set_column(1, 1, SUMMARY_WIDTH)
        sheet.write(0, 0, content.title, self.title)
        row = 2
        for label, value, *kind in content.summary:
            sheet.write(row, 0, label, self.bold)
            if kind:
                sheet.write(row, 1, _cell(value), self.number_formats[kind[0]])
            else:
                self.paragraph(sheet, row, _cell(value))
            row += 1
        row += 1
        sheet.write(row, 0, self.labels.methodology, self.bold)
        for paragraph in content.methodology:
            self.paragraph(sheet, row, paragraph)
            row += 1

    def paragraph(self, sheet, row, text):
        """Wrapped text in column B, its row made tall enough for it: Excel
        grows rows on opening, but a PDF export (LibreOffice) keeps them at
        one line and lets the lines overlap."""
        sheet.write(row, 1, text, self.wrap)
        if isinstance(text, str):
            lines = sum(
                max(1, math.ceil(len(part) / SUMMARY_LINE)) for part in text.split("\n")
            )
            if lines > 1:
                sheet.set_row(row, 15 * lines)

    def customers(self, table: Table):
        sheet = self.workbook.add_worksheet(self.labels.sheets[1])
        rows = self.table(sheet, table)
        sheet.set_row(0, 45)  # taller than the others' 30: long headers
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

    def pareto(self, table: Table):
        labels = self.labels
        name = labels.sheets[3]
        sheet = self.workbook.add_worksheet(name)
        self.print_setup(sheet)
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
        chart.set_y_axis({"name": labels.chart_y_axis, "num_format": "0%", "min": 0})
        chart.set_legend({"position": "bottom"})
        sheet.insert_chart(
            1, len(table.columns) + 1, chart, {"x_scale": 1.5, "y_scale": 1.5}
        )


def fill_workbook(workbook, content: WorkbookContent):
    """Add the five sheets to an open xlsxwriter workbook (the caller closes it)."""
    sheets = content.labels.sheets
    writer = _Writer(workbook, content.labels)
    writer.summary(content)
    writer.customers(content.customers)
    writer.plain(sheets[2], content.segments)
    writer.pareto(content.pareto)
    writer.plain(sheets[4], content.abc)
    return workbook


def write_workbook(path, content: WorkbookContent):
    """Write the workbook to ``path``."""
    workbook = xlsxwriter.Workbook(str(path))
    try:
        fill_workbook(workbook, content)
    finally:
        workbook.close()
    return path
