"""A French company's dunning reads French: its scenario, the chatter, the phone tasks, the dates.

French is loaded after the module, as a company installed in English would do it from the
Settings; the scheduled action then runs day after day, as every morning.
"""

import html

from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from .common import DebtCollectionCommon, day

SHIPPED_STEPS_FR = [
    "Appel de satisfaction",
    "Relance courtoise",
    "Appel de relance",
    "Relance ferme",
    "Mise en demeure",
    "Dossier de recouvrement",
]


@tagged("post_install", "-at_install")
class TestFrenchRun(DebtCollectionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(["account_debt_collection"], ["fr_FR"], overwrite=True)
        cls.company.partner_id.lang = "fr_FR"
        cls.cron = cls.env.ref("account_debt_collection.ir_cron_debt_escalate")
        cls.controller = new_test_user(
            cls.env,
            "controleuse",
            groups="account.group_account_invoice,account_debt_collection.group_debt_collection_user",
            company_id=cls.company.id,
            lang="fr_FR",
        )
        cls.company.debt_controller_id = cls.controller
        cls.customer.lang = "fr_FR"
        with freeze_time(day(-40)):
            cls.old = cls.invoice(1000.0, due=day(-10))
            cls.young = cls.invoice(250.0, due=day(2))

    def live(self, first, last):
        for offset in range(first, last + 1):
            with freeze_time(f"{day(offset)} 06:00:00"), self.enter_registry_test_mode():
                self.cron.method_direct_trigger()

    def test_a_language_loaded_later_names_the_shipped_scenario_in_it(self):
        steps = self.scenario.step_ids.sorted("offset_days")
        self.assertEqual(steps.with_context(lang="fr_FR").mapped("name"), SHIPPED_STEPS_FR)
        self.assertEqual(steps.with_context(lang="en_US")[2].name, "Reminder call", "English stays English")

    def test_a_scenario_the_company_renamed_keeps_its_names(self):
        call = self.scenario.step_ids.filtered(lambda step: step.offset_days == 10)
        call.with_context(lang="en_US").name = "Our own call"
        call.update_field_translations("name", {"fr_FR": "Notre appel"})
        self.env["ir.module.module"]._load_module_terms(
            ["account_debt_collection"], ["fr_FR"], overwrite=True
        )
        self.assertEqual(call.with_context(lang="fr_FR").name, "Notre appel")

    def test_the_run_writes_french_in_the_chatter_and_the_phone_task(self):
        self.live(-6, 12)
        events = self.events()
        self.assertEqual(events.mapped("channel")[:2], ["email", "phone"], events.mapped("reference"))
        email, call = events[:2]
        mail = self.mails(email)
        self.assertIn("Bonjour", mail.body_html)
        task = call.activity_id
        self.assertEqual(task.summary, "Appel de relance")
        self.assertEqual(task.user_id, self.controller)
        self.assertIn("Montant net dû", str(task.note))
        self.assertIn("21/03/2026", str(task.note), "the old invoice's due date, as the French write it")
        self.assertNotIn("Net amount due", str(task.note))
        notes = [html.unescape(str(m.body)) for m in self.customer.message_ids if "Relance" in (m.body or "")]
        self.assertIn(
            "Relance\N{NO-BREAK SPACE}: Appel de relance (Appel téléphonique), 2 facture(s)",
            " ".join(notes),
            "the chatter echoes the call in French, channel included",
        )
