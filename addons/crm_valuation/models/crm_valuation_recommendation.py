# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL

# Products the portal's "you may also need" block shows.
PORTAL_OFFERS = 4


class CrmValuationRecommendation(models.Model):
    """A product proposed to a customer by the latest recommendation run.

    Rows are written in bulk by their run and replaced by the next one:
    hundreds of thousands at a time on a large base. The table is made by
    ``init`` without foreign keys, whose per-row checks made writing four
    times slower; the run deletes the rows it replaces, and partners and
    products with sales cannot be deleted.
    """

    _name = "crm.valuation.recommendation"
    _description = "Product Recommendation"
    _order = "partner_id, rank, id"
    _rec_name = "product_id"
    _log_access = False
    _auto = False

    run_id = fields.Many2one(
        "crm.valuation.recommendation.run",
        required=True,
        ondelete="cascade",
        readonly=True,
        index=True,
    )
    company_id = fields.Many2one(related="run_id.company_id", string="Company")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, readonly=True, index=True
    )
    product_id = fields.Many2one("product.product", required=True, readonly=True)
    categ_id = fields.Many2one(related="product_id.categ_id", string="Category")
    list_price = fields.Float(
        related="product_id.lst_price", string="Sales Price", digits="Product Price"
    )
    offer_price = fields.Monetary(
        string="Price",
        compute="_compute_offer_price",
        currency_field="offer_currency_id",
        help="What the customer pays for one unit: the price of their pricelist, "
        "as on a quotation and on their portal.",
    )
    offer_currency_id = fields.Many2one("res.currency", compute="_compute_offer_price")
    rank = fields.Integer(readonly=True, help="1 for the best recommendation.")
    score = fields.Float(
        readonly=True,
        aggregator="avg",
        help="How strongly the customer's basket, the rules and the product's "
        "popularity point to this product; only the order within a customer "
        "matters.",
    )
    kind = fields.Selection(
        [("cross", "Cross-sell"), ("up", "Up-sell")],
        required=True,
        readonly=True,
        help="Cross-sell: a product that goes with what the customer buys. "
        "Up-sell: a dearer product of a category the customer already buys.",
    )
    because_product_id = fields.Many2one(
        "product.product",
        string="Because They Bought",
        readonly=True,
        help="The product of the customer's history that points most to this one.",
    )

    def init(self):
        self.env.cr.execute(
            SQL(
                """
                CREATE TABLE IF NOT EXISTS crm_valuation_recommendation (
                    id serial PRIMARY KEY,
                    run_id int4 NOT NULL,
                    partner_id int4 NOT NULL,
                    product_id int4 NOT NULL,
                    because_product_id int4,
                    rank int4,
                    score float8,
                    kind varchar NOT NULL
                );
                CREATE INDEX IF NOT EXISTS crm_valuation_recommendation_partner_index
                    ON crm_valuation_recommendation (partner_id, rank);
                CREATE INDEX IF NOT EXISTS crm_valuation_recommendation_run_index
                    ON crm_valuation_recommendation (run_id)
                """
            )
        )

    @api.depends("partner_id", "product_id", "company_id")
    @api.depends_context("company")
    def _compute_offer_price(self):
        for (partner, company), lines in self.grouped(
            lambda line: (line.partner_id, line.company_id)
        ).items():
            prices, currency = self._offer_prices(lines.product_id, partner, company)
            for line in lines:
                line.offer_price = prices[line.product_id.id]
                line.offer_currency_id = currency

    @api.model
    def _offer_prices(self, products, partner, company, order=None):
        """What ``partner`` pays for one unit of each of ``products`` in
        ``company``: ``({product id: price}, currency)``.

        The price of the order's pricelist on an order, else of the partner's
        pricelist in the company, else the sales price. The Recommendations
        tab, the customer panel and the portal all offer at this price.
        """
        if order:
            pricelist = order.pricelist_id
        else:
            # sudo: a portal user reads their own pricelist's prices only.
            pricelist = (
                partner.commercial_partner_id.sudo()
                .with_company(company)
                .property_product_pricelist
            )
        if pricelist:
            prices = pricelist._get_products_price(products, 1.0)
        else:
            prices = {product.id: product.lst_price for product in products}
        return prices, pricelist.currency_id or company.currency_id

    @api.model
    def _portal_offers(self, partner, order_sudo=None):
        """What the portal shows ``partner``: their commercial entity's
        recommendations that they may buy, at their pricelist price (the
        order's on an order page), without what the order holds already.

        Returns ``[{"product": product, "price": float, "currency": currency}]``
        with the products in sudo: callers render names and prices only.
        """
        commercial = partner.commercial_partner_id
        company = order_sudo.company_id if order_sudo else partner.env.company
        domain = [
            ("partner_id", "=", commercial.id),
            ("company_id", "=", company.id),
            ("product_id.sale_ok", "=", True),
            ("product_id.active", "=", True),
            ("product_id.company_id", "in", (False, company.id)),
        ]
        if order_sudo:
            domain.append(
                ("product_id", "not in", order_sudo.order_line.product_id.ids)
            )
        # sudo: portal users read no recommendation rows; the domain keeps
        # to the user's own commercial partner.
        products = self.sudo().search(domain, limit=PORTAL_OFFERS).product_id
        prices, currency = self._offer_prices(products, partner, company, order_sudo)
        return [
            {"product": product, "price": prices[product.id], "currency": currency}
            for product in products
        ]
