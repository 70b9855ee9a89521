"""Letters and statements as one PDF with an unpatched wkhtmltopdf: headers and footers per document."""

import io
import re
from collections import OrderedDict

import lxml.html
from reportlab.pdfgen import canvas

from odoo import models
from odoo.addons.base.models.ir_actions_report import _wkhtml
from odoo.tools.pdf import ArrayObject, NameObject, PdfFileReader, PdfFileWriter

#: the reports whose documents carry the company's letterhead in their body with an unpatched Qt:
#: what is posted to customers (dunning letters, statements of account) and what is filed with a
#: court or handed to an agency (a case's request and summary), each with its text layer
LETTER_REPORTS = (
    "account_debt_collection.report_debt_letter",
    "account_debt_collection.report_debt_statement",
    "account_debt_collection.report_case_court",
    "account_debt_collection.report_case_court_copy",
    "account_debt_collection.report_case_summary",
)

#: page margins (mm) once the letterhead is in the body: it no longer needs the header's room
INLINE_MARGIN_MM = 10
#: where the page numbers of a letter of several pages are drawn (points from the bottom right)
PAGE_NUMBER_OFFSET = (28, 14)

_HTML_PARSER = lxml.html.HTMLParser(encoding="utf-8")
_PAGE_NUMBERS = ".//span[contains(concat(' ', normalize-space(@class), ' '), ' topage ')]"
_HEADINGS = ".//h1|.//h2|.//h3|.//h4|.//h5|.//h6"
#: the last block of a letter that must stay on one page (its closing): the footer joins it
_KEEP_TOGETHER = ".//*[contains(concat(' ', normalize-space(@class), ' '), ' o_debt_keep ')]"
#: the first page of each document carries a link to its record's id, one white pixel: an
#: unpatched Qt writes no outline, by which Odoo would split the PDF per record, but it keeps
#: links, which a reader finds on the page without parsing its text (200 letters: 0.1 s, where
#: extracting each page's text took 15 s). The link is taken off once the PDF is split.
_MARKER_URL = "https://letter.invalid/{}"
_MARKER_RE = re.compile(r"^https://letter\.invalid/(\d+)$")

#: Each letter from a new page, in an installed font: an unpatched Qt draws the glyphs of web
#: fonts (the report's Lato or the company's font, from ``@font-face``) as vector outlines, text
#: that cannot be selected or searched, about 0.7 MB and 0.2 s per page (wkhtmltopdf on 200
#: letters: 137 MB in 42 s); an installed font is embedded once (0.75 MB in 5 s).
_LETTER_STYLE = """
.o_debt_letter { position: relative; } /* a layout's absolute ornaments stay on their letter */
.o_debt_letter + .o_debt_letter { page-break-before: always; }
.o_debt_letter_marker {
    display: block; font-size: 1px; line-height: 1px; color: #fff; height: 1px; overflow: hidden;
}
.o_debt_letter, .o_debt_letter .header, .o_debt_letter .article, .o_debt_letter .footer {
    font-family: "Liberation Sans", "DejaVu Sans", Arial, Helvetica, sans-serif !important;
}
"""


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        """Letters with an unpatched Qt: one stream per letter, its pages numbered.

        wkhtmltopdf then writes no outline, by which Odoo splits the PDF of several letters
        of more than one page each: the PDF is split here by the mark each letter carries on
        its first page (see ``_merge_bodies``). Odoo still cuts a PDF of as many pages as
        letters, one page each: the marks are then taken off each letter's PDF. It draws no
        footer either (``_prepare_html``), so no "page 1 / 2": each letter of several pages
        gets its numbers on the PDF itself.
        """
        streams = super()._render_qweb_pdf_prepare_streams(report_ref, data, res_ids=res_ids)
        if _wkhtml().is_patched_qt or self._get_report(report_ref).report_name not in LETTER_REPORTS:
            return streams
        if set(streams) == {False} and res_ids and len(res_ids) > 1 and len(set(res_ids)) == len(res_ids):
            letters = _split_letters(streams[False]["stream"].getvalue(), res_ids)
            if letters:
                streams = OrderedDict(
                    (res_id, {"stream": io.BytesIO(content), "attachment": None})
                    for res_id, content in letters.items()
                )
        for res_id, stream_data in streams.items():
            if res_id and stream_data.get("stream") and not stream_data.get("attachment"):
                letter = _without_marks(stream_data["stream"].getvalue())
                stream_data["stream"] = io.BytesIO(_number_pages(letter))
        return streams

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
        _inline_letterhead(headers, footers)
        merged = _merge_bodies(bodies, res_ids, headers, footers)
        paperformat_args = dict(
            paperformat_args,
            **{"data-report-margin-top": INLINE_MARGIN_MM, "data-report-margin-bottom": INLINE_MARGIN_MM},
        )
        return [merged], res_ids, "", "", paperformat_args


def _parse(document):
    """The lxml document of an HTML page of Odoo's rendering (a string or markup)."""
    return lxml.html.document_fromstring(str(document).encode(), parser=_HTML_PARSER)


