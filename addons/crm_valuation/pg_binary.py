# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""PostgreSQL's binary COPY format, read and written with numpy.

A valuation moves hundreds of thousands of rows of numbers between
PostgreSQL and numpy. Through cursor rows or text, every number becomes a
Python object or a string on the way; in the binary COPY format a row of
fixed-size fields is a record of a numpy structured array, so the whole
transfer is one buffer in each direction.

Fields are fixed-size and never NULL: int4, int8, float8 (NaN passes as
NaN) and date. Queries read this way cast their columns to those types and
COALESCE them; ``decode`` checks every field's size, so a NULL or a column of
another type is an error that names the column, never numbers read askew.
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
        elif kind in ("int4", "int8"):
            _check_integers(values, kind, index)
        rows[f"size{index}"] = np.dtype(TYPES[kind]).itemsize
        rows[f"value{index}"] = values
    return SIGNATURE + struct.pack(">ii", 0, 0) + rows.tobytes() + struct.pack(">h", -1)


def _check_integers(values, kind, index):
    """Integer columns take whole numbers in their range, never a NaN or a
    float cut short, nor a number wrapped around."""
    values = np.asarray(values)
    if not values.size:
        return
    limits = np.iinfo(TYPES[kind])
    if values.dtype.kind == "f" and not np.all(np.isfinite(values)):
        raise ValueError(f"column {index + 1} ({kind}) holds NaN or infinity")
    if (
        np.any(values != np.round(values))
        or values.min() < limits.min
        or values.max() > limits.max
    ):
        raise ValueError(f"column {index + 1} ({kind}) holds a value that is no {kind}")


def decode(data, kinds):
    """The columns (numpy arrays) of COPY TO STDOUT (FORMAT binary) data."""
    extension = struct.unpack_from(">i", data, len(SIGNATURE) + 4)[0]
    start = len(SIGNATURE) + 8 + extension
    layout = _layout(kinds)
    count = (len(data) - start - 2) // layout.itemsize
    rows = np.frombuffer(data, dtype=layout, count=count, offset=start)
    if (
        start + count * layout.itemsize + 2 != len(data)
        or np.any(rows["fields"] != len(kinds))
        or any(
            np.any(rows[f"size{index}"] != np.dtype(TYPES[kind]).itemsize)
            for index, kind in enumerate(kinds)
        )
    ):
        raise ValueError(_mismatch(data, start, kinds))
    columns = []
    for index, kind in enumerate(kinds):
        values = rows[f"value{index}"]
        if kind == "date":
            values = EPOCH + values.astype("timedelta64[D]")
        columns.append(values.astype(values.dtype.newbyteorder("=")))
    return columns


def _mismatch(data, offset, kinds):
    """What makes ``data`` differ from rows of ``kinds``: the first row that
    does, walked field by field (only on the error path)."""
    row = 0
    while True:
        (fields,) = struct.unpack_from(">h", data, offset)
        if fields == -1:
            return f"COPY data does not hold rows of {', '.join(kinds)}"
        if fields != len(kinds):
            return f"row {row + 1} has {fields} columns, not {len(kinds)}"
        offset += 2
        for index, kind in enumerate(kinds):
            (size,) = struct.unpack_from(">i", data, offset)
            if size == -1:
                return f"row {row + 1}, column {index + 1} ({kind}) is NULL"
            if size != np.dtype(TYPES[kind]).itemsize:
                return (
                    f"row {row + 1}, column {index + 1} holds {size} bytes, "
                    f"not a {kind}"
                )
            offset += 4 + size
        row += 1


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
