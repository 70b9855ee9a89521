import { registry } from "@web/core/registry";

/**
 * A Collection Manager works a case on the kanban: drags it from Amicable to Formal Notice,
 * opens it and opens the hand-off wizard. The case "Tour Debtor SARL" is made by the test.
 */
registry.category("web_tour.tours").add("debt_collection_case_kanban_tour", {
    url: "/odoo/collection-cases",
    steps: () => [
        {
            trigger: ".o_kanban_group:has(.o_column_title:contains('Amicable')) .o_kanban_record:contains('Tour Debtor SARL')",
            content: "The case waits in the Amicable column",
        },
        {
            trigger: ".o_kanban_record:contains('Tour Debtor SARL')",
            content: "Drag the case to the Formal Notice column",
            run: "drag_and_drop (.o_kanban_group:has(.o_column_title:contains('Formal Notice')))",
        },
        {
            trigger: ".o_kanban_group:has(.o_column_title:contains('Formal Notice')) .o_kanban_record:contains('Tour Debtor SARL')",
            content: "Open the case",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Formal Notice')",
        },
        {
            trigger: ".o_form_view button[name='action_handoff']",
            content: "Open the hand-off wizard",
            run: "click",
        },
        {
            trigger: ".modal .o_form_view div[name='kind']",
            content: "The hand-off wizard asks for an agency or a factor",
        },
        {
            trigger: ".modal .modal-footer button[special='cancel'], .modal .btn-close",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
    ],
});
