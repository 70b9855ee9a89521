"""The demo's ledger, lived day by day over the last five months (``make demo``).

Run by the harness in ``odoo shell`` on the demo database (a French company on Odoo's French
chart, in EUR, French and English loaded), once: ``runpy.run_path(this)["main"](env)``.
Each day from ``FIRST_DAY`` days ago to today, with the clock set to that day (freezegun):

* the company invoices its customers, who pay by their habits (on time, a month late, never);
* the module's scheduled actions run as Odoo would run them: the daily escalation, the
  cases' follow-up, stale disputes, payer profiles, the Monday forecast snapshot;
* the team works: the credit controller logs the calls of her phone tasks (each customer
  answers its own way: satisfied, a promise it keeps or breaks, a dispute, unreachable) and
  prints yesterday's letters; the Collection Manager approves formal notices and moves each
  case on (a payment plan, an agency, a factor, the court, a write-off);
* emails go through the demo's mail server (``tools/mail_sink.py``: one address refuses them),
  SMS through a stand-in for Odoo's SMS service that accepts them and reports them delivered
  the next day.

The last days are left as a newcomer finds a Monday morning: letters waiting to be printed,
a formal notice to approve, calls to make. Nothing is dated in the future. Amounts,
days and habits come from a seeded generator: the same story every time, relative to today.
"""

import random
from datetime import date, datetime, timedelta
from unittest.mock import patch

#: The story starts this many days ago.
FIRST_DAY = -150
#: Days at the end the team has not worked yet: letters to print, a step to approve...
UNWORKED_DAYS = 2
#: ... and the calls of these last days to make.
UNCALLED_DAYS = 5
SEED = 19
#: The demo's mail server refuses these addresses (a mailbox that no longer exists).
REFUSED_ADDRESSES = ("reception@hotel-les-tilleuls.example",)
DONE_PARAM = "account_debt_collection.demo_story"
MARK = "demo-story:"

#: What the company sells: (line, unit price range).
CATALOGUE = [
    ("Entretien annuel climatisation (contrat)", 180, 650),
    ("Dépannage groupe froid - main-d'œuvre", 140, 900),
    ("Recharge fluide frigorigène R32 (kg)", 85, 95),
    ("Remplacement compresseur", 1900, 4200),
    ("Chambre froide positive - fourniture et pose", 6500, 14000),
    ("Pompe à chaleur air/eau - fourniture et pose", 7800, 11500),
    ("Contrôle d'étanchéité annuel (F-Gas)", 160, 220),
    ("Groupe frigorifique pour porteur - révision", 380, 520),
    ("Cassette de climatisation 7 kW - fourniture et pose", 3900, 5200),
]

