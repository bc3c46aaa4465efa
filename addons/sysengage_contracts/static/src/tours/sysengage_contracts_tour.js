import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

registry.category("web_tour.tours").add("sysengage_contracts_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("sysengage_contracts.menu_contracts_root", "Open the Contracts app"),
        {
            trigger: "button.o_list_button_add",
            content: "Create a contract",
            run: "click",
        },
        {
            trigger: ".o_form_view div[name=partner_id] input",
            content: "Choose the customer",
            run: "edit Tour Kunde",
        },
        {
            trigger: ".o-autocomplete--dropdown-item .dropdown-item:contains(Tour Kunde AG)",
            run: "click",
        },
        {
            trigger: ".o_form_view div[name=title] input",
            run: "edit Wartungsvertrag Tour",
        },
        {
            trigger: ".o_form_view div[name=line_ids] .o_field_x2many_list_row_add a:first",
            content: "Add a line",
            run: "click",
        },
        {
            trigger: ".o_form_view div[name=line_ids] .o_data_row div[name=product_id] input",
            run: "edit Tour Wartung",
        },
        {
            trigger: ".o-autocomplete--dropdown-item .dropdown-item:contains(Tour Wartung)",
            run: "click",
        },
        {
            trigger: ".o_form_view div[name=line_ids] .o_data_row div[name=price_unit] input:value(250.00)",
            content: "The price comes from the product",
        },
        {
            trigger: ".o_form_view .o_notebook a.nav-link[name=invoicing]",
            content: "Open the invoicing settings of the contract",
            run: "click",
        },
        {
            trigger: ".o_form_view div[name=auto_post] input:checked",
            content: "Invoices are posted at once (the company's default)",
        },
        {
            trigger: ".o_form_view div[name=auto_send] input:not(:checked)",
            content: "Send them at once too",
            run: "click",
        },
        {
            trigger: ".o_form_view div[name=auto_send] input:checked",
        },
        ...stepUtils.saveForm(),
        {
            trigger: ".o_form_view button[name=action_start]",
            content: "Start the contract",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value=running]",
        },
        {
            trigger: ".o_form_view button[name=action_generate_invoices]",
            content: "Generate the invoice now",
            run: "click",
        },
        {
            trigger: ".o_form_view div[name=invoice_line_ids] .o_data_row:contains(Tour Wartung)",
            content: "The invoice is open with the contract's line",
        },
        {
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value=posted]",
            content: "It is posted, waiting for the sending job",
        },
    ],
});
