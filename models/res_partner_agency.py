"""Collection agencies and factors that cases are handed to."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .debt_collection_access import INTERNAL, USER, require_group


class ResPartner(models.Model):
    """Collection agencies and factors that collection cases are handed to."""

    _inherit = "res.partner"

    debt_agency_kind = fields.Selection(
        [("agency", "Collection Agency"), ("factor", "Factor")],
        string="Collection Partner",
        copy=False,
        groups=INTERNAL,
        debt_write=USER,
        help="Cases may be handed off to this partner.",
    )
    debt_agency_commission = fields.Float(
        string="Commission (%)",
        copy=False,
        groups=INTERNAL,
        debt_write=USER,
        help="Share of the amounts recovered the agency or factor keeps.",
    )
    debt_agency_fixed_fee = fields.Float(
        string="Fixed Fee per Case", digits="Account", copy=False, groups=INTERNAL, debt_write=USER
    )
    debt_case_count = fields.Integer(
        string="Collection Cases", compute="_compute_debt_case_count", groups=INTERNAL
    )

    @api.constrains("debt_agency_commission", "debt_agency_fixed_fee")
    def _check_debt_agency_terms(self):
        for partner in self:
            if not 0 <= partner.debt_agency_commission <= 100 or partner.debt_agency_fixed_fee < 0:
                raise ValidationError(
                    self.env._("A commission goes from 0 to 100 %, and a fixed fee cannot be negative.")
                )

    @api.depends_context("company")
    def _compute_debt_case_count(self):
        groups = self.env["debt.collection.case"]._read_group(
            [("partner_id", "in", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]
        )
        counts = {partner.id: count for partner, count in groups}
        for partner in self:
            partner.debt_case_count = counts.get(partner.commercial_partner_id.id, 0)

    def action_debt_open_case(self):
        """The customer's open collection case, opened with its overdue invoices if none."""
        require_group(self.env, USER, self.env._("Only a Collection User can open a collection case."))
        return self.env["debt.collection.case"]._action_open_for_partners(self.commercial_partner_id)
