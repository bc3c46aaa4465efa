import { registry } from "@web/core/registry";
import { inputFiles } from "@web/../tests/utils";

registry.category("web_tour.tours").add("sysengage_ged_upload_tour", {
    steps: () => [
        {
            content: "Open the documents of the customer",
            trigger: ".o_form_view button[name='action_sysengage_ged_documents']",
            run: "click",
        },
        {
            content: "Upload a file on the customer",
            trigger: ".o_sysengage_ged_upload",
            async run() {
                const file = new File(["Site visit: boiler room checked."], "site-report.txt", {
                    type: "text/plain",
                });
                await inputFiles(".o_sysengage_ged_file_input", [file]);
            },
        },
        {
            content: "The document appears on the customer's documents",
            trigger: ".o_kanban_record:contains('site-report.txt')",
        },
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Open the Documents app",
            trigger: ".o_app[data-menu-xmlid='sysengage_ged.menu_ged_root']",
            run: "click",
        },
        {
            content: "Search the file by name",
            trigger: ".o_searchview_input",
            run: "edit site-report",
        },
        {
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            content: "The uploaded document is found in the global Documents menu",
            trigger: ".o_sysengage_ged_kanban .o_kanban_record:contains('site-report.txt')",
        },
    ],
});
