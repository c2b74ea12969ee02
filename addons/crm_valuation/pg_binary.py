# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""PostgreSQL's binary COPY format, read and written with numpy.

A valuation moves hundreds of thousands of rows of numbers between
PostgreSQL and numpy. Through cursor rows or text, every number becomes a
Python object or a string on the way; in the binary COPY format a row of
fixed-size fields is a record of a numpy structured array, so the whole
transfer is one buffer in each direction.

Fields are fixed-size and never NULL: int4, int8, float8 (NaN passes as
NaN) and date. Queries read this way cast their columns to those types and
COALESCE them.
"""

import io
import struct

import numpy as np

from odoo.tools import SQL

SIGNATURE = b"PGCOPY\n\xff\r\n\x00"
TYPES = {"int4": ">i4", "int8": ">i8", "float8": ">f8", "date": ">i4"}
EPOCH = np.datetime64("2000-01-01", "D")  # PostgreSQL dates count days from it


def _layout(kinds):
    layout = [("fields", ">i2")]
    for index, kind in enumerate(kinds):
        layout += [(f"size{index}", ">i4"), (f"value{index}", TYPES[kind])]
    return np.dtype(layout)


def encode(columns):
    """COPY FROM STDIN (FORMAT binary) data of ``[(kind, array), ...]``."""
    count = len(columns[0][1])
    rows = np.empty(count, dtype=_layout(kind for kind, _values in columns))
    rows["fields"] = len(columns)
    for index, (kind, values) in enumerate(columns):
        if kind == "date":
            values = (np.asarray(values, dtype="datetime64[D]") - EPOCH).astype(int)
        rows[f"size{index}"] = np.dtype(TYPES[kind]).itemsize
        rows[f"value{index}"] = values
    return SIGNATURE + struct.pack(">ii", 0, 0) + rows.tobytes() + struct.pack(">h", -1)


def decode(data, kinds):
    """The columns (numpy arrays) of COPY TO STDOUT (FORMAT binary) data."""
    extension = struct.unpack_from(">i", data, len(SIGNATURE) + 4)[0]
    start = len(SIGNATURE) + 8 + extension
    layout = _layout(kinds)
    count = (len(data) - start - 2) // layout.itemsize
    rows = np.frombuffer(data, dtype=layout, count=count, offset=start)
    columns = []
    for index, kind in enumerate(kinds):
        values = rows[f"value{index}"]
        if kind == "date":
            values = EPOCH + values.astype("timedelta64[D]")
        columns.append(values.astype(values.dtype.newbyteorder("=")))
    return columns


def copy_out(cr, query, kinds):
    """Run ``query`` (an odoo.tools.SQL) and return its columns as arrays."""
    buffer = io.BytesIO()
    statement = cr.mogrify(query.code, query.params)
    cr.copy_expert(b"COPY (" + statement + b") TO STDOUT WITH (FORMAT binary)", buffer)
    return decode(buffer.getvalue(), kinds)


def copy_in(cr, table, columns):
    """COPY ``{name: (kind, array)}`` into ``table``."""
    statement = SQL(
        "COPY %s (%s) FROM STDIN WITH (FORMAT binary)",
        SQL.identifier(table),
        SQL(", ").join(SQL.identifier(name) for name in columns),
    )
    cr.copy_expert(statement.code, io.BytesIO(encode(list(columns.values()))))
