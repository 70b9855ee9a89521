from uuid import uuid4

from lxml import etree, html

from odoo import api, models


class MailTemplate(models.Model):
    _inherit = "mail.template"

    @api.model
    def _render_template_qweb(self, template_src, model, res_ids, add_context=None, options=None):
        """Render the QWeb body of a collection event's email for all records in one pass.

        Odoo renders an inline QWeb body once per record and compiles it every time (about
        6 ms a mail): the daily run queues thousands of mails from the same template. Here
        the body is wrapped in a ``t-foreach`` over the records, compiled and rendered once,
        and the output cut at a separator. Any failure, and any restricted (non-editor)
        rendering, goes the standard per-record way, which names the failing record.
        """
        restricted = not (
            self._unrestricted_rendering
            or self.env.is_admin()
            or self.env.user.has_group("mail.group_mail_template_editor")
        )
        standard = super()._render_template_qweb
        if model != "debt.collection.event" or len(res_ids) < 2 or restricted or not template_src:
            return standard(template_src, model, res_ids, add_context=add_context, options=options)
        try:
            return self._debt_render_qweb_at_once(template_src, model, res_ids, add_context, options)
        except Exception:  # pylint: disable=broad-exception-caught
            # the standard rendering raises the error of the failing record
            return standard(template_src, model, res_ids, add_context=add_context, options=options)

    def _debt_render_qweb_at_once(self, template_src, model, res_ids, add_context, options):
        separator = f"debt-collection-record-{uuid4().hex}"
        body = html.fragment_fromstring(template_src, create_parent="div")
        loop = etree.Element("t", {"t-foreach": "debt_collection_records", "t-as": "object"})
        loop.text = body.text
        loop.extend(list(body))
        etree.SubElement(loop, "t", {"t-out": "debt_collection_separator"})
        root = etree.Element("div")
        root.append(loop)
        variables = self._render_eval_context()
        variables.update(add_context or {})
        variables["debt_collection_records"] = self.env[model].browse(res_ids)
        variables["debt_collection_separator"] = separator
        rendered = str(self.env["ir.qweb"]._render(root, variables, **(options or {})))[5:-6]
        parts = rendered.split(separator)
        if len(parts) != len(res_ids) + 1:
            raise ValueError("the body printed the record separator itself")
        return dict(zip(res_ids, parts[:-1], strict=True))
