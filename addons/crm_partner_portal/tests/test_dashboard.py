# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

from .common import PartnerPortalCase


@tagged("post_install", "-at_install")
class TestDashboard(HttpCase, PartnerPortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Stage = cls.env["crm.stage"]
        cls.new_stage = Stage.create({"name": "Baru Masuk", "sequence": 1})
        cls.proposal = Stage.create({"name": "Penawaran", "sequence": 2})
        won_stage = Stage.search([("is_won", "=", True)], limit=1)
        contact = cls.portal_a.partner_id
        other = cls.env["res.company"].create({"name": "PT Lain"})
        Lead = cls.env["crm.lead"]

        def opportunity(stage, revenue, partner, **vals):
            return Lead.create(
                {
                    "name": f"{stage.name} {revenue}",
                    "type": "opportunity",
                    "stage_id": stage.id,
                    "expected_revenue": revenue,
                    "partner_assigned_id": partner.id,
                    **vals,
                }
            )

        opportunity(cls.new_stage, 100, cls.reseller_a)
        # The contact's own deals count for its company.
        opportunity(cls.new_stage, 50, contact)
        opportunity(cls.proposal, 400, cls.reseller_a)
        # Won by a stage change, as a salesperson does: that dates the close.
        opportunity(cls.proposal, 700, cls.reseller_a).stage_id = won_stage
        opportunity(cls.new_stage, 60, cls.reseller_a).action_set_lost()
        # Not the reseller's, or not in its company.
        opportunity(cls.proposal, 9000, cls.reseller_b)
        opportunity(cls.proposal, 8000, cls.reseller_a, company_id=other.id)
        cls._registration()
        cls._registration(customer_name="CV Dua")
        cls._registration(cls.reseller_b)

    def test_counts_are_the_resellers_own(self):
        counts = self.reseller_a._reseller_dashboard_counts(self.company.ids)
        won_stage = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        self.assertEqual(
            counts["pipeline"],
            {
                self.new_stage.id: (2, 150.0),
                self.proposal.id: (1, 400.0),
                won_stage.id: (1, 700.0),
            },
        )
        self.assertEqual(counts["registrations"], {"submitted": 2})
        self.assertEqual(counts["commissions"], [])

    def test_page_shows_the_figures(self):
        self.authenticate("pp_alpha", "pp_alpha")
        page = self.url_open("/my/partner").text
        self.assertIn("Baru Masuk (2)", page)
        self.assertIn("Penawaran (1)", page)
        self.assertNotIn("9,000", page)
        self.assertNotIn("8,000", page)
        # One deal won, one lost: half converted.
        self.assertIn("1 / 1", page)
        self.assertIn("50%", page)
        self.assertIn("Submitted 2", page)
