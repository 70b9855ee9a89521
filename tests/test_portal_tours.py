"""The customer's page in the browser: a portal user from My Account, a visitor from its signed link.

Each views its invoices, promises a payment within the company's limits, reports a problem with
a document attached and pays with Odoo's demo payment provider (``payment_demo``, installed
beside the module by ``make test``).
"""

from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from .portal_common import PortalCommon


@tagged("post_install", "-at_install")
class TestPortalTours(PortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.today()
        cls.first = cls.invoice(800.0, due=today - timedelta(days=20))
        cls.second = cls.invoice(300.0, due=today - timedelta(days=10))
        provider = (
            cls.env["payment.provider"]
            .sudo()
            .search([("code", "=", "demo"), ("company_id", "=", cls.company.id)], limit=1)
        )
        provider.write({"state": "test", "is_published": True})

    def assert_lived(self):
        promise = self.first.debt_promise_ids
        # made within the limits, it ran at once; the invoices paid online since, it is kept
        self.assertEqual(
            (promise.amount, promise.date, promise.acceptance),
            (500.0, fields.Date.today() + timedelta(days=7), "accepted"),
        )
        self.assertEqual((promise.state, promise.event_id.outcome), ("kept", "portal_promise"))
        dispute = self.second.debt_dispute_ids
        self.assertEqual((dispute.state, dispute.event_id.outcome), ("open", "portal_dispute"))
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", dispute._name), ("res_id", "=", dispute.id)]
        )
        self.assertEqual(attachment.name, "delivery-note.pdf")
        transaction = self.env["payment.transaction"].sudo().search([("invoice_ids", "in", self.first.ids)])
        self.assertEqual(transaction.state, "done")
        self.assertEqual(transaction.invoice_ids, self.first | self.second)
        self.assertEqual(transaction.amount, 1100.0)
        self.assertEqual(
            set((self.first | self.second).mapped("payment_state")) - {"paid", "in_payment"}, set()
        )
        payments = self.env["debt.collection.event"].search(
            [("partner_id", "=", self.customer.id), ("outcome", "=", "portal_payment")]
        )
        self.assertEqual(len(payments), 1)

    def test_a_portal_user_lives_its_page(self):
        contact = self.env["res.partner"].create(
            {"name": "Julie Martin", "parent_id": self.customer.id, "email": "julie@boulangerie-martin.fr"}
        )
        new_test_user(self.env, "julie.martin", groups="base.group_portal", partner_id=contact.id)
        self.start_tour("/my", "debt_collection_portal_user_tour", login="julie.martin")
        self.assert_lived()

    def test_a_visitor_with_the_signed_link_lives_its_page(self):
        self.start_tour(self.link(self.customer), "debt_collection_portal_link_tour")
        self.assert_lived()
