"""Dunning scenarios: the steps a customer's invoices go through."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class DebtCollectionScenario(models.Model):
    """A dunning scenario: the steps a customer's invoices go through, relative to due dates."""

    _name = "debt.collection.scenario"
    _description = "Dunning Scenario"
    _order = "company_id, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    is_default = fields.Boolean(
        string="Default",
        help="Scenario of the customers of this company that carry none of their own.",
    )
    step_ids = fields.One2many("debt.collection.step", "scenario_id", string="Steps", copy=True)
    promise_grace_days = fields.Integer(
        string="Promise Grace Period (days)",
        default=3,
        help="Days after a promised payment date before the promise is considered broken.",
    )
    note = fields.Html()

    _one_default_per_company = models.UniqueIndex(
        "(company_id) WHERE is_default AND active",
        "A company has one default dunning scenario.",
    )

    @api.constrains("promise_grace_days")
    def _check_promise_grace_days(self):
        if any(scenario.promise_grace_days < 0 for scenario in self):
            raise ValidationError(self.env._("The grace period of a promise cannot be negative."))

    def _rule_steps(self):
        """The steps as the escalation rules see them."""
        self.ensure_one()
        return [step._rule_step() for step in self.step_ids.sorted("offset_days")]

    @api.model
    def _default_for_companies(self, companies):
        """``{company_id: scenario}`` of the default scenarios, in one query."""
        scenarios = self.search([("is_default", "=", True), ("company_id", "in", companies.ids)])
        return {scenario.company_id.id: scenario for scenario in scenarios}

    def write(self, vals):
        result = super().write(vals)
        if "is_default" in vals or "active" in vals:
            self.env["account.move"]._debt_reschedule_companies(self.company_id)
        return result
