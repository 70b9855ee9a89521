"""The customer's internal credit file stays internal whatever the route: the web client's
JSON-RPC, XML-RPC, the report URLs. What the customer may read of itself still reads."""

import xmlrpc.client

from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestAccessRoutes(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        cls.customer = cls.env["res.partner"].create({"name": "Boulangerie Martin SARL", "is_company": True})
        insurer = cls.env["res.partner"].create({"name": "Assureur Crédit SA", "is_company": True})
        cls.customer.with_company(company).sudo().write(
            {
                "debt_payer_class": "D",
                "debt_avg_days_late": 95.0,
                "debt_insurer_id": insurer.id,
                "debt_insured_amount": 20000.0,
            }
        )
        contact = cls.env["res.partner"].create({"name": "Claire Martin", "parent_id": cls.customer.id})
        cls.portal = new_test_user(
            cls.env,
            login="client_portal",
            password="client_portal",
            groups="base.group_portal",
            partner_id=contact.id,
        )
        cls.event = (
            cls.env["debt.collection.event"]
            .sudo()
            .create(
                {
                    "partner_id": cls.customer.id,
                    "company_id": company.id,
                    "origin": "overdue",
                    "channel": "registered_letter",
                    "letter_type": "formal_notice",
                    "state": "done",
                    "note": "Client difficile : ne pas accorder de délai.",
                }
            )
        )
        cls.internal_fields = [
            "debt_payer_class",
            "debt_avg_days_late",
            "debt_insurer_id",
            "debt_insured_amount",
        ]

    def call_kw(self, model, method, args):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": {}},
        )

    def test_the_web_client_s_rpc_refuses_the_credit_file_to_the_customer(self):
        self.authenticate("client_portal", "client_portal")
        self.assertEqual(
            self.call_kw("res.partner", "read", [self.customer.ids, ["name"]])[0]["name"],
            "Boulangerie Martin SARL",
        )
        for name in self.internal_fields:
            with self.subTest(field=name), self.assertRaises(JsonRpcException) as refused:
                self.call_kw("res.partner", "read", [self.customer.ids, [name]])
            self.assertEqual(refused.exception.args[0], "odoo.exceptions.AccessError")
        with self.assertRaises(JsonRpcException):
            self.call_kw("res.partner", "write", [self.customer.ids, {"debt_payer_class": "A"}])
        with self.assertRaises(JsonRpcException):
            self.call_kw("debt.collection.event", "read", [self.event.ids, ["note"]])
        # all fields at once: the internal ones are not among them
        record = self.call_kw("res.partner", "web_read", [self.customer.ids, {"name": {}}])[0]
        self.assertNotIn("debt_payer_class", record)
        self.assertFalse(set(self.internal_fields) & set(self.call_kw("res.partner", "fields_get", [])))

    @mute_logger("odoo.addons.rpc.controllers.xmlrpc", "odoo.http")  # deprecation notices, the refusals
    def test_xml_rpc_refuses_it_too(self):
        db = self.env.cr.dbname
        uid = self.xmlrpc_common.authenticate(db, "client_portal", "client_portal", {})
        self.assertEqual(uid, self.portal.id)
        for name in self.internal_fields:
            with self.subTest(field=name), self.assertRaises(xmlrpc.client.Fault) as refused:
                self.xmlrpc_object.execute_kw(
                    db, uid, "client_portal", "res.partner", "read", [self.customer.ids, [name]]
                )
            self.assertIn(f"access the field \"{name}\"", refused.exception.faultString)

    def test_the_report_urls_refuse_the_letters_to_the_customer(self):
        self.authenticate("client_portal", "client_portal")
        response = self.url_open(f"/report/html/account_debt_collection.report_debt_letter/{self.event.id}")
        self.assertNotEqual(response.status_code, 200)
        self.assertNotIn("Boulangerie Martin", response.text)
