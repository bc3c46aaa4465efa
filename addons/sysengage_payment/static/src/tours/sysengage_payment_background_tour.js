import { registry } from "@web/core/registry";

// A bank file with more matched transactions than a click books at once (tests/test_tour.py lowers the limit to
// 2 for a file of 3 credits): the click queues it for the background job and says so; the form shows it.
registry.category("web_tour.tours").add("sysengage_payment_background_booking_tour", {
    steps: () => [
        {
            content: "The three credits are matched",
            trigger: ".o_form_view .o_field_widget[name='to_book_count']:contains('3')",
        },
        {
            content: "Book the matched payments",
            trigger: ".o_form_view button[name='action_book_matched']",
            run: "click",
        },
        {
            content: "The user is told the file is booked in the background",
            trigger:
                ".o_notification:contains('Booking in the background'):contains('3 matched transactions are booked in the background')",
        },
        {
            content: "The reloaded form shows the background booking and no Book button",
            trigger:
                ".o_form_view:not(:has(button[name='action_book_matched'])) .alert-info:contains('being booked in the background')",
        },
    ],
});

// The same file once the scheduled action has booked it (run by the test between the two tours).
registry.category("web_tour.tours").add("sysengage_payment_background_booked_tour", {
    steps: () => [
        {
            content: "The file is done, its three credits booked, and the background booking banner is gone",
            trigger:
                ".o_form_view:not(:has(.alert-info)) .o_statusbar_status .o_arrow_button_current:contains('Done')",
        },
        {
            content: "The credits are booked",
            trigger: ".o_form_view .o_field_widget[name='booked_count']:contains('3')",
        },
    ],
});
