"""Faults in the daily run stay with the customer they belong to, and are seen.

A customer whose email template is broken fails alone: an error event says why in one line,
the other customers are served, the run's record shows the failure and every Collection
Manager gets a to-do. Reordering the scenario's steps never makes an invoice take a step
twice, and stops nobody's dunning.
"""

from freezegun import freeze_time

from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import DebtCollectionCommon, day

RUN_LOGGER = "odoo.addons.account_debt_collection.models.debt_collection_run"


@tagged("post_install", "-at_install")
class TestRunFaults(DebtCollectionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            "collection_manager",
            groups="account.group_account_invoice,account_debt_collection.group_debt_collection_manager",
            company_id=cls.company.id,
        )
        Partner = cls.env["res.partner"]
        cls.others = Partner.create(
            [{"name": f"Client {n}", "is_company": True, "email": f"client{n}@example.fr"} for n in range(3)]
        )
        cls.broken_customer = Partner.create(
            {"name": "Gabarit Cassé SARL", "is_company": True, "email": "compta@gabarit.fr"}
        )
        broken_template = cls.env.ref("account_debt_collection.mail_template_reminder").copy(
            {"body_html": '<p><t t-out="object.partner_id.no_such_field"/></p>'}
        )
        broken = cls.scenario.copy({"name": "Broken template", "is_default": False})
        broken.step_ids.filtered(lambda s: s.offset_days == 1).mail_template_id = broken_template
        cls.broken_customer.with_company(cls.company).debt_scenario_id = broken
        with freeze_time(day(-30)):
            for partner in cls.others | cls.broken_customer:
                cls.invoice(500.0, partner=partner)

    def run_day(self, offset):
        with freeze_time(day(offset)), self.enter_registry_test_mode():
            self.env.ref("account_debt_collection.ir_cron_debt_escalate").method_direct_trigger()
        return self.env["debt.collection.run.log"].search(
            [("date", "=", day(offset))], order="id desc", limit=1
        )

    def test_a_broken_template_fails_its_customer_alone_and_the_managers_are_told(self):
        with mute_logger(RUN_LOGGER):
            log = self.run_day(1)
        for partner in self.others:
            self.assertEqual(self.events(partner).mapped("channel"), ["email"], "the others are served")
        failed = self.events(self.broken_customer)
        self.assertEqual((failed.state, failed.channel, failed.level), ("error", "email", 2))
        self.assertEqual(len(failed.note.splitlines()), 1, "one line a controller reads")
        self.assertNotIn("Traceback", failed.note)
        self.assertFalse(failed.line_ids.filtered("advanced"), "its invoice took no step")
        self.assertEqual(failed.line_ids.move_id.debt_level, 0)

        self.assertEqual((log.state, log.communication_count, log.error_count), ("errors", 3, 1))
        self.assertIn(self.manager, log.activity_ids.user_id, "each Collection Manager has a to-do")
        action = log.action_view_failed()
        self.assertEqual((action["res_model"], action.get("res_id")), ("debt.collection.event", failed.id))

        # the template is mended: the next run sends that customer its email, once
        self.broken_customer.with_company(self.company).debt_scenario_id.step_ids.filtered(
            lambda s: s.offset_days == 1
        ).mail_template_id = self.env.ref("account_debt_collection.mail_template_reminder")
        self.run_day(2)
        sent = self.events(self.broken_customer) - failed
        self.assertEqual((sent.state, sent.channel), ("done", "email"))
        self.assertEqual(len(self.events(self.others[0])), 1, "nothing twice for the others")

    def test_reordering_the_steps_stops_nobody_and_no_invoice_takes_a_step_twice(self):
        self.broken_customer.with_company(self.company).debt_scenario_id = False
        with mute_logger(RUN_LOGGER):
            self.run_day(1)
            self.run_day(10)
        # the courteous email moves to D+12, after the D+10 call every invoice already had
        email = self.scenario.step_ids.filtered(lambda s: s.offset_days == 1)
        email.offset_days = 12
        with mute_logger(RUN_LOGGER):
            logs = [self.run_day(offset) for offset in range(11, 31)]
        self.assertEqual({log.state for log in logs}, {"done"}, "no run failed")
        for partner in self.others | self.broken_customer:
            sequence = [(event.date, event.channel) for event in self.events(partner).sorted("id")]
            self.assertEqual(
                sequence,
                [(day(1), "email"), (day(10), "phone"), (day(20), "letter"), (day(30), "registered_letter")],
            )
            invoice = self.events(partner).line_ids.move_id
            steps = invoice.debt_event_line_ids.filtered("advanced").step_id
            self.assertEqual(
                len(steps), len(invoice.debt_event_line_ids.filtered("advanced")), "each step once"
            )
