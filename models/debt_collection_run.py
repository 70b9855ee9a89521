"""The daily escalation run: read in batches, decide with ``rules.escalation``, write in batches."""

import logging
from collections import defaultdict
from dataclasses import dataclass

from markupsafe import Markup

from odoo import api, fields, models
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL

from ..rules.escalation import Communication, OpenInvoice, next_action_date, plan_run
from ..rules.promise import is_paused
from .account_move import CHASEABLE_PAYMENT_STATES, _level_in

_logger = logging.getLogger(__name__)

BATCH_SIZE = 500
MOVE_FIELDS = [
    "invoice_date_due", "currency_id", "amount_total", "amount_residual", "amount_residual_signed",
    "debt_level", "debt_cycle",
]


@dataclass
class Decision:
    """A communication decided for a customer, with what the run needs to act on it."""

    company_id: int
    scenario: object
    steps: list
    communication: Communication


class DebtCollectionRun(models.AbstractModel):
    _name = "debt.collection.run"
    _description = "Dunning Escalation Run"

    # ------------------------------------------------------------------ entry points

    @api.model
    def _cron_escalate(self):
        """Scheduled action: escalate every company, batch by batch, committing each batch."""
        cron = self.env["ir.cron"]
        today = fields.Date.context_today(self)
        companies = self.env["res.company"].browse(
            company.id
            for [company] in self.env["debt.collection.scenario"].sudo()._read_group([], ["company_id"])
        )
        remaining = sum(self._count_candidates(company, today) for company in companies)
        cron._commit_progress(remaining=remaining)
        for company in companies:
            finished = self.with_company(company)._escalate(
                company, today, on_batch_done=lambda done: cron._commit_progress(done)
            )
            if not finished:
                return

    @api.model
    def _escalate(self, company, today=None, batch_size=BATCH_SIZE, on_batch_done=None):
        """Run the escalation of ``company``; return False when stopped for lack of time.

        ``on_batch_done(n)`` is called after each batch of ``n`` customers (the cron commits
        there); a batch interrupted by a crash is rolled back and decided again next run.
        """
        today = today or fields.Date.context_today(self)
        self.env["debt.collection.promise"]._debt_break_overdue(company, today)
        after = 0
        while True:
            partner_ids = self._candidate_partners(company, today, after, batch_size)
            if not partner_ids:
                return True
            decisions = self._decide(company, today, partner_ids, lock=True)
            self._act(decisions, today)
            after = partner_ids[-1]
            if on_batch_done and on_batch_done(len(partner_ids)) <= 0:
                return False

    @api.model
    def _preview(self, company, today=None):
        """What a run would do now, without doing it: decisions only, no lock."""
        today = today or fields.Date.context_today(self)
        decisions, after = [], 0
        while partner_ids := self._candidate_partners(company, today, after, BATCH_SIZE):
            decisions += self._decide(company, today, partner_ids, lock=False)
            after = partner_ids[-1]
        return decisions

    # ------------------------------------------------------------------ selection

    def _candidates_where(self, company, today):
        return SQL(
            """m.company_id = %(company)s
               AND m.move_type = 'out_invoice'
               AND m.state = 'posted'
               AND m.debt_next_date IS NOT NULL
               AND m.debt_next_date <= %(today)s
               AND m.payment_state IN %(states)s
               AND NOT COALESCE(m.debt_dispute, FALSE)""",
            company=company.id,
            today=today,
            states=CHASEABLE_PAYMENT_STATES,
        )

    def _count_candidates(self, company, today):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT COUNT(DISTINCT m.commercial_partner_id) FROM account_move m WHERE %s",
                self._candidates_where(company, today),
            )
        )
        return self.env.cr.fetchone()[0]

    def _candidate_partners(self, company, today, after, limit):
        """Customers with an invoice whose next action date has come, by ascending id."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT DISTINCT m.commercial_partner_id FROM account_move m
                    WHERE %s AND m.commercial_partner_id > %s
                 ORDER BY m.commercial_partner_id LIMIT %s""",
                self._candidates_where(company, today),
                after,
                limit,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    # ------------------------------------------------------------------ decision

    def _decide(self, company, today, partner_ids, lock):
        """Read the open invoices and credits of these customers, return their decisions.

        With ``lock``, the customers and their invoices are locked (``SKIP LOCKED``): those a
        concurrent run holds are left to it.
        """
        if lock:
            partner_ids = self._lock_partners(partner_ids)
        rows = self._read_open_invoices(company, partner_ids, lock)
        if not rows:
            return []
        partners = self.env["res.partner"].browse({row["partner_id"] for row in rows})
        scenarios = self.env["res.partner"]._debt_scenarios_for(company, partners)
        excluded = self._excluded_partners(company, partner_ids)
        credits = self._unreconciled_credits(company, partner_ids)
        by_scenario = defaultdict(list)
        for row in rows:
            scenario = scenarios.get(row["partner_id"])
            if scenario:
                by_scenario[scenario].append(row)
        decisions = []
        for scenario, scenario_rows in by_scenario.items():
            steps = scenario._rule_steps()
            grace = scenario.promise_grace_days
            invoices = [
                OpenInvoice(
                    id=row["id"],
                    partner_id=row["partner_id"],
                    due_date=row["due_date"],
                    residual=float(row["residual"]),
                    level=_level_in(steps, row["last_offset"]),
                    chaseable=self._chaseable(row, excluded, today, grace),
                )
                for row in scenario_rows
            ]
            decisions += [
                Decision(company.id, scenario, steps, communication)
                for communication in plan_run(invoices, steps, credits, today)
            ]
        return decisions

    @staticmethod
    def _chaseable(row, excluded, today, grace):
        """Never chase: excluded, disputed, promised, frozen by a case."""
        promised = is_paused(row["promise_date"], grace, today)
        return not (
            row["partner_id"] in excluded
            or row["no_followup"]
            or row["dispute"]
            or promised
            or row["case_frozen"]
        )

    def _lock_partners(self, partner_ids):
        """Keep the customers no concurrent run is deciding, and hold them until commit.

        A row lock per customer (``FOR NO KEY UPDATE SKIP LOCKED``): a customer's invoices
        are decided together by one run, never split between two letters. Row locks live in
        the rows, not in PostgreSQL's lock table: a run over 20,000 customers in one
        transaction holds them all (advisory locks would exhaust the table).
        """
        self.env.cr.execute(
            SQL(
                "SELECT id FROM res_partner WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE SKIP LOCKED",
                partner_ids,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def _read_open_invoices(self, company, partner_ids, lock):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT m.id, m.commercial_partner_id AS partner_id,
                          COALESCE(m.invoice_date_due, m.date) AS due_date,
                          m.amount_residual_signed AS residual,
                          step.offset_days AS last_offset,
                          COALESCE(m.debt_dispute, FALSE) AS dispute,
                          m.debt_promise_date AS promise_date,
                          COALESCE(stage.freezes_dunning, FALSE) AS case_frozen,
                          EXISTS (SELECT 1 FROM account_move_line l
                                   WHERE l.move_id = m.id AND l.no_followup
                                     AND l.display_type = 'payment_term') AS no_followup
                     FROM account_move m
                LEFT JOIN debt_collection_step step ON step.id = m.debt_step_id
                LEFT JOIN debt_collection_case dcase ON dcase.id = m.debt_case_id
                LEFT JOIN debt_collection_case_stage stage ON stage.id = dcase.stage_id
                    WHERE m.company_id = %s
                      AND m.commercial_partner_id = ANY(%s)
                      AND m.move_type = 'out_invoice'
                      AND m.state = 'posted'
                      AND m.payment_state IN %s
                 ORDER BY m.id
                       %s""",
                company.id,
                partner_ids,
                CHASEABLE_PAYMENT_STATES,
                SQL("FOR UPDATE OF m SKIP LOCKED") if lock else SQL(""),
            )
        )
        return self.env.cr.dictfetchall()

    def _unreconciled_credits(self, company, partner_ids):
        """``{partner_id: credit}``: credit notes and payments not reconciled yet."""
        self.env.cr.execute(
            SQL(
                """SELECT l.partner_id, -SUM(l.amount_residual)
                     FROM account_move_line l
                     JOIN account_account account ON account.id = l.account_id
                    WHERE l.company_id = %s
                      AND l.partner_id = ANY(%s)
                      AND account.account_type = 'asset_receivable'
                      AND l.parent_state = 'posted'
                      AND NOT l.reconciled
                      AND l.amount_residual < 0
                 GROUP BY l.partner_id""",
                company.id,
                partner_ids,
            )
        )
        return {partner_id: float(amount) for partner_id, amount in self.env.cr.fetchall()}

    def _excluded_partners(self, company, partner_ids):
        partners = self.env["res.partner"].with_company(company).browse(partner_ids)
        partners.fetch(["debt_excluded"])  # that field only, not the wide partner record
        return set(partners.filtered("debt_excluded").ids)

    # ------------------------------------------------------------------ action

    def _act(self, decisions, today):
        """Create the events, dispatch them by channel, then move their invoices on.

        The invoices of an event whose channel failed do not move: the event stays, in state
        ``error`` with the reason, its lines no longer count as advanced, and the next run
        decides them again.
        """
        if not decisions:
            return self.env["debt.collection.event"]
        moves = self.env["account.move"].browse(
            {move_id for d in decisions for move_id in d.communication.listed_ids}
        )
        # one read each for what the events copy: browsing them one by one then hits the cache
        moves.fetch(MOVE_FIELDS)
        partners = self.env["res.partner"].browse({d.communication.partner_id for d in decisions})
        partners.fetch(["name", "email", "email_normalized", "lang", "message_bounce"])
        undeliverable = self._undeliverable_emails(partners)
        values = [self._event_values(decision, today, undeliverable) for decision in decisions]
        lines = [self._line_values(decision, moves, today) for decision in decisions]
        self._add_penalties(decisions, values, lines, today)
        self.env["debt.collection.promise"]._debt_mention_broken(
            values, [d.communication.listed_ids for d in decisions]
        )
        events = self.env["debt.collection.event"].sudo().create(values)
        self._insert_lines(events, lines)
        failed = self._dispatch(events.filtered(lambda e: e.state != "to_approve"))
        failed.line_ids.sudo().write({"advanced": False})
        self._advance_invoices(
            [d for d, event in zip(decisions, events, strict=True) if event not in failed], moves, today
        )
        self._log_on_partners(events)
        return events

    def _event_values(self, decision, today, undeliverable):
        comm = decision.communication
        step = self.env["debt.collection.step"].browse(comm.step.id)
        partner = self.env["res.partner"].browse(comm.partner_id)
        channel, note = self._channel_for(step, partner, undeliverable)
        letter_type = step.letter_type
        if channel != step.channel and channel == "letter":
            letter_type = "courteous"
        return {
            "date": today,
            "company_id": decision.company_id,
            "partner_id": partner.id,
            "step_id": step.id,
            "level": comm.level,
            "kind": comm.kind,
            "channel": channel,
            "letter_type": letter_type,
            "state": "to_approve" if step.needs_approval else _state_after_dispatch(channel),
            "note": note,
            "amount_due": comm.total_due,
            "amount_credit": comm.credit,
            "amount_net": comm.net_due,
        }

    @staticmethod
    def _line_values(decision, moves, today):
        """The invoices a communication lists, with their figures of ``today``."""
        comm = decision.communication
        lines = []
        for move in moves.browse(comm.listed_ids):
            new_level = comm.advancing.get(move.id)
            lines.append(
                {
                    "move_id": move.id,
                    "advanced": bool(new_level),
                    "step_id": decision.steps[new_level - 1].id if new_level else None,
                    "level": new_level or move.debt_level,
                    "cycle": move.debt_cycle,
                    "due_date": move.invoice_date_due,
                    "days_late": max((today - move.invoice_date_due).days, 0),
                    "currency_id": move.currency_id.id,
                    "amount_total": move.amount_total,
                    "amount_residual": move.amount_residual,
                    "amount_residual_company": move.amount_residual_signed,
                    "interest_amount": None,
                    "indemnity_amount": None,
                }
            )
        return lines

    def _add_penalties(self, decisions, values, lines, today):
        """State interest and indemnity on the communications of steps that charge them."""
        penalty_steps = self._penalty_step_ids(decisions)
        charging = [
            (vals, event_lines)
            for decision, vals, event_lines in zip(decisions, values, lines, strict=True)
            if decision.communication.step.id in penalty_steps
        ]
        if not charging:
            return
        moves = self.env["account.move"].browse(
            {line["move_id"] for _vals, event_lines in charging for line in event_lines}
        )
        computed = moves._debt_penalties(today)
        for vals, event_lines in charging:
            for line in event_lines:
                penalty = computed.by_invoice[line["move_id"]]
                line.update(
                    interest_amount=float(penalty.interest), indemnity_amount=float(penalty.indemnity)
                )
            vals.update(
                amount_interest=sum(line["interest_amount"] for line in event_lines),
                amount_indemnity=sum(line["indemnity_amount"] for line in event_lines),
                penalty_warning="\n".join(computed.warnings) or False,
            )

    def _insert_lines(self, events, lines):
        """Write the invoice lines of the events (``lines[i]`` for ``events[i]``) in one INSERT.

        A run writes tens of thousands of lines: through the ORM each costs conversions and
        currency roundings of five amounts already rounded on their invoices (a quarter of a
        run's time). Lines are a log: nothing computes from them, nothing overrides their
        creation. The unique index on advanced lines still refuses a step taken twice.
        """
        rows = [
            SQL(
                "(%s, %s, %s, %s, %s::int, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s::numeric, %s::numeric)",
                event.id, event.company_id.id, event.date, line["move_id"], line["step_id"],
                line["advanced"], line["cycle"], line["level"], line["due_date"], line["days_late"],
                line["currency_id"], line["amount_total"], line["amount_residual"],
                line["amount_residual_company"], line["interest_amount"], line["indemnity_amount"],
            )
            for event, event_lines in zip(events, lines, strict=True)
            for line in event_lines
        ]
        if not rows:
            return
        self.env.cr.execute(
            SQL(
                """INSERT INTO debt_collection_event_line
                          (event_id, company_id, date, move_id, step_id, advanced, cycle, level, due_date,
                           days_late, currency_id, amount_total, amount_residual, amount_residual_company,
                           interest_amount, indemnity_amount, create_uid, create_date, write_uid, write_date)
                   SELECT v.*, %s, NOW() AT TIME ZONE 'UTC', %s, NOW() AT TIME ZONE 'UTC'
                     FROM (VALUES %s) AS v""",
                self.env.uid,
                self.env.uid,
                SQL(", ").join(rows),
            )
        )
        events.invalidate_recordset(["line_ids"])
        self.env["account.move"].invalidate_model(["debt_event_line_ids"])
        events.line_ids.fetch()  # two queries here, instead of a read per chunk of mails later

    def _penalty_step_ids(self, decisions):
        steps = self.env["debt.collection.step"].browse({d.communication.step.id for d in decisions})
        return set(steps.filtered("charge_penalties").ids)

    def _channel_for(self, step, partner, undeliverable):
        """The channel actually used, and why when it differs from the step's."""
        if step.channel != "email":
            return step.channel, False
        if not partner.email:
            return "letter", self.env._(
                "No email address for %(partner)s: a letter is sent instead.", partner=partner.name
            )
        if partner.id in undeliverable:
            return "letter", self.env._(
                "%(reason)s: a letter is sent instead.", reason=undeliverable[partner.id]
            )
        return step.channel, False

    def _undeliverable_emails(self, partners):
        """``{partner_id: reason}`` for the customers whose email address cannot be used.

        An address is blacklisted (the customer unsubscribed) or its last mail bounced (the
        counter resets when the customer writes again): chasing there would go unread.
        """
        blacklisted = set(
            self.env["mail.blacklist"].sudo().search(
                [("email", "in", [p.email_normalized for p in partners if p.email_normalized])]
            ).mapped("email")
        )
        reasons = {}
        for partner in partners.filtered("email"):
            if partner.email_normalized in blacklisted:
                reasons[partner.id] = self.env._(
                    "The email address %(email)s is blacklisted", email=partner.email
                )
            elif partner.message_bounce:
                reasons[partner.id] = self.env._(
                    "Mail to %(email)s bounced", email=partner.email
                )
        return reasons

    def _advance_invoices(self, decisions, moves, today):
        """Record the step each advancing invoice took and its next action date, in one query."""
        values = []
        for decision in decisions:
            steps = decision.steps
            for move in moves.browse(list(decision.communication.advancing)):
                level = decision.communication.advancing[move.id]
                next_date = next_action_date(move.invoice_date_due, steps, level, last_action=today)
                values.append(SQL("(%s, %s, %s, %s::date)", move.id, steps[level - 1].id, level, next_date))
        if not values:
            return
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """UPDATE account_move m
                      SET debt_step_id = v.step_id, debt_level = v.level, debt_next_date = v.next_date,
                          debt_last_date = %s, write_date = NOW() AT TIME ZONE 'UTC', write_uid = %s
                     FROM (VALUES %s) AS v(id, step_id, level, next_date)
                    WHERE m.id = v.id""",
                today,
                self.env.uid,
                SQL(", ").join(values),
            )
        )
        moves.invalidate_recordset(["debt_step_id", "debt_level", "debt_next_date", "debt_last_date"])

    def _log_on_partners(self, events):
        """Echo the events in the customers' chatter, in one batch."""
        bodies = {}
        for event in events:
            channel = dict(event._fields["channel"]._description_selection(self.env))[event.channel]
            bodies[event.partner_id.id] = Markup("%s<br/>%s") % (
                self.env._(
                    "Dunning: %(step)s (%(channel)s), %(count)s invoice(s), %(amount)s due.",
                    step=event.step_id.name,
                    channel=channel,
                    count=len(event.line_ids),
                    amount=event.currency_id.format(event.amount_net),
                ),
                event.note or "",
            )
        partners = events.partner_id
        partners._message_log_batch(bodies={p.id: bodies[p.id] for p in partners})

    # ------------------------------------------------------------------ channels

    @api.model
    def _dispatch(self, events):
        """Carry out each event by its channel: ``_dispatch_<channel>(events)``.

        Each channel runs in a savepoint: when it raises, what it did (mails, tasks, cases) is
        rolled back and its events are marked ``error`` with the reason. Return the failed
        events. Concurrency errors are not caught: the whole transaction must be retried.
        """
        failed = self.env["debt.collection.event"]
        by_channel = defaultdict(lambda: self.env["debt.collection.event"])
        for event in events:
            by_channel[event.channel] |= event
        self.env.flush_all()  # a failure of what came before is not the channels'
        for channel, channel_events in by_channel.items():
            try:
                with self.env.cr.savepoint():
                    getattr(self, f"_dispatch_{channel}")(channel_events)
                    approved = channel_events.filtered(lambda e: e.state == "to_approve")
                    approved.sudo().write({"state": _state_after_dispatch(channel)})
                    channel_events.filtered(lambda e: e.state == "done").sudo().write(
                        {"sent_date": fields.Date.context_today(self)}
                    )
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                raise
            except Exception as error:  # any failure of a channel is recorded on its events
                _logger.warning(
                    "Debt collection: the %s dispatch of %s event(s) failed: %s",
                    channel, len(channel_events), error, exc_info=True,
                )
                self._mark_failed(channel_events, error)
                failed |= channel_events
        return failed

    def _mark_failed(self, events, error):
        """Keep the events, in state ``error`` with the reason in their note."""
        reason = self.env._("Dispatch failed: %(error)s", error=str(error) or type(error).__name__)
        by_note = defaultdict(lambda: self.env["debt.collection.event"])
        for event in events:
            by_note["\n".join(filter(None, [event.note, reason]))] |= event
        for note, noted in by_note.items():
            noted.sudo().write({"state": "error", "note": note})

    def _dispatch_email(self, events):
        by_template = defaultdict(lambda: self.env["debt.collection.event"])
        for event in events:
            template = event.step_id.mail_template_id or self.env.ref(
                "account_debt_collection.mail_template_reminder"
            )
            by_template[template] |= event
        for template, template_events in by_template.items():
            template.sudo().send_mail_batch(template_events.ids)

    def _dispatch_satisfaction_check(self, events):
        """A satisfaction check is an email when the step has a template, else a call."""
        self._mark_satisfaction_pending(events.line_ids.move_id)
        undeliverable = self._undeliverable_emails(events.partner_id)
        by_mail = events.filtered(
            lambda e: e.step_id.mail_template_id
            and e.partner_id.email
            and e.partner_id.id not in undeliverable
        )
        if by_mail:
            self._dispatch_email(by_mail)
        self._dispatch_phone(events - by_mail)

    def _mark_satisfaction_pending(self, moves):
        """The check went out: its invoices await the customer's answer (one query)."""
        if not moves:
            return
        self.env.cr.execute(
            SQL("UPDATE account_move SET debt_satisfaction = 'pending' WHERE id = ANY(%s)", moves.ids)
        )
        moves.invalidate_recordset(["debt_satisfaction"])

    def _dispatch_phone(self, events):
        if not events:
            return
        call_type = self.env.ref("mail.mail_activity_data_call")
        partner_model = self.env["ir.model"]._get_id("res.partner")
        qweb = self.env["ir.qweb"]
        # format_amount, format_date...: the note shares its invoice lines' markup with the emails
        render_context = self.env["mail.render.mixin"]._render_eval_context()
        values = []
        for event in events:
            values.append(
                {
                    "res_model_id": partner_model,
                    "res_id": event.partner_id.id,
                    "activity_type_id": (event.step_id.activity_type_id or call_type).id,
                    "user_id": self._assignee(event).id,
                    "date_deadline": event.date,
                    "summary": event.step_id.name,
                    "note": qweb._render(
                        "account_debt_collection.phone_activity_note", {**render_context, "event": event}
                    ),
                }
            )
        # no notification mail per task: the controller finds the day's calls in the activities
        Activity = self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True)
        activities = Activity.create(values)
        self._link_many2one(
            "debt_collection_event", "activity_id", events,
            [(event.id, activity.id) for event, activity in zip(events, activities, strict=True)],
        )

    def _assignee(self, event):
        """The credit controller, or the salesperson of the most overdue invoice."""
        partner = event.partner_id.with_company(event.company_id)
        controller = partner.debt_controller_id or event.company_id.debt_controller_id
        if event.step_id.assignee == "salesperson":
            salesperson = event.line_ids.move_id.invoice_user_id[:1] or partner.user_id
            if salesperson:
                return salesperson
        return controller or self.env.user

    def _dispatch_letter(self, events):
        """Letters wait in the "To print" list, printed many at a time as one PDF."""

    _dispatch_registered_letter = _dispatch_letter

    def _dispatch_case(self, events):
        """Open (or feed) the customer's collection case with the listed invoices."""
        cases = self.env["debt.collection.case"].sudo()
        open_cases = cases.search(
            [("partner_id", "in", events.partner_id.ids), ("is_closed", "=", False)]
        )
        by_key = {(case.partner_id.id, case.company_id.id): case for case in open_cases}
        to_create = [
            {"partner_id": event.partner_id.id, "company_id": event.company_id.id}
            for event in events
            if (event.partner_id.id, event.company_id.id) not in by_key
        ]
        for case in cases.create(to_create):
            by_key[case.partner_id.id, case.company_id.id] = case
        case_of = {event: by_key[event.partner_id.id, event.company_id.id] for event in events}
        self._link_many2one(
            "account_move", "debt_case_id", events.line_ids.move_id,
            [(move.id, case.id) for event, case in case_of.items() for move in event.line_ids.move_id],
        )
        self._link_many2one(
            "debt_collection_event", "case_id", events, [(e.id, case.id) for e, case in case_of.items()]
        )
        self.env["debt.collection.case"].invalidate_model(["move_ids"])

    def _link_many2one(self, table, column, records, pairs):
        """Set the many2one ``column`` of ``records`` from ``(record_id, target_id)`` pairs in one UPDATE.

        The run links thousands of records at once: writing them one by one through the ORM
        costs a query each, and a dozen for an invoice (taxes, balance checks) for a field that
        concerns none of them. Dependent computations are still triggered.
        """
        if not pairs:
            return
        records.modified([column], before=True)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE %s SET %s = v.target_id FROM (VALUES %s) AS v(id, target_id) WHERE %s.id = v.id",
                SQL.identifier(table),
                SQL.identifier(column),
                SQL(", ").join(SQL("(%s, %s)", record_id, target_id) for record_id, target_id in pairs),
                SQL.identifier(table),
            )
        )
        records.invalidate_recordset([column])
        records.modified([column])


def _state_after_dispatch(channel):
    """Letters wait to be printed; every other channel is done once dispatched."""
    return "to_print" if channel in ("letter", "registered_letter") else "done"
