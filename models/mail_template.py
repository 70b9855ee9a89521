"""A collection event's email bodies rendered for a whole batch at once."""

from functools import cache
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
        6 ms a mail): the daily run queues thousands of mails from the same template.
        :meth:`_debt_render_qweb_at_once` compiles and renders it once for the batch. Odoo's
        own rendering is kept for everything else: another model, a single record, a body
        Odoo renders without QWeb (plain placeholders), a restricted rendering (a model whose
        rendering is restricted, for a user who is no template editor: Odoo then forbids some
        code), and any failure of the one pass, Odoo's rendering then raising the error it
        raises for the failing record.
        """
        standard = super()._render_template_qweb
        restricted = not (
            self._unrestricted_rendering
            or self.env.is_admin()
            or self.env.user.has_group("mail.group_mail_template_editor")
        )
        if (
            model != "debt.collection.event"
            or len(res_ids) < 2
            or restricted
            or not self._has_unsafe_expression_template_qweb(template_src, model)
        ):
            return standard(template_src, model, res_ids, add_context=add_context, options=options)
        try:
            return self._debt_render_qweb_at_once(template_src, model, res_ids, add_context, options)
        except Exception:  # pylint: disable=broad-exception-caught
            return standard(template_src, model, res_ids, add_context=add_context, options=options)

    @api.model
    def _debt_render_qweb_at_once(self, template_src, model, res_ids, add_context, options):
        """``{res_id: html}`` of ``template_src`` for every record, as Odoo renders it record by
        record, from one compilation and one QWeb rendering; raises if that cannot be.

        The body is wrapped in a ``t-foreach`` over the records (``object`` each in turn), each
        iteration ending with a separator (a random token), and the output is cut at the
        separators. QWeb's loop shares one scope between iterations: each starts by giving back
        every name the body binds the value it had before the first one (:func:`_scope_resets`),
        so that what the body ``t-set`` for one customer never reaches the next. A body that
        prints the separator itself leaves a count of parts other than one per record: it raises.
        """
        separator = f"debt-collection-record-{uuid4().hex}"
        body = html.fragment_fromstring(template_src, create_parent="div")
        loop = etree.Element("t", {"t-foreach": "debt_collection_records", "t-as": "object"})
        loop.extend(_scope_resets(body))
        if len(loop):
            loop[-1].tail = body.text
        else:
            loop.text = body.text
        loop.extend(list(body))
        etree.SubElement(loop, "t", {"t-out": "debt_collection_separator"})
        root = etree.Element("div")
        root.append(loop)
        variables = self._debt_render_context()
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
    def _debt_render_context(self):
        """Odoo's rendering context, its ``format_date`` and ``format_amount`` remembering what
        they returned for this rendering.

        A batch formats the same figures over and over (an unpaid invoice's amount and amount
        due, the dates of invoices issued the same day): at a few tens of microseconds a call
        (the language looked up, its grouping parsed), that was a tenth of a run's emails. The
        output is Odoo's own, for the same arguments in the same language.
        """
        context = self._render_eval_context()
        for name in ("format_date", "format_amount"):
            context[name] = cache(context[name])
        return context


def _scope_resets(body):
    """``t-set`` elements giving back, at the start of each record, the value every name the
    body binds (its ``t-set``, its loops' ``t-as`` and their ``_index``...) had before the
    first record: QWeb's loop shares one scope between iterations, so without them a note set
    for one customer would reach the next. ``object`` itself is left alone: the loop binds it
    to each record."""
    names = set()
    for element in body.iter(etree.Element):
        if element.get("t-set"):
            names.add(element.get("t-set"))
        if element.get("t-as"):
            names.update(element.get("t-as") + suffix for suffix in FOREACH_SUFFIXES)
    return [
        etree.Element("t", {"t-set": name, "t-value": f"debt_collection_scope.get({name!r})"})
        for name in sorted(names - {"object"})
    ]
