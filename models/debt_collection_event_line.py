"""One instalment of an invoice listed by a collection event, with its figures on that day."""

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..rules.dates import days_late


class DebtCollectionEventLine(models.Model):
    """One instalment (open receivable line) of an invoice that a collection event listed.

    An invoice paid in several instalments has one line per instalment listed; an invoice
    in one payment, one line. Lines are written by the run only (one INSERT per batch,
    ``debt.collection.run._insert_lines``), built by :meth:`_values`, and by the wizards
    with their event, as superuser: no user creates, changes or deletes one (a forged line
    would count as a step taken, or stop the next run on the unique index).
    """

    _name = "debt.collection.event.line"
    _description = "Collection Event Invoice"
    _order = "due_date, id"

    event_id = fields.Many2one("debt.collection.event", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="event_id.company_id", store=True)
    date = fields.Date(related="event_id.date", store=True)
    move_id = fields.Many2one("account.move", string="Invoice", required=True, index=True, ondelete="cascade")
    move_line_id = fields.Many2one(
        "account.move.line",
        string="Instalment",
        index="btree_not_null",
        ondelete="set null",
        help="The receivable line of the invoice (its instalment) this line lists.",
    )
    step_id = fields.Many2one(
        "debt.collection.step", ondelete="restrict", help="Step the invoice takes with this event."
    )
    advanced = fields.Boolean(
        help="The invoice took the step with this event (else only listed). Set on the first "
        "listed instalment of the invoice only: an invoice takes a step, not each instalment.",
    )
    previous_step_id = fields.Many2one(
        "debt.collection.step",
        ondelete="set null",
        help="Step the invoice had before: where it goes back if the communication fails.",
    )
    cycle = fields.Integer(help="Dunning cycle of the invoice: a restart begins a new one.")
    level = fields.Integer()
    due_date = fields.Date()
    days_late = fields.Integer()
    currency_id = fields.Many2one("res.currency", required=True)
    amount_total = fields.Monetary(string="Amount")
    amount_residual = fields.Monetary(string="Amount Due")
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")
    amount_residual_company = fields.Monetary(
        string="Amount Due (company currency)", currency_field="company_currency_id"
    )

    interest_amount = fields.Monetary(string="Late Interest", currency_field="company_currency_id")
    indemnity_amount = fields.Monetary(string="Recovery Indemnity", currency_field="company_currency_id")

    _one_step_once_per_cycle = models.UniqueIndex(
        "(move_id, step_id, cycle) WHERE advanced",
        "An invoice takes each dunning step once.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        self._debt_refuse_users()
        return super().create(vals_list)

    def write(self, vals):
        self._debt_refuse_users()
        return super().write(vals)

    def unlink(self):
        self._debt_refuse_users()
        return super().unlink()

    def _debt_refuse_users(self):
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "Only the collection workflow itself can write the invoices of a collection event: "
                    "they record what was sent."
                )
            )

    @api.model
    def _values(self, move_line, today, step=None, advanced=False):
        """The values of a line listing ``move_line`` (a receivable line) with its figures of ``today``.

        ``step``: the step its invoice takes with the event (``None`` when only listed).
        """
        move = move_line.move_id
        dunning = move.debt_state_id  # read as stored, not through the invoice's related fields
        due = move_line.date_maturity or move.invoice_date_due or move.date
        return {
            "move_id": move.id,
            "move_line_id": move_line.id,
            "advanced": advanced,
            "step_id": step.id if step else None,
            "previous_step_id": dunning.debt_step_id.id or None,
            "level": dunning.debt_level,
            "cycle": dunning.debt_cycle,
            "due_date": due,
            "days_late": days_late(due, today),
            "currency_id": move.currency_id.id,
            "amount_total": abs(move_line.amount_currency),
            "amount_residual": move_line.amount_residual_currency,
            "amount_residual_company": move_line.amount_residual,
            "interest_amount": None,
            "indemnity_amount": None,
        }
