"""Agree a payment plan: a case's amount due split into instalments."""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, format_date

from ..models.debt_collection_access import USER, require_group
from ..rules import cases as rules


class DebtCollectionPaymentPlanWizard(models.TransientModel):
    """Split a case's amount due into instalments (échéancier)."""

    _name = "debt.collection.payment.plan.wizard"
    _description = "Payment Plan"

    case_id = fields.Many2one("debt.collection.case", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="case_id.company_id")
    currency_id = fields.Many2one(related="case_id.currency_id")
    amount = fields.Monetary(
        string="Amount to Schedule",
        compute="_compute_amount",
        store=True,
        readonly=False,
        help="The case's amount due.",
    )
    mode = fields.Selection(
        [("regular", "Regular Instalments"), ("free", "Free Lines")], required=True, default="regular"
    )
    count = fields.Integer(string="Instalments", default=3)
    first_date = fields.Date(required=True, default=fields.Date.context_today)
    every = fields.Integer(default=1)
    unit = fields.Selection([("months", "Months"), ("weeks", "Weeks")], required=True, default="months")
    with_interest = fields.Boolean(string="Charge Interest")
    interest_rate = fields.Float(string="Annual Rate (%)", digits=(16, 2))
    line_ids = fields.One2many(
        "debt.collection.payment.plan.wizard.line",
        "wizard_id",
        compute="_compute_line_ids",
        store=True,
        readonly=False,
    )
    total_principal = fields.Monetary(compute="_compute_totals")
    total_interest = fields.Monetary(compute="_compute_totals")

    @api.depends("case_id")
    def _compute_amount(self):
        for wizard in self:
            wizard.amount = wizard.case_id.amount_due

    def _earliest_date(self):
        """The first day a plan may start: the date of the case's first invoice."""
        self.ensure_one()
        return min(self.case_id.move_ids.mapped(lambda m: m.invoice_date or m.date), default=None)

    def _regular_problems(self):
        self.ensure_one()
        return rules.check_plan(
            self.first_date,
            self.count,
            self.every,
            self.unit,
            self._earliest_date(),
            fields.Date.context_today(self),
        )

    @api.depends("mode", "amount", "count", "first_date", "every", "unit", "with_interest", "interest_rate")
    def _compute_line_ids(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            if wizard.mode == "free" and wizard.line_ids:
                continue
            if wizard._regular_problems() or wizard.interest_rate < 0:
                # out of range: no dates computed (Confirm says why)
                wizard.line_ids = [fields.Command.clear()]
                continue
            dates = rules.instalment_dates(wizard.first_date, wizard.count, wizard.every, wizard.unit)
            shares = rules.split_amount(wizard.amount, wizard.count, wizard.currency_id.decimal_places)
            interests = (
                rules.plan_interest(wizard.amount, wizard.interest_rate, today, dates)
                if wizard.with_interest
                else [0.0] * wizard.count
            )
            wizard.line_ids = [fields.Command.clear()] + [
                fields.Command.create({"date": day, "principal": share, "interest": interest})
                for day, share, interest in zip(dates, shares, interests, strict=True)
            ]

    @api.depends("line_ids.principal", "line_ids.interest")
    def _compute_totals(self):
        for wizard in self:
            wizard.total_principal = sum(wizard.line_ids.mapped("principal"))
            wizard.total_interest = sum(wizard.line_ids.mapped("interest"))

    def _check_input(self):
        """Bad input gets its reason and writes nothing."""
        case = self.case_id
        if case.is_closed:
            raise UserError(self.env._("Case %s is closed.", case.name))
        if self.with_interest and self.interest_rate < 0:
            raise UserError(self.env._("The interest rate of a plan cannot be negative."))
        if self.mode == "regular":
            problems = self._regular_problems()
        else:
            problems = rules.check_plan_dates(
                self.line_ids.mapped("date"), self._earliest_date(), fields.Date.context_today(self)
            )
        messages = {
            "count": lambda v: self.env._("A payment plan has from 1 to %(max)s instalments.", max=v),
            "every": lambda _v: self.env._("Instalments come at least every 1 week or month."),
            "first_missing": lambda _v: self.env._("Choose the date of the first instalment."),
            "first_early": lambda v: self.env._(
                "A payment plan starts on the date of the case's first invoice (%(date)s) or later.",
                date=format_date(self.env, v),
            ),
            "first_late": lambda v: self.env._(
                "A payment plan starts within a year: on %(date)s at the latest.",
                date=format_date(self.env, v),
            ),
            "too_long": lambda v: self.env._(
                "A payment plan lasts %(years)s years at the most from its first instalment.", years=v
            ),
        }
        if problems:
            raise UserError("\n".join(messages[code](value) for code, value in problems))
        if not self.line_ids or any(line.principal <= 0 or line.interest < 0 for line in self.line_ids):
            raise UserError(self.env._("Every instalment needs a date and a positive amount."))

    def action_confirm(self):
        """Create the schedule, move the case to Payment Plan (which pauses its dunning).

        Collection Users agree plans; the schedule and the stage are then written by the plan
        itself (as superuser): nobody edits instalments or drags a case into Payment Plan.
        """
        self.ensure_one()
        require_group(self.env, USER, self.env._("Only a Collection User can agree a payment plan."))
        case = self.case_id
        self._check_input()
        if float_compare(self.total_principal, case.amount_due, precision_rounding=case.currency_id.rounding):
            raise UserError(
                self.env._(
                    "The instalments add up to %(plan)s but the case owes %(due)s.",
                    plan=case.currency_id.format(self.total_principal),
                    due=case.currency_id.format(case.amount_due),
                )
            )
        plan_stage = self.env["debt.collection.case.stage"]._debt_of_kind("plan")
        previous = case.plan_previous_stage_id if case.stage_id == plan_stage else case.stage_id
        case.instalment_ids.sudo().unlink()
        case.sudo().write(
            {
                "instalment_ids": [
                    fields.Command.create(
                        {"date": line.date, "principal": line.principal, "interest": line.interest}
                    )
                    for line in self.line_ids.sorted("date")
                ],
                "plan_state": "running",
                "plan_date": fields.Date.context_today(self),
                "plan_baseline": case.amount_due,
                "plan_previous_stage_id": previous.id,
                "stage_id": plan_stage.id,
            }
        )
        case._debt_log_events(
            {
                case.id: self.env._(
                    "Payment plan agreed: %(count)s instalment(s) from %(first)s, %(amount)s.",
                    count=len(self.line_ids),
                    first=format_date(self.env, min(self.line_ids.mapped("date"))),
                    amount=case.currency_id.format(self.total_principal + self.total_interest),
                )
            },
            outcome="promise",
        )
        return {"type": "ir.actions.act_window_close"}


class DebtCollectionPaymentPlanWizardLine(models.TransientModel):
    _name = "debt.collection.payment.plan.wizard.line"
    _description = "Payment Plan Line"
    _order = "date, id"

    wizard_id = fields.Many2one("debt.collection.payment.plan.wizard", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="wizard_id.currency_id")
    date = fields.Date(required=True)
    principal = fields.Monetary(required=True)
    interest = fields.Monetary()
