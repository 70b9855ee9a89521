from freezegun import freeze_time

from odoo.tests import tagged

from .common import day
from .test_letters import FrenchLettersCommon, pdf_text, plain

COURT_REPORT = "account_debt_collection.action_report_case_court"


@tagged("post_install", "-at_install")
class TestCourtRequest(FrenchLettersCommon):
    """The request for an injonction de payer, as a greffe reads it: in French, whoever prints it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.write({"company_registry": "55210055400013", "debt_legal_form": "SARL"})

    def open_case(self, on):
        with freeze_time(on):
            return self.env["debt.collection.case"]._action_open_for_partners(self.customer) and self.env[
                "debt.collection.case"
            ].search([("partner_id", "=", self.customer.id)])

    def request_text(self, case, on, report=COURT_REPORT):
        with freeze_time(on):
            return " ".join(plain(pdf_text(self.Report._render_qweb_pdf(report, case.ids)[0])).split())

    def test_the_request_names_the_parties_the_court_the_claim_and_the_pieces(self):
        self.env.user.lang = "en_US"
        invoice = self.invoice(1000.0)
        for offset in (-5, 1, 10, 20, 30):
            self.escalate(day(offset))
        with freeze_time(day(31)):
            self.events().filtered("letter_type").with_context(discard_logo_check=True).action_print_letters()
        case = self.open_case(day(31))
        case.action_collect_documents()
        self.assertEqual(case.court_city, "Lyon")
        self.assertEqual(case.court_name, "Tribunal des activités économiques de Lyon")
        text = self.request_text(case, day(32))
        self.assertIn("Requête en injonction de payer", text)
        self.assertIn("Président du Tribunal des activités économiques de Lyon", text)
        self.assertIn("Cerfa n°12946", text)
        # the parties: legal form, registration correctly labelled, representative
        self.assertIn("SAS company_1_data, au capital de $ 10 000,00", text)
        self.assertIn("registre du commerce et des sociétés de Lyon sous le numéro 443 061 841", text)
        self.assertIn("(SIRET 443 061 841 00013)", text)
        self.assertIn("représentée par Claire Martin, Credit Manager", text)
        self.assertIn("SARL Boulangerie Martin SARL", text)
        self.assertIn("SIRET 552 100 554 00013", text)
        self.assertNotIn("SIREN 552", text, "a 14-digit number is a SIRET")
        self.assertIn("prise en la personne de son représentant légal", text)
        # the claim and its calculation: 1-2 May at 12.15 % on 1,000 = 32 days = 10.65, and 40 EUR
        self.assertIn(f"{invoice.name} 01/03/2026 31/03/2026 $ 1 000,00 $ 1 000,00", text)
        self.assertIn(f"{invoice.name} du 01/04/2026 au 02/05/2026 32 $ 1 000,00 12,15 % $ 10,65", text)
        self.assertIn("Total de la demande $ 1 050,65", text)
        self.assertIn("articles 1405 et suivants du Code de procédure civile", text)
        # the pieces of the evidence pack, numbered in its order
        pieces = {"invoice": f"facture {invoice.name}", "formal_notice": "mise en demeure du 1er mai 2026",
                  "reminder": "lettre de relance du 1er mai 2026"}
        for number, document in enumerate(case.document_ids, start=1):
            self.assertIn(f"Pièce n°{number} : {pieces[document.kind]}", text)
        self.assertIn("pièce manquante : contrat ou devis accepté ou bon de commande", text)
        self.assertNotIn("Recovery indemnity", text, "nothing in English")
        self.assertNotIn("Creditor", text)

    def test_a_consumer_is_sued_before_the_tribunal_judiciaire(self):
        self.customer.write({"is_company": False, "company_registry": False, "name": "Jean Dupont"})
        self.invoice(1000.0)
        case = self.open_case(day(31))
        self.assertEqual((case.court_name, case.court_cerfa), ("Tribunal judiciaire de Lyon", "12948"))
        text = self.request_text(case, day(32))
        self.assertIn(
            "Jean Dupont, demeurant 12 rue des Lilas, 69003 Lyon, agissant en qualité de consommateur", text
        )
        self.assertIn("Cerfa n°12948", text)
        self.assertNotIn("indemnité forfaitaire", text)

    def test_the_court_seat_can_be_corrected_on_the_case(self):
        self.customer.city = "Villeurbanne"
        self.invoice(1000.0)
        case = self.open_case(day(31))
        self.assertEqual(case.court_name, "Tribunal de commerce de Villeurbanne")
        case.court_city = "Lyon"
        self.assertEqual(case.court_name, "Tribunal des activités économiques de Lyon")

    def test_a_copy_in_the_users_language_follows_the_french_original_only_when_asked(self):
        self.env.user.lang = "en_US"
        self.invoice(1000.0)
        case = self.open_case(day(31))
        french = self.request_text(case, day(32))
        self.assertNotIn("Collection case", french)
        both = self.request_text(case, day(32), "account_debt_collection.action_report_case_court_copy")
        self.assertLess(both.index("Requête en injonction de payer"), both.index("Collection case"))
        self.assertIn("Total claimed $ 1,050.65", both)
