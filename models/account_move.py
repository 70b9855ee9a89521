"""A customer invoice's dunning state, and what an open invoice and an open item are for the collection."""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, sql

from ..rules.dates import days_late
from ..rules.payment_terms import exceeds_legal_term
from .debt_collection_access import INTERNAL, SYSTEM, USER, require_group

#: The payment states of a posted customer invoice still owed: the collection chases it, counts
#: it open, lists it. Odoo 19's ``blocked`` ("Block Payment") is left out on purpose: the company
#: itself put the invoice on hold, so the collection leaves it alone until it is unblocked (the
#: aged balance, read from the receivable lines, still shows what it owes). ``in_payment`` is
#: paid as far as the customer is concerned: its payment waits for the bank statement.
OPEN_PAYMENT_STATES = ("not_paid", "partial")
#: The payment states of an invoice the customer settled, or that a credit note cancelled.
SETTLED_PAYMENT_STATES = ("paid", "in_payment", "reversed")
#: The open items of a customer's account (journal items): what it still owes or has in its
#: favour, invoices' instalments, credit notes and payments not allocated yet.
OPEN_ITEMS_DOMAIN = (
    ("account_type", "=", "asset_receivable"),
    ("parent_state", "=", "posted"),
    ("reconciled", "=", False),
    ("amount_residual", "!=", 0),
)


