/** @odoo-module **/
/*
 * Deal registration form: search products as you type.
 *
 * The form posts the options selected in its <select name="product_ids">;
 * without JavaScript the reseller picks them there. This widget hides the
 * select, asks /my/registrations/products for the products matching what is
 * typed, and selects (adding it when missing) the option of a product picked;
 * the chosen products show as removable chips.
 */
import {_t} from "@web/core/l10n/translation";
import {rpc} from "@web/core/network/rpc";
import {debounce} from "@web/core/utils/timing";
import publicWidget from "@web/legacy/js/public/public_widget";

publicWidget.registry.CrmPartnerPortalProductSearch = publicWidget.Widget.extend({
    selector: ".o_deal_registration_form .o_registration_products",
    events: {
        "input .o_product_search": "_onInput",
        "keydown .o_product_picker": "_onKeydown",
        "focusout .o_product_picker": "_onFocusOut",
        "click .o_product_results button": "_onPick",
        "click .o_product_chips button": "_onRemove",
    },

    start() {
        this.select = this.el.querySelector("select[name=product_ids]");
        this.input = this.el.querySelector(".o_product_search");
        this.results = this.el.querySelector(".o_product_results");
        this.chips = this.el.querySelector(".o_product_chips");
        this.status = this.el.querySelector(".o_product_status");
        this.select.classList.add("d-none");
        this.el.querySelector(".o_product_picker").classList.remove("d-none");
        this.el.querySelector("label[for=product_ids]").htmlFor = this.input.id;
        this.searchId = 0;
        this._search = debounce(this._search.bind(this), 250);
        this._renderChips();
        return this._super(...arguments);
    },

    // Chips ----------------------------------------------------------------

    _renderChips() {
        this.chips.replaceChildren(
            ...[...this.select.selectedOptions].map((option) => {
                const chip = document.createElement("li");
                chip.className =
                    "d-flex align-items-center gap-2 border rounded-pill bg-light text-body ps-3 pe-2 py-1";
                const name = document.createElement("span");
                name.textContent = option.textContent;
                const remove = document.createElement("button");
                remove.type = "button";
                remove.className = "btn-close";
                remove.dataset.productId = option.value;
                remove.setAttribute("aria-label", _t("Remove %s", option.textContent));
                chip.append(name, remove);
                return chip;
            })
        );
    },

    _onRemove(ev) {
        const option = this._option(ev.currentTarget.dataset.productId);
        if (option) {
            option.selected = false;
        }
        this._renderChips();
        this.input.focus();
    },

    _option(productId) {
        return [...this.select.options].find((option) => option.value === String(productId));
    },

    // Search ---------------------------------------------------------------

    _onInput() {
        this._search(this.input.value.trim());
    },

    async _search(term) {
        const searchId = ++this.searchId;
        if (!term) {
            this._close();
            this.status.textContent = "";
            return;
        }
        let answer = null;
        try {
            answer = await rpc("/my/registrations/products", {term});
        } catch {
            answer = {products: [], error: _t("The search failed; try again.")};
        }
        if (searchId !== this.searchId) {
            return; // An answer to an older term.
        }
        this._renderResults(answer);
    },

    _renderResults(answer) {
        const chosen = new Set([...this.select.selectedOptions].map((option) => option.value));
        const rows = answer.products.filter((product) => !chosen.has(String(product.id)));
        this.results.replaceChildren(
            ...rows.map((product) => {
                const item = document.createElement("li");
                const button = document.createElement("button");
                button.type = "button";
                button.className = "dropdown-item text-wrap";
                button.setAttribute("role", "option");
                button.dataset.productId = product.id;
                button.textContent = product.name;
                item.append(button);
                return item;
            })
        );
        if (answer.error) {
            this.status.textContent = answer.error;
        } else if (!rows.length) {
            this.status.textContent = _t("No product matches.");
        } else {
            this.status.textContent = answer.more
                ? _t("The first %s products; type more to narrow.", rows.length)
                : "";
        }
        this.results.classList.toggle("show", rows.length > 0);
        this.input.setAttribute("aria-expanded", String(rows.length > 0));
    },

    _close() {
        this.results.classList.remove("show");
        this.results.replaceChildren();
        this.input.setAttribute("aria-expanded", "false");
    },

    _onPick(ev) {
        const button = ev.currentTarget;
        let option = this._option(button.dataset.productId);
        if (!option) {
            option = new Option(button.textContent, button.dataset.productId);
            this.select.append(option);
        }
        option.selected = true;
        this.input.value = "";
        this.status.textContent = "";
        this._close();
        this._renderChips();
        this.input.focus();
    },

    _onKeydown(ev) {
        const buttons = [...this.results.querySelectorAll("button")];
        const index = buttons.indexOf(document.activeElement);
        if (ev.key === "Enter" && ev.target === this.input) {
            // Enter picks the first product found instead of sending the form.
            ev.preventDefault();
            buttons[0]?.click();
        } else if (ev.key === "ArrowDown" && buttons.length) {
            ev.preventDefault();
            buttons[Math.min(index + 1, buttons.length - 1)].focus();
        } else if (ev.key === "ArrowUp" && index >= 0) {
            ev.preventDefault();
            (index ? buttons[index - 1] : this.input).focus();
        } else if (ev.key === "Escape") {
            this._close();
            this.input.focus();
        }
    },

    _onFocusOut(ev) {
        if (!this.el.querySelector(".o_product_picker").contains(ev.relatedTarget)) {
            this._close();
        }
    },
});

export default publicWidget.registry.CrmPartnerPortalProductSearch;
