"""Escalation runs on real, committed transactions: two at once, and one killed halfway.

These tests cannot live in a test transaction: a second database cursor sees only committed
rows. They commit their ledger, and remove it in the class cleanup.
"""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from unittest.mock import patch

from odoo import SUPERUSER_ID, Command, api
from odoo.modules.registry import Registry
from odoo.orm.environments import Transaction
from odoo.tests.common import BaseCase, get_db_name, tagged
from odoo.tools import mute_logger

from .common import DUE, day

CUSTOMERS = 6


class WorkerKilled(BaseException):
    """A worker dies: nothing in the run catches it (as nothing catches a kill -9)."""


INVOICES_PER_CUSTOMER = 2


@tagged("post_install", "-at_install")
class TestCommittedRuns(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        with cls.registry.cursor() as cr:
            env = cls._env(cr)
            company = env.company
            if not env["account.journal"].search([("company_id", "=", company.id), ("type", "=", "sale")]):
                cls.skipTest(cls, "the main company has no chart of accounts")
            partners = env["res.partner"].create(
                [
                    {"name": f"Client concurrent {n}", "is_company": True, "email": f"client{n}@example.fr"}
                    for n in range(CUSTOMERS)
                ]
            )
            moves = env["account.move"].create(
                [
                    {
                        "move_type": "out_invoice",
                        "partner_id": partner.id,
                        "invoice_date": DUE - timedelta(days=30),
                        "invoice_date_due": DUE,
                        "invoice_line_ids": [
                            Command.create(
                                {"name": "Prestation", "price_unit": 100.0 * (n + 1), "tax_ids": []}
                            )
                        ],
                    }
                    for partner in partners
                    for n in range(INVOICES_PER_CUSTOMER)
                ]
            )
            moves.action_post()
            cls.company_id, cls.partner_ids, cls.move_ids = company.id, partners.ids, moves.ids
        cls.addClassCleanup(cls._remove_ledger)

    @classmethod
    def _env(cls, cr):
        if cr.transaction is None:
            # not through ``Registry(db)``: the test runner holds the registries' lock, a
            # second thread asking for the registry by name would wait for it forever
            cr.transaction = Transaction(cls.registry)
        return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})

    @classmethod
    def _remove_ledger(cls):
        with cls.registry.cursor() as cr:
            env = cls._env(cr)
            cls._remove_runs(env)
            moves = env["account.move"].browse(cls.move_ids)
            moves.button_draft()
            moves.with_context(force_delete=True).unlink()
            env["res.partner"].browse(cls.partner_ids).unlink()

    @classmethod
    def _remove_runs(cls, env):
        """Forget every run on the ledger: events, queued mails, and the invoices' dunning state."""
        events = env["debt.collection.event"].search([("partner_id", "in", cls.partner_ids)])
        cls._mails(env, events).unlink()
        events.unlink()
        env["account.move"].browse(cls.move_ids).write(
            {"debt_step_id": False, "debt_level": 0, "debt_next_date": DUE}
        )

    @staticmethod
    def _mails(env, events):
        return env["mail.mail"].search([("mail_message_id", "in", events.mail_message_id.ids)])

    def setUp(self):
        super().setUp()
        self.addCleanup(self._clean_runs)

    def _clean_runs(self):
        with self.registry.cursor() as cr:
            self._remove_runs(self._env(cr))

    def escalate(self, cr, **kwargs):
        env = self._env(cr)
        company = env["res.company"].browse(self.company_id)
        return env["debt.collection.run"].with_company(company)._escalate(company, today=day(1), **kwargs)

    def advanced_lines(self):
        """``{(invoice, step): how many events took it there}``, as committed."""
        with self.registry.cursor() as cr:
            lines = self._env(cr)["debt.collection.event.line"].search(
                [("move_id", "in", self.move_ids), ("advanced", "=", True)]
            )
            return Counter((line.move_id.id, line.step_id.id) for line in lines)

    def events_by_partner(self):
        with self.registry.cursor() as cr:
            events = self._env(cr)["debt.collection.event"].search([("partner_id", "in", self.partner_ids)])
            return Counter(event.partner_id.id for event in events)

    def communications(self):
        """What the customers received: ``{(customer, step, channel, invoices)}``, as committed."""
        with self.registry.cursor() as cr:
            events = self._env(cr)["debt.collection.event"].search([("partner_id", "in", self.partner_ids)])
            return {
                (
                    event.partner_id.id,
                    event.step_id.id,
                    event.channel,
                    tuple(sorted(event.line_ids.move_id.ids)),
                )
                for event in events
            }

    def test_two_workers_sharing_a_run_send_exactly_what_one_worker_would(self):
        """Two workers (two cron workers, two servers) run the same day's escalation at once.

        Batches of two customers, each committed as the cron commits: the workers leapfrog
        each other through the batches, each skipping the customers the other holds.
        """
        with self.registry.cursor() as cr:
            self.escalate(cr, batch_size=2)
        alone = self.communications()
        self.assertEqual(len(alone), CUSTOMERS)
        self._clean_runs()

        start = threading.Barrier(2)

        def worker():
            with self.registry.cursor() as cr:

                def commit_like_the_cron(_done):
                    cr.commit()  # pylint: disable=invalid-commit  # what ir.cron._commit_progress does
                    return float("inf")  # its remaining time, outside a scheduled action

                start.wait(timeout=30)
                self.escalate(cr, batch_size=2, on_batch_done=commit_like_the_cron)

        with ThreadPoolExecutor(2) as pool:
            for future in [pool.submit(worker) for _ in range(2)]:
                future.result(timeout=120)
        self.assertEqual(self.communications(), alone, "the same communications, each once")
        self.assertEqual(self.events_by_partner(), Counter(dict.fromkeys(self.partner_ids, 1)))

    def test_a_worker_that_began_before_another_committed_reads_again_and_sends_nothing_twice(self):
        """Worker B's transaction began (its snapshot) before worker A ran the day and committed:
        B still sees the customers as due, locks them (A released them) and reading their
        invoices, changed since its snapshot, fails to serialize. B rolls that batch back,
        commits and reads again: nothing left to do. Each customer received one communication.
        """
        with self.registry.cursor() as late_cr:
            self._env(late_cr)["res.partner"].browse(self.partner_ids).mapped("name")  # B's snapshot
            with self.registry.cursor() as cr:
                self.escalate(cr)  # A runs the whole day and commits
            alone = self.communications()
            commits = []

            def commit_like_the_cron(done):
                commits.append(done)
                late_cr.commit()  # pylint: disable=invalid-commit  # what ir.cron._commit_progress does
                return float("inf")

            with mute_logger("odoo.sql_db"):
                self.assertTrue(self.escalate(late_cr, on_batch_done=commit_like_the_cron))
        self.assertEqual(commits[0], 0, "the failed batch was committed past, not counted")
        self.assertEqual(self.communications(), alone, "B sent nothing more")
        self.assertEqual(self.events_by_partner(), Counter(dict.fromkeys(self.partner_ids, 1)))

    def test_two_runs_at_once_send_each_step_once(self):
        """Both runs read the same customers; each customer is decided by exactly one of them."""
        barrier = threading.Barrier(2)
        run_class = self.registry["debt.collection.run"]
        original_decide = run_class._review

        def decide_then_wait(run, *args, **kwargs):
            decisions = original_decide(run, *args, **kwargs)
            barrier.wait(timeout=30)  # neither run acts before both have locked what they could
            return decisions

        def run_in_own_transaction():
            try:
                with self.registry.cursor() as cr:
                    self.escalate(cr)
            except Exception:
                barrier.abort()
                raise

        with patch.object(run_class, "_review", decide_then_wait), ThreadPoolExecutor(2) as pool:
            futures = [pool.submit(run_in_own_transaction) for _ in range(2)]
            for future in futures:
                future.result(timeout=60)

        advanced = self.advanced_lines()
        self.assertEqual(len(advanced), CUSTOMERS * INVOICES_PER_CUSTOMER, "every invoice took the step")
        self.assertEqual(set(advanced.values()), {1}, "and took it once")
        self.assertEqual(
            self.events_by_partner(),
            Counter(dict.fromkeys(self.partner_ids, 1)),
            "one reminder per customer, its invoices never split between the two runs",
        )

    def test_a_run_killed_halfway_is_completed_by_the_next_without_duplicates(self):
        run_class = self.registry["debt.collection.run"]
        original_advance = run_class._record_dunning_state
        calls = []

        def advance_then_die_in_second_batch(run, *args, **kwargs):
            calls.append(1)
            if len(calls) == 2:  # the second batch has created its events and queued its mails
                raise WorkerKilled("worker killed")
            return original_advance(run, *args, **kwargs)

        batch = CUSTOMERS // 3
        with self.registry.cursor() as cr:

            def commit_like_the_cron(done):
                cr.commit()  # pylint: disable=invalid-commit  # what ir.cron._commit_progress does
                return done

            with (
                patch.object(run_class, "_record_dunning_state", advance_then_die_in_second_batch),
                self.assertRaisesRegex(WorkerKilled, "worker killed"),
            ):
                self.escalate(cr, batch_size=batch, on_batch_done=commit_like_the_cron)
            cr.rollback()

        first_batch = set(self.partner_ids[:batch])
        self.assertEqual(
            set(self.events_by_partner()),
            first_batch,
            "the committed batch stays, the killed one left nothing",
        )
        with self.registry.cursor() as cr:
            env = self._env(cr)
            events = env["debt.collection.event"].search([("partner_id", "in", self.partner_ids)])
            mails = len(self._mails(env, events))
        self.assertEqual(mails, batch, "only the first batch's mails are queued")

        with self.registry.cursor() as cr:
            self.escalate(cr, batch_size=batch)
        advanced = self.advanced_lines()
        self.assertEqual(len(advanced), CUSTOMERS * INVOICES_PER_CUSTOMER)
        self.assertEqual(set(advanced.values()), {1}, "nothing twice")
        self.assertEqual(self.events_by_partner(), Counter(dict.fromkeys(self.partner_ids, 1)))

    def test_a_second_run_the_same_day_in_another_transaction_sends_nothing(self):
        """Cron, then "Run Dunning Now", then a rerun after a crash: one communication a day.

        A customer also has an invoice falling due that very day. The last run does not see
        the first ones' events (as a process whose snapshot predates their commit): the
        database refuses the second communication, and that customer is left alone, quietly.
        """
        with self.registry.cursor() as cr:
            env = self._env(cr)
            due_today = env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.partner_ids[0],
                    "invoice_date": day(-29),
                    "invoice_date_due": day(1),
                    "invoice_line_ids": [
                        Command.create({"name": "Dépannage", "price_unit": 90.0, "tax_ids": []})
                    ],
                }
            )
            due_today.action_post()
        self.addCleanup(self._remove_moves, due_today.ids)

        for _run in range(2):
            with self.registry.cursor() as cr:
                self.escalate(cr)
        self.assertEqual(self.events_by_partner(), Counter(dict.fromkeys(self.partner_ids, 1)))

        with self.registry.cursor() as cr:  # as that process sees them: not reminded yet
            self._env(cr)["account.move"].browse(self.move_ids + due_today.ids).write(
                {"debt_next_date": day(1), "debt_step_id": False, "debt_level": 0}
            )
        run_class = self.registry["debt.collection.run"]
        read_instalments = run_class._read_open_instalments

        def instalments_without_steps_taken(run, *args):
            return [row._replace(taken_step_ids=[]) for row in read_instalments(run, *args)]

        with (
            patch.object(run_class, "_communication_history", lambda run, company, partner_ids: {}),
            patch.object(run_class, "_read_open_instalments", instalments_without_steps_taken),
            mute_logger("odoo.sql_db"),
            self.registry.cursor() as cr,
        ):
            self.escalate(cr)
            log = self._env(cr)["debt.collection.run.log"].search([], order="id desc", limit=1)
            self.assertEqual(
                (log.state, log.customer_count, log.error_count, log.communication_count),
                ("done", CUSTOMERS, 0, 0),
                "every customer decided again, none sent, none failed: the index refused them all",
            )
        self.assertEqual(
            self.events_by_partner(),
            Counter(dict.fromkeys(self.partner_ids, 1)),
            "the database kept each customer to one communication that day",
        )
        with self.registry.cursor() as cr:
            errors = self._env(cr)["debt.collection.event"].search_count(
                [("partner_id", "in", self.partner_ids), ("state", "=", "error")]
            )
        self.assertEqual(errors, 0, "a customer another run served is not a failure")

    def _remove_moves(self, move_ids):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            self._remove_runs(env)
            moves = env["account.move"].browse(move_ids)
            moves.button_draft()
            moves.with_context(force_delete=True).unlink()
