import { registry } from "@web/core/registry";

// Data (offer, flow, channel on a loopback SMTP server) is created by tests/test_offer_dispatch_tour.py.
registry.category("web_tour.tours").add("sysengage_einvoice_offers_dispatch_tour", {
    steps: () => [
        {
            content: "Queue the quotation for dispatch",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_sysengage_dispatch_queue']",
            run: "click",
        },
        {
            content: "The send is an offer with the customer as recipient",
            trigger: ".o_form_view .o_sysengage_recipients:contains('Tour Offer Customer AG')",
        },
        {
            content: "The offer PDF is ready",
            trigger: ".o_form_view .o_notebook .nav-link:contains('PDF preview')",
        },
        {
            content: "Send it now",
            trigger: ".o_form_view button.o_sysengage_send_now",
            run: "click",
        },
        {
            content: "The send is done",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Sent')",
        },
        {
            content: "Back to the quotation",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('S0')",
            run: "click",
        },
        {
            content: "The quotation's chatter keeps the sent offer",
            trigger: ".o-mail-Message:contains('Offer sent through Tour e-mail')",
        },
        {
            content: "The dispatch smart button",
            trigger: ".o_form_view button[name='action_sysengage_dispatch_documents']:contains('1')",
        },
    ],
});