#: The cast. ``every``: days between invoices (from ``first``), or ``at``: the days of its
#: invoices; ``delay``: days late it pays, (mean, spread); it stops paying the invoices from
#: ``stops`` on; ``calls``: what it answers to a reminder call; ``case``: what the manager
#: does with its collection case.
CAST = {
    "pharmacie_vieux_port": {
        "sales": "laura",
        "term": "30days",
        "every": 17,
        "first": -148,
        "amounts": (1, 2),
        "delay": (-2, 2),
        "calls": "satisfied",
    },
    "cabinet_moreau": {
        "sales": "laura",
        "term": "30days",
        "every": 25,
        "first": -146,
        "amounts": (1, 2),
        "delay": (1, 2),
        "calls": "satisfied",
    },
    "sophie_lambert": {
        "sales": "thomas",
        "term": "15days",
        "every": 55,
        "first": -140,
        "amounts": (1, 1),
        "delay": (0, 1),
        "calls": "satisfied",
    },
    "laiterie_alpes": {
        "sales": "thomas",
        "term": "45days",
        "every": 19,
        "first": -149,
        "amounts": (1, 3),
        "delay": (36, 6),
        "calls": "promise_kept",
    },
    "boulangerie_martin": {
        "sales": "laura",
        "term": "30days",
        "every": 21,
        "first": -147,
        "amounts": (1, 2),
        "delay": (45, 8),
        "calls": "promise_broken",
    },
    "mairie_villeurbanne": {
        "sales": "thomas",
        "term": "30days",
        "every": 30,
        "first": -145,
        "amounts": (2, 3),
        "delay": (52, 5),
        "calls": "paid",
    },
    "imprimerie_girard": {
        "sales": "thomas",
        "term": "30days",
        "every": 26,
        "first": -150,
        "amounts": (1, 3),
        "delay": (24, 6),
        "calls": "problem",
    },
    "bristol_cold_stores": {
        "sales": "laura",
        "term": "30days",
        "at": (-143, -110, -80, -50),
        "amounts": (2, 3),
        "delay": (24, 2),
        "stops": -55,
        "calls": "unreachable",
    },
    "supermarche_colin": {
        "sales": "laura",
        "term": "30days",
        "every": 20,
        "first": -144,
        "amounts": (1, 2),
        "delay": (14, 4),
        "calls": "promise_kept",
        "sms": True,
    },
    "traiteur_chevalier": {
        "sales": "thomas",
        "term": "30days",
        "every": 28,
        "first": -139,
        "amounts": (1, 2),
        "delay": (70, 5),
        "calls": "satisfied",
        "excluded": True,
    },
    "hotel_tilleuls": {
        "sales": "laura",
        "term": "30days",
        "every": 24,
        "first": -150,
        "amounts": (1, 2),
        "delay": (72, 8),
        "stops": -105,
        "calls": "unreachable",
        "case": "amicable",
    },
    "restaurant_petit_zinc": {
        "sales": "thomas",
        "term": "30days",
        "at": (-150, -125, -100),
        "amounts": (1, 1),
        "delay": (60, 5),
        "stops": -150,
        "calls": "unreachable",
        "case": "formal_notice",
    },
    "transports_lefevre": {
        "sales": "thomas",
        "term": "45days",
        "every": 22,
        "first": -150,
        "amounts": (2, 3),
        "delay": (55, 5),
        "stops": -150,
        "calls": "promise_broken",
        "case": "payment_plan",
    },
    "garage_dubois": {
        "sales": "laura",
        "term": "30days",
        "every": 27,
        "first": -150,
        "amounts": (1, 2),
        "delay": (65, 5),
        "stops": -150,
        "calls": "unreachable",
        "case": "agency",
    },
    "electricite_bonnet": {
        "sales": "thomas",
        "term": "30days",
        "every": 25,
        "first": -150,
        "amounts": (1, 2),
        "delay": (50, 5),
        "stops": -135,
        "calls": "unreachable",
        "case": "factor",
        "sms": True,
    },
    "menuiserie_rousseau": {
        "sales": "laura",
        "term": "30days",
        "every": 40,
        "first": -150,
        "amounts": (1, 2),
        "delay": (60, 5),
        "stops": -150,
        "calls": "problem_then_silence",
        "case": "court",
    },
    "plomberie_fournier": {
        "sales": "thomas",
        "term": "30days",
        "every": 50,
        "first": -150,
        "amounts": (1, 1),
        "delay": (90, 5),
        "stops": -150,
        "calls": "unreachable",
        "case": "written_off",
    },
    "claire_dupont": {
        "sales": "laura",
        "term": "15days",
        "every": 70,
        "first": -150,
        "amounts": (1, 1),
        "delay": (0, 1),
        "stops": -150,
        "calls": "promise_broken",
        "case": "recovered",
    },
    "julien_mercier": {
        "sales": "thomas",
        "term": "15days",
        "at": (-120, -46),
        "amounts": (1, 1),
        "delay": (0, 1),
        "stops": -50,
        "calls": "unreachable",
    },
}

