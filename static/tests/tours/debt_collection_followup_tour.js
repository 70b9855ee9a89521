import { registry } from "@web/core/registry";

/**
 * A credit controller works a customer from "My Follow-ups": opens its follow-up screen, logs
 * a call that found nobody, then a call where the customer promises to pay, and prints the
 * statement of account. The customer "Suivi Tour SARL" and its overdue invoice of 1,500.00 are
 * the test's.
 */
/** The day ``days`` after today, as the user's list and date fields write it (en_US). */
function inDays(days) {
    const day = new Date();
    day.setDate(day.getDate() + days);
    const two = (n) => String(n).padStart(2, "0");
    return `${two(day.getMonth() + 1)}/${two(day.getDate())}/${day.getFullYear()}`;
}

registry.category("web_tour.tours").add("debt_collection_followup_tour", {
    url: "/odoo/my-follow-ups",
    steps: () => [
        {
            content: "My follow-ups list the customer whose next action is due",
            trigger: ".o_list_view .o_data_row td[name='partner_id']:contains('Suivi Tour SARL')",
            run: "click",
        },
        {
            content: "Its follow-up screen shows its open invoice",
            trigger: ".o_form_view .o_notebook .o_data_row:contains('1,500.00')",
        },
        {
            content: "Log a call",
            trigger: ".o_form_view button[name='action_log_call']",
            run: "click",
        },
        {
            content: "Nobody answered",
            trigger: ".modal .o_field_widget[name='outcome'] input[data-value='unreachable']",
            run: "click",
        },
        {
            content: "Call again tomorrow, as proposed",
            trigger: ".modal .o_field_widget[name='reschedule_date']",
        },
        {
            content: "Log it",
            trigger: ".modal .modal-footer button[name='action_confirm']",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "The customer called back: a promise to pay",
            trigger: ".o_form_view button[name='action_promise']",
            run: "click",
        },
        {
            content: "The outcome is already a promise",
            trigger: ".modal .o_field_widget[name='outcome'] input[data-value='promise']:checked",
        },
        {
            content: "The promised date",
            trigger: ".modal .o_field_widget[name='promise_date'] input",
            run: `edit ${inDays(30)}`,
        },
        {
            content: "No recap email in the tour",
            trigger: ".modal .o_field_widget[name='send_recap'] input",
            run: "click",
        },
        {
            trigger: ".modal .modal-footer button[name='action_confirm']",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "The promise is on the screen",
            trigger: ".o_form_view .o_notebook a:contains('Promises')",
            run: "click",
        },
        {
            trigger: `.o_form_view .o_notebook .o_data_row:contains('1,500.00'):contains('${inDays(30).slice(-4)}')`,
        },
        {
            content: "Print the statement of account",
            trigger: ".o_form_view button[name='action_print_statement']",
            run: "click",
        },
        {
            content: "The statement is in the history of communications",
            trigger: ".o_form_view .o_notebook a:contains('Communications')",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_notebook .o_data_row:contains('Statement of Account')",
        },
    ],
});

/**
 * A Collection Manager sets the company's collection terms in the Invoicing settings.
 */
registry.category("web_tour.tours").add("debt_collection_settings_tour", {
    url: "/odoo/settings#account",
    steps: () => [
        {
            content: "Disputes come back after 45 days, in the Collection section of the settings",
            trigger: "#debt_dispute_escalation input",
            run: "edit 45",
        },
        {
            content: "Turn collection SMS off",
            trigger: "#debt_sms input[type='checkbox']",
            run: "click",
        },
        {
            content: "A contractual late-payment rate",
            trigger: "#debt_late_payment_penalties div[name='debt_late_interest_rate'] input",
            run: "edit 12.5",
        },
        {
            content: "The signatory's function",
            trigger: "#debt_letters div[name='debt_signatory_function'] input",
            run: "edit Directrice financière",
        },
        {
            content: "Save: the settings page reloads",
            trigger: ".o_control_panel .o_form_button_save",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The settings are kept",
            trigger: "#debt_sms input[type='checkbox']:not(:checked)",
        },
    ],
});
