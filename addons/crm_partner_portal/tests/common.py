# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import TransactionCase, new_test_user


class PartnerPortalCase(TransactionCase):
    """Three levels, two resellers with portal users, a customer, a channel
    manager and a salesperson."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.indonesia = cls.env.ref("base.id")
        cls.env["res.partner.grade"].search([]).active = False
        Grade = cls.env["res.partner.grade"]
        cls.bronze = Grade.create(
            {"name": "Bronze", "sequence": 3, "partner_weight": 1, "commission_rate": 2}
        )
        cls.silver = Grade.create(
            {
                "name": "Silver",
                "sequence": 2,
                "partner_weight": 5,
                "min_won_revenue": 1000,
                "min_win_rate": 20,
                "commission_rate": 5,
            }
        )
        cls.gold = Grade.create(
            {
                "name": "Gold",
                "sequence": 1,
                "partner_weight": 10,
                "min_won_revenue": 10000,
                "min_win_rate": 30,
                "commission_rate": 8,
            }
        )
        cls.manager = new_test_user(
            cls.env,
            login="pp_manager",
            groups="base.group_user,crm_partner_portal.group_channel_manager",
        )
        cls.salesman = new_test_user(
            cls.env, login="pp_salesman", groups="sales_team.group_sale_salesman"
        )
        cls.reseller_a, cls.portal_a = cls._reseller(
            "Mitra Alpha", "pp_alpha", cls.silver
        )
        cls.reseller_b, cls.portal_b = cls._reseller(
            "Mitra Beta", "pp_beta", cls.bronze
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "PT Sinar Jaya",
                "is_company": True,
                "vat": "01.234.567.8-901.000",
                "email": "info@sinarjaya.co.id",
                "country_id": cls.indonesia.id,
            }
        )
        cls.customer_user = new_test_user(
            cls.env, login="pp_customer", groups="base.group_portal", name="Budi"
        )
        cls.customer_user.partner_id.parent_id = cls.customer
        cls.product = cls.env["product.product"].create(
            {
                "name": "Beras 25 kg",
                "type": "consu",
                "list_price": 100.0,
                "sale_ok": True,
                "taxes_id": [Command.clear()],
            }
        )

    @classmethod
    def _reseller(cls, name, login, grade):
        company = cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "grade_id": grade.id,
                "country_id": cls.indonesia.id,
                "email": f"{login}@mitra.example",
                "user_id": cls.manager.id,
            }
        )
        user = new_test_user(
            cls.env,
            login=login,
            groups="base.group_portal",
            name=f"{name} Sales",
            email=f"{login}@mitra.example",
        )
        user.partner_id.parent_id = company
        return company, user

    @classmethod
    def _registration(cls, reseller=None, **vals):
        reseller = reseller or cls.reseller_a
        values = {
            "partner_id": reseller.id,
            "customer_name": "CV Maju Terus",
            "contact_name": "Andi",
            "email": "andi@majuterus.id",
            "expected_revenue": 5000.0,
            "date_expected_close": "2030-01-31",
        }
        values.update(vals)
        return cls.env["crm.deal.registration"].create(values)

    @classmethod
    def _lead(cls, **vals):
        values = {
            "name": "Gudang baru",
            "type": "lead",
            "country_id": cls.indonesia.id,
            "partner_name": "Toko Makmur",
        }
        values.update(vals)
        return cls.env["crm.lead"].create(values)
