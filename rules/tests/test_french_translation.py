"""The French translation (i18n/fr.po) is complete and keeps what the software fills in.

Read with polib, no Odoo: every entry of the template is translated, every placeholder of a
source (``%(name)s``, ``%s``, ``{{ expression }}``, each HTML or QWeb tag with its ``t-out``,
``t-if`` and attributes) is in its translation, report file names stay Python expressions,
and the French typography holds (a non-breaking space before ``: ; ? !``).
"""

import re
from collections import Counter
from pathlib import Path

import polib
import pytest

I18N = Path(__file__).resolve().parents[2] / "i18n"
#: ``%(name)s``, ``%s``, ``%d``, ``%%``: what Python's ``%`` operator fills in.
PERCENT = re.compile(r"%(?:\([^)]+\))?[sdfr%]")
#: ``{{ expression }}`` of inline templates (email subjects).
INLINE = re.compile(r"\{\{.*?\}\}", re.S)
#: Every opening, closing or empty tag, with its attributes (t-out, t-if, class...).
TAG = re.compile(r"<[^<>]+>")
#: A plain space where French wants a non-breaking one.
PLAIN_SPACE_BEFORE = re.compile(r" [:;?!]")


@pytest.fixture(scope="module")
def french():
    return polib.pofile(str(I18N / "fr.po"))


@pytest.fixture(scope="module")
def template():
    return polib.pofile(str(I18N / "account_debt_collection.pot"))


def keys(catalog):
    return {(entry.msgctxt, entry.msgid) for entry in catalog if not entry.obsolete}


def offenders(entries, check):
    return [entry.msgid[:120] for entry in entries if not check(entry)]


def is_code(entry):
    return any(where.startswith("code:") for where, _line in entry.occurrences)


def is_report_name(entry):
    return any("print_report_name" in where for where, _line in entry.occurrences)


def test_fr_po_has_the_entries_of_the_template(french, template):
    assert keys(template) - keys(french) == set(), "new strings: merge the template into fr.po"
    assert keys(french) - keys(template) == set(), "obsolete entries left in fr.po"


def test_every_entry_is_translated(french):
    assert offenders(french, lambda entry: entry.msgstr.strip() and "fuzzy" not in entry.flags) == []


def test_the_python_placeholders_are_kept(french):
    def same(entry):
        if not (is_code(entry) or is_report_name(entry)):
            return True
        return Counter(PERCENT.findall(entry.msgid)) == Counter(PERCENT.findall(entry.msgstr))

    assert offenders(french, same) == []


def test_the_inline_expressions_are_kept(french):
    def same(entry):
        return Counter(INLINE.findall(entry.msgid)) == Counter(INLINE.findall(entry.msgstr))

    assert offenders(french, same) == []


def test_the_tags_and_their_qweb_attributes_are_kept(french):
    def same(entry):
        return Counter(TAG.findall(entry.msgid)) == Counter(TAG.findall(entry.msgstr))

    assert offenders(french, same) == []


def test_report_file_names_stay_python_expressions(french):
    names = [entry for entry in french if is_report_name(entry)]
    assert names, "the reports' file names are translatable"
    for entry in names:
        compile(entry.msgstr, entry.msgid, "eval")


def test_a_non_breaking_space_comes_before_high_punctuation(french):
    def typeset(entry):
        return is_report_name(entry) or not PLAIN_SPACE_BEFORE.search(entry.msgstr)

    assert offenders(french, typeset) == []
