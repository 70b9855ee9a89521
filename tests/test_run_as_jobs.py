"""The daily run shared through OCA's queue_job: one job per batch, the same communications.

Runs in the harness's second test database, where queue_job is installed beside the module;
in the first one it skips itself.
"""

import unittest
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged

from .common import DebtCollectionCommon, day


@tagged("post_install", "-at_install")
class TestRunAsJobs(DebtCollectionCommon):
    """Five customers with invoices of different ages (one paid in part, one disputed), their
    daily run queued in batches of two and the jobs performed in another order than queued, as
    workers would take them: each customer receives what one worker running the whole day
    would have sent it, once a day, and the run's log counts it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.Run._debt_jobs_available():
            raise unittest.SkipTest("OCA queue_job is not installed in this database")
        Partner = cls.env["res.partner"]
        cls.customers = cls.customer | Partner.create(
            [
                {"name": f"Client {n} SARL", "is_company": True, "email": f"compta{n}@client{n}.fr"}
                for n in range(1, 5)
            ]
        )
        with freeze_time(day(0)):
            for n, customer in enumerate(cls.customers):
                cls.invoice(1000.0 + 100 * n, partner=customer, due=day(-5 * n))
                cls.invoice(400.0, partner=customer, due=day(-20 - n))
            cls.pay(cls, cls.invoice(900.0, partner=cls.customers[2], due=day(-12)), 300.0, day(-2))
            disputed = cls.invoice(700.0, partner=cls.customers[4], due=day(-40))
            cls.env["debt.collection.dispute"].create(
                {
                    "move_id": disputed.id,
                    "reason_id": cls.env["debt.collection.dispute.reason"].search([], limit=1).id,
                }
            )

    def what_one_worker_sends(self, on):
        """``{customer: (step, channel, invoices)}`` a run on ``on`` would send (its preview)."""
        with freeze_time(on):
            reviews = self.Run.with_company(self.company)._preview(self.company, on)
        return {
            review.partner_id: (review.communication.step.id, review.communication.channel,
                                tuple(sorted(review.communication.listed_invoice_ids)))
            for review in reviews
            if review.partner_id in self.customers.ids
        }

    def sent(self, on):
        events = self.Event.search(
            [
                ("partner_id", "in", self.customers.ids),
                ("date", "=", on),
                ("origin", "in", ("pre_due", "overdue")),
            ]
        )
        return {
            event.partner_id.id: (event.step_id.id, event.channel, tuple(sorted(event.line_ids.move_id.ids)))
            for event in events
        }

    def run_as_jobs(self, on):
        """The scheduled action on ``on``, its jobs trapped, then performed last batch first (a
        job keeps the cursor it was queued with: queued from ``ir.cron``'s own, it would outlive
        it here)."""
        from odoo.addons.queue_job.tests.common import trap_jobs  # queue_job is optional

        from ..models import debt_collection_run_jobs

        before = self.sent(on)
        with (
            freeze_time(f"{on} 06:00:00"),
            patch.object(debt_collection_run_jobs, "BATCH_SIZE", 2),
            trap_jobs() as trap,
        ):
            self.Run._cron_escalate()  # the scheduled action's method, in this test's transaction
            log = self.env["debt.collection.run.log"].search([("date", "=", on)], limit=1)
            batches = [job for job in trap.enqueued_jobs if job.method_name == "_run_batch_job"]
            closing = [job for job in trap.enqueued_jobs if job.method_name == "_finish_shared"]
            for job in trap.enqueued_jobs:
                self.assertEqual(job.channel, "root.debt_collection")
            self.assertEqual(self.sent(on), before, "nothing goes out before a worker takes the jobs")
            self.assertEqual(log.state, "running" if batches else "done", "closed by the last job")
            for job in [*reversed(batches), *closing]:
                job.perform()
        return log, batches, closing

    def test_jobs_send_what_one_worker_would_once_a_day(self):
        for on in (day(1), day(11), day(25)):
            expected = self.what_one_worker_sends(on)
            self.assertTrue(expected, f"something is due on {on}")
            log, batches, closing = self.run_as_jobs(on)
            self.assertEqual(self.sent(on), expected, on)
            self.assertEqual((len(batches), len(closing)), ((len(expected) + 1) // 2, 1), on)
            self.assertEqual(
                (log.state, log.communication_count, log.error_count), ("done", len(expected), 0), on
            )
            # the scheduled action again the same day: nobody is due, nothing is queued or sent
            again, batches, closing = self.run_as_jobs(on)
            self.assertEqual((batches, closing), ([], []))
            self.assertEqual((again.state, again.communication_count), ("done", 0))
            self.assertEqual(self.sent(on), expected, "once a day")
