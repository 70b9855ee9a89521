"""A customer's dunning settings and state, per company."""

from odoo import api, fields, models

from .debt_collection_access import INTERNAL, SYSTEM, USER, require_group, require_internal


class ResPartner(models.Model):
    """A customer's dunning settings: Collection Users change them, billing users read them."""

    _name = "res.partner"
    _inherit = ["res.partner", "debt.collection.access.mixin"]

    debt_scenario_id = fields.Many2one(
        "debt.collection.scenario",
        string="Dunning Scenario",
        company_dependent=True,
        domain="[('company_id', '=', current_company_id)]",
        groups=INTERNAL,
        debt_write=USER,
        help="Leave empty to use the company's default scenario.",
    )
    debt_controller_id = fields.Many2one(
        "res.users",
        string="Credit Controller",
        company_dependent=True,
        groups=INTERNAL,
        debt_write=USER,
        help="Receives the phone tasks of this customer; defaults to the company's controller.",
    )
    debt_excluded = fields.Boolean(
        string="Never Remind",
        company_dependent=True,
        groups=INTERNAL,
        debt_write=USER,
        help="No dunning at all for this customer in the current company.",
    )
    debt_is_consumer = fields.Boolean(
        string="Consumer",
        compute="_compute_debt_is_consumer",
        store=True,
        readonly=False,
        debt_write=USER,
        help="A consumer owes no 40 EUR indemnity, interest only from a formal notice, and has a "
        "2-year limitation. Set by default on an individual (not a company) with no SIREN/SIRET "
        "(Company ID) and no VAT number, that is not a public body: a sole trader with a SIRET is a "
        "professional. You may change it.",
    )
    debt_is_public_body = fields.Boolean(
        string="Public Body",
        copy=False,
        debt_write=USER,
        help="The State, a local authority or a public establishment buying under a public contract: "
        "late interest at the ECB rate plus 8 points, 40 EUR indemnity, 30-day payment term "
        "(Code de la commande publique L2192-13, R2192-31, D2192-35, R2192-10).",
    )
    debt_level = fields.Integer(
        string="Dunning Level",
        compute="_compute_debt_level",
        groups=INTERNAL,
        help="Highest dunning level over the customer's open invoices.",
    )
    debt_phone_invalid = fields.Boolean(
        string="Invalid Phone",
        compute="_compute_debt_phone_invalid",
        store=True,
        debt_write=SYSTEM,
    )

    debt_promise_kept_count = fields.Integer(
        string="Promises Kept",
        compute="_compute_debt_promise_counts",
        groups=INTERNAL,
    )
    debt_promise_broken_count = fields.Integer(
        string="Promises Broken",
        compute="_compute_debt_promise_counts",
        groups=INTERNAL,
    )
    debt_dispute_open_count = fields.Integer(
        string="Open Disputes",
        compute="_compute_debt_promise_counts",
        groups=INTERNAL,
    )
    debt_can_edit = fields.Boolean(compute="_compute_debt_can_edit")

    def _compute_debt_promise_counts(self):
        """Kept and broken promises, open disputes of the customers, in two grouped reads."""
        commercial = self.commercial_partner_id
        promises = self.env["debt.collection.promise"]._read_group(
            [("partner_id", "in", commercial.ids), ("state", "in", ("kept", "broken"))],
            ["partner_id", "state"],
            ["__count"],
        )
        counts = {(partner.id, state): count for partner, state, count in promises}
        disputes = dict(
            self.env["debt.collection.dispute"]._read_group(
                [("partner_id", "in", commercial.ids), ("state", "=", "open")], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            key = partner.commercial_partner_id
            partner.debt_promise_kept_count = counts.get((key.id, "kept"), 0)
            partner.debt_promise_broken_count = counts.get((key.id, "broken"), 0)
            partner.debt_dispute_open_count = disputes.get(key, 0)

    @api.depends_context("uid")
    def _compute_debt_can_edit(self):
        self.debt_can_edit = self.env.user.has_group("account_debt_collection.group_debt_collection_user")

    def write(self, vals):
        result = super().write(vals)
        if "debt_excluded" in vals or "debt_scenario_id" in vals:
            # included again, or another rhythm: the run looks at the customers again
            company = self.env.company
            self.env["debt.collection.run"].sudo()._reschedule(company, self.commercial_partner_id.ids)
        return result

    def action_debt_log_call(self):
        """Open the Log a Call wizard for this customer."""
        require_group(self.env, USER, self.env._("Only a Collection User can log a call."))
        return self.env["debt.collection.call.wizard"]._action_open("res.partner", self)

    def action_debt_view_promises(self):
        require_internal(self.env)
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_debt_collection.action_debt_collection_promise"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {}
        return action

    def action_debt_view_disputes(self):
        require_internal(self.env)
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_debt_collection.action_debt_collection_dispute"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {}
        return action

    @api.depends("is_company", "parent_id", "company_registry", "vat", "debt_is_public_body")
    def _compute_debt_is_consumer(self):
        """A consumer: an individual with no SIREN/SIRET nor VAT number, on its own, not a public body."""
        for partner in self:
            partner.debt_is_consumer = not (
                partner.is_company
                or partner.parent_id
                or partner.company_registry
                or partner.vat
                or partner.debt_is_public_body
            )

    @api.depends("phone", "phone_sanitized")
    def _compute_debt_phone_invalid(self):
        """A number Odoo's phone validation cannot read (``phone_sanitized``, the number the
        phone tasks dial, is then empty)."""
        for partner in self:
            partner.debt_phone_invalid = bool(partner.phone) and not partner.phone_sanitized

    def _compute_debt_level(self):
        open_moves = self.env["account.move"]._read_group(
            [
                ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
            ],
            ["commercial_partner_id"],
            ["debt_level:max"],
        )
        levels = {partner.id: level for partner, level in open_moves}
        for partner in self:
            partner.debt_level = levels.get(partner.commercial_partner_id.id, 0)

    @api.model
    def _debt_scenarios_of(self, moves):
        """``{(company_id, commercial_partner_id): scenario}`` for these invoices."""
        result = {}
        for company, company_moves in moves.grouped("company_id").items():
            partners = company_moves.commercial_partner_id
            for partner_id, scenario in self._debt_scenarios_for(company, partners).items():
                result[company.id, partner_id] = scenario
        return result

    @api.model
    def _debt_scenarios_for(self, company, partners, scenarios=None):
        """``{partner_id: scenario}``: each customer's own scenario in ``company``, else the one
        of its payer class, else the company's default.

        ``scenarios``: the company's ``_company_scenarios``, when the caller read them already
        (the run reads them once, not per batch); else one query, and one read of the
        company-dependent fields.
        """
        default, by_class = scenarios or self.env["debt.collection.scenario"]._company_scenarios(company)
        partners = partners.with_company(company)
        partners.fetch(["debt_scenario_id", "debt_payer_class"])
        return {
            partner.id: partner.debt_scenario_id or by_class.get(partner.debt_payer_class) or default
            for partner in partners
        }

    def action_debt_open_followup(self):
        """The customer's follow-up screen in the current company."""
        self.ensure_one()
        return self.env["debt.collection.followup"]._action_open(self, self.env.company)
