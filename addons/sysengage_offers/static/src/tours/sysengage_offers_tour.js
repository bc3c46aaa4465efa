import { registry } from "@web/core/registry";

// Offer → approval → partial acceptance → order. The offer is made by the Python test
// (tests/test_offer_tour.py); it is above the approval threshold.
registry.category("web_tour.tours").add("sysengage_offers_tour", {
    steps: () => [
        {
            content: "The offer needs an approval",
            trigger: ".o_form_view .alert-warning:contains('Offer above 50,000')",
        },
        {
            content: "Request the approval",
            trigger: ".o_form_view button[name='action_sysengage_request_approval']",
            run: "click",
        },
        {
            content: "Open the approval requests",
            trigger: ".o_form_view button[name='action_sysengage_view_approval_requests']",
            run: "click",
        },
        {
            content: "Approve the request",
            trigger: ".o_list_view .o_data_row button[name='action_approve']",
            run: "click",
        },
        {
            content: "The request is approved",
            trigger: ".o_list_view .o_data_row td[name='state']:contains('Approved')",
        },
        {
            content: "Back to the offer",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('S0')",
            run: "click",
        },
        {
            content: "The offer is approved",
            trigger: ".o_form_view .alert-info:contains('approved')",
        },
        {
            content: "Accept the offer in part",
            trigger: ".o_form_view button[name='action_sysengage_accept']",
            run: "click",
        },
        {
            content: "Edit the line of the migration",
            trigger: ".modal .o_data_row:contains('Data centre migration') td[name='quantity']",
            run: "click",
        },
        {
            content: "Tick it as accepted",
            trigger: ".modal .o_data_row.o_selected_row .o_field_widget[name='accept'] input",
            run: "click",
        },
        {
            content: "Accept one of the two",
            trigger: ".modal .o_data_row.o_selected_row .o_field_widget[name='quantity'] input",
            run: "edit 1",
        },
        {
            content: "Create the order",
            trigger: ".modal button[name='action_accept']",
            run: "click",
        },
        {
            content: "The confirmed order points to its offer",
            trigger: ".o_form_view:has(.o_field_widget[name='sysengage_offer_id'] a) .o_statusbar_status .o_arrow_button_current:contains('Sales Order')",
        },
    ],
});
