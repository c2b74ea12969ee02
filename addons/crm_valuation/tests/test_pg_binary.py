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

    def test_null_or_wrong_type_is_an_error_not_garbage(self):
        for query, message in (
            (
                "SELECT 1::int4, 1.5::float8 UNION ALL SELECT 2, NULL",
                r"row 2, column 2 \(float8\) is NULL",
            ),
            (
                "SELECT 1::int8, 2.0::float8",
                "row 1, column 1 holds 8 bytes, not a int4",
            ),
            ("SELECT 1::int4", "row 1 has 1 columns, not 2"),
        ):
            with self.assertRaisesRegex(ValueError, message):
                pg_binary.copy_out(self.env.cr, SQL(query), ["int4", "float8"])

    def test_numbers_that_do_not_fit_are_refused_before_copy(self):
        for kind, values in (
            ("int4", np.array([1, 2**31], dtype=np.int64)),
            ("int4", np.array([1.0, np.nan])),
            ("int8", np.array([1.5])),
        ):
            with self.assertRaisesRegex(ValueError, f"column 1 .{kind}."):
                pg_binary.encode([(kind, values)])
