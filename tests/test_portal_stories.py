"""A promise and a dispute made on the customer's page pause the dunning exactly as the back office's.

Twin customers, the same invoice on the same day, lived through the real scheduled action every
morning: one promises on the phone (Log a Call) and the other on its page; one has its dispute
raised by a credit controller and the other raises it on its page; both twins also visit their
page and write a message. Each pair must receive the very same communications, day by day.
"""

from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from .common import DebtCollectionCommon, day

FIRST_DAY, LAST_DAY = -6, 62


@tagged("post_install", "-at_install")
class TestPortalStories(DebtCollectionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cron = cls.env.ref("account_debt_collection.ir_cron_debt_escalate")
        cls.company.debt_controller_id = new_test_user(
            cls.env,
            "controleur.histoires",
            groups="account.group_account_invoice,account_debt_collection.group_debt_collection_user",
            company_id=cls.company.id,
        )
        cls.reason = cls.env.ref("account_debt_collection.dispute_reason_late_delivery")
        cls.visitor = cls.env.ref("base.public_user")
        Partner = cls.env["res.partner"]

        def customer(name):
            return Partner.create(
                {"name": name, "is_company": True, "email": f"{name.split()[0].lower()}@example.fr"}
            )

        cls.phone_promise, cls.page_promise = customer("Leroy Bâtiment"), customer("Lemoine Bâtiment")
        cls.office_dispute, cls.page_dispute = customer("Dupont Garage"), customer("Durand Garage")
        with freeze_time(day(FIRST_DAY - 5)):
            cls.invoices = {
                partner: cls.invoice(1200.0, partner=partner)
                for partner in (cls.phone_promise, cls.page_promise, cls.office_dispute, cls.page_dispute)
            }

    def communications(self, partner):
        events = self.Event.search(
            [
                ("partner_id", "=", partner.id),
                ("origin", "in", ("pre_due", "overdue")),
                ("state", "not in", ("error", "cancelled")),
            ],
            order="date, id",
        )
        return [((event.date - day(0)).days, event.channel, event.letter_type or None) for event in events]

    def as_visitor(self):
        """``debt.collection.portal`` as the page's controller calls it for an anonymous visitor."""
        return self.env["debt.collection.portal"].with_user(self.visitor)

    def test_page_promises_and_disputes_pause_the_dunning_as_the_back_offices(self):
        disputes = {}

        def promise_on_the_phone():
            wizard = (
                self.env["debt.collection.call.wizard"]
                .with_context(active_model="res.partner", active_ids=self.phone_promise.ids)
                .create({"outcome": "promise", "promise_date": day(30), "promise_amount": 1200.0})
            )
            wizard.action_confirm()

        def promise_on_the_page():
            self.as_visitor()._promise(
                self.page_promise, [self.invoices[self.page_promise].id], day(30), 1200.0
            )

        def disputes_raised():
            disputes["office"] = self.env["debt.collection.dispute"].create(
                {"move_id": self.invoices[self.office_dispute].id, "reason_id": self.reason.id}
            )
            disputes["page"] = self.as_visitor()._dispute(
                self.page_dispute,
                self.invoices[self.page_dispute].id,
                self.reason.id,
                "Livré avec 10 jours de retard",
                [],
            )

        def visits_and_messages():
            for partner in (self.page_promise, self.page_dispute):
                self.as_visitor()._record(partner, "portal_viewed", once_a_day=True)
                partner.with_user(self.visitor).sudo().message_post(
                    body="Nous regardons cela.", message_type="comment", subtype_xmlid="mail.mt_comment"
                )

        def disputes_resolved():
            for dispute in disputes.values():
                dispute.outcome = "unjustified"
                dispute.action_resolve()

        mornings = {
            3: disputes_raised,
            5: visits_and_messages,
            12: lambda: (promise_on_the_phone(), promise_on_the_page()),
            21: visits_and_messages,
            33: disputes_resolved,
        }
        for offset in range(FIRST_DAY, LAST_DAY + 1):
            with freeze_time(f"{day(offset)} 06:00:00"), self.enter_registry_test_mode():
                if offset in mornings:
                    mornings[offset]()
                self.cron.method_direct_trigger()

        page_promise = self.invoices[self.page_promise].debt_promise_ids
        self.assertEqual((page_promise.state, page_promise.event_id.outcome), ("broken", "portal_promise"))
        self.assertEqual(self.invoices[self.page_dispute].debt_dispute_ids.event_id.outcome, "portal_dispute")
        promised = self.communications(self.phone_promise)
        self.assertEqual(promised, self.communications(self.page_promise))
        # the promise made on D+12 for D+30, broken after the grace period: nothing from D+10 to D+33
        self.assertEqual([offset for offset, _channel, _letter in promised], [-5, 1, 10, 34, 44, 59])
        disputed = self.communications(self.office_dispute)
        self.assertEqual(disputed, self.communications(self.page_dispute))
        self.assertEqual([offset for offset, _channel, _letter in disputed], [-5, 1, 33, 43, 53])
        page_events = self.Event.search(
            [("partner_id", "=", self.page_dispute.id), ("origin", "=", "portal")]
        )
        self.assertEqual(
            sorted(page_events.mapped("outcome")),
            sorted(["portal_dispute", "portal_viewed", "portal_viewed", "portal_message", "portal_message"]),
        )
