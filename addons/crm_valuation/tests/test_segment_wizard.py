# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import ValuationCase


@tagged("post_install", "-at_install")
class TestSegmentWizard(ValuationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.valuation = cls._value_both()

    def _wizard(self, values):
        return Form(
            self.env["crm.valuation.segment.wizard"]
            .with_user(self.manager)
            .with_context(active_model="crm.valuation.value", active_ids=values.ids)
        )

    def test_new_tag_on_selected_customers(self):
        big_value = self._value(self.valuation, self.big)
        form = self._wizard(big_value)
        form.new_tag_name = "Q3 win-back"
        self.assertEqual(form.partner_count, 1)
        form.save().action_apply()
        tag = self.env["res.partner.category"].search([("name", "=", "Q3 win-back")])
        self.assertEqual(tag.partner_ids, self.big)

    def test_existing_tag_and_nothing_else_changes(self):
        tag = self.env["res.partner.category"].create({"name": "VIP"})
        form = self._wizard(self.valuation.value_ids)
        form.tag_id = tag
        form.save().action_apply()
        self.assertEqual(tag.partner_ids, self.big + self.small)

    def test_needs_exactly_one_tag_choice(self):
        wizard = self._wizard(self.valuation.value_ids).save()
        with self.assertRaisesRegex(UserError, "existing tag or name a new one"):
            wizard.action_apply()
        self.assertFalse(self.big.category_id)

    def test_new_tag_field_shows_a_placeholder(self):
        """An empty field shows no box until hovered: the placeholder shows
        where to type a new tag."""
        arch = self.env["crm.valuation.segment.wizard"].get_view()["arch"]
        self.assertIn('name="new_tag_name"', arch)
        self.assertRegex(arch, r'name="new_tag_name"[^>]*placeholder="[^"]+"')
