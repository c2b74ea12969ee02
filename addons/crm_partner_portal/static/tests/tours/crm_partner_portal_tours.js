/** @odoo-module **/
import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("crm_partner_portal_register_deal", {
    url: "/my/registrations",
    steps: () => [
        {
            content: "Open the registration form",
            trigger: "a.o_register_deal",
            run: "click",
        },
        {
            content: "Customer company",
            trigger: "form.o_deal_registration_form input[name=customer_name]",
            run: "edit Toko Tour Sejahtera",
        },
        {
            content: "Contact",
            trigger: "input[name=contact_name]",
            run: "edit Sari",
        },
        {
            content: "A wrong email first",
            trigger: "input[name=email]",
            run: "edit not-an-email",
        },
        {
            content: "Expected revenue",
            trigger: "input[name=expected_revenue]",
            run: "edit 2500000",
        },
        {
            content: "Closing date",
            trigger: "input[name=date_expected_close]",
            run() {
                // Sixty days ahead: always a valid closing date.
                const day = new Date(Date.now() + 60 * 86400000);
                this.anchor.value = day.toISOString().slice(0, 10);
            },
        },
        {
            content: "Search a product by part of its name",
            trigger: "input.o_product_search",
            run: "edit beras",
        },
        {
            content: "Pick it from the results",
            trigger: ".o_product_results.show button:contains('Beras 25 kg')",
            run: "click",
        },
        {
            content: "It shows as chosen",
            trigger: ".o_product_chips li:contains('Beras 25 kg')",
        },
        {
            content: "Submit",
            trigger: "button.o_submit_registration",
            run: "click",
        },
        {
            content: "The error is shown and what was typed is kept",
            trigger: "input[name=customer_name][value='Toko Tour Sejahtera']",
        },
        {
            content: "The product chosen is kept too",
            trigger: ".o_product_chips li:contains('Beras 25 kg')",
        },
        {
            content: "Fix the email",
            trigger: "input[name=email].is-invalid",
            run: "edit sari@tokotour.co.id",
        },
        {
            content: "Submit again",
            trigger: "button.o_submit_registration",
            run: "click",
        },
        {
            content: "The registration is submitted",
            trigger: ".alert-success:contains('your registration is submitted')",
        },
        {
            content: "Its history is loaded",
            trigger: "#chatterRoot:shadow .o-mail-Thread",
        },
    ],
});

registry.category("web_tour.tours").add("crm_partner_portal_accept_lead", {
    steps: () => [
        {
            content: "The answer deadline is shown",
            trigger: ".o_partner_offer_deadline",
        },
        {
            content: "Interested",
            trigger: "a[data-bs-target='.modal_partner_assign_interested']",
            run: "click",
        },
        {
            content: "Next action",
            trigger: ".modal_partner_assign_interested input.comment_interested",
            run: "edit Visit on Monday",
        },
        {
            content: "Contacted",
            trigger: ".modal_partner_assign_interested input.contacted_interested",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal_partner_assign_interested .interested_partner_assign_confirm",
            run: "click",
        },
        {
            content: "Back on the leads list, the lead is now an opportunity",
            trigger: ".alert:contains('There are no leads')",
        },
    ],
});

/** Fails the tour when the page is wider than the phone's screen. */
function checkFitsTheScreen() {
    const width = document.documentElement.scrollWidth;
    if (width > window.innerWidth) {
        throw new Error(`The page is ${width}px wide on a ${window.innerWidth}px screen`);
    }
}

registry.category("web_tour.tours").add("crm_partner_portal_phone", {
    url: "/my/partner",
    steps: () => [
        {
            content: "The dashboard figures show",
            trigger: ".card:contains('Won revenue') .fw-bold",
            run: checkFitsTheScreen,
        },
        {
            content: "The pipeline card shows, with a sentence when it is empty",
            trigger: ".card:contains('Pipeline by stage'):contains('No opportunities yet')",
        },
        {
            content: "Open the submitted registrations",
            trigger: ".o_dashboard_registrations a[href*='filterby=submitted']",
            run: "click",
        },
        {
            content: "The list shows the registration, without widening the page",
            trigger: "td:contains('CV Maju Terus')",
            run: checkFitsTheScreen,
        },
        {
            content: "Register a new deal",
            trigger: "a.o_register_deal",
            run: "click",
        },
        {
            content: "The form shows its first field",
            trigger: "form.o_deal_registration_form input[name=customer_name]",
            run: checkFitsTheScreen,
        },
        {
            content: "Its submit button is there too",
            trigger: "button.o_submit_registration",
        },
    ],
});
