import { registry } from "@web/core/registry";

// Data (flow, channel, queued invoice) is created by tests/test_dispatch_tour.py.
registry.category("web_tour.tours").add("sysengage_einvoice_dispatch_tour", {
    url: "/odoo/action-sysengage_einvoice.sysengage_dispatch_flow_action_dashboard",
    steps: () => [
        {
            content: "Each flow shows what it sends",
            trigger: ".o_kanban_record:contains('Tour eBill flow') .o_sysengage_flow_type:contains('Customer invoices')",
        },
        {
            content: "The reminder flow is on the dashboard too",
            trigger: ".o_kanban_record:contains('Tour reminders') .o_sysengage_flow_type:contains('Payment reminders')",
        },
        {
            content: "The dashboard shows the flow with one document to send",
            trigger: ".o_kanban_record:contains('Tour eBill flow') .o_sysengage_flow_pending:contains('1')",
            run: "click",
        },
        {
            content: "Open the pending send of the tour customer",
            trigger: ".o_data_row:contains('Tour Customer AG') td[name='move_id']",
            run: "click",
        },
        {
            content: "The reason names the missing field",
            trigger: ".o_form_view .alert-danger:contains('eBill recipient ID')",
        },
        {
            content: "Postpone the send",
            trigger: ".o_form_view button[name='action_postpone']",
            run: "click",
        },
        {
            content: "Cancel the send",
            trigger: ".o_form_view button[name='action_cancel']",
            run: "click",
        },
        {
            content: "A cancelled send can be sent again",
            trigger: ".o_form_view button[name='action_reset_to_send']",
        },
        {
            content: "Back to the dashboard",
            trigger: ".o_breadcrumb .breadcrumb-item:first a",
            run: "click",
        },
        {
            content: "Nothing left to send on the flow",
            trigger: ".o_kanban_record:contains('Tour eBill flow') .o_sysengage_flow_pending:contains('0')",
        },
        {
            content: "Open the pending reminder of the reminder flow",
            trigger: ".o_kanban_record:contains('Tour reminders') .o_sysengage_flow_pending:contains('1')",
            run: "click",
        },
        {
            content: "The pending list shows the reminder of the tour customer",
            trigger: ".o_data_row:contains('Tour Customer AG') td[name='document_type']:contains('Payment reminder')",
        },
    ],
});
