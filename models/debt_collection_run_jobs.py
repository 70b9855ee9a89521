"""The daily run shared through OCA's ``queue_job``, where it is installed: a job per batch.

The scheduled action then only selects the day's batches of customers and queues them on the
``root.debt_collection`` channel; the job runner gives them to as many workers as the channel
allows (``root.debt_collection:N`` in its channels). Each job is the batch the scheduled action
would have run itself (``_run_batch``, the customer locks and the once-a-day index keeping two
workers off the same customer), and a last job, once they are all done, closes the run's log.
Without ``queue_job``, the scheduled action runs the batches itself, and several Odoo workers
share them through the same locks.
"""

import logging

from odoo import api, models
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

from .debt_collection_run import BATCH_SIZE

_logger = logging.getLogger(__name__)

#: The job runner's channel of the run's batches.
JOB_CHANNEL = "root.debt_collection"


class DebtCollectionRun(models.AbstractModel):
    _inherit = "debt.collection.run"

    @api.model
    def _debt_jobs_available(self):
        """Whether OCA's queue_job is installed in this database."""
        return "queue.job" in self.env

    @api.model
    def _enqueue_escalation(self, company, today):
        """Queue the run of ``company``: a job per batch of customers, then one closing its log.

        The batches are cut now, as the run would cut them; a customer that stops being due
        before its job runs is reviewed and left alone by it.
        """
        from odoo.addons.queue_job.delay import group  # queue_job is optional

        log = self._begin(company, today, "cron")
        jobs, after, customers = [], 0, 0
        batch = self.env._("Dunning of %(company)s: a batch of customers", company=company.name)
        while partner_ids := self._candidate_partners(company, today, after, BATCH_SIZE):
            job = self.delayable(channel=JOB_CHANNEL, description=batch)  # a delayable is one job
            jobs.append(job._run_batch_job(log, partner_ids))
            after, customers = partner_ids[-1], customers + len(partner_ids)
        if not jobs:
            log._finish_shared(0)
            return log
        closing = log.delayable(
            channel=JOB_CHANNEL,
            description=self.env._("Dunning of %(company)s: the run's log", company=company.name),
        )
        group(*jobs).on_done(closing._finish_shared(customers)).delay()
        return log

    def _run_batch_job(self, log, partner_ids):
        """One batch of a run queued by ``_enqueue_escalation``.

        A batch another worker changed since this job began (a serialization failure) is
        retried by queue_job. Any other failure outside one customer marks the run failed and
        tells the Collection Managers, as a run that stops does; the other batches go on.
        """
        company = log.company_id
        run = self.with_company(company)
        try:
            with self.env.cr.savepoint():
                run._run_batch(company, partner_ids, log.date, log, run._run_settings(company))
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise
        except Exception as error:  # the run is failed for this company, visibly
            _logger.exception("Debt collection: a batch of the run of %s failed", company.name)
            log._fail(run._failure_reason(error))
