# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import textwrap

import numpy as np

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, html2plaintext

from crm_engine.recommend import expected_next_purchase

ANALYST = "crm_valuation.group_valuation_analyst"
# Records the panel serves, and the field holding their customer.
PANEL_MODELS = {
    "res.partner": "commercial_partner_id",
    "crm.lead": "partner_id",
    "sale.order": "partner_id",
    "helpdesk.ticket": "partner_id",
}
LIST_SIZE = 5
INTERACTION_COUNT = 10
INTERACTION_TYPES = ("email", "email_outgoing", "comment", "sms")


class CrmValuationCustomerPanel(models.AbstractModel):
    """The customer 360 panel: everything staff need about the customer of
    the record they have open, in one call.

    ``_panel_data`` returns the panel as a dict of sections; addons add their
    own section by overriding it (crm_tiering adds the tier) and show it in
    the ``crm_valuation.CustomerPanel`` template. Each section reads with the
    user's own rights: a section the user may not read is left out.
    """

    _name = "crm.valuation.customer.panel"
    _description = "Customer 360 Panel"

    @api.model
    def get_panel_data(self, res_model, res_id):
        """The panel of the customer of ``res_model`` record ``res_id``."""
        if not self.env.user._is_internal():
            raise AccessError(self.env._("The customer panel is for staff only."))
        if (
            res_model not in PANEL_MODELS
            or not isinstance(res_id, int)
            or (isinstance(res_id, bool))
        ):
            raise UserError(
                self.env._("The customer panel cannot be shown for this record.")
            )
        record = self.env[res_model].browse(res_id).exists()
        if not record:
            raise UserError(self.env._("This record no longer exists."))
        record.check_access("read")
        partner = record[PANEL_MODELS[res_model]].commercial_partner_id
        if not partner:
            return {"partner": False}
        return self._panel_data(partner, record)

    def _panel_data(self, partner, record):
        """The panel's sections for ``partner`` seen from ``record``; override
        to add a section."""
        company = self.env.company
        data = {
            "partner": {"id": partner.id, "name": partner.display_name},
            "currency_id": company.currency_id.id,
            "show_value": self.env.user.has_group(ANALYST),
        }
        # sudo: the latest value row of this one customer; its value figures
        # are shown to analysts only, the next purchase date to everybody.
        value_sudo = (
            self.env["crm.valuation.value"]
            .sudo()
            .search(
                [
                    ("is_latest", "=", True),
                    ("company_id", "=", company.id),
                    ("partner_id", "=", partner.id),
                ],
                limit=1,
            )
        )
        # Archived contacts too: their orders and messages are the customer's.
        contacts = (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search([("id", "child_of", partner.id)])
        )
        data["value"] = self._panel_value(value_sudo) if data["show_value"] else False
        data["next_purchase"] = self._panel_next_purchase(value_sudo)
        data["receivable"] = self._panel_receivable(contacts)
        data["orders"] = self._panel_orders(contacts)
        data["tickets"] = self._panel_tickets(partner)
        data["recommendations"] = self._panel_recommendations(partner, record)
        data["interactions"] = self._panel_interactions(contacts)
        data["can_add_lines"] = bool(
            record._name == "sale.order"
            and record.state in ("draft", "sent")
            and record.has_access("write")
        )
        return data

    def _panel_value(self, value):
        if not value:
            return False
        segments = dict(value._fields["segment"]._description_selection(self.env))
        return {
            "segment": value.segment,
            "segment_label": segments.get(value.segment, ""),
            "abc_class": (value.abc_class or "").upper(),
            "clv": value.clv,
            "revenue": value.revenue,
            "margin": value.margin,
            "p_alive": value.p_alive,
            "date": fields.Date.to_string(value.date),
        }

    def _panel_next_purchase(self, value_sudo):
        """When the customer's next purchase is due, from the latest valuation.

        The date alone is no value figure: every user of the panel sees it.
        """
        if not value_sudo or not value_sudo.last_purchase:
            return False
        due = expected_next_purchase(
            np.array([value_sudo.last_purchase], dtype="datetime64[D]"),
            [value_sudo.p_alive or 0.0],
            [value_sudo.expected_purchases or 0.0],
            value_sudo.run_id.valuation_horizon_months or 12,
        )[0]
        if np.isnat(due):
            return False
        today = fields.Date.context_today(self)
        return {
            "date": str(due),
            "late": due.item() < today,
        }

    def _panel_receivable(self, contacts):
        moves = self.env["account.move"]
        if not moves.has_access("read"):
            return False
        domain = [
            # the invoiced contacts, not the commercial partner: the first is
            # indexed, the second is not (a scan of every invoice)
            ("partner_id", "in", contacts.ids),
            ("company_id", "=", self.env.company.id),
            ("move_type", "in", ("out_invoice", "out_refund")),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
        ]
        today = fields.Date.context_today(self)
        due = overdue = count = 0
        # One query: the open amounts by due day, the overdue ones summed here.
        for day, amount, invoices in moves._read_group(
            domain, ["invoice_date_due:day"], ["amount_residual_signed:sum", "__count"]
        ):
            due += amount
            count += invoices
            if day and day < today:
                overdue += amount
        return {"due": due, "overdue": overdue, "invoices": count}

    def _panel_orders(self, contacts):
        orders = self.env["sale.order"]
        if not orders.has_access("read"):
            return False
        domain = [
            ("partner_id", "in", contacts.ids),
            ("company_id", "=", self.env.company.id),
            ("state", "!=", "cancel"),
        ]
        states = dict(orders._fields["state"]._description_selection(self.env))
        return {
            "count": orders.search_count(domain),
            "records": [
                {
                    "id": order.id,
                    "name": order.name,
                    "date": fields.Datetime.to_string(order.date_order),
                    "amount": order.amount_untaxed,
                    "currency_id": order.currency_id.id,
                    "state": states.get(order.state, order.state),
                    "confirmed": order.state == "sale",
                }
                for order in orders.search(
                    domain, order="date_order desc, id desc", limit=LIST_SIZE
                )
            ],
        }

    def _panel_tickets(self, partner):
        tickets = self.env["helpdesk.ticket"]
        if not tickets.has_access("read"):
            return False
        domain = [
            ("commercial_partner_id", "=", partner.id),
            ("stage_id.closed", "=", False),
        ]
        return {
            "count": tickets.search_count(domain),
            "records": [
                {
                    "id": ticket.id,
                    "name": f"{ticket.number} {ticket.name}",
                    "stage": ticket.stage_id.name,
                    "priority": ticket.priority,
                    "date": fields.Datetime.to_string(ticket.create_date),
                }
                for ticket in tickets.search(
                    domain, order="priority desc, create_date desc", limit=LIST_SIZE
                )
            ],
        }

    def _panel_recommendations(self, partner, record):
        recommendations = self.env["crm.valuation.recommendation"]
        if not recommendations.has_access("read"):
            return False
        domain = [
            ("partner_id", "=", partner.id),
            ("company_id", "=", self.env.company.id),
            ("product_id.sale_ok", "=", True),
        ]
        order = self.env["sale.order"]
        if record._name == "sale.order":
            domain.append(("product_id", "not in", record.order_line.product_id.ids))
            order = record
        kinds = dict(recommendations._fields["kind"]._description_selection(self.env))
        lines = recommendations.search(domain, limit=LIST_SIZE)
        # The offered products and those that led to them, named in one read.
        (lines.product_id | lines.because_product_id).mapped("display_name")
        prices, currency = recommendations._offer_prices(
            lines.product_id, partner, self.env.company, order
        )
        return [
            {
                "id": line.id,
                "product_id": line.product_id.id,
                "name": line.product_id.display_name,
                "price": prices[line.product_id.id],
                "currency_id": currency.id,
                "kind": line.kind,
                "kind_label": kinds[line.kind],
                "because": line.because_product_id.display_name or "",
            }
            for line in lines
        ]

    def _panel_interactions(self, contacts):
        """The latest emails, notes, logged calls and meetings, SMS and chats
        with the customer (``contacts``: its partners), on any of their
        records, newest first."""
        models = [
            model
            for model in ("crm.lead", "sale.order", "helpdesk.ticket")
            if self.env[model].has_access("read")
        ]
        documents = {"res.partner": contacts.ids}
        if models:
            # Ids only, in one query: the message search below checks that
            # the user may read each document.
            for model in models:
                self.env[model].flush_model(["partner_id"])
            rows = self.env.execute_query(
                SQL(" UNION ALL ").join(
                    SQL(
                        "SELECT %s, id FROM %s WHERE partner_id = ANY(%s)",
                        model,
                        SQL.identifier(self.env[model]._table),
                        contacts.ids,
                    )
                    for model in models
                )
            )
            for model, res_id in rows:
                documents.setdefault(model, []).append(res_id)
        where = [[("author_id", "in", contacts.ids)]]
        for model, ids in documents.items():
            if ids:
                where.append(["&", ("model", "=", model), ("res_id", "in", ids)])
        domain = ["|"] * (len(where) - 1) + [term for part in where for term in part]
        messages = self.env["mail.message"].search(
            [
                "|",
                ("message_type", "in", INTERACTION_TYPES),
                ("mail_activity_type_id", "!=", False),
                *domain,
            ],
            order="date desc, id desc",
            limit=INTERACTION_COUNT,
        )
        return [self._panel_interaction(message) for message in messages]

    def _panel_interaction(self, message):
        channel, label = self._interaction_channel(message)
        text = html2plaintext(message.body or "") or message.subject or ""
        return {
            "id": message.id,
            "date": fields.Datetime.to_string(message.date),
            "channel": channel,
            "channel_label": label,
            "author": message.author_id.display_name or "",
            "summary": textwrap.shorten(text, 140, placeholder=" …"),
            "model": message.model,
            "res_id": message.res_id,
            "record_name": message.record_name or "",
        }

    def _interaction_channel(self, message):
        category = message.mail_activity_type_id.category
        if message.model == "discuss.channel":
            return "chat", self.env._("Chat")
        if message.message_type == "sms":
            return "sms", self.env._("SMS")
        if category == "phonecall":
            return "call", self.env._("Call")
        if category == "meeting":
            return "meeting", self.env._("Meeting")
        if message.mail_activity_type_id:
            return "activity", self.env._("Activity")
        if message.message_type in ("email", "email_outgoing"):
            return "email", self.env._("Email")
        if message.subtype_id.internal:
            return "note", self.env._("Note")
        return "message", self.env._("Message")
