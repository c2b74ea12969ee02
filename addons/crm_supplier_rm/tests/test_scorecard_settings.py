# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import SupplierCase


@tagged("post_install", "-at_install")
class TestScorecardSettings(SupplierCase):
    def test_defaults_are_valid(self):
        self.assertEqual(self.config.weight_total, 100)
        self.assertEqual(len(self.config.standing_ids), 4)
        self.assertEqual(
            self.env["crm.supplier.scorecard.config"]._for_company(self.company),
            self.config,
        )

    @mute_logger("odoo.sql_db")
    def test_weights_must_sum_to_100_and_nothing_changes(self):
        on_time = self.config.criterion_ids.filtered(lambda c: c.code == "on_time")
        with (
            self.assertRaisesRegex(ValidationError, "sum to 100; they sum to 90"),
            self.env.cr.savepoint(),
        ):
            self.config.write(
                {"criterion_ids": [Command.update(on_time.id, {"weight": 20})]}
            )
        on_time.invalidate_recordset()
        self.assertEqual(on_time.weight, 30)

    def test_editing_weights_in_the_form_together(self):
        with Form(self.config) as form:
            with form.criterion_ids.edit(0) as line:
                line.weight = 20
            with form.criterion_ids.edit(1) as line:
                line.weight = 35
        self.assertEqual(self.config.weight_total, 100)

    def test_ranges_must_cover_0_to_100(self):
        watch = self.config.standing_ids.filtered(lambda s: s.control == "watch")
        with self.assertRaisesRegex(ValidationError, "from 60.0 to 70.0"):
            self.config.write(
                {"standing_ids": [Command.update(watch.id, {"max_score": 60})]}
            )
        with self.assertRaisesRegex(ValidationError, "overlap"):
            self.config.write(
                {"standing_ids": [Command.update(watch.id, {"max_score": 75})]}
            )
        with self.assertRaisesRegex(ValidationError, "Define at least one"):
            self.config.write({"standing_ids": [Command.clear()]})

    def test_buyers_read_managers_configure(self):
        config = self.config.with_user(self.buyer)
        self.assertTrue(config.criterion_ids)
        with self.assertRaises(AccessError):
            config.write({"period_kind": "quarter"})
        with self.assertRaises(AccessError):
            config.action_compute()
        self.config.with_user(self.purchase_manager).write({"period_kind": "quarter"})
        self.assertEqual(self.config.period_kind, "quarter")

    def test_action_opens_the_company_settings(self):
        action = self.env["crm.supplier.scorecard.config"].action_open()
        self.assertEqual(action["res_id"], self.config.id)
