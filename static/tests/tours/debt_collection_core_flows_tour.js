import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/**
 * An invoicing user (a salesperson, in no collection group) does the ordinary things with the
 * module installed: creates a customer from the Customers menu, creates another one with
 * "Create and edit..." from an invoice, confirms the invoice and registers its payment.
 */
registry.category("web_tour.tours").add("debt_collection_new_customer_tour", {
    url: "/odoo/action-account.res_partner_action_customer",
    steps: () => [
        {
            content: "Create a customer",
            trigger: ".o_control_panel_main_buttons button.o-kanban-button-new, .o_control_panel_main_buttons .o_list_button_add",
            run: "click",
        },
        {
            content: "Name it",
            trigger: ".o_form_view .o_field_widget[name='name'] input",
            run: "edit Client Parcours SARL",
        },
        ...stepUtils.saveForm(),
        {
            content: "The customer is saved",
            trigger: ".o_breadcrumb:contains('Client Parcours SARL')",
        },
    ],
});

registry.category("web_tour.tours").add("debt_collection_invoice_payment_tour", {
    url: "/odoo/action-account.action_move_out_invoice_type",
    steps: () => [
        {
            content: "Create an invoice",
            trigger: ".o_control_panel_main_buttons .o_list_button_add",
            run: "click",
        },
        {
            content: "Type a customer that does not exist yet",
            trigger: "div.o_field_widget[name='partner_id'] input",
            run: "edit Garage Nouveau SAS",
        },
        {
            content: "Create and edit it",
            trigger: ".o-autocomplete--dropdown-item a:contains('Create and edit')",
            run: "click",
        },
        {
            content: "The customer's form opens in a dialog",
            trigger: ".modal .o_form_view .o_field_widget[name='name'] input",
        },
        {
            content: "Save the customer",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "Back on the invoice, with its new customer",
            trigger: "body:not(:has(.modal)) div.o_field_widget[name='partner_id'] input:value('Garage Nouveau SAS')",
        },
        {
            content: "Add a line",
            trigger: "div[name='invoice_line_ids'] .o_field_x2many_list_row_add a:contains('Add a line')",
            run: "click",
        },
        {
            content: "Describe it",
            trigger: "div[name='invoice_line_ids'] .o_selected_row [name='name'] textarea",
            run: "edit Réparation de la chambre froide",
        },
        {
            content: "Price it",
            trigger: "div[name='invoice_line_ids'] .o_selected_row [name='price_unit'] input",
            run: "edit 250",
        },
        ...stepUtils.saveForm(),
        {
            content: "Confirm the invoice",
            trigger: ".o_form_view button[name='action_post']",
            run: "click",
        },
        {
            content: "Register its payment",
            trigger: ".o_form_view button[name='action_register_payment']:visible",
            run: "click",
        },
        {
            content: "Create the payment",
            trigger: ".modal button[name='action_create_payments']",
            run: "click",
        },
        {
            content: "The invoice is paid",
            trigger: "body:not(:has(.modal)) .o_form_view .ribbon:contains('Paid'), body:not(:has(.modal)) .o_form_view .ribbon:contains('In Payment')",
        },
    ],
});
