"""A company's collection terms: default scenario, controller, contractual rate, letters' signatory."""

from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..rules.legal import (
    CONSUMER,
    LEGAL_OTHER,
    PROFESSIONAL,
    PUBLIC,
    RateBelowLegalFloor,
    check_contractual_rate,
)
from ..rules.penalties import Terms

#: Where a French chart (Plan comptable général) books penalties, most precise code first:
#: 763100 "Revenus des créances commerciales" for the interest (financial income), 758100
#: "Dédits et pénalités perçus sur achats et ventes" for the indemnity (other operating income).
FRENCH_PENALTY_ACCOUNT_CODES = {
    "interest": ("7631", "763"),
    "indemnity": ("7581", "758"),
}


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
        "below 3 times the legal interest rate; in a half-year where it is, that floor applies.",
    )
    debt_creditor_is_private = fields.Boolean(
        string="Creditor Is a Private Person",
        help="Tick only if the company is a private person not acting for professional needs: "
        "consumers then owe the higher legal interest rate of such creditors (Code monétaire "
        "et financier L313-2). A company never is.",
    )
    debt_dispute_escalation_days = fields.Integer(
        string="Escalate Disputes After (days)",
        default=30,
        help="An open dispute older than this comes back to the collection managers.",
    )
    debt_interest_account_id = fields.Many2one(
        "account.account",
        string="Late Interest Account",
        check_company=True,
        domain="[('account_type', 'in', ('income', 'income_other'))]",
        help="Income account of the late interest lines of penalty invoices. Empty: 763100 "
        "(Revenus des créances commerciales) on a French chart, else the journal's account.",
    )
    debt_indemnity_account_id = fields.Many2one(
        "account.account",
        string="Recovery Indemnity Account",
        check_company=True,
        domain="[('account_type', 'in', ('income', 'income_other'))]",
        help="Income account of the 40 EUR indemnity lines of penalty invoices. Empty: 758100 "
        "(Dédits et pénalités perçus) on a French chart, else the journal's account.",
    )
    debt_signatory_id = fields.Many2one(
        "res.users",
        string="Letters Signed By",
        help="Signs the reminders and formal notices; their contact details are the letters'.",
    )
    debt_signatory_function = fields.Char(
        string="Signatory's Function", translate=True, help="Printed under the name, e.g. Credit Manager."
    )
    debt_email_from = fields.Char(
        string="Collection Emails From",
        help="Sender of the collection emails, e.g. Recouvrement <recouvrement@example.com>. "
        "Empty: the company's email address.",
    )
    debt_sms_enabled = fields.Boolean(
        string="Collection SMS",
        default=True,
        help="Steps of the SMS channel send a text to the customer's mobile (through Odoo's SMS "
        "service, which needs credits). Off: they send the email instead, else a letter.",
    )
    debt_share_capital = fields.Monetary(
        string="Share Capital", currency_field="currency_id", help="Printed on the letters (capital social)."
    )
    debt_trade_register_city = fields.Char(
        string="Trade Register (RCS) City",
        help="City of the commercial court registry where the company is registered: RCS Lyon 443 061 841.",
    )
    debt_portal_token_days = fields.Integer(
        string="Customer Page Links Valid For (days)",
        default=60,
        help="A customer's signed link opens its page until this many days after the last "
        "communication that carried it; then the next communication carries a new one.",
    )
    debt_portal_promise_max_days = fields.Integer(
        string="Online Promises at Most (days ahead)",
        default=30,
        help="A promise made on the customer's page for a later date waits for a credit "
        "controller's acceptance.",
    )
    debt_portal_promise_min_percent = fields.Float(
        string="Online Promises at Least (% of the amount due)",
        default=50.0,
        digits=(5, 2),
        help="A promise made on the customer's page for less than this share of what its invoices "
        "owe waits for a credit controller's acceptance.",
    )
    debt_portal_daily_actions = fields.Integer(
        string="Actions per Customer and Day",
        default=5,
        help="Promises, disputes, messages and payments a customer may start on its page in a day.",
    )

    @api.constrains("debt_late_interest_rate")
    def _check_debt_late_interest_rate(self):
        """A contractual rate may not be below 3 times today's legal interest rate (L441-10 II).

        Checked when set; for an earlier half-year with a higher floor, the penalties apply
        that floor instead (``rules.legal``).
        """
        companies = self.filtered("debt_late_interest_rate")
        if not companies:
            return
        Rate = self.env["debt.collection.rate"]
        legal = Rate._rate_table().find(LEGAL_OTHER, fields.Date.context_today(self))
        if legal is None:
            raise ValidationError(
                self.env._("Add the legal interest rate in force to check the contractual rate.")
            )
        for company in companies:
            try:
                check_contractual_rate(company.debt_late_interest_rate, legal.rate)
            except RateBelowLegalFloor as error:
                raise ValidationError(
                    self.env._(
                        "The contractual late-payment rate %(rate)s is below the legal floor of %(floor)s "
                        "(3 times the legal interest rate of %(legal)s).",
                        rate=Rate._format_rate(error.rate),
                        floor=Rate._format_rate(error.floor),
                        legal=Rate._format_rate(error.legal_rate),
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
        scenarios = Scenario.create(
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
        self._debt_name_in_every_language(scenarios, templates)

    def _debt_name_in_every_language(self, scenarios, templates, langs=None):
        """Name the default scenarios and their steps in every installed language (or ``langs``),
        not only in the one they were created in (a French controller on a database installed
        in English)."""
        for lang in langs or [code for code, _name in self.env["res.lang"].get_installed()]:
            env = self.with_context(lang=lang).env
            names = [values["name"] for values in _default_steps(env, templates)]
            for scenario in scenarios:
                scenario.update_field_translations("name", {lang: env._("Standard (France)")})
                for step, name in zip(scenario.step_ids.sorted("offset_days"), names, strict=True):
                    step.update_field_translations("name", {lang: name})

    @api.model
    def _debt_name_default_scenarios(self, langs):
        """A language loaded later names the default scenarios in it too, as long as a company
        kept them as shipped (the same steps, their English names untouched)."""
        no_templates = dict.fromkeys(("satisfaction", "reminder"))
        shipped = _default_steps(self.with_context(lang="en_US").env, no_templates)
        scenarios = (
            self.env["debt.collection.scenario"]
            .sudo()
            .with_context(lang="en_US")
            .search([("is_default", "=", True), ("name", "=", "Standard (France)")])
            .filtered(
                lambda scenario: [(s.offset_days, s.name) for s in scenario.step_ids.sorted("offset_days")]
                == [(values["offset_days"], values["name"]) for values in shipped]
            )
        )
        if scenarios:
            self._debt_name_in_every_language(scenarios, no_templates, langs)

    # ------------------------------------------------------------------ late-payment penalties

    def _debt_penalty_terms(self, partner):
        """The late-payment terms between this company and ``partner`` (a commercial partner)."""
        self.ensure_one()
        if partner.debt_is_public_body:
            debtor = PUBLIC
        elif partner.debt_is_consumer:
            debtor = CONSUMER
        else:
            debtor = PROFESSIONAL
        rate = self.debt_late_interest_rate
        return Terms(debtor, Decimal(str(rate)) if rate else None, self.debt_creditor_is_private)

    def _debt_penalty_accounts(self):
        """``{"interest": account, "indemnity": account}`` of penalty invoice lines (maybe empty).

        The accounts chosen in the settings, else on a French chart the first account of the
        763 / 758 families (``FRENCH_PENALTY_ACCOUNT_CODES``).
        """
        self.ensure_one()
        chosen = {"interest": self.debt_interest_account_id, "indemnity": self.debt_indemnity_account_id}
        if all(chosen.values()) or self.account_fiscal_country_id.code != "FR":
            return chosen
        Account = self.env["account.account"].with_company(self)
        for kind, prefixes in FRENCH_PENALTY_ACCOUNT_CODES.items():
            for prefix in prefixes:
                if chosen[kind]:
                    break
                chosen[kind] = Account.search(
                    [
                        *Account._check_company_domain(self),
                        ("code", "=like", f"{prefix}%"),
                        ("active", "=", True),
                    ],
                    order="code",
                    limit=1,
                )
        return chosen


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
