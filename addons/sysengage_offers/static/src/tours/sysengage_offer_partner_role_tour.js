import { registry } from "@web/core/registry";

// Name an installer on an offer (the offer and the installer are made by tests/test_offer_partner_role_tour.py)
registry.category("web_tour.tours").add("sysengage_offer_partner_role_tour", {
    steps: () => [
        {
            content: "Open the partners tab of the offer",
            trigger: ".o_form_view .o_notebook a[name='sysengage_partner_roles']",
            run: "click",
        },
        {
            content: "Add a partner",
            trigger: ".o_form_view .o_field_widget[name='sysengage_partner_role_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Choose the role",
            trigger: ".o_field_widget[name='sysengage_partner_role_ids'] .o_selected_row .o_field_widget[name='role_id'] input",
            run: "edit Installer",
        },
        {
            content: "Pick Installer",
            trigger: ".o-autocomplete--dropdown-menu .o-autocomplete--dropdown-item a:contains('Installer')",
            run: "click",
        },
        {
            content: "Choose the installer",
            trigger: ".o_field_widget[name='sysengage_partner_role_ids'] .o_selected_row .o_field_widget[name='partner_id'] input",
            run: "edit Elektro Tour",
        },
        {
            content: "Pick Elektro Tour AG",
            trigger: ".o-autocomplete--dropdown-menu .o-autocomplete--dropdown-item a:contains('Elektro Tour AG')",
            run: "click",
        },
        {
            content: "Save the offer",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "The installer is on the offer",
            trigger: ".o_form_view .o_form_saved .o_field_widget[name='sysengage_partner_role_ids'] .o_data_row:contains('Elektro Tour AG'):contains('Installer')",
        },
    ],
});

// From the installer's form, find the offer where it plays a role
registry.category("web_tour.tours").add("sysengage_offer_partner_role_find_tour", {
    steps: () => [
        {
            content: "Show the further buttons of the partner",
            trigger: ".o_form_view .o-form-buttonbox button.o_button_more",
            run: "click",
        },
        {
            content: "Open the offers where the partner plays a role",
            trigger: "button[name='action_sysengage_view_role_offers']:contains('1')",
            run: "click",
        },
        {
            content: "Open the offer",
            trigger: ".o_list_view .o_data_row:contains('Tour Kunde AG') td.o_data_cell",
            run: "click",
        },
        {
            content: "The offer of the customer is open",
            trigger: ".o_form_view .o_field_widget[name='partner_id'] input:value(Tour Kunde AG)",
        },
        {
            content: "Open the partners tab",
            trigger: ".o_form_view .o_notebook a[name='sysengage_partner_roles']",
            run: "click",
        },
        {
            content: "The installer is listed",
            trigger: ".o_field_widget[name='sysengage_partner_role_ids'] .o_data_row:contains('Elektro Tour AG')",
        },
    ],
});
