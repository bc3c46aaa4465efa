import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

registry.category("web_tour.tours").add("sysengage_crm_light_indicator_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("crm.crm_menu_root"),
        {
            trigger: 'button[data-menu-xmlid="crm.crm_menu_report"]',
            run: "click",
        },
        {
            trigger: 'a[data-menu-xmlid="sysengage_crm_light.menu_crm_light_indicator_list"]',
            run: "click",
        },
        {
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            trigger: '.o_field_widget[name="name"] input',
            run: "edit Tour: opportunities by rep",
        },
        {
            trigger: '.o_field_widget[name="source"] .o_select_menu_toggler',
            run: "click",
        },
        {
            trigger: '.o_select_menu_menu .o_select_menu_item:contains("Opportunities")',
            run: "click",
        },
        {
            trigger: '.o_field_widget[name="measure"] .o_select_menu_toggler',
            run: "click",
        },
        {
            trigger: '.o_select_menu_menu .o_select_menu_item:contains("Revenue")',
            run: "click",
        },
        {
            trigger: '.o_field_widget[name="grouping"] .o_select_menu_toggler',
            run: "click",
        },
        {
            trigger: '.o_select_menu_menu .o_select_menu_item:contains("Sales rep")',
            run: "click",
        },
        {
            trigger: '.o_field_widget[name="date_range"] .o_select_menu_toggler',
            run: "click",
        },
        {
            trigger: '.o_select_menu_menu .o_select_menu_item:contains("All dates")',
            run: "click",
        },
        {
            trigger: '.o_field_boolean[name="is_pinned"] input',
            run: "click",
        },
        ...stepUtils.saveForm(),
        {
            content: "the chart of the indicator is drawn",
            trigger: ".o_sysengage_indicator_chart canvas",
        },
        {
            trigger: ".o_sysengage_indicator_table tfoot",
        },
        {
            trigger: 'button[name="action_open_records"]',
            run: "click",
        },
        {
            content: "the graph view opens on the opportunities",
            trigger: ".o_graph_view .o_graph_renderer canvas",
        },
        {
            trigger: 'button[data-menu-xmlid="crm.crm_menu_report"]',
            run: "click",
        },
        {
            trigger: 'a[data-menu-xmlid="sysengage_crm_light.menu_crm_light_indicator_dashboard"]',
            run: "click",
        },
        {
            content: "the pinned indicator is on the dashboard",
            trigger: '.o_kanban_record:contains("Tour: opportunities by rep")',
        },
    ],
});
