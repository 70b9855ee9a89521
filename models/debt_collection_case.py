from odoo import api, fields, models


class DebtCollectionCase(models.Model):
    """A collection case (dossier): a customer's overdue invoices worked as a whole."""

    _name = "debt.collection.case"
    _description = "Collection Case"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "priority desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, copy=False, readonly=True, default=lambda self: self.env._("New"))
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True
    )
    stage_id = fields.Many2one(
        "debt.collection.case.stage",
        required=True,
        tracking=True,
        group_expand="_read_group_stage_ids",
        default=lambda self: self.env["debt.collection.case.stage"].search([], limit=1),
    )
    is_closed = fields.Boolean(related="stage_id.is_closed", store=True)
    user_id = fields.Many2one(
        "res.users", string="Responsible", default=lambda self: self.env.user, tracking=True
    )
    priority = fields.Selection([("0", "Normal"), ("1", "High"), ("2", "Urgent")], default="0")
    move_ids = fields.One2many(
        "account.move", "debt_case_id", string="Invoices", domain=[("move_type", "=", "out_invoice")]
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_due = fields.Monetary(compute="_compute_amount_due", store=True)

    _one_open_case_per_partner = models.UniqueIndex(
        "(partner_id, company_id) WHERE NOT is_closed",
        "A customer has one open collection case per company.",
    )

    @api.depends("move_ids.amount_residual_signed")
    def _compute_amount_due(self):
        for case in self:
            case.amount_due = sum(case.move_ids.mapped("amount_residual_signed"))

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        return stages.search([], order=stages._order)  # pylint: disable=no-search-all

    @api.model_create_multi
    def create(self, vals_list):
        new = self.env._("New")
        for vals in vals_list:
            if vals.get("name", new) == new:
                vals["name"] = self.env["ir.sequence"].next_by_code("debt.collection.case") or new
        return super().create(vals_list)
