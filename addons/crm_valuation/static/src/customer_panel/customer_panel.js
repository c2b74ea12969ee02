/** @odoo-module **/
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import { Component, onWillStart, onWillUpdateProps, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { deserializeDate, deserializeDateTime, formatDate } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { formatMonetary, formatPercentage } from "@web/views/fields/formatters";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";

/**
 * The customer 360 panel: value, money owed, orders, tickets, recommended
 * products and the latest interactions of the customer of the open record,
 * loaded in one call (crm.valuation.customer.panel.get_panel_data).
 * Addons add sections by extending the server's _panel_data and this
 * template (an empty `tier` slot waits in the header).
 */
export class CustomerPanel extends Component {
    static template = "crm_valuation.CustomerPanel";
    static props = { ...standardWidgetProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.notification = useService("notification");
        this.state = useState({ data: null, loading: false, adding: null });
        onWillStart(() => this.load(this.props.record));
        onWillUpdateProps((next) => {
            if (this.keyOf(next.record) !== this.loadedKey) {
                return this.load(next.record);
            }
        });
    }

    keyOf(record) {
        return `${record.resModel},${record.resId || 0}`;
    }

    async load(record) {
        this.loadedKey = this.keyOf(record);
        if (!record.resId) {
            this.state.data = null;
            return;
        }
        this.state.loading = true;
        try {
            this.state.data = await this.orm.call(
                "crm.valuation.customer.panel",
                "get_panel_data",
                [record.resModel, record.resId]
            );
        } finally {
            this.state.loading = false;
        }
    }

    money(amount, currencyId) {
        return formatMonetary(amount, { currencyId: currencyId || this.state.data.currency_id });
    }

    percent(value) {
        return formatPercentage(value, { digits: [false, 0] });
    }

    day(value) {
        return value ? formatDate(deserializeDate(value)) : "";
    }

    dayOfDateTime(value) {
        return value ? formatDate(deserializeDateTime(value)) : "";
    }

    get channelIcons() {
        return {
            email: "fa-envelope",
            note: "fa-sticky-note",
            message: "fa-comment",
            call: "fa-phone",
            meeting: "fa-calendar",
            activity: "fa-check-square",
            sms: "fa-mobile",
            chat: "fa-comments",
        };
    }

    open(resModel, resId) {
        if (!resModel || !resId) {
            return;
        }
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: resModel,
            res_id: resId,
            views: [[false, "form"]],
            target: "current",
        });
    }

    async addProduct(recommendation) {
        const record = this.props.record;
        this.state.adding = recommendation.product_id;
        try {
            if (record.dirty && !(await record.save())) {
                return;
            }
            await this.orm.call("sale.order", "action_add_recommended_product", [
                [record.resId],
                recommendation.product_id,
            ]);
            await record.load();
            await this.load(record);
            this.notification.add(_t("%s added to the quotation.", recommendation.name), {
                type: "success",
            });
        } finally {
            this.state.adding = null;
        }
    }
}

export const customerPanel = {
    component: CustomerPanel,
};

registry.category("view_widgets").add("crm_customer_panel", customerPanel);
