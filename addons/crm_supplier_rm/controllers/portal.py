# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import binascii
import datetime

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.addons.purchase.controllers.portal import CustomerPortal

PAGE_SIZE = 20
MAX_UPLOAD = 10 * 1024 * 1024
MAX_TEXT = 2000
DONE_MESSAGES = ("acknowledged", "dates", "quote", "feedback", "certificate")


def _parse_date(text):
    """A yyyy-mm-dd date from a form, or None when empty; ValueError otherwise."""
    text = (text or "").strip()
    if not text:
        return None
    return datetime.date.fromisoformat(text)


def _parse_price(text):
    text = (text or "").strip().replace(",", ".")
    if not text:
        return None
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(text)
    return value


class SupplierPortal(CustomerPortal):
    """The supplier's pages: its scorecards, certificates, and its answers on
    its own requests for quotation and orders."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        card_model = request.env["crm.supplier.scorecard"]
        if "srm_scorecard_count" in counters:
            values["srm_scorecard_count"] = (
                card_model.search_count(self._srm_card_domain())
                if card_model.has_access("read")
                else 0
            )
        if "srm_certificate_count" in counters:
            values["srm_certificate_count"] = len(self._srm_certificates_sudo())
        return values

    # Helpers ------------------------------------------------------------------

    def _srm_supplier(self):
        """The user's commercial partner when it is one of our suppliers."""
        return request.env.user.commercial_partner_id

    def _srm_card_domain(self):
        return [("partner_id", "child_of", self._srm_supplier().ids)]

    def _srm_certificates_sudo(self):
        supplier = self._srm_supplier()
        if request.env.user._is_public() or not supplier.supplier_rank:
            return request.env["crm.supplier.certificate"]
        # sudo: suppliers have no access to the model; the domain holds them
        # to their own certificates.
        return (
            request.env["crm.supplier.certificate"]
            .sudo()
            .search([("partner_id", "=", supplier.id)])
        )

    def _srm_own_order_sudo(self, order_id):
        """The order, when the logged-in user is its supplier; else NotFound."""
        order = request.env["purchase.order"].browse(order_id)
        try:
            order.check_access("read")
            if not order.exists():
                raise MissingError(order_id)
        except (AccessError, MissingError) as error:
            raise NotFound() from error
        order_sudo = order.sudo()
        if order_sudo.partner_id.commercial_partner_id != self._srm_supplier():
            raise NotFound()
        return order_sudo

    def _srm_order_page(self, order_sudo, error):
        values = self._purchase_order_get_page_view_values(order_sudo, None)
        values["srm_error"] = error
        return request.render("purchase.portal_my_purchase_order", values)

    def _purchase_order_get_page_view_values(self, order, access_token, **kwargs):
        values = super()._purchase_order_get_page_view_values(
            order, access_token, **kwargs
        )
        done = kwargs.get("srm_done")
        values["srm_done"] = done if done in DONE_MESSAGES else False
        values["srm_is_supplier"] = (
            not request.env.user._is_public()
            and order.partner_id.commercial_partner_id == self._srm_supplier()
        )
        return values

    # Orders and requests for quotation ----------------------------------------

    @http.route(
        "/my/purchase/<int:order_id>/srm_acknowledge",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def srm_acknowledge(self, order_id, **kw):
        order_sudo = self._srm_own_order_sudo(order_id)
        try:
            with request.env.cr.savepoint():
                order_sudo._srm_acknowledge(request.env.user)
        except UserError as error:
            return self._srm_order_page(order_sudo, str(error))
        return request.redirect(f"/my/purchase/{order_id}?srm_done=acknowledged")

    @http.route(
        "/my/purchase/<int:order_id>/srm_dates",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def srm_propose_dates(self, order_id, **kw):
        order_sudo = self._srm_own_order_sudo(order_id)
        note = (kw.get("note") or "").strip()[:MAX_TEXT]
        try:
            proposals = {}
            for line in order_sudo.order_line.filtered(
                lambda line: not line.display_type
            ):
                try:
                    day = _parse_date(kw.get(f"date_{line.id}"))
                except ValueError as error:
                    raise UserError(
                        request.env._("%(line)s: not a date.", line=line.name)
                    ) from error
                if day and day != line.date_planned.date():
                    proposals[line] = day
            with request.env.cr.savepoint():
                order_sudo._srm_propose_dates(request.env.user, proposals, note)
        except UserError as error:
            return self._srm_order_page(order_sudo, str(error))
        return request.redirect(f"/my/purchase/{order_id}?srm_done=dates")

    @http.route(
        "/my/purchase/<int:order_id>/srm_quote",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def srm_answer_rfq(self, order_id, **kw):
        order_sudo = self._srm_own_order_sudo(order_id)
        note = (kw.get("note") or "").strip()[:MAX_TEXT]
        try:
            answers = {}
            for line in order_sudo.order_line.filtered(
                lambda line: not line.display_type
            ):
                try:
                    price = _parse_price(kw.get(f"price_{line.id}"))
                    day = _parse_date(kw.get(f"date_{line.id}"))
                except ValueError as error:
                    raise UserError(
                        request.env._(
                            "%(line)s: enter the price as a number and the date as "
                            "a date.",
                            line=line.name,
                        )
                    ) from error
                if day and line.date_planned and day == line.date_planned.date():
                    day = None
                if price is not None:
                    answers[line] = (price, day)
            with request.env.cr.savepoint():
                order_sudo._srm_answer_rfq(request.env.user, answers, note)
        except UserError as error:
            return self._srm_order_page(order_sudo, str(error))
        return request.redirect(f"/my/purchase/{order_id}?srm_done=quote")

    # Scorecards -----------------------------------------------------------------

    @http.route(
        ["/my/scorecards", "/my/scorecards/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def srm_scorecards(self, page=1, sortby=None, filterby=None, **kw):
        card_model = request.env["crm.supplier.scorecard"]
        if not card_model.has_access("read"):
            return request.redirect("/my")
        sortings = {
            "date": {
                "label": request.env._("Newest"),
                "order": "date_start desc, id desc",
            },
            "score": {"label": request.env._("Score"), "order": "score asc, id desc"},
        }
        filters = {
            "all": {"label": request.env._("All"), "domain": []},
            "scored": {
                "label": request.env._("Scored"),
                "domain": [("state", "=", "scored")],
            },
            "contested": {
                "label": request.env._("Contested"),
                "domain": [("feedback_state", "=", "contested")],
            },
            "pending": {
                "label": request.env._("To Answer"),
                "domain": [
                    ("state", "=", "scored"),
                    ("feedback_state", "=", "pending"),
                ],
            },
        }
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "all"
        domain = [*self._srm_card_domain(), *filters[filterby]["domain"]]
        count = card_model.search_count(domain)
        pager = portal_pager(
            url="/my/scorecards",
            url_args={"sortby": sortby, "filterby": filterby},
            total=count,
            page=page,
            step=PAGE_SIZE,
        )
        cards = card_model.search(
            domain,
            order=sortings[sortby]["order"],
            limit=PAGE_SIZE,
            offset=pager["offset"],
        )
        history = card_model.search(
            [*self._srm_card_domain(), ("state", "=", "scored")],
            order="date_start",
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "cards": cards,
                "history": history,
                "page_name": "srm_scorecards",
                "pager": pager,
                "default_url": "/my/scorecards",
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": filters,
                "filterby": filterby,
            }
        )
        return request.render("crm_supplier_rm.portal_my_scorecards", values)

    @http.route("/my/scorecards/<int:card_id>", type="http", auth="user", website=True)
    def srm_scorecard(self, card_id, access_token=None, srm_done=None, **kw):
        try:
            card_sudo = self._document_check_access(
                "crm.supplier.scorecard", card_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        return self._srm_render_scorecard(card_sudo, srm_done=srm_done)

    def _srm_render_scorecard(self, card_sudo, srm_done=None, error=None):
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "card": card_sudo,
                "page_name": "srm_scorecard",
                "srm_done": srm_done if srm_done in DONE_MESSAGES else False,
                "srm_error": error,
            }
        )
        return request.render("crm_supplier_rm.portal_my_scorecard", values)

    @http.route(
        "/my/scorecards/<int:card_id>/feedback",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def srm_scorecard_feedback(self, card_id, answer=None, comment=None, **kw):
        card = request.env["crm.supplier.scorecard"].browse(card_id)
        try:
            card.check_access("read")
            if not card.exists():
                raise MissingError(card_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        # sudo: the card is the user's own (checked above); suppliers cannot
        # write cards, only answer them through this route.
        card_sudo = card.sudo()
        if card_sudo.partner_id.commercial_partner_id != self._srm_supplier():
            return request.redirect("/my")
        try:
            with request.env.cr.savepoint():
                card_sudo._record_feedback(answer, comment, request.env.user)
        except UserError as error:
            return self._srm_render_scorecard(card_sudo, error=str(error))
        return request.redirect(f"/my/scorecards/{card_id}?srm_done=feedback")

    # Certificates ----------------------------------------------------------------

    @http.route("/my/certificates", type="http", auth="user", website=True)
    def srm_certificates(self, srm_done=None, **kw):
        if not self._srm_supplier().supplier_rank:
            return request.redirect("/my")
        return self._srm_render_certificates(srm_done=srm_done)

    def _srm_render_certificates(self, srm_done=None, error=None, form=None):
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "certificates": self._srm_certificates_sudo(),
                "kinds": request.env["crm.supplier.certificate"]
                ._fields["kind"]
                ._description_selection(request.env),
                "page_name": "srm_certificates",
                "srm_done": srm_done if srm_done in DONE_MESSAGES else False,
                "srm_error": error,
                "form": form or {},
            }
        )
        return request.render("crm_supplier_rm.portal_my_certificates", values)

    @http.route(
        "/my/certificates/upload",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def srm_certificate_upload(self, **kw):
        supplier = self._srm_supplier()
        if not supplier.supplier_rank:
            return request.redirect("/my")
        form = {
            key: (kw.get(key) or "").strip()[:200]
            for key in ("name", "kind", "reference", "issue_date", "expiry_date")
        }
        try:
            vals = self._srm_certificate_vals(form, kw.get("document"))
            with request.env.cr.savepoint():
                # sudo: suppliers cannot create certificates in the back
                # office; this one is tied to the user's own company.
                request.env["crm.supplier.certificate"].sudo().create(
                    {**vals, "partner_id": supplier.id, "uploaded_by": request.env.uid}
                )
        except (UserError, ValidationError) as error:
            return self._srm_render_certificates(error=str(error), form=form)
        return request.redirect("/my/certificates?srm_done=certificate")

    def _srm_certificate_vals(self, form, upload):
        kinds = dict(
            request.env["crm.supplier.certificate"]
            ._fields["kind"]
            ._description_selection(request.env)
        )
        if not form["name"]:
            raise UserError(request.env._("Give the certificate's name."))
        if form["kind"] not in kinds:
            raise UserError(request.env._("Choose the type of certificate."))
        try:
            expiry = _parse_date(form["expiry_date"])
            issued = _parse_date(form["issue_date"])
        except ValueError as error:
            raise UserError(
                request.env._("Dates are written as year-month-day.")
            ) from error
        if not expiry:
            raise UserError(request.env._("Give the expiry date."))
        if issued and issued > expiry:
            raise UserError(request.env._("A certificate expires after it is issued."))
        if not upload or not getattr(upload, "filename", None):
            raise UserError(request.env._("Attach the certificate (PDF or image)."))
        content = upload.read(MAX_UPLOAD + 1)
        if not content:
            raise UserError(request.env._("The file is empty."))
        if len(content) > MAX_UPLOAD:
            raise UserError(request.env._("The file is larger than 10 MB."))
        try:
            document = base64.b64encode(content)
        except (TypeError, binascii.Error) as error:
            raise UserError(request.env._("The file could not be read.")) from error
        return {
            "name": form["name"],
            "kind": form["kind"],
            "reference": form["reference"] or False,
            "issue_date": issued or False,
            "expiry_date": expiry,
            "document": document,
            "document_name": upload.filename[:200],
        }
