import { registry } from "@web/core/registry";

/**
 * A customer on its own page: sees what it owes, promises a payment date within the company's
 * limits, reports a problem with an invoice (a delivery note attached) and pays its invoices
 * with Odoo's demo payment provider. Once logged in as a portal user (from My Account), once
 * through the signed link of a reminder.
 */

/** A day ``days`` from today, as a date input wants it (yyyy-mm-dd). */
function inDays(days) {
    return new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);
}

function customerPageSteps() {
    return [
        {
            content: "The page lists the open invoices",
            trigger: ".o_debt_portal .o_debt_portal_invoice",
        },
        {
            content: "Choose the first invoice to promise",
            trigger: ".o_debt_portal_promise_form input[name='move_ids']:not(:disabled):first",
            run: "check",
        },
        {
            content: "Promise it for next week",
            trigger: ".o_debt_portal_promise_form #debt_promise_date",
            run(helpers) {
                helpers.anchor.value = inDays(7);
            },
        },
        {
            content: "For 500",
            trigger: ".o_debt_portal_promise_form #debt_promise_amount",
            run: "edit 500",
        },
        {
            content: "Send the promise",
            trigger: ".o_debt_portal_promise_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The promise is recorded at once",
            trigger: ".o_debt_portal_done:contains('your promise to pay is recorded')",
        },
        {
            content: "The promise shows as running",
            trigger: ".o_debt_portal_promises li[data-state='running']",
        },
        {
            content: "Report a problem on the second invoice",
            trigger: ".o_debt_portal_dispute_form #debt_dispute_move",
            run: "selectByIndex 1",
        },
        {
            content: "Say what is wrong",
            trigger: ".o_debt_portal_dispute_form #debt_dispute_comment",
            run: "edit Two boxes arrived damaged",
        },
        {
            content: "Attach the delivery note",
            trigger: ".o_debt_portal_dispute_form #debt_dispute_files",
            run(helpers) {
                const files = new DataTransfer();
                files.items.add(
                    new File(["%PDF-1.4\n%%EOF\n"], "delivery-note.pdf", { type: "application/pdf" })
                );
                helpers.anchor.files = files.files;
            },
        },
        {
            content: "Send the problem",
            trigger: ".o_debt_portal_dispute_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The problem is passed on",
            trigger: ".o_debt_portal_done:contains('your problem is passed on')",
        },
        {
            content: "The invoice shows in dispute",
            trigger: ".o_debt_portal_invoice .badge:contains('In dispute')",
        },
        {
            content: "Pay the open invoices online",
            trigger: ".o_debt_portal_pay_online",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Odoo's payment form, with the demo provider",
            trigger: "#o_payment_form input[name='o_payment_radio']",
            run: "click",
        },
        {
            content: "Test card details",
            trigger: "#customer_input",
            run: "edit 4242 4242 4242 4242",
        },
        {
            content: "Pay",
            trigger: "button[name='o_payment_submit_button']:not(:disabled)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Back on the page, the payment is thanked",
            trigger: ".o_debt_portal_done:contains('Thank you for your payment')",
            timeout: 20000,
        },
    ];
}

registry.category("web_tour.tours").add("debt_collection_portal_user_tour", {
    url: "/my",
    steps: () => [
        {
            content: "My Account leads to the customer's page",
            trigger: ".o_portal_index_card a[href='/my/collection']",
            run: "click",
            expectUnloadPage: true,
        },
        ...customerPageSteps(),
    ],
});

registry.category("web_tour.tours").add("debt_collection_portal_link_tour", {
    steps: customerPageSteps,
});
