"""In the browser: a credit controller through the follow-up screen, a manager through the settings.

The tours (``static/tests/tours/debt_collection_followup_tour.js``) click as the users would;
the tests check what the server recorded. They live on the real calendar (a browser cannot be
frozen): the invoice fell due 20 days before today.
"""

from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestFollowupTours(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.controller = new_test_user(
            cls.env, "controleuse", groups="account_debt_collection.group_debt_collection_user"
        )
        cls.manager = new_test_user(
            cls.env,
            "responsable",
            groups="account_debt_collection.group_debt_collection_manager,account.group_account_manager,base.group_system",
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Suivi Tour SARL",
                "is_company": True,
                "email": "compta@suivi-tour.example",
                "street": "1 rue du Parcours",
                "zip": "69001",
                "city": "Lyon",
                "country_id": cls.env.ref("base.fr").id,
            }
        )
        cls.customer.with_company(cls.company).debt_controller_id = cls.controller

    def test_a_controller_logs_a_call_takes_a_promise_and_prints_the_statement(self):
        today = fields.Date.context_today(self.env["res.partner"])
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": today - timedelta(days=50),
                "invoice_date_due": today - timedelta(days=20),
                "invoice_line_ids": [(0, 0, {"name": "Maintenance", "price_unit": 1500.0, "tax_ids": []})],
            }
        )
        invoice.action_post()
        self.start_tour("/odoo/my-follow-ups", "debt_collection_followup_tour", login="controleuse")
        calls = self.env["debt.collection.event"].search(
            [("partner_id", "=", self.customer.id), ("origin", "=", "manual"), ("channel", "=", "phone")],
            order="id",
        )
        self.assertEqual(calls.mapped("outcome"), ["unreachable", "promise"])
        self.assertEqual(calls.user_id, self.controller)
        promise = self.env["debt.collection.promise"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(
            (promise.date, promise.amount, promise.move_ids),
            (fields.Date.today() + timedelta(days=30), 1500.0, invoice),
        )
        self.assertEqual(invoice.debt_promise_date, promise.date, "the dunning waits for the promise")
        statement = self.env["debt.collection.event"].search(
            [("partner_id", "=", self.customer.id), ("letter_type", "=", "statement")]
        )
        self.assertEqual(
            (statement.channel, statement.state, statement.user_id), ("letter", "done", self.controller)
        )

    def test_a_manager_sets_the_collection_terms_in_the_settings(self):
        self.assertTrue(self.company.debt_sms_enabled)
        self.start_tour("/odoo/settings#account", "debt_collection_settings_tour", login="responsable")
        self.assertEqual(self.company.debt_dispute_escalation_days, 45)
        self.assertFalse(self.company.debt_sms_enabled)
        self.assertEqual(self.company.debt_late_interest_rate, 12.5)
        self.assertEqual(self.company.debt_signatory_function, "Directrice financière")
