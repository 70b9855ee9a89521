"""The steps of a scenario, and the one list of channels and letter types."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..rules.escalation import Step

#: The media a step's communication goes by.
MEDIA = [
    ("email", "Email"),
    ("sms", "SMS"),
    ("phone", "Phone Call"),
    ("letter", "Letter"),
    ("registered_letter", "Registered Letter"),
]
#: The two steps that are a purpose rather than a medium, and choose theirs when they run: a
#: satisfaction check goes by email when the step has a template and the address works, else
#: by a call (``rules.escalation.satisfaction_medium``); a collection case is opened (or fed) for
#: the customer's credit controller, who chooses the ways from there.
PURPOSES = [
    ("satisfaction_check", "Satisfaction Check"),
    ("case", "Collection Case"),
]
#: What a step does (``channel`` of steps and events), in the order a scenario runs them. One
#: list: a bridge module adds a channel with one ``selection_add`` on the step, and one
#: ``_dispatch_<channel>`` (``models/debt_collection_channel_*.py``).
CHANNELS = [PURPOSES[0], *MEDIA, PURPOSES[1]]

LETTER_TYPES = [
    ("courteous", "Courteous Reminder"),
    ("firm", "Firm Reminder"),
    ("formal_notice", "Formal Notice (Mise en demeure)"),
    ("statement", "Statement of Account"),
]


class DebtCollectionStep(models.Model):
    """One action of a scenario, at an offset in days from the invoice due date."""

    _name = "debt.collection.step"
    _description = "Dunning Step"
    _order = "scenario_id, offset_days, id"

    name = fields.Char(required=True, translate=True)
    scenario_id = fields.Many2one(
        "debt.collection.scenario", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="scenario_id.company_id", store=True)
    offset_days = fields.Integer(
        string="Offset (days)",
        required=True,
        help="Days from the due date: negative before it (satisfaction check), positive after.",
    )
    level = fields.Integer(compute="_compute_level", help="Rank of the step in its scenario.")
    channel = fields.Selection(CHANNELS, required=True, default="email")
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        domain=[("model", "=", "debt.collection.event")],
        help="Email sent to the customer (email and satisfaction check steps).",
    )
    sms_template_id = fields.Many2one(
        "sms.template",
        string="SMS Template",
        domain=[("model", "=", "debt.collection.event")],
        help="Text sent to the customer's mobile (SMS steps). Empty: the module's reminder.",
    )
    letter_type = fields.Selection(
        LETTER_TYPES,
        help="Letter printed for letter and registered letter steps (and for an email or SMS "
        "step when the customer can be reached by neither).",
    )
    activity_type_id = fields.Many2one(
        "mail.activity.type", help="Task created for phone steps."
    )
    assignee = fields.Selection(
        [("controller", "Credit Controller"), ("salesperson", "Salesperson")],
        default="controller",
        required=True,
        help="Who receives the phone task: the customer's credit controller, or the "
        "salesperson of the invoice, who knows the customer.",
    )
    min_amount = fields.Monetary(
        string="Minimum Amount",
        currency_field="company_currency_id",
        help="The step waits while the customer's net amount due is below this amount.",
    )
    company_currency_id = fields.Many2one(related="company_id.currency_id")
    charge_penalties = fields.Boolean(
        string="Charge Interest and Indemnity",
        help="The communication states the late-payment interest and the 40 EUR recovery "
        "indemnity (professional customers only).",
    )
    needs_approval = fields.Boolean(
        string="Manager Approval", help="The step waits for a Collection Manager to approve it."
    )

    _scenario_offset_uniq = models.Constraint(
        "UNIQUE(scenario_id, offset_days)",
        "Two steps of a scenario cannot have the same offset.",
    )

    @api.depends("scenario_id.step_ids.offset_days")
    def _compute_level(self):
        for step in self:
            ordered = step.scenario_id.step_ids.sorted("offset_days")
            step.level = (ordered.ids.index(step.id) + 1) if step.id in ordered.ids else 0

    def _rule_step(self):
        """The step as the escalation rules see it."""
        self.ensure_one()
        return Step(
            id=self.id,
            offset_days=self.offset_days,
            channel=self.channel,
            min_amount=self.min_amount,
            letter_type=self.letter_type or None,
            needs_approval=self.needs_approval,
            has_template=bool(self.mail_template_id),
            assignee=self.assignee,
        )

    @api.constrains("channel", "letter_type")
    def _check_letter_type(self):
        for step in self:
            if step.channel in ("letter", "registered_letter") and not step.letter_type:
                raise ValidationError(
                    self.env._("The step “%(step)s” prints a letter: choose its letter type.", step=step.name)
                )

    @api.model_create_multi
    def create(self, vals_list):
        steps = super().create(vals_list)
        self.env["account.move"]._debt_reschedule_companies(steps.company_id)
        return steps

    def write(self, vals):
        result = super().write(vals)
        if "offset_days" in vals:
            self.env["account.move"]._debt_reschedule_companies(self.company_id)
        return result
