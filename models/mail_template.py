"""A collection event's email bodies rendered for a whole batch at once."""

from uuid import uuid4

from lxml import etree, html

from odoo import api, models

#: The variables QWeb's ``t-foreach`` sets besides its ``t-as`` name.
FOREACH_SUFFIXES = ("", "_index", "_value", "_first", "_last", "_odd", "_even", "_parity", "_size")


class MailTemplate(models.Model):
    _inherit = "mail.template"

    @api.model
    def _render_template_qweb(self, template_src, model, res_ids, add_context=None, options=None):
        """Render the QWeb body of a collection event's email for all records in one pass.

        Odoo renders an inline QWeb body once per record and compiles it every time (about
        6 ms a mail): the daily run queues thousands of mails from the same template. Here
        the body is wrapped in a ``t-foreach`` over the records, compiled and rendered once,
        and the output cut at a separator. Each record starts from the variables the
        rendering was given, as Odoo's one-by-one rendering does: what the body ``t-set``
        (or a loop of it bound) for one customer is reset before the next (see
        :meth:`_debt_scope_resets`). Any failure, and any restricted (non-editor) rendering,
        goes the standard per-record way, which names the failing record.
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
        loop.extend(self._debt_scope_resets(body))
        if len(loop):
            loop[-1].tail = body.text
        else:
            loop.text = body.text
        loop.extend(list(body))
        etree.SubElement(loop, "t", {"t-out": "debt_collection_separator"})
        root = etree.Element("div")
        root.append(loop)
        variables = self._render_eval_context()
        variables.update(add_context or {})
        variables["debt_collection_records"] = self.env[model].browse(res_ids)
        variables["debt_collection_separator"] = separator
        variables["debt_collection_scope"] = dict(variables)
        rendered = str(self.env["ir.qweb"]._render(root, variables, **(options or {})))[5:-6]
        parts = rendered.split(separator)
        if len(parts) != len(res_ids) + 1:
            raise ValueError("the body printed the record separator itself")
        return dict(zip(res_ids, parts[:-1], strict=True))

    @api.model
    def _debt_scope_resets(self, body):
        """``t-set`` elements giving back, at the start of each record, the value every name the
        body binds (its ``t-set``, its loops' ``t-as`` and their ``_index``...) had before the
        first record: QWeb's loop shares one scope between iterations, so without them a note
        set for one customer would reach the next."""
        names = set()
        for element in body.iter(etree.Element):
            if element.get("t-set"):
                names.add(element.get("t-set"))
            if element.get("t-as"):
                names.update(element.get("t-as") + suffix for suffix in FOREACH_SUFFIXES)
        return [
            etree.Element("t", {"t-set": name, "t-value": f"debt_collection_scope.get({name!r})"})
            for name in sorted(names)
        ]
