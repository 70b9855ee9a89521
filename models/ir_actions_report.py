import lxml.html

from odoo import models
from odoo.addons.base.models.ir_actions_report import _wkhtml

#: the reports whose documents carry the company's letterhead in their body with an unpatched Qt:
#: what is posted to customers, dunning letters and statements of account
LETTER_REPORTS = (
    "account_debt_collection.report_debt_letter",
    "account_debt_collection.report_debt_statement",
)

#: page margins (mm) once the letterhead is in the body: it no longer needs the header's room
INLINE_MARGIN_MM = 10

_HTML_PARSER = lxml.html.HTMLParser(encoding="utf-8")
_PAGE_NUMBERS = ".//span[contains(concat(' ', normalize-space(@class), ' '), ' topage ')]"
_HEADINGS = ".//h1|.//h2|.//h3|.//h4|.//h5|.//h6"

#: Each letter from a new page, in an installed font: an unpatched Qt draws the glyphs of web
#: fonts (the report's Lato or the company's font, from ``@font-face``) as vector outlines, text
#: that cannot be selected or searched, about 0.7 MB and 0.2 s per page (wkhtmltopdf on 200
#: letters: 137 MB in 42 s); an installed font is embedded once (0.75 MB in 5 s).
_LETTER_STYLE = """
.o_debt_letter { position: relative; } /* a layout's absolute ornaments stay on their letter */
.o_debt_letter + .o_debt_letter { page-break-before: always; }
.o_debt_letter, .o_debt_letter .header, .o_debt_letter .article, .o_debt_letter .footer {
    font-family: "Liberation Sans", "DejaVu Sans", Arial, Helvetica, sans-serif !important;
}
"""


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _prepare_html(self, html, report_model=False):
        """Letters and statements with an unpatched Qt: the letterhead in the body, one document.

        Debian's wkhtmltopdf (without the patched Qt) ignores ``--header-html`` and
        ``--footer-html``, so a letter would lose its sender (the company's logo, name and
        address in the layout's header, its legal mentions in the footer), and it exits with
        code 1, which Odoo refuses for several documents: 200 letters would then be 200
        wkhtmltopdf calls. Instead, each letter gets its own header before and footer after its
        content, and the letters are merged into one document, each starting on a new page,
        in the first one's skeleton (the stylesheets load once). With the patched Qt nothing
        changes.
        """
        prepared = super()._prepare_html(html, report_model=report_model)
        if not prepared or len(self) != 1 or self.report_name not in LETTER_REPORTS:
            return prepared
        if _wkhtml().is_patched_qt:
            return prepared
        bodies, res_ids, header, footer, paperformat_args = prepared
        headers = _layout_parts(header, "minimal_layout_report_headers")
        footers = _layout_parts(footer, "minimal_layout_report_footers")
        if len(headers) != len(bodies) or len(footers) != len(bodies):
            # not one header and one footer per document: leave the report as Odoo made it
            return prepared
        for part in footers:
            # no page numbers outside wkhtmltopdf's header and footer: drop "Page x / y"
            for number in part.xpath(_PAGE_NUMBERS):
                number.getparent().drop_tree()
        for part in headers + footers:
            # a heading of the letterhead (company details, footer) would add an entry to the PDF's
            # outline, by which Odoo splits the PDF per record: same look, no heading
            for heading in part.xpath(_HEADINGS):
                heading.set("class", f"{heading.tag} {heading.get('class') or ''}".strip())
                heading.tag = "div"
        merged = _merge_bodies(bodies, headers, footers)
        paperformat_args = dict(
            paperformat_args,
            **{"data-report-margin-top": INLINE_MARGIN_MM, "data-report-margin-bottom": INLINE_MARGIN_MM},
        )
        return [merged], res_ids, "", "", paperformat_args


def _parse(document):
    return lxml.html.document_fromstring(str(document).encode(), parser=_HTML_PARSER)


def _layout_parts(document, container_id):
    """The header (or footer) of each document, in order, from Odoo's page of all headers (footers)."""
    if not document:
        return []
    container = _parse(document).xpath(f"//div[@id='{container_id}']")
    return list(container[0]) if container else []


def _merge_bodies(bodies, headers, footers):
    """One HTML document: each body's content framed by its header and footer, one per page."""
    skeleton = _parse(bodies[0])
    target = skeleton.body
    for child in list(target):
        target.remove(child)
    style = lxml.html.Element("style")
    style.text = _LETTER_STYLE
    skeleton.head.append(style)
    for body, header, footer in zip(bodies, headers, footers, strict=True):
        letter = lxml.html.Element("div", {"class": "o_debt_letter"})
        letter.append(header)
        letter.extend(list(_parse(body).body))
        letter.append(footer)
        target.append(letter)
    return lxml.html.tostring(skeleton, encoding="unicode", doctype="<!DOCTYPE html>")
