"""The daily escalation run: select, decide with ``rules.escalation``, act, customer by customer safe.

Reading and writing in bulk lives in ``debt_collection_run_data.py``, each channel in its own
``debt_collection_channel_<channel>.py`` (``_dispatch_<channel>``), all on this model.
"""

import logging
import traceback

from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

from ..rules.escalation import STATE_TO_APPROVE, review

_logger = logging.getLogger(__name__)

BATCH_SIZE = 500

#: The index that keeps a customer to one communication a day (debt.collection.event).
ONCE_A_DAY_INDEX = "debt_collection_event_one_communication_a_day"


class DebtCollectionRun(models.AbstractModel):
    _name = "debt.collection.run"
    _description = "Dunning Escalation Run"

    # ------------------------------------------------------------------ entry points

    @api.model
    def _cron_escalate(self):
        """Scheduled action: escalate every company, batch by batch, committing each batch; with
        OCA's queue_job installed, queue the batches as jobs (``debt_collection_run_jobs``)."""
        cron = self.env["ir.cron"]
        today = fields.Date.context_today(self)
        companies = self.env["res.company"].browse(
            company.id
            for [company] in self.env["debt.collection.scenario"].sudo()._read_group([], ["company_id"])
        )
        if self._debt_jobs_available():
            for company in companies:
                self.with_company(company)._enqueue_escalation(company, today)
            return
        remaining = sum(self._count_candidates(company, today) for company in companies)
        cron._commit_progress(remaining=remaining)
        for company in companies:
            finished = self.with_company(company)._escalate(
                company, today, on_batch_done=lambda done: cron._commit_progress(done), trigger="cron"
            )
            if not finished:
                return

    @api.model
    def _escalate(
        self,
        company,
        today=None,
        batch_size=BATCH_SIZE,
        on_batch_done=None,
        skip_partner_ids=(),
        trigger="manual",
    ):
        """Run the escalation of ``company``; return False when stopped for lack of time.

        ``on_batch_done(n)`` is called after each batch of ``n`` customers (the cron commits
        there); a batch interrupted by a crash is rolled back and decided again next run. With
        several workers, a batch whose invoices another worker changed since this transaction
        began (a serialization failure) is rolled back, committed past and read again.
        ``skip_partner_ids``: customers left out of this run (unticked in Run Dunning Now).
        A failure outside any one customer (reading a batch) ends the company's run, marked
        failed, and the Collection Managers are told; the other companies' runs go on.
        """
        today = today or fields.Date.context_today(self)
        log = self._begin(company, today, trigger)
        skip = set(skip_partner_ids)
        settings = self._run_settings(company)
        after = 0
        while True:
            partner_ids = self._candidate_partners(company, today, after, batch_size)
            if not partner_ids:
                log._finish()
                return True
            try:
                with self.env.cr.savepoint():
                    batch = [partner for partner in partner_ids if partner not in skip]
                    counts = self._run_batch(company, batch, today, log, settings)
            except pg_errors.SerializationFailure:
                if not on_batch_done:
                    raise
                # another worker dunned some of these customers after this transaction began:
                # once committed, the next transaction sees it, and reads the batch again
                _logger.info("Debt collection: a batch of %s was taken by another worker", company.name)
                if on_batch_done(0) <= 0:
                    return False
                continue
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                raise
            except Exception as error:  # the run stops for this company, visibly
                _logger.exception("Debt collection: the run of %s stopped", company.name)
                log._fail(self._failure_reason(error))
                return True
            log._count(*counts)
            after = partner_ids[-1]
            if on_batch_done and on_batch_done(len(partner_ids)) <= 0:
                return False
            self.env.invalidate_all()  # the batch's records, committed, are not kept in memory

    def _begin(self, company, today, trigger):
        """The run's log, once the broken promises are found and the finished calls closed."""
        log = self.env["debt.collection.run.log"]._start(company, today, trigger)
        self.env["debt.collection.promise"]._debt_break_overdue(company, today)
        self._close_finished_tasks(company)
        return log

    def _run_batch(self, company, partner_ids, today, log, settings):
        """Lock, review and act on one batch of customers; record the dunning state.

        Returns ``(customers reviewed, communications, failed customers)``.
        """
        reviews = self._review(company, partner_ids, today, lock=True, settings=settings)
        events, failed = self._act(company, [r.communication for r in reviews if r.communication], today, log)
        self._record_dunning_state(reviews, events, failed, today)
        return len(reviews), len(events.filtered(lambda e: e.state != "error")), len(failed)

    @api.model
    def _preview(self, company, today=None):
        """What a run would do now, without doing it: the reviews with a communication, no lock."""
        today = today or fields.Date.context_today(self)
        reviews, after = [], 0
        settings = self._run_settings(company)
        while partner_ids := self._candidate_partners(company, today, after, BATCH_SIZE):
            batch = self._review(company, partner_ids, today, lock=False, settings=settings)
            reviews += [r for r in batch if r.communication]
            after = partner_ids[-1]
        return reviews

    @api.model
    def _reschedule(self, company, partner_ids, today=None):
        """Recompute the next action dates of these customers after a change (no communication).

        Called when an invoice is posted or its due date changes, a dispute is resolved, a
        case stops freezing the dunning, a customer is included again, a step is approved or
        refused, the scenario changes. The same decision as the run's, not acted upon.
        """
        today = today or fields.Date.context_today(self)
        partner_ids = sorted(set(partner_ids))
        settings = self._run_settings(company) if partner_ids else None
        for start in range(0, len(partner_ids), BATCH_SIZE):
            batch = partner_ids[start : start + BATCH_SIZE]
            reviews = self._review(company, batch, today, lock=False, acting=False, settings=settings)
            self._record_dunning_state(reviews, self.env["debt.collection.event"], (), today)

    # ------------------------------------------------------------------ decision

    def _review(self, company, partner_ids, today, lock, acting=True, settings=None):
        """Read these customers (locking them with ``lock``) and decide for each of them.

        ``settings``: the run's ``_run_settings``, read once for all its batches.
        """
        if lock:
            partner_ids = self._lock_partners(partner_ids)
        if not partner_ids:
            return []
        customers = self._read_customers(company, partner_ids, today, lock, settings)
        reviews = [review(customer, steps, today, acting=acting) for customer, steps in customers.values()]
        # a run reads 200,000 customers on a large ledger: what it read of them is not kept
        # past their batch, so that memory does not grow with the ledger
        self.env["res.partner"].browse(partner_ids).invalidate_recordset()
        return reviews

    # ------------------------------------------------------------------ action

    def _act(self, company, communications, today, log):
        """Carry the communications out, all at once; when that fails, customer by customer.

        Each customer that fails is rolled back alone and gets an event in error with a
        one-line reason (the traceback goes to the server log). A customer another process
        communicated meanwhile (the once-a-day index) is left to it. Returns the events carried
        out and the partner ids that failed.
        """
        Event = self.env["debt.collection.event"]
        if not communications:
            return Event, set()
        try:
            with self.env.cr.savepoint():
                return self._carry_out(company, communications, today, log), set()
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise
        except Exception:  # find the customers at fault, one savepoint each
            _logger.info("Debt collection: a batch failed, retrying customer by customer", exc_info=True)
        failures, events = [], Event
        for comm in communications:
            try:
                with self.env.cr.savepoint():
                    events |= self._carry_out(company, [comm], today, log)
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                raise
            except pg_errors.UniqueViolation as error:
                if error.diag.constraint_name == ONCE_A_DAY_INDEX:
                    _logger.info(
                        "Debt collection: customer %s was dunned today by another run", comm.partner_id
                    )
                else:
                    failures.append((comm, error))
            except Exception as error:  # recorded on the customer's error event
                _logger.warning(
                    "Debt collection: customer %s could not be dunned:\n%s",
                    comm.partner_id,
                    "".join(traceback.format_exception(error)),
                )
                failures.append((comm, error))
        self._record_failures(company, failures, today, log)
        return events, {comm.partner_id for comm, _error in failures}

    def _carry_out(self, company, communications, today, log):
        """Events and their lines, dispatch by channel, chatter notes; return the events.

        The invoices take their step afterwards, with their next dates, in one UPDATE for the
        batch (``_record_dunning_state``).
        """
        events = self._create_events(company, communications, today, log)
        self._dispatch(events.filtered(lambda e: e.state != STATE_TO_APPROVE), today)
        self._log_on_partners(events)
        return events

    def _failure_reason(self, error):
        """One line a credit controller understands."""
        if isinstance(error, UserError | ValidationError):
            message = error.args[0] if error.args else type(error).__name__
        elif isinstance(error, pg_errors.UniqueViolation):
            message = self.env._(
                "An invoice would take a step it already took (the scenario's steps changed?)"
            )
        else:
            message = self.env._(
                "%(error)s (details in the server log of %(time)s)",
                error=_first_line(error) or type(error).__name__,
                time=fields.Datetime.to_string(fields.Datetime.now()),
            )
        return _first_line(message) or type(error).__name__

    # ------------------------------------------------------------------ approvals

    @api.model
    def _send_approved(self, events, today):
        """Send approved steps now: their invoices still open take the step, customer by customer."""
        for event in events:
            try:
                with self.env.cr.savepoint():
                    self._send_one_approved(event, today)
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                raise
            except Exception as error:  # the step stays refused to the customer, visibly
                _logger.warning("Debt collection: approved event %s failed", event.id, exc_info=True)
                self._mark_failed(event, error)
        self._reschedule_events(events)

    def _send_one_approved(self, event, today):
        still_open = event.line_ids.filtered(lambda line: line.move_id._debt_is_open())
        if not still_open:
            event.sudo().write(
                {
                    "state": "cancelled",
                    "cancel_reason": "nothing_left",
                    "note": self.env._("Nothing left to claim when the step was approved."),
                }
            )
            return
        first_lines = {}
        for line in still_open.filtered("step_id"):
            first_lines.setdefault(line.move_id, line)
        self.env["debt.collection.event.line"].browse(
            [line.id for line in first_lines.values()]
        ).sudo().write({"advanced": True})
        self._dispatch(event, today, approved=True)
        self._advance_invoices(event, today)

    @api.model
    def _refuse_approval(self, events, user):
        note = self.env._("Refused by %(user)s.", user=user.name)
        for event in events:
            event.sudo().write(
                {
                    "state": "cancelled",
                    "cancel_reason": "refused",
                    "note": "\n".join(filter(None, [event.note, note])),
                }
            )
        self._reschedule_events(events)

    def _mark_failed(self, events, error):
        """Keep the events, in state ``error`` with the reason in their note."""
        reason = self._failure_reason(error)
        for event in events:
            event.sudo().write({"state": "error", "note": "\n".join(filter(None, [event.note, reason]))})

    def _reschedule_events(self, events):
        for company, company_events in events.grouped("company_id").items():
            self._reschedule(company, company_events.partner_id.ids)


def _first_line(text):
    lines = str(text).strip().splitlines()
    return lines[0] if lines else ""
