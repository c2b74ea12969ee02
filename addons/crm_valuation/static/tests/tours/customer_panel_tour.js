/** @odoo-module **/
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("crm_valuation_customer_panel", {
    steps: () => [
        {
            content: "Open the customer's 360 panel on the quotation",
            trigger: ".o_form_view .o_notebook a.nav-link:contains('Customer 360')",
            run: "click",
        },
        {
            content: "The panel shows the customer's value and recommendations",
            trigger: ".o_crm_customer_panel .o_crm_panel_figures:contains('Lifetime value')",
        },
        {
            content: "Add the recommended toner in one click",
            trigger: ".o_crm_customer_panel li:contains('Toner') button:contains('Add')",
            run: "click",
        },
        {
            content: "The toner is no longer proposed: it is on the quotation",
            trigger: ".o_crm_customer_panel:not(:has(li:contains('Toner')))",
        },
        {
            trigger: ".o_form_view .o_notebook a.nav-link:contains('Order Lines')",
            run: "click",
        },
        {
            content: "The quotation has a toner line",
            trigger: ".o_field_one2many[name=order_line] td:contains('Toner')",
        },
    ],
});
