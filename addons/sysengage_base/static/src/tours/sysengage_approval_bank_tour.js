import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// A clerk changes a customer's IBAN in the partner form: the change is held, not applied
registry.category("web_tour.tours").add("sysengage_approval_bank_change_tour", {
    steps: () => [
        {
            trigger: ".o_form_view .o_notebook .nav-link:contains(Invoicing)",
            content: "Open the invoicing tab of the customer",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=bank_ids] .o_tag:contains(CH93)",
            content: "Open the customer's bank account",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=acc_number] input",
            content: "Type the new IBAN the customer announced",
            run: "edit CH5604835012345678009",
        },
        {
            trigger: ".modal .o_form_button_save",
            content: "Save the bank account",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
            content: "Reload the customer",
            run() {
                window.location.reload();
            },
            expectUnloadPage: true,
        },
        {
            trigger: ".o_form_view .alert-warning:contains(Bank account changes waiting for approval):contains(CH56)",
            content: "The new IBAN waits for approval on the customer",
        },
        {
            trigger: ".o_form_view .o_notebook .nav-link:contains(Invoicing)",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=bank_ids] .o_tag:contains(CH93):not(:contains(CH56))",
            content: "The account keeps its old IBAN meanwhile",
        },
    ],
});

// An accounting manager approves the held change in the approvals inbox
registry.category("web_tour.tours").add("sysengage_approval_bank_approve_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("sysengage_base.menu_sysengage_approval_root", "Open the Approvals app"),
        {
            trigger: ".o_list_view .o_data_row:contains(CH93) td[name=rule_id]",
            content: "Open the held change of the customer's bank account",
            run: "click",
        },
        {
            trigger: ".o_form_view div[name=proposed_changes]:contains(CH56)",
            content: "The request shows the new IBAN (checked with the customer by phone)",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_approve]",
            content: "Approve it",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Approved)",
            content: "The request is approved",
        },
        {
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(To Approve)",
            content: "Back to the queue",
            run: "click",
        },
        {
            trigger: ".o_list_view:not(:has(.o_data_row:contains(Bank account of a customer)))",
            content: "The approved change leaves the queue",
        },
    ],
});
