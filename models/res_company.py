from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..rules.legal import LEGAL_OTHER, RateBelowLegalFloor, RateNotFound, check_contractual_rate


class ResCompany(models.Model):
    _inherit = "res.company"

    debt_controller_id = fields.Many2one(
        "res.users",
        string="Default Credit Controller",
        help="Receives the phone tasks of customers that have no credit controller of their own.",
    )
    debt_late_interest_rate = fields.Float(
        string="Contractual Late-Payment Rate (%)",
        digits=(5, 2),
        help="Annual rate of the late-payment penalties stated in your terms of sale. Leave 0 "
        "to apply the legal default: the ECB refinancing rate plus 10 points. It may not be "
        "below 3 times the legal interest rate.",
    )

    debt_dispute_escalation_days = fields.Integer(
        string="Escalate Disputes After (days)",
        default=30,
        help="An open dispute older than this comes back to the collection managers.",
    )

    @api.constrains("debt_late_interest_rate")
    def _check_debt_late_interest_rate(self):
        """A contractual rate may not be below 3 times the legal interest rate (L441-10 II)."""
        companies = self.filtered("debt_late_interest_rate")
        if not companies:
            return
        table = self.env["debt.collection.rate"]._rate_table()
        today = fields.Date.context_today(self)
        for company in companies:
            try:
                legal = table.lookup(LEGAL_OTHER, today)
                check_contractual_rate(company.debt_late_interest_rate, legal.rate)
            except RateNotFound as error:
                raise ValidationError(
                    self.env._("Add the legal interest rate in force to check the contractual rate.")
                ) from error
            except RateBelowLegalFloor as error:
                raise ValidationError(
                    self.env._(
                        "The contractual late-payment rate %(rate)s %% is below the legal floor of "
                        "%(floor)s %% (3 times the legal interest rate of %(legal)s %%).",
                        rate=f"{error.rate:.2f}",
                        floor=f"{error.floor:.2f}",
                        legal=f"{error.legal_rate:.2f}",
                    )
                ) from error

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._debt_create_default_scenario()
        return companies

    def _debt_create_default_scenario(self):
        """Give each company without one the default French scenario."""
        Scenario = self.env["debt.collection.scenario"].sudo()
        has_default = Scenario.search([("company_id", "in", self.ids), ("is_default", "=", True)]).company_id
        templates = {
            "satisfaction": self.env.ref("account_debt_collection.mail_template_satisfaction", False),
            "reminder": self.env.ref("account_debt_collection.mail_template_reminder", False),
        }
        Scenario.create(
            [
                {
                    "name": self.env._("Standard (France)"),
                    "company_id": company.id,
                    "is_default": True,
                    "step_ids": [fields.Command.create(vals) for vals in _default_steps(self.env, templates)],
                }
                for company in self - has_default
            ]
        )


def _default_steps(env, templates):
    """D-5 satisfaction call, D+1 email, D+10 call, D+20 firm letter, D+30 formal notice, D+45 case."""
    return [
        {"offset_days": -5, "name": env._("Satisfaction call"), "channel": "satisfaction_check"},
        {
            "offset_days": 1,
            "name": env._("Courteous reminder"),
            "channel": "email",
            "mail_template_id": templates["reminder"] and templates["reminder"].id,
        },
        {"offset_days": 10, "name": env._("Reminder call"), "channel": "phone"},
        {"offset_days": 20, "name": env._("Firm reminder"), "channel": "letter", "letter_type": "firm"},
        {
            "offset_days": 30,
            "name": env._("Formal notice"),
            "channel": "registered_letter",
            "letter_type": "formal_notice",
            "charge_penalties": True,
        },
        {"offset_days": 45, "name": env._("Collection case"), "channel": "case"},
    ]
