"""The ordinary flows of Odoo Accounting still work with the module installed.

An invoicing user (a salesperson, in no collection group) creates customers (from the menu
and with "Create and edit..." on an invoice), confirms an invoice and registers its payment,
in the browser and through forms. Odoo's own account tests for invoices, credit notes,
payments and partners run too (see ``tools/harness.py``: ``CORE_TEST_TAGS``).
"""

from odoo.tests import Form, HttpCase, new_test_user, tagged

SALESPERSON_GROUPS = "account.group_account_invoice,base.group_partner_manager"


@tagged("post_install", "-at_install")
class TestCoreFlows(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = new_test_user(cls.env, "vendeur", groups=SALESPERSON_GROUPS)

    def test_a_salesperson_creates_a_customer_in_the_browser(self):
        self.start_tour("/odoo", "debt_collection_new_customer_tour", login="vendeur")
        customer = self.env["res.partner"].search([("name", "=", "Client Parcours SARL")])
        self.assertEqual(len(customer), 1)

    def test_a_salesperson_invoices_a_new_customer_and_registers_the_payment(self):
        self.start_tour("/odoo", "debt_collection_invoice_payment_tour", login="vendeur")
        invoice = self.env["account.move"].search(
            [("partner_id.name", "=", "Garage Nouveau SAS"), ("move_type", "=", "out_invoice")]
        )
        self.assertEqual((invoice.state, invoice.amount_total > 0), ("posted", True))
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))

    def test_customer_and_invoice_forms_as_a_salesperson(self):
        env = self.env(user=self.salesperson)
        with Form(env["res.partner"]) as customer_form:
            customer_form.name = "Fromagerie Forme SARL"
            customer_form.company_type = "company"
        customer = customer_form.record
        self.assertTrue(customer.exists())
        with Form(env["account.move"].with_context(default_move_type="out_invoice")) as invoice_form:
            invoice_form.partner_id = customer
            with invoice_form.invoice_line_ids.new() as line:
                line.name = "Affinage"
                line.price_unit = 120.0
        invoice = invoice_form.record
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertTrue(invoice.debt_next_date, "the dunning knows the new invoice")
