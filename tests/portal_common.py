"""A French company working in euros, two customers with open invoices, their signed links."""

import re

from odoo.tests import HttpCase, new_test_user

from .common import DebtCollectionCommon

IBAN = "FR7630006000011234567890189"
BIC = "AGRIFRPP"
CONTROLLER_GROUPS = "account.group_account_invoice,account_debt_collection.group_debt_collection_user"


class PortalCommon(DebtCollectionCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        euro = cls.env.ref("base.EUR")
        euro.active = True
        cls.company.write({"currency_id": euro.id, "country_id": cls.env.ref("base.fr").id})
        bank = cls.env["res.bank"].create({"name": "Banque du Rhône", "bic": BIC})
        cls.env["res.partner.bank"].create(
            {"acc_number": IBAN, "partner_id": cls.company.partner_id.id, "bank_id": bank.id}
        )
        cls.controller = new_test_user(
            cls.env, "controleur", groups=CONTROLLER_GROUPS, company_id=cls.company.id
        )
        cls.company.debt_controller_id = cls.controller
        cls.other = cls.env["res.partner"].create(
            {"name": "Garage Dupont SAS", "is_company": True, "email": "compta@garage-dupont.fr"}
        )
        cls.reason = cls.env.ref("account_debt_collection.dispute_reason_quality_defect")
        cls.Portal = cls.env["debt.collection.portal"]

    def link(self, partner):
        """The customer's signed link, as every communication carries it (path and query)."""
        url = partner._debt_portal_url()
        return url[url.index("/my/collection/") :]

    def token_of(self, partner):
        return partner.sudo().debt_portal_token

    def open_page(self, url):
        response = self.url_open(url)
        return response.status_code, response.text

    def csrf_of(self, html):
        """The CSRF token of the page (its forms', else the one the page's scripts post)."""
        found = re.search(r'name="csrf_token" value="([^"]+)"', html) or re.search(
            r'csrf_token: "([^"]+)"', html
        )
        return found.group(1)
