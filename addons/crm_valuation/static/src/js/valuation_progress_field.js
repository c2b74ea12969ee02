/** @odoo-module **/
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import { Component, onMounted, onWillUnmount } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

// How often a running valuation's form reloads itself, in milliseconds.
const REFRESH_INTERVAL = 3000;

/**
 * The share of customers valued so far, as a progress bar; while the
 * valuation runs (in the request, the cron or background jobs) the form
 * reloads itself, so the figures and buttons appear once it is done.
 */
export class ValuationProgressField extends Component {
    static template = "crm_valuation.ValuationProgressField";
    static props = { ...standardFieldProps };

    setup() {
        onMounted(() => {
            this.timer = setInterval(() => this.refresh(), REFRESH_INTERVAL);
        });
        onWillUnmount(() => clearInterval(this.timer));
    }

    get percent() {
        return Math.round(this.props.record.data[this.props.name] || 0);
    }

    async refresh() {
        const record = this.props.record;
        if (record.data.state !== "running" || record.dirty) {
            return;
        }
        await record.load();
    }
}

registry.category("fields").add("valuation_progress", {
    component: ValuationProgressField,
    supportedTypes: ["float"],
});
