"""The Collection section of the Invoicing settings."""

from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    """The Collection section of the Invoicing settings: one place for the company's dunning terms."""

    _inherit = "res.config.settings"

    debt_controller_id = fields.Many2one(related="company_id.debt_controller_id", readonly=False)
    debt_default_scenario_id = fields.Many2one(
        "debt.collection.scenario",
        string="Default Dunning Scenario",
        compute="_compute_debt_default_scenario_id",
        inverse="_inverse_debt_default_scenario_id",
        readonly=False,
        domain="[('company_id', '=', company_id)]",
        help="Scenario of the customers that carry none of their own.",
    )
    debt_dispute_escalation_days = fields.Integer(
        related="company_id.debt_dispute_escalation_days", readonly=False
    )
    debt_email_from = fields.Char(related="company_id.debt_email_from", readonly=False)
    debt_sms_enabled = fields.Boolean(related="company_id.debt_sms_enabled", readonly=False)
    debt_signatory_id = fields.Many2one(related="company_id.debt_signatory_id", readonly=False)
    debt_signatory_function = fields.Char(related="company_id.debt_signatory_function", readonly=False)
    debt_late_interest_rate = fields.Float(related="company_id.debt_late_interest_rate", readonly=False)
    debt_creditor_is_private = fields.Boolean(related="company_id.debt_creditor_is_private", readonly=False)
    debt_interest_account_id = fields.Many2one(
        "account.account",
        string="Late Interest Account",
        compute="_compute_debt_penalty_accounts",
        inverse="_inverse_debt_penalty_accounts",
        readonly=False,
        check_company=True,
        domain="[('account_type', 'in', ('income', 'income_other'))]",
        help="Income account of the late interest lines of penalty invoices (financial income: "
        "763100 on a French chart).",
    )
    debt_indemnity_account_id = fields.Many2one(
        "account.account",
        string="Recovery Indemnity Account",
        compute="_compute_debt_penalty_accounts",
        inverse="_inverse_debt_penalty_accounts",
        readonly=False,
        check_company=True,
        domain="[('account_type', 'in', ('income', 'income_other'))]",
        help="Income account of the 40 EUR indemnity lines of penalty invoices (other operating "
        "income: 758100 on a French chart).",
    )
    debt_legal_form = fields.Char(related="company_id.partner_id.debt_legal_form", readonly=False)
    debt_share_capital = fields.Monetary(related="company_id.debt_share_capital", readonly=False)
    debt_trade_register_city = fields.Char(related="company_id.debt_trade_register_city", readonly=False)
    debt_portal_token_days = fields.Integer(related="company_id.debt_portal_token_days", readonly=False)
    debt_portal_promise_max_days = fields.Integer(
        related="company_id.debt_portal_promise_max_days", readonly=False
    )
    debt_portal_promise_min_percent = fields.Float(
        related="company_id.debt_portal_promise_min_percent", readonly=False
    )
    debt_portal_daily_actions = fields.Integer(related="company_id.debt_portal_daily_actions", readonly=False)

    @api.depends("company_id")
    def _compute_debt_default_scenario_id(self):
        defaults = self.env["debt.collection.scenario"]._default_for_companies(self.company_id)
        for settings in self:
            settings.debt_default_scenario_id = defaults.get(settings.company_id.id)

    def _inverse_debt_default_scenario_id(self):
        for settings in self:
            chosen = settings.debt_default_scenario_id
            current = self.env["debt.collection.scenario"]._default_for_companies(settings.company_id)
            previous = current.get(settings.company_id.id)
            if not chosen or chosen == previous:
                continue
            if previous:
                previous.is_default = False
            chosen.is_default = True

    @api.depends("company_id")
    def _compute_debt_penalty_accounts(self):
        for settings in self:
            accounts = settings.company_id._debt_penalty_accounts()
            settings.debt_interest_account_id = accounts["interest"]
            settings.debt_indemnity_account_id = accounts["indemnity"]

    def _inverse_debt_penalty_accounts(self):
        for settings in self:
            settings.company_id.write(
                {
                    "debt_interest_account_id": settings.debt_interest_account_id.id,
                    "debt_indemnity_account_id": settings.debt_indemnity_account_id.id,
                }
            )