class AccountMove(models.Model):
    """The dunning state of an invoice: the run and the wizards write it, billing users read it."""

    _name = "account.move"
    _inherit = ["account.move", "debt.collection.access.mixin"]
    #: the step, level, next and last dates and cycle, in their own table (see its model)
    _inherits = {"debt.collection.invoice.state": "debt_state_id"}

    no_followup = fields.Boolean(debt_write=USER)

    # given by create alone, never written after (``_debt_check_state_untouched``)
    debt_state_id = fields.Many2one(
        "debt.collection.invoice.state",
        string="Dunning State",
        required=True,
        readonly=True,
        copy=False,
        ondelete="restrict",
        groups=INTERNAL,
    )
    debt_event_line_ids = fields.One2many(
        "debt.collection.event.line", "move_id", string="Dunning History", readonly=True, groups=INTERNAL
    )
    debt_dispute = fields.Boolean(
        string="In Dispute",
        copy=False,
        tracking=True,
        compute="_compute_debt_dispute",
        store=True,
        debt_write=SYSTEM,
        help="A disputed invoice (litige) is not reminded until the dispute is resolved.",
    )
    debt_promise_date = fields.Date(
        string="Promised Payment Date",
        copy=False,
        tracking=True,
        compute="_compute_debt_promise_date",
        store=True,
        groups=INTERNAL,
        debt_write=SYSTEM,
        help="While a promise runs (until this date plus the scenario's grace period), "
        "the invoice is not reminded.",
    )
    debt_dispute_ids = fields.One2many(
        "debt.collection.dispute", "move_id", string="Disputes", readonly=True, groups=INTERNAL
    )
    debt_promise_ids = fields.Many2many(
        "debt.collection.promise",
        "debt_collection_promise_move_rel",
        "move_id",
        "promise_id",
        string="Promises to Pay",
        copy=False,
        readonly=True,
        groups=INTERNAL,
    )
    debt_satisfaction = fields.Selection(
        [("pending", "Pending"), ("satisfied", "Satisfied"), ("unsatisfied", "Unsatisfied")],
        string="Satisfaction",
        copy=False,
        readonly=True,
        help="Outcome of the satisfaction check before the due date (pending: check sent, no answer yet).",
        groups=INTERNAL,
        debt_write=SYSTEM,
    )
    debt_satisfaction_score = fields.Integer(
        string="Satisfaction Score",
        copy=False,
        readonly=True,
        help="From 1 (very unhappy) to 5; 0: not rated.",
        groups=INTERNAL,
        debt_write=SYSTEM,
    )
    debt_satisfaction_note = fields.Text(
        string="Satisfaction Note",
        copy=False,
        readonly=True,
        groups=INTERNAL,
        debt_write=SYSTEM,
        help="What the customer said on the satisfaction call: the controller's note, for the "
        "company's people only.",
    )
    debt_can_edit = fields.Boolean(compute="_compute_debt_can_edit")
    debt_case_id = fields.Many2one(
        "debt.collection.case",
        string="Collection Case",
        copy=False,
        index="btree_not_null",
        groups=INTERNAL,
        debt_write=USER,
    )
    debt_days_late = fields.Integer(string="Days Late", compute="_compute_debt_days_late")
    debt_penalty_source_ids = fields.Many2many(
        "account.move",
        "account_move_debt_penalty_rel",
        "penalty_invoice_id",
        "source_invoice_id",
        string="Penalties Charged On",
        copy=False,
        readonly=True,
        debt_write=USER,
        help="Late invoices whose interest and recovery indemnity this invoice charges.",
    )
    debt_penalty_invoice_ids = fields.Many2many(
        "account.move",
        "account_move_debt_penalty_rel",
        "source_invoice_id",
        "penalty_invoice_id",
        string="Penalty Invoices",
        copy=False,
        readonly=True,
    )
    debt_term_exceeds_law = fields.Boolean(
        string="Term Beyond the Legal Maximum",
        compute="_compute_debt_term_exceeds_law",
        help="Between professionals, payment terms may not exceed 60 days net or 45 days end of "
        "month (Code de commerce L441-10).",
    )
    debt_shows_late_payment_terms = fields.Boolean(
        compute="_compute_debt_term_exceeds_law",
        help="Professional customer: the invoice states the late-payment penalties and the 40 EUR "
        "recovery indemnity.",
    )

    _debt_satisfaction_score_range = models.Constraint(
        "CHECK(debt_satisfaction_score BETWEEN 0 AND 5)", "A satisfaction score goes from 1 to 5."
    )
    _debt_partner_idx = models.Index(
        "(commercial_partner_id, company_id) WHERE move_type = 'out_invoice' AND state = 'posted'"
    )
    _debt_state_idx = models.UniqueIndex("(debt_state_id)")

    @api.depends("debt_dispute_ids.state")
    def _compute_debt_dispute(self):
        for move in self:
            move.debt_dispute = any(dispute.state == "open" for dispute in move.debt_dispute_ids)

    @api.depends("debt_promise_ids.state", "debt_promise_ids.date")
    def _compute_debt_promise_date(self):
        for move in self:
            running = move.debt_promise_ids.filtered(lambda p: p.state == "running")
            move.debt_promise_date = max(running.mapped("date"), default=False)

    @api.depends_context("uid")
    def _compute_debt_can_edit(self):
        can_edit = self.env.user.has_group("account_debt_collection.group_debt_collection_user")
        self.debt_can_edit = can_edit

    @api.depends("invoice_date_due")
    def _compute_debt_days_late(self):
        today = fields.Date.context_today(self)
        for move in self:
            move.debt_days_late = days_late(move.invoice_date_due, today)

    @api.depends(
        "move_type",
        "invoice_date",
        "invoice_date_due",
        "commercial_partner_id.debt_is_consumer",
        "commercial_partner_id.debt_is_public_body",
    )
    def _compute_debt_term_exceeds_law(self):
        today = fields.Date.context_today(self)
        for move in self:
            debtor = move.commercial_partner_id
            professional = move.move_type == "out_invoice" and not debtor.debt_is_consumer
            move.debt_shows_late_payment_terms = professional
            move.debt_term_exceeds_law = professional and exceeds_legal_term(
                move.invoice_date or today, move.invoice_date_due, public=debtor.debt_is_public_body
            )

    # ------------------------------------------------------------------ scheduling

    def _debt_chased_moves(self):
        return self.filtered(lambda m: m.move_type == "out_invoice" and m.state == "posted")

    @api.model
    def _debt_open_invoice_domain(self):
        """The domain of the open customer invoices (``OPEN_PAYMENT_STATES``): what the collection chases."""
        return [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", OPEN_PAYMENT_STATES),
        ]

    @api.model
    def _debt_open_invoice_sql(self, alias):
        """The same condition in SQL, on the ``account_move`` table aliased ``alias``."""
        return SQL(
            "%(move)s.move_type = 'out_invoice' AND %(move)s.state = 'posted' "
            "AND %(move)s.payment_state IN %(states)s",
            move=SQL.identifier(alias),
            states=OPEN_PAYMENT_STATES,
        )

    def _debt_is_open(self):
        """Still owed: the record of ``_debt_open_invoice_domain``, one invoice in memory."""
        self.ensure_one()
        return (
            self.move_type == "out_invoice"
            and self.state == "posted"
            and self.payment_state in OPEN_PAYMENT_STATES
        )

    def _debt_reschedule(self):
        """Recompute the next dunning dates of the customers of these invoices.

        The same decision as the run's (``debt.collection.run._reschedule``), per customer:
        a customer's invoices share its next date.
        """
        moves = self._debt_chased_moves()
        run = self.env["debt.collection.run"].sudo()
        for company, company_moves in moves.grouped("company_id").items():
            run.with_company(company)._reschedule(company, company_moves.commercial_partner_id.ids)

    @api.model
    def _debt_reschedule_companies(self, companies):
        """After a scenario change: reschedule every customer with an open invoice in these companies."""
        if not companies:
            return
        self.env.flush_all()
        run = self.env["debt.collection.run"].sudo()
        for company in companies:
            self.env.cr.execute(
                SQL(
                    "SELECT DISTINCT m.commercial_partner_id FROM account_move m "
                    "WHERE m.company_id = %s AND %s",
                    company.id,
                    self._debt_open_invoice_sql("m"),
                )
            )
            run.with_company(company)._reschedule(company, [row[0] for row in self.env.cr.fetchall()])

    def _post(self, soft=True):
        self._debt_check_dispute_credit_notes()
        posted = super()._post(soft=soft)
        posted._debt_reschedule()
        return posted

    def _debt_check_dispute_credit_notes(self):
        """A credit note of a disputed invoice credits at most what the invoice still owes."""
        refunds = self.sudo().filtered(
            lambda m: m.move_type == "out_refund" and m.reversed_entry_id.debt_dispute_ids
        )
        for refund in refunds:
            invoice = refund.reversed_entry_id
            if refund.currency_id.compare_amounts(refund.amount_total, invoice.amount_residual) > 0:
                raise UserError(
                    self.env._(
                        "The credit note of the disputed invoice %(invoice)s credits %(credit)s, more than "
                        "the %(due)s it still owes: credit what the dispute justifies, at most what is due.",
                        invoice=invoice.name,
                        credit=refund.currency_id.format(refund.amount_total),
                        due=invoice.currency_id.format(invoice.amount_residual),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        """Each new journal entry gets its dunning state, created for all of them at once."""
        for vals in vals_list:
            self._debt_check_state_untouched(vals)
        missing = [vals for vals in vals_list if not vals.get("debt_state_id")]
        states = self.env["debt.collection.invoice.state"].sudo().create([{} for _vals in missing])
        for vals, state in zip(missing, states, strict=True):
            vals["debt_state_id"] = state.id
        return super().create(vals_list)

    def unlink(self):
        states = self.sudo().debt_state_id
        result = super().unlink()
        states.unlink()
        return result

    def _debt_check_state_untouched(self, vals):
        """An entry's state is its own from its creation: no user points it at another one.

        Not a ``debt_write`` field: the access mixin's check would refuse the state ``create``
        gives the entry itself, after it.
        """
        if "debt_state_id" in vals and not self.env.su:
            label = self._fields["debt_state_id"]._description_string(self.env)
            raise AccessError(self._debt_writers_message(SYSTEM, [label]))

    def _init_column(self, column_name):
        """On install, a dunning state for every existing journal entry, in two queries; on the
        upgrade that moved the state out of ``account_move``, the state its columns held."""
        if column_name != "debt_state_id":
            return super()._init_column(column_name)
        moved = [
            column
            for column in ("debt_step_id", "debt_level", "debt_next_date", "debt_last_date", "debt_cycle")
            if sql.column_exists(self.env.cr, "account_move", column)
        ]
        # a state takes its journal entry's id: the two tables are filled in one pass each
        self.env.cr.execute(
            SQL(
                """INSERT INTO debt_collection_invoice_state (id, %(columns)s create_uid, create_date,
                                                           write_uid, write_date)
                   SELECT id, %(values)s create_uid, create_date, write_uid, write_date FROM account_move""",
                columns=SQL("").join(SQL("%s, ", SQL.identifier(column)) for column in moved),
                values=SQL("").join(SQL("%s, ", SQL.identifier(column)) for column in moved),
            )
        )
        self.env.cr.execute(
            SQL(
                """SELECT setval(pg_get_serial_sequence('debt_collection_invoice_state', 'id'),
                                 GREATEST((SELECT MAX(id) FROM debt_collection_invoice_state), 1))"""
            )
        )
        self.env.cr.execute(SQL("UPDATE account_move SET debt_state_id = id"))
        return None

    def write(self, vals):
        self._debt_check_state_untouched(vals)
        result = super().write(vals)
        if "invoice_date_due" in vals or "no_followup" in vals:
            self._debt_reschedule()
        return result

    # ------------------------------------------------------------------ actions

    def action_debt_log_call(self):
        """Open the Log a Call wizard on these invoices."""
        require_group(self.env, USER, self.env._("Only a Collection User can log a call."))
        return self.env["debt.collection.call.wizard"]._action_open("account.move", self)

    def action_debt_open_followup(self):
        """The follow-up screen of this invoice's customer."""
        self.ensure_one()
        return self.env["debt.collection.followup"]._action_open(self.commercial_partner_id, self.company_id)

    def action_debt_raise_dispute(self):
        require_group(self.env, USER, self.env._("Only a Collection User can raise a dispute."))
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Raise a Dispute"),
            "res_model": "debt.collection.dispute",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_id": self.id},
        }

    def action_debt_reset(self):
        """Start the scenario again from its first step, for these invoices only (Collection Users)."""
        require_group(self.env, USER, self.env._("Only a Collection User can restart the dunning."))
        moves = self._debt_chased_moves()
        for cycle, cycle_moves in moves.sudo().grouped("debt_cycle").items():
            cycle_moves.write(
                {"debt_step_id": False, "debt_level": 0, "debt_last_date": False, "debt_cycle": cycle + 1}
            )
        moves._debt_reschedule()
        note = self.env._("Dunning restarted from the first step of the scenario.")
        moves._message_log_batch(bodies=dict.fromkeys(moves.ids, note))
