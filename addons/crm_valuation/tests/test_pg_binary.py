# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import numpy as np

from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from .. import pg_binary


@tagged("post_install", "-at_install")
class TestPgBinary(TransactionCase):
    """Numbers go into PostgreSQL and back through binary COPY unchanged."""

    def test_round_trip_through_a_table(self):
        self.env.cr.execute(
            "CREATE TEMPORARY TABLE binary_check"
            " (id int4, day date, amount float8, count int8)"
        )
        ids = np.array([3, -7, 2_000_000_000], dtype=np.int32)
        days = np.array(["1999-12-31", "2000-01-01", "2026-11-24"], "datetime64[D]")
        amounts = np.array([0.1, np.nan, -1e300])
        counts = np.array([0, 1, 2**40], dtype=np.int64)
        pg_binary.copy_in(
            self.env.cr,
            "binary_check",
            {
                "id": ("int4", ids),
                "day": ("date", days),
                "amount": ("float8", amounts),
                "count": ("int8", counts),
            },
        )
        self.env.cr.execute(
            "SELECT day::text, amount::text FROM binary_check ORDER BY count"
        )
        self.assertEqual(
            self.env.cr.fetchall(),
            [("1999-12-31", "0.1"), ("2000-01-01", "NaN"), ("2026-11-24", "-1e+300")],
        )
        back = pg_binary.copy_out(
            self.env.cr,
            SQL("SELECT id, day, amount, count FROM binary_check ORDER BY count"),
            ["int4", "date", "float8", "int8"],
        )
        np.testing.assert_array_equal(back[0], ids)
        np.testing.assert_array_equal(back[1], days)
        np.testing.assert_array_equal(back[2], amounts)
        np.testing.assert_array_equal(back[3], counts)

    def test_query_parameters_and_no_rows(self):
        columns = pg_binary.copy_out(
            self.env.cr,
            SQL("SELECT id FROM res_partner WHERE name = %s", "no such partner'--"),
            ["int4"],
        )
        self.assertEqual(columns[0].size, 0)
