import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

registry.category("web_tour.tours").add("sysengage_crm_light_planning_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("crm.crm_menu_root"),
        {
            trigger: 'button[data-menu-xmlid="sysengage_crm_light.menu_crm_light_planning"]',
            run: "click",
        },
        {
            trigger: 'a[data-menu-xmlid="sysengage_crm_light.menu_crm_light_global_planning"]',
            run: "click",
        },
        {
            trigger: ".o_calendar_view",
        },
        {
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            trigger: ".o_searchview_input",
            run: "edit Tour Rep",
        },
        {
            trigger: '.o_searchview_autocomplete .o-dropdown-item:contains("Sales rep")',
            run: "click",
        },
        {
            trigger: '.o_data_row .o_data_cell:contains("Tour: visit Alpine AG")',
        },
        {
            trigger: '.o_data_row .o_data_cell:contains("Tour: call back Alpine AG")',
        },
        {
            trigger: '.o_list_view:not(:has(.o_data_cell:contains("Other rep meeting")))',
        },
        {
            trigger: ".o_switch_view.o_pivot",
            run: "click",
        },
        {
            trigger: '.o_pivot .o_pivot_header_cell_closed:contains("Tour Rep")',
        },
    ],
});