def _layout_parts(document, container_id):
    """The header (or footer) of each document, in order, from Odoo's page of all headers (footers)."""
    if not document:
        return []
    container = _parse(document).xpath(f"//div[@id='{container_id}']")
    return list(container[0]) if container else []


def _inline_letterhead(headers, footers):
    """The headers and footers made fit for the body, in place.

    - No "Page x / y" in the footers: wkhtmltopdf fills them in its own header and footer only
      (``_number_pages`` numbers the pages of a letter on the PDF instead).
    - No heading in the letterhead (company details, footer): each would add an entry to the
      PDF's outline, by which Odoo splits the PDF per record, at the wrong pages. A heading
      becomes a ``div`` of its tag's class (``h3``...): same look.
    """
    for part in footers:
        for number in part.xpath(_PAGE_NUMBERS):
            number.getparent().drop_tree()
    for part in headers + footers:
        for heading in part.xpath(_HEADINGS):
            heading.set("class", f"{heading.tag} {heading.get('class') or ''}".strip())
            heading.tag = "div"


def _merge_bodies(bodies, res_ids, headers, footers):
    """One HTML document: each body's content framed by its header and footer, one per page.

    Each document starts with the mark of its record (``_MARKER_URL``), to split the PDF by.
    """
    skeleton = _parse(bodies[0])
    target = skeleton.body
    for child in list(target):
        target.remove(child)
    style = lxml.html.Element("style")
    style.text = _LETTER_STYLE
    skeleton.head.append(style)
    for body, res_id, header, footer in zip(bodies, res_ids, headers, footers, strict=True):
        letter = lxml.html.Element("div", {"class": "o_debt_letter"})
        if res_id:
            marker = lxml.html.Element(
                "a", {"class": "o_debt_letter_marker", "href": _MARKER_URL.format(res_id)}
            )
            marker.text = "x"
            letter.append(marker)
        letter.append(header)
        letter.extend(list(_parse(body).body))
        # the footer stays with the letter's closing: alone, it would make a page of its own
        closing = letter.xpath(_KEEP_TOGETHER)
        (closing[-1] if closing else letter).append(footer)
        target.append(letter)
    return lxml.html.tostring(skeleton, encoding="unicode", doctype="<!DOCTYPE html>")


def _split_letters(pdf, res_ids):
    """``{res_id: pdf}`` of a PDF of several documents, cut at their marks, or None.

    Each document runs from the page of its mark to the page before the next mark, whatever its
    number of pages. Unless the marks are exactly ``res_ids``, in order, the first on the first
    page (a mark missing, doubled, out of order or of another record), nothing is cut: None,
    and the PDF stays one (the Print button then prints each letter alone), never a wrong cut.
    """
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    starts = []
    for index in range(reader.getNumPages()):
        starts += [(index, res_id) for res_id in _take_marks(reader.getPage(index))]
    if [res_id for _index, res_id in starts] != list(res_ids) or starts[0][0] != 0:
        return None
    letters = {}
    ends = [index for index, _res_id in starts[1:]] + [reader.getNumPages()]
    for (first, res_id), end in zip(starts, ends, strict=True):
        writer = PdfFileWriter()
        for index in range(first, end):
            writer.addPage(reader.getPage(index))
        output = io.BytesIO()
        writer.write(output)
        letters[res_id] = output.getvalue()
    return letters


def _take_marks(page):
    """The record ids marked on ``page`` (its links to ``_MARKER_URL``), the links taken off."""
    annotations = page.get("/Annots")
    if annotations is None:
        return []
    kept, marks = ArrayObject(), []
    for annotation in annotations.get_object():
        uri = (annotation.get_object().get("/A") or {}).get("/URI")
        found = _MARKER_RE.match(str(uri)) if uri else None
        if found:
            marks.append(int(found.group(1)))
        else:
            kept.append(annotation)
    if marks:
        page[NameObject("/Annots")] = kept
    return marks


def _without_marks(pdf):
    """``pdf`` (one letter) with its mark taken off, as it is if it has none (already split here)."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    pages = [reader.getPage(index) for index in range(reader.getNumPages())]
    if not [mark for page in pages for mark in _take_marks(page)]:
        return pdf
    writer = PdfFileWriter()
    for page in pages:
        writer.addPage(page)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _number_pages(pdf):
    """``pdf`` (one letter) with "page n / total" at the foot of each page, if it has several."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    count = reader.getNumPages()
    if count < 2:
        return pdf
    stamps = io.BytesIO()
    drawing = canvas.Canvas(stamps)
    for index in range(count):
        box = reader.getPage(index).mediaBox
        width = float(box.getWidth())
        drawing.setPageSize((width, float(box.getHeight())))
        drawing.setFont("Helvetica", 8)
        right, bottom = PAGE_NUMBER_OFFSET
        drawing.drawRightString(width - right, bottom, f"page {index + 1} / {count}")
        drawing.showPage()
    drawing.save()
    stamp_reader = PdfFileReader(stamps, strict=False)
    writer = PdfFileWriter()
    for index in range(count):
        page = reader.getPage(index)
        page.mergePage(stamp_reader.getPage(index))
        writer.addPage(page)
    result = io.BytesIO()
    writer.write(result)
    return result.getvalue()
