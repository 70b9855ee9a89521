"""The customer's E.164 phone number is Odoo's own: its copy goes.

``res_partner.debt_phone_e164`` duplicated ``phone_sanitized`` (phone validation's
``mail.thread.phone``, which the SMS channel already read): the phone tasks dial that one now.
``openupgrade.drop_columns`` drops the column, if it exists, and logs it, rather than leaving it
to Odoo's removal of the field's definitions at the end of the upgrade.
"""

from openupgradelib import openupgrade


@openupgrade.migrate()
def migrate(env, version):
    openupgrade.drop_columns(env.cr, [("res_partner", "debt_phone_e164")])
