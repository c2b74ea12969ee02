# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import uuid
from datetime import date, timedelta

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools import email_normalize, escape_psql

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from crm_engine.partner import aging, statement_totals
from crm_engine.partner.levels import gap_to_next

# Longest text accepted per registration field.
FIELD_LIMITS = {
    "customer_name": 128,
    "customer_vat": 32,
    "contact_name": 128,
    "email": 254,
    "phone": 32,
    "description": 5000,
}
MAX_REVENUE = 1e13
MAX_CLOSE_YEARS = 3
MAX_PRODUCTS = 50
# Products shown in the registration form's select (the form without
# JavaScript) and found at most by one search as the reseller types.
MAX_PRODUCT_OPTIONS = 500
MAX_PRODUCT_RESULTS = 20
MAX_PRODUCT_TERM = 64


class PartnerPortal(CustomerPortal):
    # Home ---------------------------------------------------------------------

    def _reseller(self):
        """The current user's company when it is a graded reseller, else None."""
        commercial = request.env.user.commercial_partner_id
        return (
            commercial
            if commercial.grade_id and not request.env.user._is_public()
            else None
        )

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        Registration = request.env["crm.deal.registration"]
        if "registration_count" in counters:
            values["registration_count"] = (
                Registration.search_count([]) if Registration.has_access("read") else 0
            )
        Commission = request.env["crm.partner.commission"]
        if "commission_count" in counters:
            values["commission_count"] = (
                Commission.search_count([]) if Commission.has_access("read") else 0
            )
        return values

    # Deal registrations -------------------------------------------------------

    def _registration_sortings(self):
        return {
            "date": {
                "label": request.env._("Newest"),
                "order": "create_date desc, id desc",
            },
            "customer": {
                "label": request.env._("Customer"),
                "order": "customer_name, id",
            },
            "revenue": {
                "label": request.env._("Expected Revenue"),
                "order": "expected_revenue desc, id",
            },
            "close": {
                "label": request.env._("Expected Closing"),
                "order": "date_expected_close, id",
            },
            "state": {"label": request.env._("Status"), "order": "state, id"},
        }

    def _registration_filters(self):
        return {
            "all": {"label": request.env._("All"), "domain": []},
            "submitted": {
                "label": request.env._("Submitted"),
                "domain": [("state", "=", "submitted")],
            },
            "approved": {
                "label": request.env._("Approved"),
                "domain": [("state", "=", "approved")],
            },
            "rejected": {
                "label": request.env._("Rejected"),
                "domain": [("state", "=", "rejected")],
            },
            "expired": {
                "label": request.env._("Expired"),
                "domain": [("state", "=", "expired")],
            },
        }

    def _registration_search_inputs(self):
        return {
            "all": {"input": "all", "label": request.env._("Search in All")},
            "customer": {
                "input": "customer",
                "label": request.env._("Search in Customer"),
            },
            "name": {"input": "name", "label": request.env._("Search in Reference")},
        }

    def _registration_search_domain(self, search_in, search):
        if search_in == "customer":
            return [("customer_name", "ilike", search)]
        if search_in == "name":
            return [("name", "ilike", search)]
        return [
            "|",
            "|",
            ("name", "ilike", search),
            ("customer_name", "ilike", search),
            ("contact_name", "ilike", search),
        ]

    @http.route(
        ["/my/registrations", "/my/registrations/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_registrations(
        self, page=1, sortby=None, filterby=None, search=None, search_in="all", **kw
    ):
        if not self._reseller():
            return request.redirect("/my")
        Registration = request.env["crm.deal.registration"]
        sortings = self._registration_sortings()
        filters = self._registration_filters()
        inputs = self._registration_search_inputs()
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "all"
        search_in = search_in if search_in in inputs else "all"
        domain = list(filters[filterby]["domain"])
        if search:
            domain += self._registration_search_domain(search_in, search)
        count = Registration.search_count(domain)
        pager = portal_pager(
            url="/my/registrations",
            url_args={
                "sortby": sortby,
                "filterby": filterby,
                "search": search,
                "search_in": search_in,
            },
            total=count,
            page=page,
            step=self._items_per_page,
        )
        registrations = Registration.search(
            domain,
            order=sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "registrations": registrations,
                "page_name": "registration",
                "default_url": "/my/registrations",
                "pager": pager,
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": filters,
                "filterby": filterby,
                "searchbar_inputs": inputs,
                "search_in": search_in,
                "search": search,
            }
        )
        return request.render("crm_partner_portal.portal_my_registrations", values)

    @http.route(
        ["/my/registrations/<int:registration_id>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_registration_page(self, registration_id, access_token=None, **kw):
        try:
            registration_sudo = self._document_check_access(
                "crm.deal.registration", registration_id, access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update({"registration": registration_sudo, "page_name": "registration"})
        values = self._get_page_view_values(
            registration_sudo, access_token, values, "my_registrations_history", False
        )
        return request.render("crm_partner_portal.portal_registration_page", values)

    def _registration_product_domain(self):
        """Products a reseller may name in a registration: active goods we
        sell, shared or of one of the user's companies."""
        return [
            ("sale_ok", "=", True),
            ("type", "!=", "service"),
            ("active", "=", True),
            ("company_id", "in", [False, *request.env.user.company_ids.ids]),
        ]

    def _registration_form_values(self, form=None, errors=None):
        reseller = self._reseller()
        # sudo: portal users cannot read products; the domain keeps the
        # ones a reseller may name.
        Product = request.env["product.product"].sudo()
        domain = self._registration_product_domain()
        products = Product.search(domain, order="name", limit=MAX_PRODUCT_OPTIONS)
        chosen = (form or {}).get("product_ids") or []
        if chosen:
            # What the reseller picked stays picked, even beyond the list.
            products |= Product.search([("id", "in", chosen), *domain])
        return {
            **self._prepare_portal_layout_values(),
            "page_name": "registration_new",
            "reseller": reseller,
            "products": products,
            "form": form or {"submit_token": uuid.uuid4().hex},
            "errors": errors or {},
            "today": fields.Date.context_today(request.env.user),
        }

    def _parse_registration(self, form):
        """``(vals, errors)`` of a posted registration form; every field is
        checked here, nothing from the form is trusted."""
        errors = {}
        vals = self._parse_texts(form, errors)
        revenue = self._parse_revenue(form.get("expected_revenue"), errors)
        if revenue is not None:
            vals["expected_revenue"] = revenue
        close = self._parse_close_date(form.get("date_expected_close"), errors)
        if close:
            vals["date_expected_close"] = close
        products = self._parse_products(
            request.httprequest.form.getlist("product_ids"), errors
        )
        if products:
            vals["product_ids"] = [fields.Command.set(products.ids)]
        token = (form.get("submit_token") or "").strip()
        if not token or len(token) > 64 or not token.isalnum():
            errors["form"] = request.env._(
                "This form has expired: please reload the page."
            )
        vals["submit_token"] = token
        return vals, errors

    def _parse_texts(self, form, errors):
        vals = {}
        for name, limit in FIELD_LIMITS.items():
            text = (form.get(name) or "").strip()
            if len(text) > limit:
                errors[name] = request.env._(
                    "At most %(limit)s characters.", limit=limit
                )
            vals[name] = text
        for name in ("customer_name", "contact_name", "email"):
            if not vals[name] and name not in errors:
                errors[name] = request.env._("Please fill this in.")
        if vals["email"] and "email" not in errors:
            normalized = email_normalize(vals["email"])
            if normalized:
                vals["email"] = normalized
            else:
                errors["email"] = request.env._("This is not an email address.")
        return vals

    def _parse_revenue(self, raw, errors):
        text = (raw or "").strip().replace(",", "")
        try:
            revenue = float(text)
        except ValueError:
            revenue = None
        # NaN and infinity fail the range check too.
        if revenue is None or not 0 < revenue < MAX_REVENUE:
            errors["expected_revenue"] = request.env._(
                "Enter an amount above zero, digits only."
            )
            return None
        return revenue

    def _parse_close_date(self, raw, errors):
        today = fields.Date.context_today(request.env.user)
        try:
            close = date.fromisoformat((raw or "").strip())
        except ValueError:
            errors["date_expected_close"] = request.env._("Enter a date (YYYY-MM-DD).")
            return None
        if close < today:
            errors["date_expected_close"] = request.env._(
                "The closing date cannot be in the past."
            )
        elif close > today + timedelta(days=366 * MAX_CLOSE_YEARS):
            errors["date_expected_close"] = request.env._(
                "Choose a date within three years."
            )
        return close

    def _parse_products(self, raw_ids, errors):
        """The products chosen, each checked to be one we sell."""
        Product = request.env["product.product"]
        unknown = request.env._(
            "A product chosen is not one we sell to you: pick the products "
            "again from the list."
        )
        try:
            product_ids = {int(raw) for raw in raw_ids}
        except ValueError:
            errors["product_ids"] = unknown
            return Product
        if len(product_ids) > MAX_PRODUCTS:
            errors["product_ids"] = request.env._(
                "Choose at most %(count)s products.", count=MAX_PRODUCTS
            )
            return Product
        if not product_ids:
            return Product
        # sudo: portal users cannot read products; only sale_ok ids pass.
        found = Product.sudo().search(
            [("id", "in", list(product_ids)), *self._registration_product_domain()]
        )
        if len(found) != len(product_ids):
            errors["product_ids"] = unknown
        return found

    @http.route(
        ["/my/registrations/products"], type="json", auth="user", methods=["POST"]
    )
    def portal_registration_products(self, term=""):
        """At most ``MAX_PRODUCT_RESULTS`` products whose name or reference
        holds ``term`` (literally: ``%`` and ``_`` are no wildcards), for the
        registration form's search as the reseller types."""
        if not self._reseller():
            raise AccessError(
                request.env._("Only resellers may search products to register a deal.")
            )
        if not isinstance(term, str):
            return {"products": [], "error": request.env._("Type a product name.")}
        term = term.strip()
        if len(term) > MAX_PRODUCT_TERM:
            return {
                "products": [],
                "error": request.env._(
                    "Type at most %(count)s characters.", count=MAX_PRODUCT_TERM
                ),
            }
        if not term:
            return {"products": []}
        pattern = escape_psql(term)
        # sudo: portal users cannot read products; the domain keeps the ones
        # a reseller may name.
        products = (
            request.env["product.product"]
            .sudo()
            .search(
                [
                    *self._registration_product_domain(),
                    "|",
                    ("name", "ilike", pattern),
                    ("default_code", "ilike", pattern),
                ],
                order="name, id",
                limit=MAX_PRODUCT_RESULTS + 1,
            )
        )
        return {
            "products": [
                {"id": product.id, "name": product.display_name}
                for product in products[:MAX_PRODUCT_RESULTS]
            ],
            "more": len(products) > MAX_PRODUCT_RESULTS,
        }

    @http.route(
        ["/my/registrations/new"],
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_registration_new(self, **form):
        reseller = self._reseller()
        if not reseller:
            return request.redirect("/my")
        if request.httprequest.method != "POST":
            return request.render(
                "crm_partner_portal.portal_registration_form",
                self._registration_form_values(),
            )
        vals, errors = self._parse_registration(form)
        Registration = request.env["crm.deal.registration"]
        if not errors:
            sent = Registration.search(
                [
                    ("submit_token", "=", vals["submit_token"]),
                    ("partner_id", "=", reseller.id),
                ],
                limit=1,
            )
            if sent:
                return request.redirect(f"/my/registrations/{sent.id}?duplicate=1")
            registration = self._create_registration(reseller, vals)
            return request.redirect(f"/my/registrations/{registration.id}?submitted=1")
        form["product_ids"] = [
            int(p)
            for p in request.httprequest.form.getlist("product_ids")
            if p.isdigit()
        ]
        return request.render(
            "crm_partner_portal.portal_registration_form",
            self._registration_form_values(form=form, errors=errors),
        )

    def _create_registration(self, reseller, vals):
        vals.update(
            {
                "partner_id": reseller.id,
                "submitted_by_id": request.env.user.id,
                "company_id": request.env.user.company_id.id,
            }
        )
        # sudo: resellers only read registrations; every value was validated
        # above and the reseller is the user's own company.
        return request.env["crm.deal.registration"].sudo().create(vals)

    # Dashboard ----------------------------------------------------------------

    @http.route(["/my/partner"], type="http", auth="user", website=True)
    def portal_partner_dashboard(self, **kw):
        reseller = self._reseller()
        if not reseller:
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update(self._dashboard_values(reseller))
        values["page_name"] = "partner_dashboard"
        return request.render("crm_partner_portal.portal_partner_dashboard", values)

    def _dashboard_values(self, reseller):
        env = request.env
        # sudo: the figures of the user's own company only (ids=[reseller]);
        # the counts keep to the rows its record rules let it read.
        reseller_sudo = reseller.sudo()
        counts = reseller_sudo._reseller_dashboard_counts(env.companies.ids)
        stages = env["crm.stage"].search_fetch(
            [("id", "in", [key for key in counts["pipeline"] if key])], ["name"]
        )
        names = [(stage.id, stage.name) for stage in stages]
        if False in counts["pipeline"]:
            names.append((False, env._("No stage")))
        pipeline = [
            {
                "stage": name,
                "count": counts["pipeline"][key][0],
                "revenue": counts["pipeline"][key][1],
            }
            for key, name in names
        ]
        figures = reseller_sudo._partner_performance(
            *reseller_sudo._performance_window()
        )[reseller.id]
        rules = env["res.partner.grade"].sudo()._level_rules()
        gap = gap_to_next(figures, rules, reseller.grade_id.id)
        next_grade = env["res.partner.grade"].sudo().browse(gap["key"]) if gap else None
        # sudo: the offers of the reseller and its contacts in the user's
        # companies, as the record rules allow.
        offers = (
            env["crm.partner.offer"]
            .sudo()
            .search_fetch(
                [
                    ("state", "=", "offered"),
                    ("partner_id", "child_of", reseller.id),
                    ("company_id", "in", [*env.companies.ids, False]),
                ],
                ["lead_id", "date_deadline"],
                order="date_deadline",
            )
        )
        return {
            "reseller": reseller,
            "pipeline": pipeline,
            "pipeline_max": max((row["revenue"] for row in pipeline), default=0) or 1,
            "figures": figures,
            "gap": gap,
            "next_grade": next_grade,
            "commissions": statement_totals(counts["commissions"]),
            "registration_counts": counts["registrations"],
            "offers": offers,
            "currency": env.company.currency_id,
        }

    # Commissions --------------------------------------------------------------

    def _commission_periods(self):
        today = fields.Date.context_today(request.env.user)
        month = today.replace(day=1)
        last_month = (month - timedelta(days=1)).replace(day=1)
        quarter = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
        year = today.replace(month=1, day=1)
        return {
            "all": {"label": request.env._("All Time"), "domain": []},
            "month": {
                "label": request.env._("This Month"),
                "domain": [("date", ">=", month)],
            },
            "last_month": {
                "label": request.env._("Last Month"),
                "domain": [("date", ">=", last_month), ("date", "<", month)],
            },
            "quarter": {
                "label": request.env._("This Quarter"),
                "domain": [("date", ">=", quarter)],
            },
            "year": {
                "label": request.env._("This Year"),
                "domain": [("date", ">=", year)],
            },
        }

    @http.route(
        ["/my/commissions", "/my/commissions/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_commissions(self, page=1, filterby=None, sortby=None, **kw):
        if not self._reseller():
            return request.redirect("/my")
        Commission = request.env["crm.partner.commission"]
        periods = self._commission_periods()
        filterby = filterby if filterby in periods else "all"
        sortings = {
            "date": {"label": request.env._("Newest"), "order": "date desc, id desc"},
            "amount": {
                "label": request.env._("Commission"),
                "order": "amount desc, id",
            },
            "state": {"label": request.env._("Status"), "order": "state, date desc"},
        }
        sortby = sortby if sortby in sortings else "date"
        domain = periods[filterby]["domain"]
        count = Commission.search_count(domain)
        pager = portal_pager(
            url="/my/commissions",
            url_args={"filterby": filterby, "sortby": sortby},
            total=count,
            page=page,
            step=self._items_per_page,
        )
        rows = Commission.search(
            domain,
            order=sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "commissions": rows,
                "totals": Commission._statement_for(domain),
                "page_name": "commission",
                "default_url": "/my/commissions",
                "pager": pager,
                "searchbar_filters": periods,
                "filterby": filterby,
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "currency": request.env.company.currency_id,
            }
        )
        return request.render("crm_partner_portal.portal_my_commissions", values)

    @http.route(["/my/commissions/xlsx"], type="http", auth="user", website=True)
    def portal_commissions_xlsx(self, filterby=None, **kw):
        if not self._reseller():
            return request.redirect("/my")
        periods = self._commission_periods()
        filterby = filterby if filterby in periods else "all"
        # Read as the reseller: the record rules keep the rows to its own.
        rows = request.env["crm.partner.commission"].search(periods[filterby]["domain"])
        # sudo: portal users cannot read report actions; the rows are the
        # user's own and are read again without sudo by the report.
        content, _kind = (
            request.env["ir.actions.report"]
            .sudo()
            ._render_xlsx("crm_partner_portal.commission_statement_xlsx", rows.ids, {})
        )
        return request.make_response(
            content,
            headers=[
                (
                    "Content-Type",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
                (
                    "Content-Disposition",
                    'attachment; filename="commission-statement.xlsx"',
                ),
            ],
        )

    # Customer account ---------------------------------------------------------

    @http.route(["/my/overview"], type="http", auth="user", website=True)
    def portal_account_overview(self, **kw):
        values = self._prepare_portal_layout_values()
        values.update(self._account_overview_values())
        values["page_name"] = "account_overview"
        return request.render("crm_partner_portal.portal_account_overview", values)

    def _account_overview_values(self):
        env = request.env
        commercial = env.user.commercial_partner_id
        today = fields.Date.context_today(env.user)
        invoices = env["account.move"].search(
            [
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
                ("partner_id", "child_of", commercial.id),
            ],
            order="invoice_date_due, id",
        )
        summary = aging(
            [(move.invoice_date_due, move.amount_residual_signed) for move in invoices],
            today,
        )
        # sudo: credit figures of the user's own company only.
        commercial_sudo = commercial.sudo()
        credit_limit = (
            commercial_sudo.credit_limit
            if env.company.account_use_credit_limit
            and commercial_sudo.use_partner_credit_limit
            else 0.0
        )
        orders = env["sale.order"].search(
            [
                ("partner_id", "child_of", commercial.id),
                ("state", "=", "sale"),
                ("delivery_status", "in", ("pending", "started", "partial")),
            ],
            order="date_order desc",
            limit=20,
        )
        Ticket = env["helpdesk.ticket"]
        tickets = (
            Ticket.search(
                [
                    ("stage_id.closed", "=", False),
                    ("partner_id", "child_of", commercial.id),
                ],
                order="target_date, id",
                limit=20,
            )
            if Ticket.has_access("read")
            else Ticket
        )
        return {
            "invoices": invoices,
            "aging": summary,
            "aging_labels": self._aging_labels(),
            "credit_limit": credit_limit,
            "credit_used": commercial_sudo.credit if credit_limit else 0.0,
            "orders": orders,
            "tickets": tickets,
            "today": today,
            "currency": env.company.currency_id,
        }

    def _aging_labels(self):
        return {
            "not_due": request.env._("Not due yet"),
            "1_30": request.env._("1-30 days late"),
            "31_60": request.env._("31-60 days late"),
            "61_90": request.env._("61-90 days late"),
            "over_90": request.env._("Over 90 days late"),
        }
