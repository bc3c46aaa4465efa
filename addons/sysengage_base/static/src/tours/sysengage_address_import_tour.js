import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

const CSV = [
    "Firma;E-Mail;Strasse;PLZ;Ort;Staat;UID",
    "Tour Neu AG;neu@tour.ch;Marktgasse 4;3011;Bern;CH;",
    "Tour Alt AG;alt@tour.ch;Neue Strasse 1;3000;Bern;CH;",
    "Tour Falsch AG;falsch@tour.ch;Weg 2;3000;Bern;CH;CHE-123.456.789",
].join("\r\n");

registry.category("web_tour.tours").add("sysengage_address_import_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open Contacts",
            trigger: '.o_app[data-menu-xmlid="contacts.menu_contacts"]',
            run: "click",
        },
        {
            content: "Open the address import",
            trigger: '[data-menu-xmlid="sysengage_base.menu_sysengage_address_import"]',
            run: "click",
        },
        {
            content: "Choose the source",
            trigger: ".modal .o_field_widget[name=source_id] input",
            run: "edit Tour Source",
        },
        {
            trigger: ".modal .o_field_widget[name=source_id] .dropdown-item:contains(Tour Source)",
            run: "click",
        },
        {
            content: "Upload the CSV file",
            trigger: ".modal .o_field_widget[name=file] .o_select_file_button",
            async run() {
                const input = document.querySelector(".modal .o_field_widget[name=file] input[type=file]");
                const transfer = new DataTransfer();
                transfer.items.add(new File([CSV], "addresses.csv", { type: "text/csv" }));
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "The file is loaded",
            trigger: ".modal .o_field_widget[name=file] .o_clear_file_button",
        },
        {
            content: "Read the columns",
            trigger: ".modal footer button[name=action_read_columns]",
            run: "click",
        },
        {
            content: "The mapping is proposed from the column titles",
            trigger: ".modal .o_field_widget[name=column_ids] .o_data_row:contains(Firma)",
        },
        {
            content: "Map the Staat column too",
            trigger: ".modal .o_field_widget[name=column_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=column_ids] .o_selected_row .o_field_widget[name=target_field] .o_select_menu_toggler",
            run: "click",
        },
        {
            trigger: ".o_select_menu_menu .o_select_menu_item:contains(Country Code)",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=column_ids] .o_selected_row .o_field_widget[name=column_name] input",
            run: "edit Staat",
        },
        {
            content: "Preview",
            trigger: ".modal footer button[name=action_preview]",
            run: "click",
        },
        {
            content: "The new partner is previewed",
            trigger: ".modal .o_field_widget[name=line_ids] .o_data_row:contains(Tour Neu AG):contains(New)",
        },
        {
            content: "The existing partner is matched by e-mail with its differences",
            trigger: ".modal .o_field_widget[name=line_ids] .o_data_row:contains(Tour Alt AG):contains(Neue Strasse 1)",
        },
        {
            content: "The invalid UID is rejected with its reason",
            trigger: ".modal .o_field_widget[name=line_ids] .o_data_row:contains(Tour Falsch AG):contains(Invalid UID)",
        },
        {
            content: "Apply",
            trigger: ".modal footer button[name=action_apply]",
            run: "click",
        },
        {
            content: "Done",
            trigger: ".modal footer button[name=action_open_log]",
            run: "click",
        },
        {
            content: "The log shows the counts",
            trigger: ".o_form_view .o_field_widget[name=count_new]:contains(1)",
        },
    ],
});