#: The demo's people: login (= password), name, groups, what they do.
TEAM = [
    (
        "camille",
        "Camille Durand",
        [
            "account_debt_collection.group_debt_collection_user",
            "base.group_partner_manager",
        ],
        "Chargée de recouvrement",
    ),
    (
        "helene",
        "Hélène Roux",
        [
            "account_debt_collection.group_debt_collection_manager",
            "account.group_account_manager",
            "base.group_system",
        ],
        "Responsable administrative et financière",
    ),
    ("thomas", "Thomas Petit", ["account.group_account_invoice", "base.group_partner_manager"], "Commercial"),
    (
        "laura",
        "Laura Lemoine",
        ["account.group_account_invoice", "base.group_partner_manager"],
        "Commerciale",
    ),
]

#: French names of the default scenario's steps (created in English at install).
STEP_NAMES_FR = {
    -5: "Appel de satisfaction",
    1: "Rappel courtois",
    10: "Appel de relance",
    20: "Relance ferme",
    30: "Mise en demeure",
    45: "Dossier de recouvrement",
}


def say(message):
    print(f"{MARK} {message}", flush=True)


def main(env):
    params = env["ir.config_parameter"].sudo()
    if params.get_param(DONE_PARAM) == "done":
        say("the demo database already lived its story")
        return
    if params.get_param(DONE_PARAM):
        raise RuntimeError(
            "the demo database holds half a story (an earlier run stopped): "
            "start again with `python3 tools/harness.py demo --reset`"
        )
    if env.company.chart_template != "fr":
        raise RuntimeError(
            "the demo company is not on Odoo's French chart (a database made by an earlier harness?): "
            "start again with `python3 tools/harness.py demo --reset`"
        )
    from freezegun import freeze_time

    today = date.today()
    with freeze_time(
        datetime.combine(today + timedelta(FIRST_DAY), datetime.min.time()) + timedelta(hours=7)
    ) as clock:
        story = Story(env, today, clock)
        params.set_param(DONE_PARAM, "started")
        story.cast()
        env.cr.commit()
        for offset in range(FIRST_DAY, 1):
            story.live(offset)
            env.cr.commit()
            if offset % 10 == 0 or offset == 0:
                say(f"day {offset:+d} of {FIRST_DAY:+d}..0 lived")
    params.set_param(DONE_PARAM, "done")
    env.cr.commit()


