"""The scenario of a payer class, for customers of that class without one of their own."""

from odoo import api, fields, models

from .res_partner_payer_profile import PAYER_CLASS_SELECTION


class DebtCollectionScenario(models.Model):
    """A scenario may be the one of a payer class: customers of that class without a scenario
    of their own follow it instead of the company's default."""

    _inherit = "debt.collection.scenario"

    payer_class = fields.Selection(
        PAYER_CLASS_SELECTION,
        string="For Payer Class",
        help="Customers of this class that carry no scenario of their own follow this one.",
    )

    _one_per_payer_class = models.UniqueIndex(
        "(company_id, payer_class) WHERE payer_class IS NOT NULL AND active",
        "A company has one scenario per payer class.",
    )

    @api.model
    def _company_scenarios(self, company):
        """``(default scenario, {payer class: scenario})`` of ``company``, in one query."""
        default, by_class = self.browse(), {}
        for scenario in self.search(
            [("company_id", "=", company.id), "|", ("is_default", "=", True), ("payer_class", "!=", False)]
        ):
            if scenario.is_default:
                default = scenario
            if scenario.payer_class:
                by_class[scenario.payer_class] = scenario
        return default, by_class

    def write(self, vals):
        result = super().write(vals)
        if "payer_class" in vals:
            self.env["account.move"]._debt_reschedule_companies(self.company_id)
        return result
