# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import timedelta

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import AS_OF, ValuationCase


@tagged("post_install", "-at_install")
class TestSegmentWizard(ValuationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.valuation = cls._value_both()

    def _wizard(self, values, user=None):
        return Form(
            self.env["crm.valuation.segment.wizard"]
            .with_user(user or self.manager)
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

    def test_an_analyst_with_nothing_more_tags_a_segment(self):
        # The analyst may not edit contacts, yet tagging a segment is theirs.
        self.assertFalse(self.analyst.has_group("base.group_partner_manager"))
        form = self._wizard(self.valuation.value_ids, user=self.analyst)
        form.new_tag_name = "Win-back"
        form.save().action_apply()
        tag = self.env["res.partner.category"].search([("name", "=", "Win-back")])
        self.assertEqual(tag.partner_ids, self.big + self.small)

    def test_values_of_another_company_are_refused(self):
        other = self.env["res.partner"].create({"name": "Elsewhere"})
        self._order(other, AS_OF - timedelta(days=3), qty=1, company=self.other_company)
        foreign = self._run(company=self.other_company).value_ids
        wizard = (
            self.env["crm.valuation.segment.wizard"]
            .with_user(self.analyst)
            .create({"value_ids": [Command.set(foreign.ids)], "new_tag_name": "X"})
        )
        with self.assertRaises(UserError):  # AccessError is one too
            wizard.action_apply()
        self.assertFalse(other.category_id)
