"""Hand a case to an agency or a factor, or declare it to the credit insurer."""

from odoo import api, fields, models
from odoo.exceptions import UserError


class DebtCollectionHandoffWizard(models.TransientModel):
    """Hand a case to a collection agency or a factor, or declare it to the credit insurer.

    Collection Managers only. An insured customer's unpaid debt is declared to its credit
    insurer (déclaration de menace de sinistre), who then takes over the recovery.
    """

    _name = "debt.collection.handoff.wizard"
    _description = "Hand Off a Collection Case"
    _check_company_auto = True

    case_id = fields.Many2one("debt.collection.case", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="case_id.company_id")
    kind = fields.Selection(
        [("agency", "Collection Agency"), ("factor", "Factor"), ("insurer", "Credit Insurer Claim")],
        required=True,
        default="agency",
    )
    agency_id = fields.Many2one(
        "res.partner", string="Agency, Factor or Insurer", required=True, check_company=True,
        domain="[('debt_agency_kind', '=', kind)] if kind != 'insurer' else [('is_company', '=', True)]",
    )
    commission = fields.Float(related="agency_id.debt_agency_commission", string="Commission (%)")
    fixed_fee = fields.Float(related="agency_id.debt_agency_fixed_fee")
    send_email = fields.Boolean(default=True, help="Email the pack to the agency or factor.")
    note = fields.Text()

    @api.onchange("kind")
    def _onchange_kind(self):
        if self.kind == "insurer":
            self.agency_id = self._insurer()
        elif self.agency_id.debt_agency_kind != self.kind:
            self.agency_id = False

    def _insurer(self):
        case = self.case_id
        return case.partner_id.commercial_partner_id.with_company(case.company_id).debt_insurer_id

    def action_confirm(self):
        """Freeze the dunning, build and send the pack, record the hand-off."""
        self.ensure_one()
        case = self.case_id
        case._debt_check_manager_on_open_case()
        if self.kind == "insurer":
            if not self._insurer():
                raise UserError(
                    self.env._("%s has no credit insurer: hand the case to an agency instead.",
                               case.partner_id.name)
                )
            if self.agency_id != self._insurer():
                raise UserError(
                    self.env._("%(customer)s is insured by %(insurer)s: declare the claim to it.",
                               customer=case.partner_id.name, insurer=self._insurer().name)
                )
        elif self.agency_id.debt_agency_kind != self.kind:
            raise UserError(
                self.env._("%s is not marked as this kind of collection partner.", self.agency_id.name)
            )
        # the insurer takes over the recovery as an agency would; the hand-off is the workflow's
        Stage = self.env["debt.collection.case.stage"]
        stage = Stage._debt_of_kind("agency" if self.kind == "insurer" else self.kind)
        case.sudo().write(
            {
                "stage_id": stage.id,
                "agency_id": self.agency_id.id,
                "handoff_kind": self.kind,
                "handoff_date": fields.Date.context_today(self),
            }
        )
        pack = case._debt_build_pack()
        case.sudo().handoff_attachment_id = pack
        if self.send_email:
            if not self.agency_id.email:
                raise UserError(self.env._("%s has no email address.", self.agency_id.name))
            template = self.env.ref(
                "account_debt_collection.mail_template_case_insurer_claim"
                if self.kind == "insurer"
                else "account_debt_collection.mail_template_case_handoff"
            )
            template.send_mail(case.id, email_values={"attachment_ids": [fields.Command.link(pack.id)]})
        kind_label = dict(self._fields["kind"]._description_selection(self.env))[self.kind]
        case._debt_log_events(
            {
                case.id: self.env._(
                    "Handed off to %(partner)s (%(kind)s): the dunning of its invoices is frozen.%(note)s",
                    partner=self.agency_id.name,
                    kind=kind_label,
                    note=f"\n{self.note}" if self.note else "",
                )
            }
        )
        return {"type": "ir.actions.act_window_close"}
