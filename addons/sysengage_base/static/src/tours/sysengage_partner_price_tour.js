import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("sysengage_partner_tour", {
    steps: () => [
        {
            trigger: ".o_form_view .o_notebook a.nav-link[name=sysengage_customer]",
            content: "Open the customer file of the company",
            run: "click",
        },
        {
            trigger: ".o_form_view button[name=action_sysengage_mark_customer]",
            content: "The prospect becomes a customer",
            run: "click",
        },
        {
            trigger: ".o_form_view:not(:has(button[name=action_sysengage_mark_customer])) button[name=action_sysengage_mark_inactive]",
            content: "It is a customer now",
        },
        {
            trigger: ".o_form_view .o_notebook button[name=action_sysengage_open_hierarchy]",
            content: "Open the hierarchy of its group",
            run: "click",
        },
        {
            trigger: ".o_hierarchy_renderer .o_hierarchy_node:contains(Tour Holding AG)",
            content: "The group is at the top of the chart",
        },
    ],
});

registry.category("web_tour.tours").add("sysengage_price_explain_tour", {
    steps: () => [
        {
            trigger: ".o_field_widget[name=invoice_line_ids] .o_data_row button[name=action_sysengage_explain_price]",
            content: "Ask why the line has its price",
            run: "click",
        },
        {
            trigger: ".modal .alert-success .o_field_widget[name=rule_id]:contains(Tour Service)",
            content: "The wizard names the winning rule",
        },
        {
            trigger: ".modal .o_field_widget[name=beaten_rule_ids] .o_data_row",
            content: "and the rule it beat",
        },
        {
            trigger: ".modal button.btn-primary:contains(Close)",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
    ],
});
