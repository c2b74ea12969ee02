# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.crm_valuation.tests.common import ValuationCase


@tagged("post_install", "-at_install")
class TestSegmentMailingList(ValuationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.big.email = "purchasing@bigbuyer.example"
        cls.big_contact.email = "budi@bigbuyer.example"
        cls.valuation = cls._value_both()
        cls.marketer = new_test_user(
            cls.env,
            login="val_marketer",
            groups="base.group_user,crm_valuation.group_valuation_analyst,"
            "mass_mailing.group_mass_mailing_user",
        )

    def _wizard(self, user):
        return Form(
            self.env["crm.valuation.segment.wizard"]
            .with_user(user)
            .with_context(
                active_model="crm.valuation.value",
                active_ids=self.valuation.value_ids.ids,
            )
        )

    def test_new_list_with_the_customers_who_have_an_email(self):
        form = self._wizard(self.marketer)
        form.target = "mailing_list"
        form.new_list_name = "Win back 2026"
        self.assertEqual(form.no_email_count, 1)
        form.save().action_apply()
        mailing_list = self.env["mailing.list"].search([("name", "=", "Win back 2026")])
        self.assertEqual(
            mailing_list.contact_ids.mapped("email"), ["purchasing@bigbuyer.example"]
        )
        # Again on the same list: nobody is added twice.
        form = self._wizard(self.marketer)
        form.target = "mailing_list"
        form.mailing_list_id = mailing_list
        form.save().action_apply()
        self.assertEqual(len(mailing_list.contact_ids), 1)

    def test_list_choice_is_required_and_nothing_changes(self):
        contacts = self.env["mailing.contact"].search_count([])
        form = self._wizard(self.marketer)
        form.target = "mailing_list"
        wizard = form.save()
        with self.assertRaisesRegex(UserError, "existing mailing list"):
            wizard.action_apply()
        self.assertEqual(self.env["mailing.contact"].search_count([]), contacts)

    def test_analyst_without_email_marketing_cannot_make_lists(self):
        form = self._wizard(self.analyst)
        form.target = "mailing_list"
        form.new_list_name = "Not mine"
        with self.assertRaises(AccessError):
            form.save().action_apply()
