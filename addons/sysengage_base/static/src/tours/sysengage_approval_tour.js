import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

registry.category("web_tour.tours").add("sysengage_approval_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("sysengage_base.menu_sysengage_approval_root", "Open the Approvals app"),
        {
            trigger: ".o_searchview_facet:contains(My approvals to do)",
            content: "The queue shows the requests waiting for me",
        },
        {
            trigger: ".o_list_view .o_data_row:contains(Tour approve rule) button[name=action_approve]",
            content: "Approve the first request",
            run: "click",
        },
        {
            trigger: ".o_list_view:not(:has(.o_data_row:contains(Tour approve rule)))",
            content: "The approved request leaves the queue",
        },
        {
            trigger: ".o_list_view .o_data_row:contains(Tour refuse rule) button[name=action_refuse]",
            content: "Refuse the second request",
            run: "click",
        },
        {
            trigger: ".modal .o_form_view div[name=reason] textarea",
            content: "Give the reason",
            run: "edit Margin too low",
        },
        {
            trigger: ".modal button[name=action_refuse]",
            run: "click",
        },
        {
            trigger: ".o_view_nocontent, .o_list_view:not(:has(.o_data_row))",
            content: "Nothing left to approve",
        },
    ],
});

registry.category("web_tour.tours").add("sysengage_approval_banner_tour", {
    steps: () => [
        {
            trigger: ".o_form_view .alert-warning:contains(Approval refused):contains(Margin too low)",
            content: "The refused invoice shows why in its banner",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_sysengage_request_approval]",
            content: "Ask again",
            run: "click",
        },
        {
            trigger: ".o_form_view .alert-info:contains(Waiting for approval)",
            content: "The banner now waits for the approver",
        },
        {
            trigger: ".o_form_view .oe_stat_button[name=action_sysengage_view_approval_requests]:contains(2)",
            content: "The smart button counts both requests",
        },
    ],
});
