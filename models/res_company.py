from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    debt_controller_id = fields.Many2one(
        "res.users",
        string="Default Credit Controller",
        help="Receives the phone tasks of customers that have no credit controller of their own.",
    )

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