class Story:
    def __init__(self, env, today, clock):
        self.env = env
        self.today = today
        self.clock = clock
        self.rng = random.Random(SEED)
        self.company = env.ref("base.main_company")
        self.pay_on = {}  # invoice id -> day it pays
        self.plan_payments = []  # (day, case id, amount): instalments of payment plans
        self.promised = {}  # partner id -> number of promises made
        self.case_plans = {}  # case id -> [(day, action)]
        self.disputes_to_resolve = {}  # dispute id -> day
        self.tries = {}  # phone task id -> calls that found nobody

    # ------------------------------------------------------------------ helpers

    def day(self, offset):
        return self.today + timedelta(days=offset)

    def at(self, offset, hour):
        self.clock.move_to(datetime.combine(self.day(offset), datetime.min.time()) + timedelta(hours=hour))

    def ref(self, xmlid):
        return self.env.ref(xmlid)

    def customer(self, key):
        return self.ref(f"account_debt_collection.demo_partner_{key}")

    def user(self, login):
        return self.env["res.users"].search([("login", "=", login)])

    # ------------------------------------------------------------------ the cast

    def cast(self):
        env, company = self.env, self.company
        env["res.lang"]._activate_lang("en_US")
        users = {}
        for login, name, groups, function in TEAM:
            users[login] = (
                env["res.users"]
                .with_context(no_reset_password=True)
                .create(
                    {
                        "name": name,
                        "login": login,
                        "password": login,
                        "email": f"{login}@atelier-dupuis.example",
                        "lang": "fr_FR",
                        "tz": "Europe/Paris",
                        "function": function,
                        "group_ids": [
                            (6, 0, [self.ref("base.group_user").id, *(self.ref(g).id for g in groups)])
                        ],
                        "company_id": company.id,
                        "company_ids": [(6, 0, company.ids)],
                    }
                )
            )
        admin = self.ref("base.user_admin")
        admin.write({"lang": "fr_FR", "tz": "Europe/Paris", "email": "admin@atelier-dupuis.example"})
        company.write(
            {
                "debt_controller_id": users["camille"].id,
                "debt_signatory_id": users["helene"].id,
                "debt_signatory_function": "Responsable administrative et financière",
                "debt_email_from": "Recouvrement Atelier Dupuis <recouvrement@atelier-dupuis.example>",
                "debt_share_capital": 80000.0,
                "debt_trade_register_city": "Lyon",
            }
        )
        company.partner_id.debt_legal_form = "SAS"
        env["res.partner.bank"].create(
            {"acc_number": "FR7630006000011234567890189", "partner_id": company.partner_id.id}
        )
        self._scenarios()
        from odoo.tools import convert_file

        convert_file(
            env, "account_debt_collection", "demo/res_partner_demo.xml", {}, mode="init", noupdate=True
        )
        for key, role in CAST.items():
            partner = self.customer(key).with_company(company)
            values = {"user_id": users[role["sales"]].id}
            if partner.lang != "en_US":
                values["lang"] = "fr_FR"
            if role.get("excluded"):
                values["debt_excluded"] = True
            if role.get("sms"):
                values["debt_scenario_id"] = self.sms_scenario.id
            partner.write(values)
            partner.child_ids.write({"lang": values.get("lang", partner.lang)})
        self.plan_invoices()
        say(f"{len(users)} users, {len(CAST)} customers, {len(self.invoices)} invoices to come")

    def _scenarios(self):
        """French names for the default scenario; formal notices wait for the manager's approval;
        a second scenario with an SMS reminder, for customers a text reaches best."""
        scenario = self.env["debt.collection.scenario"].search(
            [("company_id", "=", self.company.id), ("is_default", "=", True)]
        )
        scenario.with_context(lang="fr_FR").name = "Standard (France)"
        for step in scenario.step_ids:
            if step.offset_days in STEP_NAMES_FR:
                step.with_context(lang="fr_FR").name = STEP_NAMES_FR[step.offset_days]
            if step.letter_type == "formal_notice":
                step.needs_approval = True
        self.sms_scenario = scenario.copy({"name": "Standard with SMS reminder", "is_default": False})
        self.sms_scenario.with_context(lang="fr_FR").name = "Standard avec rappel SMS"
        self.env["debt.collection.step"].create(
            {"scenario_id": self.sms_scenario.id, "name": "SMS reminder", "offset_days": 5, "channel": "sms"}
        ).with_context(lang="fr_FR").name = "Rappel SMS"

    def plan_invoices(self):
        """Every invoice of the story: its day, customer, lines, and when it is paid."""
        self.invoices = []
        for key, role in CAST.items():
            rng = random.Random(f"{SEED}-{key}")  # each customer its own: changing one changes no other
            days = role.get("at") or range(role["first"], 0, role["every"])
            unpaid = 0
            for offset in days:
                if "at" not in role:
                    offset = min(offset + rng.randint(-3, 3), -1)
                lines = []
                for _n in range(rng.randint(*role["amounts"])):
                    name, low, high = rng.choice(CATALOGUE)
                    lines.append((name, round(rng.uniform(low, high), -1)))
                term_days = {"30days": 30, "45days": 45, "15days": 15}[role["term"]]
                if "stops" in role and offset >= role["stops"]:
                    late = None
                    unpaid += 1
                else:
                    mean, spread = role["delay"]
                    late = max(-term_days, round(rng.gauss(mean, spread)))
                self.invoices.append(
                    {
                        "offset": offset,
                        "key": key,
                        "lines": lines,
                        "term": role["term"],
                        "pays": None if late is None else offset + term_days + late,
                    }
                )
                if unpaid >= 2:
                    break
        self.invoices.sort(key=lambda invoice: invoice["offset"])

    # ------------------------------------------------------------------ a day

    def live(self, offset):
        env = self.env
        env.invalidate_all()
        self.at(offset, 6)
        self.scheduled_actions(offset)
        self.at(offset, 9)
        self.invoice(offset)
        self.pay(offset)
        worked = offset <= -UNWORKED_DAYS
        if worked:
            self.approve(offset)
            self.print_letters(offset)
        if offset <= -UNCALLED_DAYS:
            self.call(offset)
        if worked:
            self.resolve_disputes(offset)
        self.cases(offset, worked)
        self.at(offset, 18)
        self.send_mails()
        self.send_sms(offset)

    def scheduled_actions(self, offset):
        env = self.env
        env["debt.collection.run"]._cron_escalate()
        env["debt.collection.case"]._cron_follow_cases()
        env["debt.collection.dispute"]._cron_escalate_stale()
        if self.day(offset).weekday() == 0:
            env["res.partner"]._cron_debt_refresh_payer_profiles()
            env["debt.collection.forecast"]._cron_snapshot()
        if offset == 0:
            env["res.partner"]._cron_debt_refresh_payer_profiles()

    def invoice(self, offset):
        Move = self.env["account.move"]
        tax = self.company.account_sale_tax_id
        for planned in [i for i in self.invoices if i["offset"] == offset]:
            partner = self.customer(planned["key"])
            move = Move.create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": self.day(offset),
                    "invoice_user_id": partner.user_id.id,
                    "invoice_payment_term_id": self.ref(f"account.account_payment_term_{planned['term']}").id,
                    "invoice_line_ids": [
                        (
                            0,
                            0,
                            {"name": name, "quantity": 1, "price_unit": price, "tax_ids": [(6, 0, tax.ids)]},
                        )
                        for name, price in planned["lines"]
                    ],
                }
            )
            move.action_post()
            if planned["pays"] is not None and planned["pays"] <= 0:
                self.pay_on[move.id] = planned["pays"]

    def pay(self, offset, moves=None):
        """Register the payments of the day (or of ``moves`` now), by bank transfer."""
        if moves is None:
            moves = self.env["account.move"].browse([m for m, day in self.pay_on.items() if day == offset])
            for _day, case_id, amount in [p for p in self.plan_payments if p[0] == offset]:
                self.pay_instalment(offset, self.env["debt.collection.case"].browse(case_id), amount)
        for move in moves.filtered(lambda m: m.payment_state in ("not_paid", "partial")):
            self.register(move, offset, move.amount_residual)

    def pay_instalment(self, offset, case, amount):
        """An instalment of a payment plan: the oldest invoices of the case first."""
        for move in case.move_ids.filtered(lambda m: m.payment_state in ("not_paid", "partial")).sorted(
            "invoice_date_due"
        ):
            if amount <= 0:
                return
            paid = min(amount, move.amount_residual)
            self.register(move, offset, paid)
            amount -= paid

    def register(self, move, offset, amount):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=move.ids
        ).create({"payment_date": self.day(offset), "amount": amount})._create_payments()

    def approve(self, offset):
        pending = self.env["debt.collection.event"].search(
            [("state", "=", "to_approve"), ("date", "<", self.day(offset))]
        )
        if pending:
            pending.with_user(self.user("helene")).action_approve()

    def print_letters(self, offset):
        letters = self.env["debt.collection.event"].search(
            [("state", "=", "to_print"), ("date", "<", self.day(offset))]
        )
        if letters:
            letters.with_user(self.user("camille")).action_print_letters()

    # ------------------------------------------------------------------ calls

    def call(self, offset):
        """The day's phone tasks, each customer answering its own way."""
        Event = self.env["debt.collection.event"]
        tasks = self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("date_deadline", "<=", self.day(offset)),
                ("activity_type_id", "=", self.ref("mail.mail_activity_data_call").id),
            ]
        )
        for task in tasks:
            partner = self.env["res.partner"].browse(task.res_id)
            key = next((k for k in CAST if self.customer(k) == partner), None)
            if key is None:
                continue
            event = Event.search([("activity_id", "=", task.id)], limit=1)
            user = (
                task.user_id
                if task.user_id.has_group("account_debt_collection.group_debt_collection_user")
                else self.user("camille")
            )
            wizard = (
                self.env["debt.collection.call.wizard"]
                .with_user(user)
                .with_context(active_model="mail.activity", active_ids=task.ids)
            )
            values = self.answer(key, partner, event, offset, wizard)
            if values["outcome"] == "unreachable":
                self.tries[task.id] = self.tries.get(task.id, 0) + 1
                if not event or self.tries[task.id] > 2:
                    # the third try that finds nobody: the letters take over
                    task.action_feedback(feedback="Toujours injoignable : la relance continue par écrit.")
                    continue
            wizard.create(values).action_confirm()

    def answer(self, key, partner, event, offset, wizard):
        """What the customer says on the phone (the wizard's values), and what follows."""
        role = CAST[key]
        if event.origin == "pre_due" or role["calls"] == "satisfied":
            return {
                "outcome": "satisfied",
                "satisfaction_score": self.rng.choice([4, 5, 5]),
                "send_recap": False,
            }
        moves = wizard.default_get(["move_ids"]).get("move_ids")
        move_ids = moves[0][2] if moves else []
        open_moves = self.env["account.move"].browse(move_ids)
        if not open_moves:
            return {"outcome": "unreachable", "reschedule_date": self.day(offset + 3)}
        calls = role["calls"]
        made = self.promised.get(partner.id, 0)
        if calls == "promise_broken" and made >= 1:
            calls = "promise_kept"
        if calls == "problem_then_silence":
            calls = "problem" if not made else "unreachable"
        if calls in ("promise_kept", "promise_broken"):
            self.promised[partner.id] = made + 1
            promised = offset + self.rng.randint(5, 9)
            if calls == "promise_kept" and promised <= 0:
                for move in open_moves:
                    self.pay_on[move.id] = promised
            elif calls == "promise_broken":
                for move in open_moves:
                    self.pay_on.pop(move.id, None)
            return {
                "outcome": "promise",
                "promise_date": self.day(promised),
                "note": "Le client s'engage à régler par virement.",
            }
        if calls == "paid":
            for move in open_moves:
                if offset + 3 <= 0:
                    self.pay_on[move.id] = offset + 3
            return {"outcome": "paid", "payment_method": "transfer", "payment_date": self.day(offset - 1)}
        if calls == "problem":
            self.promised[partner.id] = made + 1
            reason = self.ref(
                "account_debt_collection.dispute_reason_price_quantity"
                if made % 2 == 0
                else "account_debt_collection.dispute_reason_late_delivery"
            )
            oldest = open_moves.sorted("invoice_date_due")[:1]
            values = {
                "outcome": "problem",
                "reason_id": reason.id,
                "move_ids": [(6, 0, oldest.ids)],
                "note": "Le client conteste le montant facturé par rapport au devis.",
            }
            if key == "imprimerie_girard" and made == 0 and offset + 20 <= -UNWORKED_DAYS:
                self._resolve_later = oldest
            return values
        return {
            "outcome": "unreachable",
            "reschedule_date": self.day(offset + self.rng.randint(2, 4)),
            "note": "Messagerie : message laissé.",
        }

    def resolve_disputes(self, offset):
        """The first dispute of the printer is found unjustified three weeks later."""
        Dispute = self.env["debt.collection.dispute"]
        moves = getattr(self, "_resolve_later", None)
        if moves:
            for dispute in Dispute.search([("move_id", "in", moves.ids), ("state", "=", "open")]):
                self.disputes_to_resolve.setdefault(dispute.id, offset + 20)
            self._resolve_later = None
        for dispute_id, day in list(self.disputes_to_resolve.items()):
            if day == offset:
                dispute = Dispute.browse(dispute_id).with_user(self.user("camille"))
                dispute.write({"outcome": "unjustified"})
                dispute.action_resolve()
                del self.disputes_to_resolve[dispute_id]
                for move in dispute.move_id:
                    self.pay_on[move.id] = min(offset + 12, 0)

    # ------------------------------------------------------------------ cases

    def cases(self, offset, worked):
        """What the manager does with each new case, and when (days after it opened)."""
        Case = self.env["debt.collection.case"]
        for case in Case.search([("id", "not in", list(self.case_plans))]):
            key = next((k for k in CAST if self.customer(k) == case.partner_id), None)
            fate = CAST.get(key, {}).get("case", "amicable")
            self.case_plans[case.id] = {
                "amicable": [],
                "formal_notice": [(2, "formal_notice")],
                "payment_plan": [(2, "payment_plan")],
                "agency": [(3, "agency")],
                "factor": [(3, "factor")],
                "court": [(2, "formal_notice"), (15, "court")],
                "written_off": [(3, "agency"), (25, "written_off")],
                "recovered": [(6, "paid")],
            }[fate]
            self.case_plans[case.id] = [(offset + days, action) for days, action in self.case_plans[case.id]]
        if not worked:
            return
        manager = self.user("helene")
        for case_id, plans in self.case_plans.items():
            for day, action in plans:
                if day == offset:
                    getattr(self, f"_case_{action}")(Case.browse(case_id).with_user(manager), offset)

    def _case_formal_notice(self, case, offset):
        case.stage_id = self.ref("account_debt_collection.stage_formal_notice")

    def _case_court(self, case, offset):
        case.stage_id = self.ref("account_debt_collection.stage_court")

    def _case_payment_plan(self, case, offset):
        wizard = (
            self.env["debt.collection.payment.plan.wizard"]
            .with_user(case.env.user)
            .create(
                {
                    "case_id": case.id,
                    "count": 4,
                    "first_date": self.day(offset + 10),
                    "every": 1,
                    "unit": "months",
                }
            )
        )
        wizard.action_confirm()
        for instalment in case.instalment_ids.sorted("date"):
            paid_on = (instalment.date - self.today).days - self.rng.randint(0, 2)
            if paid_on <= 0:
                self.plan_payments.append((paid_on, case.id, instalment.principal))

    def _case_agency(self, case, offset):
        self._handoff(case, "agency", "account_debt_collection.demo_partner_agency_rhone")

    def _case_factor(self, case, offset):
        self._handoff(case, "factor", "account_debt_collection.demo_partner_factor_sud_est")

    def _handoff(self, case, kind, agency):
        self.env["debt.collection.handoff.wizard"].with_user(case.env.user).create(
            {"case_id": case.id, "kind": kind, "agency_id": self.ref(agency).id}
        ).action_confirm()

    def _case_written_off(self, case, offset):
        self.env["debt.collection.case.outcome.wizard"].with_user(case.env.user).create(
            {
                "case_id": case.id,
                "amount_recovered": 0.0,
                "write_off": True,
                "note": "Liquidation judiciaire du client : créance irrécouvrable.",
            }
        ).action_confirm()

    def _case_paid(self, case, offset):
        self.pay(offset, case.move_ids)

    # ------------------------------------------------------------------ mails and texts

    def send_mails(self):
        """The mail queue, as Odoo's mail cron sends it: in a transaction of its own, after the
        day's (whose emails sent at once, such as a promise's recap, leave when it commits)."""
        self.env.cr.commit()
        mails = self.env["mail.mail"].sudo().search([("state", "=", "outgoing")])
        if mails:
            mails.send()

    def send_sms(self, offset):
        """The SMS queue, through a stand-in for Odoo's SMS service: accepted today, delivered
        (the provider's report) tomorrow."""
        from odoo.addons.sms.tools.sms_api import SmsApi

        def accept(api, messages, delivery_reports_url=False):
            return [
                {"uuid": number["uuid"], "state": "success", "credit": 1}
                for message in messages
                for number in message["numbers"]
            ]

        trackers = self.env["sms.tracker"].sudo()
        if getattr(self, "_sent_yesterday", None):
            trackers.search([("sms_uuid", "in", self._sent_yesterday)])._action_update_from_sms_state("sent")
        texts = self.env["sms.sms"].sudo().search([("state", "=", "outgoing")])
        self._sent_yesterday = texts.mapped("uuid")
        if texts:
            with patch.object(SmsApi, "_send_sms_batch", accept):
                texts.send()
