# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""How a valuation's results become ``crm_valuation_value`` rows, in bulk.

The engine's per-customer arrays go in through a binary COPY into a staging
table and one ``INSERT ... SELECT`` (no number goes through text); scores are
written with the rest of the row, so each row is written once.
"""

import numpy as np

from odoo.tools import SQL

from . import pg_binary
from .models.crm_valuation_value import ABC_CLASSES, SEGMENT_KEYS

# Engine column -> crm.valuation.value field, for the columns stored as they are.
VALUE_COLUMNS = {
    "first_purchase": "first_purchase",
    "last_purchase": "last_purchase",
    "recency_days": "recency_days",
    "frequency": "frequency",
    "monetary": "monetary",
    "r_score": "r_score",
    "f_score": "f_score",
    "m_score": "m_score",
    "rfm_cell": "rfm_cell",
    "revenue": "revenue",
    "discount": "discount",
    "returns": "refunds",
    "cost_of_goods": "cost_of_goods",
    "helpdesk_hours": "service_hours",
    "cost_to_serve": "cost_to_serve",
    "payment_delay_cost": "payment_delay_cost",
    "margin": "margin",
    "margin_percent": "margin_percent",
    "revenue_rank_percent": "revenue_rank_percent",
    "revenue_decile": "revenue_decile",
}
# Engine columns in percent (0-100) stored as shares (0-1), which the screens
# show as percentages.
PERCENT_COLUMNS = ("margin_percent", "revenue_rank_percent")
# Model inputs kept on each row, so that a row can be scored (again) alone.
INPUT_COLUMNS = {
    "x": "repeat_purchases",
    "t_x": "repeat_span",
    "T": "observed_span",
    "zbar": "repeat_average",
}
SCORE_FIELDS = (
    "p_alive",
    "expected_purchases",
    "expected_spend",
    "clv",
    "future_margin",
)
_STAGING_TYPES = {
    "integer": "int4",
    "many2one": "int4",
    "float": "float8",
    "monetary": "float8",
    "date": "date",
}


def row_arrays(base, scores):
    """Field name -> array of numbers, one per customer of ``base``.

    Text columns travel as numbers too (see ``_text_columns``): the RFM
    cell as its three digits, the segment and the class as their position.
    """
    table = base.table
    arrays = {"partner_id": table["customer"]}
    arrays.update({field: table[key] for key, field in VALUE_COLUMNS.items()})
    for key in PERCENT_COLUMNS:
        arrays[VALUE_COLUMNS[key]] = np.asarray(table[key], dtype=float) / 100.0
    arrays["rfm_cell"] = table["rfm_cell"].astype(np.int32)
    position = {name: index for index, name in enumerate(SEGMENT_KEYS)}
    arrays["segment"] = np.array([position[name] for name in table["segment"]])
    arrays["abc_class"] = np.searchsorted(np.array(list("ABC")), table["abc_class"])
    summary = base.summary
    arrays.update(
        {field: getattr(summary, key) for key, field in INPUT_COLUMNS.items()}
    )
    arrays["margin_ratio"] = base.margin_ratio
    arrays.update({name: getattr(scores, name) for name in SCORE_FIELDS})
    return arrays


def without_written(run, arrays):
    """``arrays`` less the customers ``run`` has rows for already."""
    written = run.env.execute_query(
        SQL("SELECT partner_id FROM crm_valuation_value WHERE run_id = %s", run.id)
    )
    if not written:
        return arrays
    missing = ~np.isin(arrays["partner_id"], [row[0] for row in written])
    return {name: values[missing] for name, values in arrays.items()}


def insert_rows(run, arrays):
    """A binary COPY into a staging table, then one INSERT ... SELECT."""
    cr = run.env.cr
    value_fields = run.env["crm.valuation.value"]._fields
    texts = _text_columns()
    kinds = {
        name: "int4" if name in texts else _STAGING_TYPES[value_fields[name].type]
        for name in arrays
    }
    cr.execute(
        SQL(
            "CREATE TEMPORARY TABLE crm_valuation_staging (%s) ON COMMIT DROP",
            SQL(", ").join(
                SQL("%s %s", SQL.identifier(name), SQL(kinds[name])) for name in arrays
            ),
        )
    )
    pg_binary.copy_in(
        cr,
        "crm_valuation_staging",
        {name: (kinds[name], values) for name, values in arrays.items()},
    )
    values = [
        texts[name](SQL.identifier("staging", name))
        if name in texts
        else SQL("NULLIF(%s, 'NaN')", SQL.identifier("staging", name))
        if kinds[name] == "float8"
        else SQL.identifier("staging", name)
        for name in arrays
    ]
    cr.execute(
        SQL(
            """
            INSERT INTO crm_valuation_value
                   (run_id, company_id, date, %(columns)s)
            SELECT %(run)s, %(company)s, %(date)s, %(values)s
              FROM crm_valuation_staging staging;
            DROP TABLE crm_valuation_staging
            """,
            columns=SQL(", ").join(SQL.identifier(name) for name in arrays),
            values=SQL(", ").join(values),
            run=run.id,
            company=run.company_id.id,
            date=run.date,
        )
    )


def _text_columns():
    """Text fields sent as numbers, with the SQL that turns them back."""
    return {
        "rfm_cell": lambda column: SQL("%s::varchar", column),
        "segment": lambda column: SQL(
            "(%s::varchar[])[%s + 1]", list(SEGMENT_KEYS.values()), column
        ),
        "abc_class": lambda column: SQL(
            "(%s::varchar[])[%s + 1]", [key for key, _label in ABC_CLASSES], column
        ),
    }
