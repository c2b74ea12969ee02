/** @odoo-module **/
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import { registry } from "@web/core/registry";

const SHOWN = ["partner_id", "segment", "revenue"];
const HIDDEN = ["abc_class", "recency_days", "frequency", "margin", "p_alive", "clv"];

/** The list on a phone: the customer, the segment and the revenue readable in
 * full, the other columns out of the way, nothing wider than the screen. */
function checkPhoneColumns() {
    const list = document.querySelector(".o_crm_valuation_value_list");
    const shown = (name) => {
        const header = list.querySelector(`th[data-name="${name}"]`);
        return Boolean(header && header.getBoundingClientRect().width > 0);
    };
    const missing = SHOWN.filter((name) => !shown(name));
    if (missing.length) {
        throw new Error(`Columns hidden on a phone: ${missing.join(", ")}`);
    }
    const extra = HIDDEN.filter(shown);
    if (extra.length) {
        throw new Error(`Columns crowding the phone list: ${extra.join(", ")}`);
    }
    const table = list.querySelector(".o_list_table");
    if (table.getBoundingClientRect().width > window.innerWidth) {
        throw new Error(`The list is wider than the ${window.innerWidth}px screen`);
    }
    for (const cell of list.querySelectorAll("td.o_data_cell[name=revenue]")) {
        if (cell.scrollWidth > cell.clientWidth) {
            throw new Error(`A revenue is cut: ${cell.textContent}`);
        }
    }
}

registry.category("web_tour.tours").add("crm_valuation_value_list_phone", {
    steps: () => [
        {
            content: "On a phone the values open as cards",
            trigger: ".o_kanban_view .o_kanban_record",
        },
        {
            content: "Switch to the list",
            trigger: ".o_cp_switch_buttons .dropdown-toggle",
            run: "click",
        },
        {
            trigger: ".dropdown-item:has(.oi-view-list)",
            run: "click",
        },
        {
            content: "Customer, segment and revenue, nothing cut",
            trigger: ".o_crm_valuation_value_list td.o_data_cell[name=revenue]",
            run: checkPhoneColumns,
        },
    ],
});
