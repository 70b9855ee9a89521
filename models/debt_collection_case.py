"""A collection case (dossier): the model, its figures, its stage moves and opening cases by hand.

The case's other concerns extend it in files of their own: its evidence
(``debt_collection_case_evidence.py``), its hand-off pack (``debt_collection_case_pack.py``)
and its payment plan with the daily follow-up (``debt_collection_case_plan.py``).
"""

from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..rules import cases as rules
from ..rules.dates import days_late
from .account_move import OPEN_PAYMENT_STATES
from .debt_collection_access import MANAGER, SYSTEM, require_group
from .debt_collection_case_stage import USER_KINDS

PRIORITIES = [("0", "Normal"), ("1", "Medium"), ("2", "High"), ("3", "Urgent")]


class DebtCollectionCase(models.Model):
    """A collection case (dossier): a customer's overdue invoices worked as a whole.

    Dunning of the case's invoices stops while the case's stage ``freezes_dunning`` (payment
    plan, agency, factor, court): the escalation run reads that flag. A missed instalment
    moves the case back to the stage it had before the plan, so the dunning resumes.
    """

    _name = "debt.collection.case"
    _description = "Collection Case"
    _inherit = ["mail.thread", "mail.activity.mixin", "debt.collection.access.mixin"]
    _order = "priority desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, copy=False, readonly=True, default=lambda self: self.env._("New"))
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True, check_company=True
    )
    stage_id = fields.Many2one(
        "debt.collection.case.stage",
        required=True,
        tracking=True,
        index=True,
        group_expand="_read_group_stage_ids",
        default=lambda self: self._debt_first_stage(),
    )
    is_closed = fields.Boolean(related="stage_id.is_closed", store=True)
    freezes_dunning = fields.Boolean(related="stage_id.freezes_dunning")
    close_date = fields.Date(readonly=True, copy=False, debt_write=SYSTEM)
    user_id = fields.Many2one(
        "res.users", string="Responsible", default=lambda self: self.env.user, tracking=True
    )
    priority = fields.Selection(
        PRIORITIES,
        compute="_compute_priority",
        store=True,
        readonly=False,
        help="From the customer's payer class when known, else from the delay of the oldest invoice.",
    )
    color = fields.Integer()
    move_ids = fields.One2many(
        "account.move", "debt_case_id", string="Invoices", domain=[("move_type", "=", "out_invoice")]
    )
    invoice_count = fields.Integer(compute="_compute_invoice_count")
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_due = fields.Monetary(compute="_compute_amount_due", store=True)
    amount_interest = fields.Monetary(string="Late Interest", compute="_compute_penalties")
    amount_indemnity = fields.Monetary(string="Recovery Indemnity", compute="_compute_penalties")
    amount_claimed = fields.Monetary(string="Total Claimed", compute="_compute_penalties")
    oldest_due_date = fields.Date(compute="_compute_oldest_due_date", store=True)
    days_overdue = fields.Integer(compute="_compute_days_overdue", help="Days overdue of the oldest invoice.")
    limitation_date = fields.Date(
        compute="_compute_limitation_date",
        store=True,
        help="Last day to sue: 5 years between professionals, 2 years for a consumer, from the "
        "due date of the oldest invoice.",
    )
    limitation_near = fields.Boolean(compute="_compute_days_overdue")
    event_ids = fields.One2many("debt.collection.event", "case_id", string="Events", readonly=True)

    # hand-off and outcome
    # written by the hand-off and outcome wizards (Collection Managers), never by hand
    agency_id = fields.Many2one(
        "res.partner",
        string="Agency or Factor",
        readonly=True,
        tracking=True,
        check_company=True,
        debt_write=SYSTEM,
    )
    handoff_kind = fields.Selection(
        [("agency", "Collection Agency"), ("factor", "Factor"), ("insurer", "Credit Insurer")],
        readonly=True,
        copy=False,
        debt_write=SYSTEM,
    )
    handoff_date = fields.Date(readonly=True, copy=False, debt_write=SYSTEM)
    handoff_attachment_id = fields.Many2one(
        "ir.attachment", string="Hand-off Pack", readonly=True, copy=False, debt_write=SYSTEM
    )
    amount_recovered = fields.Monetary(readonly=True, copy=False, debt_write=SYSTEM)
    amount_fees = fields.Monetary(string="Fees", readonly=True, copy=False, debt_write=SYSTEM)
    amount_written_off = fields.Monetary(readonly=True, copy=False, debt_write=SYSTEM)
    writeoff_move_id = fields.Many2one(
        "account.move",
        string="Write-off Credit Note",
        readonly=True,
        copy=False,
        check_company=True,
        debt_write=SYSTEM,
    )

    # court
    court_city = fields.Char(
        string="Court Seat",
        compute="_compute_court_city",
        store=True,
        readonly=False,
        help="City of the court whose territory covers the debtor's domicile or seat (CPC 1406): the "
        "debtor's city by default; for a town without a court of that kind, the seat of the court "
        "covering it (justice.fr, annuaire des juridictions).",
    )
    court_name = fields.Char(string="Competent Court", compute="_compute_court")
    court_cerfa = fields.Char(string="Cerfa Form", compute="_compute_court")

    _one_open_case_per_partner = models.UniqueIndex(
        "(partner_id, company_id) WHERE NOT is_closed",
        "A customer has one open collection case per company.",
    )

    # ------------------------------------------------------------------ computes

    @api.depends("move_ids.amount_residual_signed")
    def _compute_amount_due(self):
        for case in self:
            case.amount_due = sum(case.move_ids.mapped("amount_residual_signed"))

    @api.depends("move_ids")
    def _compute_invoice_count(self):
        for case in self:
            case.invoice_count = len(case.move_ids)

    def _compute_penalties(self):
        """Interest and indemnity still owed to date, for all the cases in one computation.

        Every invoice of the case: one paid late still owes its interest and indemnity until
        they are invoiced (the ledger gives nothing for one paid on time).
        """
        moves = self.move_ids
        computed = moves._debt_penalties(fields.Date.context_today(self)) if moves else None
        for case in self:
            interest = indemnity = 0.0
            for move in case.move_ids:
                penalty = computed.by_invoice.get(move.id)
                if penalty:
                    interest += float(penalty.interest)
                    indemnity += float(penalty.indemnity)
            case.amount_interest = interest
            case.amount_indemnity = indemnity
            case.amount_claimed = case.amount_due + interest + indemnity

    @api.depends("move_ids.invoice_date_due", "move_ids.payment_state")
    def _compute_oldest_due_date(self):
        for case in self:
            moves = case.move_ids.filtered(lambda m: m.payment_state in OPEN_PAYMENT_STATES)
            case.oldest_due_date = min((moves or case.move_ids).mapped("invoice_date_due"), default=False)

    @api.depends("oldest_due_date")
    @api.depends_context("tz")
    def _compute_days_overdue(self):
        today = fields.Date.context_today(self)
        for case in self:
            case.days_overdue = days_late(case.oldest_due_date, today)
            case.limitation_near = not case.is_closed and rules.limitation_near(case.limitation_date, today)

    @api.depends("oldest_due_date", "partner_id.debt_is_consumer")
    def _compute_limitation_date(self):
        for case in self:
            case.limitation_date = rules.limitation_date(
                case.oldest_due_date, case.partner_id.commercial_partner_id.debt_is_consumer
            )

    @api.depends("partner_id.commercial_partner_id.debt_payer_class", "oldest_due_date")
    def _compute_priority(self):
        today = fields.Date.context_today(self)
        for case in self:
            payer_class = case.partner_id.commercial_partner_id.debt_payer_class
            case.priority = rules.priority(payer_class, days_late(case.oldest_due_date, today))

    @api.depends("partner_id.commercial_partner_id.city")
    def _compute_court_city(self):
        for case in self:
            case.court_city = case.partner_id.commercial_partner_id.city or False

    @api.depends("partner_id.debt_is_consumer", "partner_id.debt_is_public_body", "court_city")
    def _compute_court(self):
        """The court (named in French whatever the reader) and the Cerfa form of the request."""
        today = fields.Date.context_today(self)
        for case in self:
            debtor = case.partner_id.commercial_partner_id
            court = rules.competent_court(
                debtor.debt_is_consumer, case.court_city, today, debtor_is_public=debtor.debt_is_public_body
            )
            case.court_name = court.name
            case.court_cerfa = court.cerfa

    # ------------------------------------------------------------------ constraints

    def _debt_check_no_open_case(self, vals_list):
        """Name the case already open: clearer than the unique index's message.

        Checked before the insert (the index would fail first on the flush of a search).
        """
        keys = {
            (vals.get("partner_id"), vals.get("company_id") or self.env.company.id)
            for vals in vals_list
            if vals.get("partner_id")
        }
        if not keys:
            return
        others = self.search(
            [
                ("partner_id", "in", [partner for partner, _company in keys]),
                ("company_id", "in", [company for _partner, company in keys]),
                ("is_closed", "=", False),
            ]
        )
        for other in others:
            if (other.partner_id.id, other.company_id.id) in keys:
                raise ValidationError(
                    self.env._(
                        "%(customer)s already has an open collection case, %(case)s: add the invoices "
                        "to it, or close it before opening another one.",
                        customer=other.partner_id.display_name,
                        case=other.name,
                    )
                )

    @api.constrains("move_ids", "partner_id")
    def _check_invoices_partner(self):
        for case in self:
            strangers = case.move_ids.filtered(
                lambda m, c=case: m.commercial_partner_id != c.partner_id.commercial_partner_id
                or m.company_id != c.company_id
            )
            if strangers:
                raise ValidationError(
                    self.env._(
                        "Invoices %(invoices)s belong to another customer or company than case %(case)s.",
                        invoices=", ".join(strangers.mapped("name")),
                        case=case.name,
                    )
                )

    # ------------------------------------------------------------------ ORM

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        return stages.search([], order=stages._order)  # pylint: disable=no-search-all

    @api.model
    def _debt_first_stage(self):
        """Where a new case starts: the first stage of a kind a Collection User moves cases
        between (Amicable, unless a manager reordered the stages), found by its kind."""
        return self.env["debt.collection.case.stage"].search([("kind", "in", USER_KINDS)], limit=1)

    @api.model_create_multi
    def create(self, vals_list):
        """Number the cases from their sequence (in the current company, else the shared one) and put
        them in the first stage, both looked up once for the batch."""
        self._debt_check_no_open_case(vals_list)
        new = self.env._("New")
        # the sequence ``next_by_code`` would take, found once: the run opens thousands of cases
        sequence = (
            self.env["ir.sequence"]
            .sudo()
            .search(
                [("code", "=", "debt.collection.case"), ("company_id", "in", [self.env.company.id, False])],
                order="company_id",
                limit=1,
            )
        )
        for vals in vals_list:
            if vals.get("name", new) == new:
                vals["name"] = sequence.next_by_id() if sequence else new
        if any("stage_id" not in vals for vals in vals_list):
            first_stage = self._debt_first_stage()
            for vals in vals_list:
                vals.setdefault("stage_id", first_stage.id)
        Stage = self.env["debt.collection.case.stage"]
        for vals in vals_list:
            self.browse()._debt_check_stage_move(Stage.browse(vals["stage_id"]))
        batch = self.with_context(debt_follow_assignees_at_once=True)
        cases = super(DebtCollectionCase, batch).create(vals_list).with_env(self.env)
        cases._debt_follow_assignees()
        return cases

    def _message_auto_subscribe_followers(self, updated_values, default_subtype_ids):
        """While ``create`` runs, the responsible is left to :meth:`_debt_follow_assignees`."""
        if self.env.context.get("debt_follow_assignees_at_once"):
            return []
        return super()._message_auto_subscribe_followers(updated_values, default_subtype_ids)

    def _debt_follow_assignees(self):
        """Make each case's responsible follow it and tell them it is theirs, as Odoo's ``create``
        does, once per responsible instead of once per case.

        Odoo subscribes a new record's responsible record by record, each time reading the
        followers that partner already has: the run opens thousands of cases for a handful of
        controllers, and that read grows with every case they follow (0.48 s of the case
        channel's 1.14 s at 10,000 invoices, 333 cases).
        """
        if self.env.context.get("tracking_disable"):  # Odoo's create then subscribes nobody
            return
        subtypes = self.env["mail.message.subtype"]
        _child, default_subtype_ids, *_rest = subtypes._get_auto_subscription_subtypes(self._name)
        followers = self.env["mail.followers"]
        for user, cases in self.filtered("user_id").grouped("user_id").items():
            if not user.sudo().active:
                continue
            partner = user.partner_id.sudo()
            followers._insert_followers(
                self._name,
                cases.ids,
                partner.ids,
                subtypes={partner.id: default_subtype_ids},
                check_existing=True,
                existing_policy="update",
            )
            if user != self.env.user:
                cases.with_context(lang=partner.lang)._message_auto_subscribe_notify(
                    partner.ids, "mail.message_user_assigned"
                )

    def write(self, vals):
        if "stage_id" not in vals:
            return super().write(vals)
        stage = self.env["debt.collection.case.stage"].browse(vals["stage_id"])
        self._debt_check_stage_move(stage)
        thawed = self.filtered(lambda case: case.freezes_dunning and not stage.freezes_dunning)
        result = super().write(vals)
        # the close date follows the stage: the workflow's own field
        super(DebtCollectionCase, self.sudo()).write(
            {"close_date": fields.Date.context_today(self) if stage.is_closed else False}
        )
        thawed.move_ids._debt_reschedule()  # the dunning resumes: the run looks at them again
        return result

    def _debt_check_stage_move(self, stage):
        """A Collection User moves cases between Amicable and Formal Notice (a new case starts
        in one of them); a move to or from a stage that freezes the dunning or closes the case
        is made by the payment plan, hand-off and outcome wizards, the daily scheduled action
        (as superuser) or a Collection Manager: the kanban and the status bar included."""
        moving = self.filtered(lambda case: case.stage_id != stage)
        if self.env.su or self.env.user.has_group(MANAGER) or (self and not moving):
            return
        if stage.kind in USER_KINDS:
            held = moving.stage_id.filtered(lambda origin: origin.kind not in USER_KINDS)
        else:
            held = stage
        if held:
            raise AccessError(
                self.env._(
                    "Only a Collection Manager can move a case to or from %(stages)s by hand: a payment "
                    "plan, a hand-off or an outcome is recorded with its button.",
                    stages=", ".join(held.mapped("display_name")),
                )
            )

    # ------------------------------------------------------------------ opening cases by hand

    @api.model
    def _debt_overdue_invoices(self, partners, company):
        """The posted, unpaid, overdue customer invoices of these customers in ``company``."""
        return self.env["account.move"].search(
            [
                ("commercial_partner_id", "in", partners.commercial_partner_id.ids),
                ("company_id", "=", company.id),
                *self.env["account.move"]._debt_open_invoice_domain(),
                ("invoice_date_due", "<", fields.Date.context_today(self)),
            ]
        )

    @api.model
    def _debt_open_for(self, moves_by_partner, company):
        """Open (or feed) the case of each customer with its invoices; return the cases."""
        partners = self.env["res.partner"].browse(list(moves_by_partner))
        existing = self.search(
            [("partner_id", "in", partners.ids), ("company_id", "=", company.id), ("is_closed", "=", False)]
        )
        by_partner = {case.partner_id.id: case for case in existing}
        missing = [pid for pid in moves_by_partner if pid not in by_partner]
        for case in self.create([{"partner_id": pid, "company_id": company.id} for pid in missing]):
            by_partner[case.partner_id.id] = case
        for partner_id, moves in moves_by_partner.items():
            moves.write({"debt_case_id": by_partner[partner_id].id})
        return self.browse([case.id for case in by_partner.values()])

    @api.model
    def _action_open_for_partners(self, partners):
        """Button on the customer: its case, opened with its overdue invoices when none is."""
        company = self.env.company
        moves = self._debt_overdue_invoices(partners, company)
        by_partner = {partner.commercial_partner_id.id: self.env["account.move"] for partner in partners}
        for move in moves:
            by_partner[move.commercial_partner_id.id] |= move
        return self._debt_open_for(by_partner, company)._action_view()

    @api.model
    def _action_open_for_invoices(self, moves):
        """Server action on selected invoices: add them to their customers' cases."""
        moves = moves.filtered(lambda m: m._debt_is_open())
        if not moves:
            raise UserError(self.env._("Select posted customer invoices that are not paid."))
        cases = self.browse()
        for company in moves.company_id:
            by_partner = defaultdict(lambda: self.env["account.move"])
            for move in moves.filtered(lambda m, c=company: m.company_id == c):
                by_partner[move.commercial_partner_id.id] |= move
            cases |= self.with_company(company)._debt_open_for(by_partner, company)
        return cases._action_view()

    def _action_view(self):
        return self._get_records_action(name=self.env._("Collection Cases"), context={"create": False})

    def action_view_invoices(self):
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "name": self.env._("Invoices"),
            "view_mode": "list,form",
            "views": [(self.env.ref("account.view_out_invoice_tree").id, "list"), (False, "form")],
            "domain": [("debt_case_id", "in", self.ids)],
            "context": {"create": False, "default_move_type": "out_invoice"},
        }

    # ------------------------------------------------------------------ security

    def _debt_check_manager(self):
        require_group(
            self.env, MANAGER, self.env._("Only a Collection Manager can hand a case off or write it off.")
        )

    def _debt_check_manager_on_open_case(self):
        """Hand-offs and outcomes: a Collection Manager, on a case that is not closed yet."""
        self.ensure_one()
        self._debt_check_manager()
        if self.is_closed:
            raise UserError(self.env._("Case %s is closed.", self.name))

    # ------------------------------------------------------------------ wizards

    def _wizard_action(self, model, name):
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": model,
            "name": name,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_case_id": self.id},
        }

    def action_handoff(self):
        self._debt_check_manager()
        return self._wizard_action("debt.collection.handoff.wizard", self.env._("Hand Off"))

    def action_outcome(self):
        self._debt_check_manager()
        return self._wizard_action("debt.collection.case.outcome.wizard", self.env._("Record the Outcome"))

    def action_print_summary(self):
        self.check_access("read")
        return self.env.ref("account_debt_collection.action_report_case_summary").report_action(self)

    def action_print_court(self):
        self.check_access("read")
        return self.env.ref("account_debt_collection.action_report_case_court").report_action(self)

    # ------------------------------------------------------------------ events

    def _debt_log_events(self, notes, outcome=None):
        """One manual event per case (``notes``: ``{case_id: text}``), created in one call."""
        today = fields.Date.context_today(self)
        Event = self.env["debt.collection.event"].sudo()
        values = []
        for case in self:
            moves = case.move_ids.filtered(lambda m: m.payment_state in OPEN_PAYMENT_STATES)
            values.append(
                {
                    "date": today,
                    "company_id": case.company_id.id,
                    "partner_id": case.partner_id.id,
                    "origin": "manual",
                    "channel": "case",
                    "case_id": case.id,
                    "note": notes[case.id],
                    "outcome": outcome,
                    "amount_due": case.amount_due,
                    "amount_net": case.amount_due,
                    "line_ids": Event._line_commands(moves, today),
                }
            )
        events = Event.create(values)
        self._message_log_batch(bodies={case.id: notes[case.id] for case in self})
        return events
